//! Incidents as the projection holds them, and one incident as the record tells it: its
//! reports, the parties' accounts side by side (each with its own figures, never merged),
//! the investigations into it and the findings they reached.

use std::collections::BTreeMap;

use serde::Serialize;
use time::OffsetDateTime;
use truce_core::mechanism::Statement;
use truce_core::mechanism::incident::Figures;
use truce_core::mechanism::values::Source;

use super::findings::{FindingRow, FindingView, StatementRow};
use super::reports::ReportRow;
use super::workflow::InvestigationRow;
use super::{Conditions, FromRow, Values, index_arg};
use crate::projection::incidents::INCIDENTS;
use crate::projection::{Arg, Table};
use crate::{Store, StoreError};

/// An incident the mechanism opened (`incidents`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentRow {
    pub index: u64,
    /// The delegation that opened it.
    pub opened_by: String,
    pub signed_at: String,
    pub title: String,
    pub summary: String,
    /// The delegations accused.
    pub accused: Vec<String>,
    pub status: String,
}

impl FromRow for IncidentRow {
    const TABLE: &'static Table = &INCIDENTS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            opened_by: v.text()?,
            signed_at: v.text()?,
            title: v.text()?,
            summary: v.text()?,
            accused: v.list()?,
            status: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

/// Which incidents a list asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentFilter {
    /// A delegation among the accused.
    pub party: Option<String>,
    pub status: Option<String>,
}

/// One incident with everything the record holds about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentView {
    #[serde(flatten)]
    pub incident: IncidentRow,
    pub reports: Vec<ReportRow>,
    pub investigations: Vec<InvestigationRow>,
    pub findings: Vec<FindingView>,
    /// Every party's statements, accused parties first listed even when silent; by party.
    pub accounts: Vec<Account>,
    /// The verification statuses set on its reports, oldest first (the latest of each
    /// report is in force).
    pub verifications: Vec<super::verification::VerificationRow>,
    /// The mechanism's casualty reconciliation in force, if it made one.
    pub reconciliation: Option<super::verification::ReconciliationRow>,
}

/// One party's statements about the incident, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub party: String,
    pub statements: Vec<AccountStatement>,
}

/// A statement in a party's account, with the figures and sources it gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountStatement {
    pub index: u64,
    pub author: String,
    pub signed_at: String,
    pub kind: String,
    pub lang: String,
    pub text: String,
    pub figures: Option<Figures>,
    pub sources: Vec<Source>,
    /// The finding it replies to, for a reply.
    pub finding: Option<u64>,
}

impl AccountStatement {
    fn from_row(row: StatementRow) -> Result<(String, Self), StoreError> {
        let signed: Statement = serde_json::from_str(&row.payload)
            .map_err(|e| StoreError::Corrupt(format!("statement {}: {e}", row.index)))?;
        let statement = Self {
            index: row.index,
            author: row.author,
            signed_at: row.signed_at,
            kind: row.kind,
            lang: row.lang,
            text: row.text,
            figures: signed.figures,
            sources: signed.sources,
            finding: row.finding_idx,
        };
        Ok((row.party, statement))
    }
}

impl Store {
    /// Up to `limit` incidents that `filter` asks for, newest first, before the cursor
    /// `before` (the index of the last incident seen), if any.
    pub async fn incidents(
        &self,
        filter: &IncidentFilter,
        before: Option<u64>,
        limit: usize,
    ) -> Result<Vec<IncidentRow>, StoreError> {
        let mut c = Conditions::default();
        if let Some(before) = before {
            c.and("idx <", index_arg(before));
        }
        if let Some(party) = &filter.party {
            // `accused` holds sorted ids joined by commas.
            c.and(
                "(',' || accused || ',') LIKE ('%,' ||",
                Arg::Text(party.clone()),
            )
            .close_with(" || ',%')");
        }
        if let Some(status) = &filter.status {
            c.and("status =", Arg::Text(status.clone()));
        }
        self.select(&c, &format!("ORDER BY idx DESC LIMIT {limit}"))
            .await
    }

    /// Incident `index` as the record tells it at `now` (which reply windows are open),
    /// if entry `index` is an incident.
    pub async fn incident(
        &self,
        index: u64,
        now: OffsetDateTime,
    ) -> Result<Option<IncidentView>, StoreError> {
        let Some(incident) = self.row::<IncidentRow>(index).await? else {
            return Ok(None);
        };
        let findings: Vec<FindingRow> = self.children("incident_idx", index).await?;
        let accounts = self.accounts(&incident).await?;
        Ok(Some(IncidentView {
            reports: self.incident_reports(index).await?,
            investigations: self.children("incident_idx", index).await?,
            findings: findings.into_iter().map(|f| f.at(now)).collect(),
            accounts,
            verifications: self.incident_verifications(index).await?,
            reconciliation: self.reconciliation(index).await?,
            incident,
        }))
    }

    /// The parties' accounts of `incident`: one per party that spoke or is accused, by
    /// party id.
    async fn accounts(&self, incident: &IncidentRow) -> Result<Vec<Account>, StoreError> {
        let mut accounts: BTreeMap<String, Vec<AccountStatement>> = incident
            .accused
            .iter()
            .map(|party| (party.clone(), vec![]))
            .collect();
        let statements: Vec<StatementRow> = self.children("incident_idx", incident.index).await?;
        for row in statements {
            let (party, statement) = AccountStatement::from_row(row)?;
            accounts.entry(party).or_default().push(statement);
        }
        Ok(accounts
            .into_iter()
            .map(|(party, statements)| Account { party, statements })
            .collect())
    }
}

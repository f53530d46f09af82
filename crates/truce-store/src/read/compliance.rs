//! What the compliance summary and its trend charts count: per party and status, the
//! allegations, findings, measures, denials of access and commitments; and reports per
//! month by accused party or by provision. Report counts are kept by the projector in
//! `report_counts`, so a million reports are not counted on each request.

use serde::Serialize;

use super::Values;
use crate::projection::{Arg, Column};
use crate::{Store, StoreError};

/// What a compliance count counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tallied {
    AllegationsAgainst,
    AllegationsMade,
    FindingsAttributed,
    Measures,
    AccessDenials,
    Commitments,
    /// Restrictions on the monitors' movements, by kind.
    Restrictions,
}

impl Tallied {
    pub const ALL: [Tallied; 7] = [
        Self::AllegationsAgainst,
        Self::AllegationsMade,
        Self::FindingsAttributed,
        Self::Measures,
        Self::AccessDenials,
        Self::Commitments,
        Self::Restrictions,
    ];

    /// Party, status (for a denial of access: its kind) and count; rows naming no party
    /// are not any party's.
    fn sql(self) -> &'static str {
        match self {
            Self::AllegationsAgainst => {
                "SELECT party, status, n FROM report_counts WHERE side = 'against' AND party IS NOT NULL"
            }
            Self::AllegationsMade => {
                "SELECT party, status, n FROM report_counts WHERE side = 'made' AND party IS NOT NULL"
            }
            Self::FindingsAttributed => {
                "SELECT party, status, COUNT(*) FROM findings WHERE party IS NOT NULL \
                 GROUP BY party, status"
            }
            Self::Measures => {
                "SELECT party, status, COUNT(*) FROM measures WHERE party IS NOT NULL GROUP BY party, status"
            }
            Self::AccessDenials => {
                "SELECT party, kind, COUNT(*) FROM investigation_steps \
                 WHERE kind = 'access_denied' AND party IS NOT NULL GROUP BY party, kind"
            }
            Self::Commitments => {
                "SELECT owner, status, COUNT(*) FROM commitments WHERE owner IS NOT NULL \
                 GROUP BY owner, status"
            }
            Self::Restrictions => {
                "SELECT controlled_by, kind, COUNT(*) FROM restrictions GROUP BY controlled_by, kind"
            }
        }
    }
}

/// How many of one thing a party has in one status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub party: String,
    pub status: String,
    pub count: i64,
}

/// What the trend counts reports by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendBy {
    /// The party a report accuses (reports accusing none are left out).
    Party,
    /// Each provision a report says was violated (a report naming two counts under both).
    Provision,
}

impl TrendBy {
    fn sql(self) -> &'static str {
        match self {
            Self::Party => {
                "SELECT substr(occurred_start, 1, 7), accused, COUNT(*) FROM reports \
                 WHERE occurred_start_unix >= $1 AND accused IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"
            }
            Self::Provision => {
                "SELECT substr(r.occurred_start, 1, 7), p.provision, COUNT(*) FROM reports r \
                 JOIN report_provisions p ON p.report_idx = r.idx \
                 WHERE r.occurred_start_unix >= $1 GROUP BY 1, 2 ORDER BY 1, 2"
            }
        }
    }
}

/// Reports in one month (`YYYY-MM`) against one party or under one provision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCount {
    pub month: String,
    pub key: String,
    pub count: i64,
}

const COUNT_COLUMNS: [Column; 3] = [Column::Text, Column::Text, Column::Int];

impl Store {
    /// Every party's counts of `what`, by status.
    pub async fn tallies(&self, what: Tallied) -> Result<Vec<Tally>, StoreError> {
        self.decoded(what.sql().into(), &[], &COUNT_COLUMNS, |v: &mut Values| {
            Ok(Tally {
                party: v.text()?,
                status: v.text()?,
                count: v.int()?,
            })
        })
        .await
    }

    /// When the newest event reported began, in Unix seconds, if there is a report.
    pub async fn newest_report_start(&self) -> Result<Option<i64>, StoreError> {
        let sql = "SELECT MAX(occurred_start_unix) FROM reports".to_string();
        let newest = self
            .decoded(sql, &[], &[Column::Int], Values::opt_int)
            .await?;
        Ok(newest.into_iter().flatten().next())
    }

    /// Reports per month and `by`, of events that began at or after `from` (Unix seconds),
    /// oldest month first.
    pub async fn report_trend(
        &self,
        from: i64,
        by: TrendBy,
    ) -> Result<Vec<MonthCount>, StoreError> {
        let args = [Arg::Int(from)];
        self.decoded(by.sql().into(), &args, &COUNT_COLUMNS, |v: &mut Values| {
            Ok(MonthCount {
                month: v.text()?,
                key: v.text()?,
                count: v.int()?,
            })
        })
        .await
    }
}

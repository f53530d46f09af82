//! Sealed testimony as the projection holds it: custodians, each testimony's public part
//! and who holds its shares, requests to unseal and their approvals. Which file a SHA-256
//! names (a sealed part, a share, a released share) is answered here too, for the node to
//! decide who may fetch it and what to delete when a testimony is destroyed.

use serde::Serialize;
use truce_core::mechanism::TestimonyPolicy;

use super::{Conditions, FromRow, Values, index_arg};
use crate::projection::testimony::{
    CUSTODIANS, TESTIMONIES, TESTIMONY_SHARES, UNSEAL_APPROVALS, UNSEAL_REQUESTS,
};
use crate::projection::{Arg, Table};
use crate::{Store, StoreError};

/// A custodian's registration (`custodians`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustodianRow {
    pub index: u64,
    pub key: String,
    pub delegation: String,
    pub encryption_key: String,
    pub registered_at: String,
}

/// A testimony's public part (`testimonies`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestimonyRow {
    pub index: u64,
    pub pseudonym: String,
    pub incident_idx: Option<u64>,
    pub statement: Option<String>,
    pub consent: Vec<String>,
    pub sealed_sha256: String,
    pub sealed_bytes: i64,
    pub policy: TestimonyPolicy,
    pub recorded_by: String,
    pub author: String,
    pub recorded_at: String,
    pub destroyed_idx: Option<u64>,
    pub destroyed_reason: Option<String>,
    pub destroyed_note: Option<String>,
    pub destroyed_at: Option<String>,
}

/// Which custodian holds which share of a testimony (`testimony_shares`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareRow {
    pub testimony_idx: u64,
    pub custodian: String,
    pub delegation: String,
    pub sha256: String,
}

/// A request to unseal (`unseal_requests`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnsealRequestRow {
    pub index: u64,
    pub testimony_idx: u64,
    pub requester: String,
    pub requester_delegation: String,
    pub reason: String,
    pub finding_idx: Option<u64>,
    pub recipient: String,
    pub requested_at: String,
    pub expires_at: String,
}

/// A custodian's approval of a request, with their released share's SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovalRow {
    pub index: u64,
    pub request_idx: u64,
    pub custodian: String,
    pub delegation: String,
    pub sha256: String,
    pub approved_at: String,
}

/// What a sealed file is, by the entry that names it: part of `testimony`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedFileUse {
    pub testimony: TestimonyRow,
    pub part: SealedFilePart,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealedFilePart {
    /// The testimony's sealed part.
    Sealed,
    /// A custodian's share.
    Share(ShareRow),
    /// A share a custodian released to a request.
    Released(Box<(UnsealRequestRow, ApprovalRow)>),
}

impl FromRow for CustodianRow {
    const TABLE: &'static Table = &CUSTODIANS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            key: v.text()?,
            delegation: v.text()?,
            encryption_key: v.text()?,
            registered_at: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

impl FromRow for TestimonyRow {
    const TABLE: &'static Table = &TESTIMONIES;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            pseudonym: v.text()?,
            incident_idx: v.opt_index()?,
            statement: v.opt_text()?,
            consent: v.list()?,
            sealed_sha256: v.text()?,
            sealed_bytes: v.int()?,
            policy: v.json()?,
            recorded_by: v.text()?,
            author: v.text()?,
            recorded_at: v.text()?,
            destroyed_idx: v.opt_index()?,
            destroyed_reason: v.opt_text()?,
            destroyed_note: v.opt_text()?,
            destroyed_at: v.opt_text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

impl FromRow for ShareRow {
    const TABLE: &'static Table = &TESTIMONY_SHARES;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            testimony_idx: v.index()?,
            custodian: v.text()?,
            delegation: v.text()?,
            sha256: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.testimony_idx
    }
}

impl FromRow for UnsealRequestRow {
    const TABLE: &'static Table = &UNSEAL_REQUESTS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            testimony_idx: v.index()?,
            requester: v.text()?,
            requester_delegation: v.text()?,
            reason: v.text()?,
            finding_idx: v.opt_index()?,
            recipient: v.text()?,
            requested_at: v.text()?,
            expires_at: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

impl FromRow for ApprovalRow {
    const TABLE: &'static Table = &UNSEAL_APPROVALS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            request_idx: v.index()?,
            custodian: v.text()?,
            delegation: v.text()?,
            sha256: v.text()?,
            approved_at: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

impl Store {
    /// Every custodian's latest registration whose signing key is not revoked.
    pub async fn active_custodians(&self) -> Result<Vec<CustodianRow>, StoreError> {
        let rows: Vec<CustodianRow> = self.select(&Conditions::default(), "ORDER BY idx").await?;
        let keys = self.keys().await?;
        let mut latest = std::collections::BTreeMap::<String, CustodianRow>::new();
        for row in rows {
            latest.insert(row.key.clone(), row);
        }
        Ok(latest
            .into_values()
            .filter(|row| {
                keys.iter()
                    .any(|k| k.name.as_str() == row.key && k.is_active())
            })
            .collect())
    }

    /// The newest testimonies first, at most `limit`.
    pub async fn testimonies(&self, limit: u32) -> Result<Vec<TestimonyRow>, StoreError> {
        self.select(
            &Conditions::default(),
            &format!("ORDER BY idx DESC LIMIT {limit}"),
        )
        .await
    }

    /// The testimonies about `incident`, oldest first.
    pub async fn incident_testimonies(
        &self,
        incident: u64,
    ) -> Result<Vec<TestimonyRow>, StoreError> {
        let mut c = Conditions::default();
        c.and("incident_idx =", index_arg(incident));
        self.select(&c, "ORDER BY idx").await
    }

    pub async fn testimony(&self, index: u64) -> Result<Option<TestimonyRow>, StoreError> {
        let mut c = Conditions::default();
        c.and("idx =", index_arg(index));
        Ok(self.select(&c, "").await?.pop())
    }

    pub async fn testimony_shares(&self, testimony: u64) -> Result<Vec<ShareRow>, StoreError> {
        let mut c = Conditions::default();
        c.and("testimony_idx =", index_arg(testimony));
        self.select(&c, "ORDER BY custodian").await
    }

    pub async fn unseal_requests(
        &self,
        testimony: u64,
    ) -> Result<Vec<UnsealRequestRow>, StoreError> {
        let mut c = Conditions::default();
        c.and("testimony_idx =", index_arg(testimony));
        self.select(&c, "ORDER BY idx").await
    }

    pub async fn unseal_request(&self, index: u64) -> Result<Option<UnsealRequestRow>, StoreError> {
        let mut c = Conditions::default();
        c.and("idx =", index_arg(index));
        Ok(self.select(&c, "").await?.pop())
    }

    pub async fn unseal_approvals(&self, request: u64) -> Result<Vec<ApprovalRow>, StoreError> {
        let mut c = Conditions::default();
        c.and("request_idx =", index_arg(request));
        self.select(&c, "ORDER BY idx").await
    }

    /// The requests to unseal a testimony `custodian` holds a share of, not destroyed, that
    /// they have not approved: newest first, at most 50. (Whether each is still open, by
    /// time and approvals, is for the caller to judge with its clock.)
    pub async fn requests_awaiting(
        &self,
        custodian: &str,
    ) -> Result<Vec<UnsealRequestRow>, StoreError> {
        let columns: Vec<String> = UNSEAL_REQUESTS
            .columns
            .iter()
            .map(|(name, _)| format!("r.{name}"))
            .collect();
        let sql = format!(
            "SELECT {} FROM unseal_requests r \
             JOIN testimony_shares s ON s.testimony_idx = r.testimony_idx \
             JOIN testimonies t ON t.idx = r.testimony_idx \
             WHERE s.custodian = $1 AND t.destroyed_idx IS NULL AND NOT EXISTS \
             (SELECT 1 FROM unseal_approvals a WHERE a.request_idx = r.idx AND a.custodian = $1) \
             ORDER BY r.idx DESC LIMIT 50",
            columns.join(", ")
        );
        let types: Vec<_> = UNSEAL_REQUESTS.columns.iter().map(|(_, c)| *c).collect();
        self.decoded(
            sql,
            &[Arg::Text(custodian.into())],
            &types,
            UnsealRequestRow::from_row,
        )
        .await
    }

    /// What the file named `sha256` is, if an entry names it.
    pub async fn sealed_file_use(&self, sha256: &str) -> Result<Option<SealedFileUse>, StoreError> {
        let by_hash = |column: &str| {
            let mut c = Conditions::default();
            c.and(&format!("{column} ="), Arg::Text(sha256.to_string()));
            c
        };
        let sealed: Option<TestimonyRow> = self
            .select(&by_hash("sealed_sha256"), "LIMIT 1")
            .await?
            .pop();
        if let Some(testimony) = sealed {
            let part = SealedFilePart::Sealed;
            return Ok(Some(SealedFileUse { testimony, part }));
        }
        let share: Option<ShareRow> = self.select(&by_hash("sha256"), "LIMIT 1").await?.pop();
        if let Some(share) = share {
            let testimony = self.testimony(share.testimony_idx).await?;
            let part = SealedFilePart::Share(share);
            return Ok(testimony.map(|testimony| SealedFileUse { testimony, part }));
        }
        let approval: Option<ApprovalRow> = self.select(&by_hash("sha256"), "LIMIT 1").await?.pop();
        let Some(approval) = approval else {
            return Ok(None);
        };
        let Some(request) = self.unseal_request(approval.request_idx).await? else {
            return Ok(None);
        };
        let testimony = self.testimony(request.testimony_idx).await?;
        let part = SealedFilePart::Released(Box::new((request, approval)));
        Ok(testimony.map(|testimony| SealedFileUse { testimony, part }))
    }

    /// The SHA-256 of every file of every testimony destroyed by an entry after index
    /// `after` (all of them for `None`): its sealed part, its shares and the shares
    /// released to its requests; and the index of the latest such destruction. The node
    /// deletes them.
    pub async fn destroyed_sealed_files(
        &self,
        after: Option<u64>,
    ) -> Result<(Vec<String>, Option<u64>), StoreError> {
        let mut c = Conditions::default();
        match after {
            Some(after) => {
                c.and("destroyed_idx >", index_arg(after));
            }
            None => {
                c.close_with(" WHERE destroyed_idx IS NOT NULL");
            }
        }
        let destroyed: Vec<TestimonyRow> = self.select(&c, "ORDER BY idx").await?;
        let latest = destroyed.iter().filter_map(|t| t.destroyed_idx).max();
        let mut files = vec![];
        for testimony in destroyed {
            files.push(testimony.sealed_sha256.clone());
            let shares = self.testimony_shares(testimony.index).await?;
            files.extend(shares.into_iter().map(|s| s.sha256));
            for request in self.unseal_requests(testimony.index).await? {
                let approvals = self.unseal_approvals(request.index).await?;
                files.extend(approvals.into_iter().map(|a| a.sha256));
            }
        }
        Ok((files, latest))
    }
}

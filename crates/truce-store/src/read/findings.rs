//! The mechanism's findings as the projection holds them: each finding with where its
//! signatures and the parties' replies stand, the votes cast on it, and the statements
//! that answer it. Whether a reply window is still open depends on the reader's clock,
//! so it is asked with one ([`FindingRow::at`]).

use serde::Serialize;
use time::OffsetDateTime;
use truce_core::Timestamp;

use super::workflow::MeasureRow;
use super::{Conditions, FromRow, Values};
use crate::projection::Table;
use crate::projection::incidents::STATEMENTS;
use crate::projection::workflow::{FINDING_VOTES, FINDINGS};
use crate::{Store, StoreError};

/// A finding the mechanism proposed, and where it stands (`findings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRow {
    pub index: u64,
    pub investigation_idx: u64,
    pub incident_idx: u64,
    /// The agreement's provision the finding is about.
    pub provision: String,
    pub determination: String,
    pub attribution: Option<String>,
    /// The delegation found responsible, if any.
    pub party: Option<String>,
    pub confidence: String,
    pub reasoning: String,
    /// The key that proposed it.
    pub proposed_by: String,
    pub signed_at: String,
    /// The end of the parties' right of reply.
    pub reply_due: String,
    /// The delegations whose signature it still awaits.
    pub awaiting: Vec<String>,
    pub replied: Vec<Reply>,
    pub concur: Vec<String>,
    pub dissent: Vec<String>,
    pub status: String,
    /// The entry that made it final, once it is.
    pub final_idx: Option<u64>,
    /// The measure it called for, if it did.
    pub measure_idx: Option<u64>,
    /// For a violation: assessed `deliberate`, `accidental` or `undetermined`, if said.
    pub intent: Option<String>,
}

/// A party's reply to a finding: the party and the statement's log index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reply {
    pub party: String,
    pub index: Option<u64>,
}

impl FromRow for FindingRow {
    const TABLE: &'static Table = &FINDINGS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            investigation_idx: v.index()?,
            incident_idx: v.index()?,
            provision: v.text()?,
            determination: v.text()?,
            attribution: v.opt_text()?,
            party: v.opt_text()?,
            confidence: v.text()?,
            reasoning: v.text()?,
            proposed_by: v.text()?,
            signed_at: v.text()?,
            reply_due: v.text()?,
            awaiting: v.list()?,
            replied: replies(&v.list()?),
            concur: v.list()?,
            dissent: v.list()?,
            status: v.text()?,
            final_idx: v.opt_index()?,
            measure_idx: v.opt_index()?,
            intent: v.opt_text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

/// The projection keeps replies as `party:index` pairs.
fn replies(pairs: &[String]) -> Vec<Reply> {
    pairs
        .iter()
        .filter_map(|pair| pair.split_once(':'))
        .map(|(party, at)| Reply {
            party: party.to_string(),
            index: at.parse().ok(),
        })
        .collect()
}

/// A finding as a reader sees it at some instant: whether the right of reply is still open
/// is the reader's clock against the deadline the log holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingView {
    #[serde(flatten)]
    pub finding: FindingRow,
    pub reply_window_open: bool,
}

impl FindingRow {
    /// The finding as seen at `now`.
    #[must_use]
    pub fn at(self, now: OffsetDateTime) -> FindingView {
        let open = self.status != "final"
            && Timestamp::parse(self.reply_due.as_str()).is_ok_and(|due| due.instant() > now);
        FindingView {
            finding: self,
            reply_window_open: open,
        }
    }
}

/// A delegation's vote on a finding (`finding_votes`); dissents are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoteRow {
    pub index: u64,
    pub finding_idx: u64,
    /// The key that voted, and its delegation.
    pub author: String,
    pub delegation: String,
    pub vote: String,
    pub reasoning: String,
    pub signed_at: String,
}

impl FromRow for VoteRow {
    const TABLE: &'static Table = &FINDING_VOTES;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            finding_idx: v.index()?,
            author: v.text()?,
            delegation: v.text()?,
            vote: v.text()?,
            reasoning: v.text()?,
            signed_at: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

/// A party's statement about an incident, or its reply to a finding (`statements`), with
/// its own figures as it gave them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRow {
    pub index: u64,
    pub incident_idx: u64,
    /// The finding it replies to, for a reply.
    pub finding_idx: Option<u64>,
    pub party: String,
    pub author: String,
    pub signed_at: String,
    pub kind: String,
    pub lang: String,
    pub text: String,
    pub killed_low: Option<i64>,
    pub killed_best: Option<i64>,
    pub killed_high: Option<i64>,
    pub injured_low: Option<i64>,
    pub injured_best: Option<i64>,
    pub injured_high: Option<i64>,
    /// The signed statement itself, as text.
    pub payload: String,
}

impl FromRow for StatementRow {
    const TABLE: &'static Table = &STATEMENTS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            incident_idx: v.index()?,
            finding_idx: v.opt_index()?,
            party: v.text()?,
            author: v.text()?,
            signed_at: v.text()?,
            kind: v.text()?,
            lang: v.text()?,
            text: v.text()?,
            killed_low: v.opt_int()?,
            killed_best: v.opt_int()?,
            killed_high: v.opt_int()?,
            injured_low: v.opt_int()?,
            injured_best: v.opt_int()?,
            injured_high: v.opt_int()?,
            payload: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

/// A finding with its votes (dissents kept), the parties' replies, and the measure it led
/// to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingDetail {
    #[serde(flatten)]
    pub finding: FindingView,
    pub votes: Vec<VoteRow>,
    pub replies: Vec<StatementRow>,
    pub measure: Option<MeasureRow>,
}

impl Store {
    /// The `limit` findings made final last, the latest first.
    pub async fn findings_made_final(&self, limit: usize) -> Result<Vec<FindingRow>, StoreError> {
        let c = Conditions::written("final_idx IS NOT NULL", vec![]);
        self.select(&c, &format!("ORDER BY final_idx DESC LIMIT {limit}"))
            .await
    }

    /// Finding `index` as seen at `now`, if entry `index` is a finding.
    pub async fn finding(
        &self,
        index: u64,
        now: OffsetDateTime,
    ) -> Result<Option<FindingDetail>, StoreError> {
        let Some(finding) = self.row::<FindingRow>(index).await? else {
            return Ok(None);
        };
        let measure = match finding.measure_idx {
            Some(measure) => self.row(measure).await?,
            None => None,
        };
        Ok(Some(FindingDetail {
            votes: self.children("finding_idx", index).await?,
            replies: self.children("finding_idx", index).await?,
            measure,
            finding: finding.at(now),
        }))
    }
}

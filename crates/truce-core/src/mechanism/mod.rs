//! The mechanism's own records: what allegations, incidents, statements, investigations,
//! findings, measures and talks say, and the checks each makes on its own content.
//!
//! Checks that need the log's state (does the incident exist? has the reply deadline
//! passed?) live in [`crate::state`]; the types here only validate themselves.

pub mod evidence;
pub mod finding;
pub mod incident;
pub mod investigation;
pub mod report;
pub mod talks;
pub mod values;

pub use evidence::{EvidenceAccessed, EvidencePublished};
pub use finding::{
    Attribution, Confidence, Determination, FindingFinalized, FindingProposed, FindingSigned, Vote,
};
pub use incident::{IncidentOpened, ReportLinked, Statement, StatementKind};
pub use investigation::{InvestigationOpened, InvestigationStep, StepKind};
pub use report::Report;
pub use talks::{
    CommitmentMade, CommitmentStatus, CommitmentUpdated, MeasureStatus, MeasureUpdated, TalksRound,
};

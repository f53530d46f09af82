//! The mechanism's own records: what allegations, incidents, statements, investigations,
//! findings and measures say, and the checks each makes on its own content.
//!
//! Checks that need the log's state (does the incident exist? has the reply deadline
//! passed?) live in [`crate::state`]; the types here only validate themselves.

pub mod incident;
pub mod report;
pub mod values;

pub use incident::{IncidentOpened, ReportLinked, Statement, StatementKind};
pub use report::Report;

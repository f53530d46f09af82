//! The demo: an exercise of the Pakistan–Afghanistan ceasefire mechanism of 2025.
//!
//! It builds the exercise's genesis (delegations, provisions, ladder of measures, quorum)
//! and its first signed entries, with keys it generates; [`Exercise::scenario`] then plays
//! the seed article's events through the whole workflow. Everything is labelled as an
//! exercise: the agreement's real provisions are not public, so the provisions here are
//! paraphrases marked as exercise text, and the officers are fictional.
//!
//! [`Synthetic`] builds large synthetic logs for benchmarks, and [`SyntheticReports`] many
//! synthetic reports by the exercise's officers. [`Variation`] varies the exercise's log
//! (order, omissions, forged and mistaken entries) for property tests.
//!
//! It never touches storage or the network: it returns signed notes, which the server
//! submits through the same sequencer as any other entry.

mod exercise;
mod reports;
pub mod scenario;
mod synthetic;
mod variations;

pub use exercise::{AGREEMENT, DEMO_ORIGIN, Exercise, Officer};
pub use reports::{REGION_LAT, REGION_LON, Random, SPAN_UNIX, SyntheticReports};
pub use synthetic::Synthetic;
pub use variations::{Change, Plan, Variation};

//! Truce's domain: what an entry on the record says and which entries the record admits.
//!
//! This crate holds the entry envelope (`docs/entries.md`), the kinds of entries and their
//! payloads, the genesis (the mechanism's constitution), delegations, roles and keys, and
//! [`LogState`], the admission rules that decide whether an entry may be appended after
//! the entries before it. The sequencer and `truce verify` both run these same rules, so
//! what one admits the other accepts.
//!
//! It never does I/O: no files, no network, no clock (callers pass the time in), no SQL.
//! Signature maths is done elsewhere (`truce-log`); here a key is only a verifier-key
//! string and the rules say *which* keys must have signed.

pub mod canonical;
pub mod envelope;
pub mod genesis;
pub mod keys;
pub mod kinds;
pub mod mechanism;
pub mod names;
pub mod rejection;
pub mod signers;
pub mod state;
pub mod timestamp;

pub use envelope::{Attachment, Custody, Envelope};
pub use genesis::{Delegation, DelegationKind, Genesis};
pub use keys::{KeyRecord, Role};
pub use kinds::Body;
pub use names::{DelegationId, KeyName};
pub use rejection::{FieldError, Rejection, RejectionCode};
pub use state::{Admission, LogState};
pub use timestamp::{Day, Timestamp};

/// The largest entry the log accepts, in bytes of the whole signed note.
///
/// C2SP tlog-tiles entry bundles prefix each entry with a big-endian uint16 length, so no
/// entry can be longer than this.
pub const ENTRY_BYTES_MAX: usize = 65_535;

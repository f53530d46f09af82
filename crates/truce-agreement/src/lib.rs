//! The agreement a mechanism writes, and the ceremony that turns it into entry 0.
//!
//! A mechanism's secretariat writes its agreement as a TOML file ([`AgreementFile`]: the
//! delegations and their root keys, provisions, measures, quorums, witnesses, the agreed
//! geometry by hash). The ceremony then runs with every root key offline:
//!
//! 1. [`AgreementFile::draft`] turns the file into the exact genesis text to sign (a
//!    [`Draft`]: the envelope's RFC 8785 canonical JSON and its newline), whose SHA-256
//!    every delegation compares out of band;
//! 2. each delegation signs that text on its own machine ([`Draft::sign`]): only one C2SP
//!    signed-note signature line leaves it;
//! 3. [`Draft::assemble`] checks every line against the root keys the draft names and
//!    writes the signed note, which a node takes as its entry 0.
//!
//! Pure: it reads no files, no network and no clock; callers pass text and keys in and
//! write what it returns. Errors name the field (or the delegation and the signature's
//! source) and the reason, as the API's problems do.

mod ceremony;
mod error;
mod file;

pub use ceremony::{Draft, SignatureLine};
pub use error::AgreementError;
pub use file::{AGREEMENT_BYTES_MAX, AgreementFile, GeometryRef};

/// The version of the `log.genesis` payload a draft writes.
pub const GENESIS_VERSION: u32 = 1;

#[cfg(test)]
mod tests;

//! Truce's record: the transparency log every state change is appended to.
//!
//! - [`entry`]: entries are C2SP signed notes (c2sp.org/signed-note) whose text is RFC 8785
//!   canonical JSON and a newline, signed by their author's Ed25519 key.
//! - [`frontier`]: the RFC 6962 §2.1 Merkle tree, grown one leaf at a time with the stored
//!   hash layout of Go's sumdb/tlog (through the `tlog_tiles` crate).
//! - [`checkpoint`]: C2SP tlog-checkpoint notes signed by the log key.
//! - [`cosignature`]: C2SP tlog-cosignature (Ed25519 `cosignature/v1`): witnesses' keys,
//!   cosigning, verification, and the genesis's witness quorum applied to a checkpoint.
//! - [`consistency`]: RFC 6962 consistency proofs with tlog-witness's rules, as a witness
//!   checks them.
//! - [`subtree`]: subtrees and subtree consistency proofs (the Merkle Tree Certificates
//!   draft), which tlog-mirror's `add-entries` packages carry.
//! - [`tiles`]: C2SP tlog-tiles paths and entry bundles.
//! - [`proof`]: C2SP tlog-proof bundles (inclusion proofs with their checkpoint).
//! - [`audit`]: the auditor that replays a whole log, as `truce verify` does.
//!
//! It never does I/O: callers hand it bytes and persist what it returns. It never talks SQL
//! or HTTP; `truce-store` and `truce-server` do.

pub mod audit;
pub mod author;
pub mod checkpoint;
pub mod consistency;
pub mod cosignature;
pub mod entry;
pub mod frontier;
pub mod keypair;
pub mod proof;
pub mod request;
pub mod subtree;
pub mod tiles;

pub use author::Author;
pub use checkpoint::{CheckpointError, LogSigner, SignedCheckpoint};
pub use entry::SignedEntry;
pub use frontier::Frontier;
pub use keypair::KeyPair;
pub use tlog_tiles::{Hash, record_hash};

/// The tile height C2SP tlog-tiles uses: 2^8 = 256 hashes a tile.
pub const TILE_HEIGHT: u8 = 8;
/// Hashes (or entries) in a full tile.
pub const TILE_WIDTH: u64 = 256;

//! The node's core: the sequencer, the log's only writer, and what it needs around it: the
//! configuration, restoring its state from storage (`loader`), rebuilding the projection
//! (`rebuild`), the agreed geometry (`geography`), the genesis a node is constituted with
//! (`constitution`), key files, the clock, the task that deletes destroyed testimony
//! (`shredding`), and the task that collects witnesses'
//! cosignatures (`witnessing`). No HTTP routes: `truce-api` and `truce-web` serve what it
//! writes.

pub mod clock;
pub mod config;
pub mod constitution;
pub mod forwarding;
pub mod geography;
pub mod keyfile;
pub mod loader;
pub mod publishing;
pub mod rebuild;
pub mod sequencer;
pub mod shredding;
pub mod witnessing;

pub use config::{Config, Limits, WitnessUrl};

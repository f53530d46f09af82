//! A running Truce node, assembled: the node's core (`truce-node`: the sequencer that
//! appends to the log, its loader, the witnessing task), the JSON API and the log's tiles
//! (`truce-api`) and the web pages (`truce-web`) on one HTTP server, with the exercise for
//! `--demo`.
//!
//! Architecture invariant: HTTP handlers never write the log or the projection: every
//! entry goes through the sequencer (`truce_node::sequencer`), which applies the rules of
//! `truce-core` and writes the entry, its projection rows and its checkpoint in one
//! transaction (`truce rebuild` is the only other writer of the projection). What handlers
//! do write is this node's operational data, never part of the record (`truce_api`).

mod app;
pub mod demo;
pub mod node;
mod serve;

// The node's and the API's modules, where the CLI and the tests have always found them.
pub use truce_api::{accounts, custody, intake, logins, webhooks, work};
pub use truce_node::geography::IMPORTED_GEOMETRY_FILE;
pub use truce_node::{
    clock, config, constitution, geography, keyfile, loader, rebuild, sequencer, witnessing,
};

pub use config::{Config, Limits, WitnessUrl};
pub use demo::Demo;
pub use node::{RunningNode, start};

//! A running Truce node: the sequencer that appends to the log, and the HTTP interface
//! (the C2SP tlog-tiles resources under `/log/`, the JSON API under `/api/v1/`, health
//! and metrics).
//!
//! Architecture invariant: HTTP handlers never write storage; every write to the log goes
//! through the [`sequencer`], which applies the rules of `truce-core`. Beside it,
//! [`witnessing`] writes only witnesses' verified cosignatures, never the log. Reads come from storage,
//! so every process on one PostgreSQL database serves the same log.

pub use geography::IMPORTED_GEOMETRY_FILE;

pub mod accounts;
mod api;
mod app;
pub mod config;
pub mod constitution;
pub mod custody;
pub mod demo;
mod feeds;
pub mod geography;
pub mod intake;
pub mod keyfile;
pub mod loader;
pub mod logins;
pub mod node;
mod ops;
mod problem;
pub mod rebuild;
pub mod sequencer;
mod tlog;
mod web;
pub mod webhooks;
pub mod witnessing;

pub use config::{Config, Limits, WitnessUrl};
pub use demo::Demo;
pub use node::{RunningNode, start};

//! A running Truce node: the sequencer that appends to the log, and the HTTP interface
//! (the C2SP tlog-tiles resources under `/log/`, the JSON API under `/api/v1/`, health
//! and metrics).
//!
//! Architecture invariant: HTTP handlers never write the log or the projection: every
//! entry goes through the [`sequencer`], which applies the rules of `truce-core` and writes
//! the entry, its projection rows and its checkpoint in one transaction (`truce rebuild`
//! is the only other writer of the projection). What handlers do write is this node's
//! operational data, never part of the record: people and tokens ([`accounts`], on login,
//! logout, new tokens and new accounts), public reports ([`intake`], from the form at
//! `/report` and when a monitor files or dismisses one on the desk), webhooks (`webhooks`,
//! subscribed and deleted through `/api/v1/webhooks` or the desk's alerts), and uploaded
//! evidence files with their `evidence_files` row (`api::evidence`). Two tasks write beside
//! the sequencer and never make it wait: [`witnessing`] writes only witnesses' verified
//! cosignatures, and `webhooks::delivery` only its delivery queue and cursors. Reads come
//! from storage, so every process on one PostgreSQL database serves the same log.

pub use geography::IMPORTED_GEOMETRY_FILE;

pub mod accounts;
mod api;
mod app;
pub mod clock;
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
mod serve;
mod tlog;
mod web;
pub mod webhooks;
pub mod witnessing;
pub mod work;

pub use config::{Config, Limits, WitnessUrl};
pub use demo::Demo;
pub use node::{RunningNode, start};

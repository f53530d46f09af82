//! A node's HTTP interface for programs: the JSON API under `/api/v1/` (`v1`), the C2SP
//! tlog-tiles resources under `/log/` (`tlog`), the Atom feeds, health and metrics; and
//! what the API keeps beside the log: people's accounts and the keys the server holds for
//! them (`accounts`, `custody`, `logins`), public reports (`intake`), webhooks, and the
//! public form's proof of work (`work`). `AppState` (`state`) is what every handler, the
//! web pages' too, shares.
//!
//! Handlers read through the read model (`truce_store::read`) and write the log only
//! through the sequencer (`truce_node::sequencer`).

// Handlers take query parameters as axum decodes them, into the std HashMap; generalizing
// the functions that read them over hashers would add type parameters and nothing else.
#![allow(clippy::implicit_hasher)]

pub mod accounts;
pub mod countries;
pub mod custody;
pub mod feeds;
pub mod intake;
pub mod logins;
pub mod ops;
pub mod problem;
pub mod routes;
pub mod state;
pub mod tlog;
pub mod v1;
pub mod webhooks;
pub mod work;

pub use state::AppState;

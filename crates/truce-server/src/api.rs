//! The JSON API under `/api/v1/`.

pub mod actors;
pub mod compliance;
pub mod entries;
pub mod incidents;
pub mod keys;
mod listing;
pub mod reports;
mod rows;
pub mod workflow;

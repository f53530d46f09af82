//! The JSON API under `/api/v1/`.

pub mod entries;
pub mod incidents;
pub mod keys;
mod listing;
pub mod reports;

//! The JSON API under `/api/v1/`.

pub mod entries;
pub mod keys;
pub mod reports;

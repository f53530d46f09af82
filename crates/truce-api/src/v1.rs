//! The JSON API under `/api/v1/`.

pub mod actions;
pub mod actors;
pub mod agreement;
pub mod compliance;
pub mod crossings;
pub mod entries;
pub mod evidence;
pub mod export;
pub mod geo;
pub mod incidents;
pub mod keys;
pub mod listing;
pub mod observations;
pub mod openapi;
pub mod provenance;
pub mod publications;
pub mod reports;
mod rows;
pub mod session;
pub mod sitrep;
pub mod testimony;
pub mod webhooks;
pub mod witnesses;
pub mod workflow;

//! The JSON API under `/api/v1/`.

pub mod actions;
pub mod actors;
pub mod agreement;
pub mod compliance;
pub mod crossings;
pub mod entries;
pub mod evidence;
pub mod export;
mod export_formats;
pub mod geo;
pub mod incidents;
pub mod keys;
pub(crate) mod listing;
pub mod openapi;
mod openapi_geometry;
mod openapi_webhooks;
pub mod provenance;
pub mod publications;
pub mod report_map;
mod report_places;
pub mod reports;
mod rows;
pub mod session;
pub mod sitrep;
pub mod webhooks;
pub mod witnesses;
pub mod workflow;

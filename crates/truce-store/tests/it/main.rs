//! The integration tests of `truce-store`, in one binary: one link instead of one per file.

mod accounts;
mod contract;
mod evidence;
mod projection_properties;
mod public_reports;
mod read;
mod read_records;
mod support;
mod webhooks;

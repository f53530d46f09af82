//! The integration tests of `truce-store`, in one binary: one link instead of one per file.

mod contract;
mod projection_properties;
mod read;
mod read_records;
mod support;

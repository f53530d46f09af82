//! The integration tests of `truce-core`, in one binary: admission over real signed
//! entries, built by the demo and signed by `truce-log` as clients sign them.

mod admission_properties;
mod support;

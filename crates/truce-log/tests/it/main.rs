//! The integration tests of `truce-log`, in one binary: one link instead of one per file.

mod actors;
mod admission;
mod amendment;
mod audit;
mod payload;
mod properties;
mod provenance;
mod support;
mod testimony;
mod torsion;
mod vectors;
mod witness_policy;
mod workflow;

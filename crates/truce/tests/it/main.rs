//! The integration tests of `truce`, in one binary: one link instead of one per file.

mod c2sp;
mod crash;
mod export;
mod geo;
mod import;
mod mirror;
mod object_storage;
mod offline;
mod pipe;
mod postgres;
mod publish;
mod report;
mod schemathesis;
mod setup;
mod support;
mod testimony;
mod verify;
mod witness;
mod witnessed_log;
mod workflow;

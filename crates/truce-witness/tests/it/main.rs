//! The integration tests of `truce-witness`, in one binary: one link instead of one per file.

mod add_checkpoint;
mod support;

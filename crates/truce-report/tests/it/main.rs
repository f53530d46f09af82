//! The integration tests of `truce-report`, in one binary: one link instead of one per file.

mod typeset;

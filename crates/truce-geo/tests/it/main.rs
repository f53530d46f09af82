//! The integration tests of `truce-geo`, in one binary: one link instead of one per file.

mod countries;
mod crossings;
mod distance;
mod export;
mod geoboundaries;
mod import;
mod locate;

//! A tlog-mirror `add-entries` body as the mirror reads it: the header, then the canonical
//! packages it announces, read until the body ends (capped here at 64 bundles:
//! the mirror reads only up to a checkpoint the log signed, checked before any package).
#![no_main]

use futures::executor::block_on;
use libfuzzer_sys::fuzz_target;
use truce_mirror::wire::{Header, Package, canonical_packages, package_subtree};

/// The mirror reads at most the packages up to a checkpoint it holds: a real log's size.
const ENTRIES_READ_MAX: u64 = 64 * 256;

fuzz_target!(|data: &[u8]| {
    block_on(async {
        let mut body = data;
        let Ok(header) = Header::read(&mut body).await else {
            return;
        };
        let end = header
            .upload_end
            .min(header.upload_start.saturating_add(ENTRIES_READ_MAX));
        let packages = canonical_packages(header.upload_start, end);
        for (start, end) in packages {
            let _ = package_subtree((start, end));
            if Package::read(&mut body, end - start).await.is_err() {
                break;
            }
        }
    });
});

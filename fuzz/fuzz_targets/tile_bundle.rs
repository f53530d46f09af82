//! An entry bundle (`tile/entries/...`) as a mirror or auditor fetches it: decoded, then
//! encoded back to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_log::tiles::{decode_bundle, encode_bundle};

fuzz_target!(|data: &[u8]| {
    if let Ok(entries) = decode_bundle(data) {
        assert_eq!(encode_bundle(entries.iter().copied()), data);
    }
});

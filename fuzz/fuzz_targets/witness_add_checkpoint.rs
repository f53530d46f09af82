//! A tlog-witness `add-checkpoint` request body, as the witness reads it; a body that
//! parses is written back and read the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_witness::request::AddCheckpoint;

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = AddCheckpoint::parse(data) {
        assert_eq!(AddCheckpoint::parse(&request.to_bytes()), Ok(request));
    }
});

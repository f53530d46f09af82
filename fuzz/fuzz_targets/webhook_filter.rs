//! A webhook's `filter` field (`POST /api/v1/webhooks`, the desk's alerts): parsed, stored
//! and read back the same, and applied to the document itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use truce_server::webhooks::filter;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let Ok(conditions) = filter::parse(Some(&value)) else {
        return;
    };
    let stored = filter::to_json(&conditions).to_string();
    let read = filter::from_stored(&stored);
    assert_eq!(filter::to_json(&read), filter::to_json(&conditions));
    let _ = filter::matches(&conditions, &value);
});

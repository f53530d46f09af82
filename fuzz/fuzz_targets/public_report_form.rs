//! The public report form's body (`POST /report`, anonymous): decoded as axum's `Form`
//! decodes it, its fields read as the handler reads them (the first of a name, trimmed),
//! and checked by `intake::check`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_server::intake;

fuzz_target!(|data: &[u8]| {
    let Ok(form) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(data) else {
        return;
    };
    let get = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    };
    if let Ok(report) = intake::check(get, "en", "2026-12-07") {
        assert!(report.happened_on.as_str() <= "2026-12-07");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = intake::reason(text);
    }
});

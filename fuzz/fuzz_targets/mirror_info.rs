//! A `text/x.tlog.mirror-info` answer as a mirror client reads it; what parses is written
//! back and read the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_mirror::wire::MirrorInfo;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(info) = MirrorInfo::parse(text) {
        assert_eq!(MirrorInfo::parse(&info.to_text()), Ok(info));
    }
});

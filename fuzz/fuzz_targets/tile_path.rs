//! A tile path from a request URL (`/log/tile/...`): parsed, then its tile, span and
//! path computed; what parses is written back to the same path.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_log::tiles::TilePath;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(path) = TilePath::parse(text) else {
        return;
    };
    let _ = path.tile();
    let _ = path.span();
    let _ = path.is_full();
    let _ = path.exists_in(u64::MAX);
    assert_eq!(TilePath::parse(&path.path()), Ok(path));
});

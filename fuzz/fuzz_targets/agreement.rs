//! An agreement file (`truce genesis`): parsed, and one that parses drafted into the
//! genesis it constitutes (the constitution's own checks).
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_agreement::AgreementFile;
use truce_core::Timestamp;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(agreement) = AgreementFile::parse(text) else {
        return;
    };
    let _ = agreement.genesis(None);
    let _ = agreement.draft(None, Timestamp::from_unix_seconds(1_800_000_000));
});

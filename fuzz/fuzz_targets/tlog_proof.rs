//! A `.tlog-proof` file as `truce verify` reads it: parse, write back, verify against a
//! fixed log key and leaf.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use truce_core::KeyName;
use truce_log::proof::TlogProof;
use truce_log::{KeyPair, LogSigner, record_hash};

static LOG_VKEY: LazyLock<String> = LazyLock::new(|| {
    let name = KeyName::parse("example.org/log").unwrap();
    LogSigner::new(KeyPair::from_seed(&name, [1; 32])).vkey()
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(proof) = TlogProof::parse(text) else {
        return;
    };
    // What is written is read back the same, when the checkpoint is text.
    if std::str::from_utf8(&proof.checkpoint).is_ok() {
        assert_eq!(TlogProof::parse(&proof.to_text()).as_ref(), Ok(&proof));
    }
    let _ = proof.verify(record_hash(b"fuzz"), &LOG_VKEY);
});

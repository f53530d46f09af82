//! A signed entry as a node's submit endpoints receive it: note form, canonical JSON,
//! envelope, the kind's payload; then the signature checks against a fixed key.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use truce_core::{DelegationId, KeyName, KeyRecord, Role};
use truce_log::{KeyPair, SignedEntry};

static KEY: LazyLock<KeyRecord> = LazyLock::new(|| {
    let pair = KeyPair::from_seed(&KeyName::parse("fuzz").unwrap(), [7; 32]);
    let delegation = DelegationId::parse("fuzz").unwrap();
    KeyRecord::new(&pair.vkey(), Role::Monitor, delegation, 0).unwrap()
});

fuzz_target!(|data: &[u8]| {
    let Ok(entry) = SignedEntry::parse(data.to_vec()) else {
        return;
    };
    let _ = entry.verify(&KEY);
    let _ = entry.view();
    let _ = entry.payload_text();
    assert_eq!(entry.note(), data);
});

//! A cosignature line against a checkpoint body: the witness key check of one signature,
//! with the body and the signature bytes both from the fuzzer (first byte: body length).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use truce_core::KeyName;
use truce_log::cosignature::{Cosigner, CosignerKey};

static WITNESS: LazyLock<CosignerKey> = LazyLock::new(|| {
    let name = KeyName::parse("example.org/witness").unwrap();
    CosignerKey::parse(&Cosigner::from_seed(&name, [2; 32]).vkey()).unwrap()
});

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let (body, signature) = rest.split_at(usize::from(split).min(rest.len()));
    let _ = WITNESS.verify(body, signature);
    // A vkey from the outside (a genesis, a configuration) parsed as a witness's.
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = CosignerKey::parse(text);
    }
});

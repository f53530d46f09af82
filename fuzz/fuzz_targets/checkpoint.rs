//! A log's checkpoint as a witness, mirror or auditor fetches it: verified against a fixed
//! log key, and read as a cosigned note whose cosignatures are checked with a fixed
//! witness key.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use truce_core::KeyName;
use truce_log::cosignature::{CosignedNote, Cosigner, CosignerKey};
use truce_log::{KeyPair, LogSigner, SignedCheckpoint};

static LOG_VKEY: LazyLock<String> = LazyLock::new(|| {
    let name = KeyName::parse("example.org/log").unwrap();
    LogSigner::new(KeyPair::from_seed(&name, [1; 32])).vkey()
});
static WITNESS: LazyLock<CosignerKey> = LazyLock::new(|| {
    let name = KeyName::parse("example.org/witness").unwrap();
    CosignerKey::parse(&Cosigner::from_seed(&name, [2; 32]).vkey()).unwrap()
});

fuzz_target!(|data: &[u8]| {
    if let Ok(checkpoint) = SignedCheckpoint::verify(data, &LOG_VKEY) {
        let _ = checkpoint.body();
    }
    if let Ok(note) = CosignedNote::parse(data) {
        let _ = WITNESS.cosignature_on(&note);
    }
});

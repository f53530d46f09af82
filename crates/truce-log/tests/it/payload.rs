//! `SignedEntry::payload_text` is the payload exactly as canonical serialization writes it.

use truce_core::Timestamp;
use truce_core::canonical::to_canonical;
use truce_demo::{DEMO_ORIGIN, Exercise};
use truce_log::SignedEntry;

#[test]
fn the_payload_text_cut_from_an_entry_is_its_canonical_serialization() {
    let exercise = Exercise::from_seed(DEMO_ORIGIN, 7);
    let mut notes = exercise.entries();
    // Reports, statements with their figures, names in Pashto and Urdu.
    notes.extend(exercise.scenario(&Timestamp::from_unix_seconds(1_790_000_000)));
    assert!(notes.len() > 1, "the exercise has entries to check");
    for note in notes {
        let entry = SignedEntry::parse(note).unwrap();
        assert_eq!(
            entry.payload_text(),
            to_canonical(&entry.envelope().payload)
        );
    }
}

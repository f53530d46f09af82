//! Variations of the exercise's log, for property tests of admission and the projector:
//! its entries in another order, some left out or written twice, some changed so that the
//! log must refuse them (an impostor's key, a bad signature, a replayed note, references
//! to the wrong records, a date that makes a reply late or a finalization early).
//!
//! A [`Variation`] writes each entry as a client would, as the log stands when it is
//! submitted: its author's chain continues from the author's head on the log, and its
//! references follow the entries they named to wherever the log admitted them. It never
//! decides admission itself: the caller submits each note and says which were admitted.

use std::collections::HashMap;

use serde_json::Value;
use truce_core::kinds::GENESIS;
use truce_core::{Envelope, KeyName, LogState, Timestamp};
use truce_log::{Author, KeyPair, SignedEntry};

use crate::Exercise;

/// What becomes of one entry of the original log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Written by its author, as the log stands.
    Keep,
    /// Left out.
    Drop,
    /// Written twice, one after the other (a second report, a duplicate vote, ...).
    Twice,
    /// Its original bytes, resubmitted as the original log holds them.
    Replay,
    /// Signed by a key that has the author's name but was never registered.
    Impostor,
    /// Signed by its author, with a signature over some other text.
    BadSignature,
    /// Every reference it makes moved by this many entries.
    ShiftReferences(i8),
    /// Dated this many hours later (earlier if negative).
    ShiftTime(i32),
    /// Written by another key of the exercise (the `n`th, modulo their number).
    OtherAuthor(u8),
}

/// How to vary a log: which entries to take, what to do to each, and which to swap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// How many of the original entries to take, from the first.
    pub length: usize,
    /// The change to each entry taken, in order; entries past its end are kept.
    pub changes: Vec<Change>,
    /// Swaps of the entry at a position (modulo the length) with the one a distance after.
    pub swaps: Vec<(usize, usize)>,
}

/// The payload fields that name an earlier entry by its log index.
const REFERENCES: [&str; 8] = [
    "commitment",
    "finding",
    "incident",
    "investigation",
    "measure",
    "report",
    "round",
    "withdrawn",
];

/// A varied log, written one note at a time against the log it is submitted to.
#[derive(Debug)]
pub struct Variation {
    origin: String,
    keys: Vec<KeyPair>,
    originals: Vec<SignedEntry>,
    /// (original index, change) in the order the notes are written.
    order: Vec<(usize, Change)>,
    next: usize,
    /// Where the log admitted each original entry that it admitted.
    placed: HashMap<u64, u64>,
}

impl Variation {
    /// A variation of `notes`, a log of `exercise` (its entries and perhaps its scenario).
    ///
    /// # Panics
    /// If a note does not parse.
    #[must_use]
    pub fn new(exercise: &Exercise, notes: &[Vec<u8>], plan: &Plan) -> Self {
        let length = plan.length.min(notes.len());
        let originals = notes[..length]
            .iter()
            .map(|note| SignedEntry::parse(note.clone()).expect("an entry of the exercise"))
            .collect();
        let mut keys: Vec<KeyPair> = exercise.delegations.iter().map(|d| d.3.clone()).collect();
        keys.extend(exercise.officers.iter().map(|o| o.key.clone()));
        Self {
            origin: exercise.origin.clone(),
            keys,
            originals,
            order: order(length, plan),
            next: 0,
            placed: HashMap::new(),
        }
    }

    /// The next note to submit to the log whose state is `state`, and the change made to
    /// it; None once every note is written. A genesis is co-signed by every root, so it
    /// is only ever replayed as it is (and said to be).
    pub fn next_note(&mut self, state: &LogState) -> Option<(Change, Vec<u8>)> {
        let &(original, mut change) = self.order.get(self.next)?;
        self.next += 1;
        if self.originals[original].envelope().kind == GENESIS {
            change = Change::Replay;
        }
        Some((change, self.write(original, change, state)))
    }

    /// Tells the variation that the last note it wrote was admitted at `index`.
    ///
    /// # Panics
    /// If no note was written yet.
    pub fn admitted(&mut self, index: u64) {
        let (original, _) = self.order[self.next - 1];
        self.placed.entry(original as u64).or_insert(index);
    }

    fn write(&self, original: usize, change: Change, state: &LogState) -> Vec<u8> {
        let entry = &self.originals[original];
        let source = entry.envelope();
        if change == Change::Replay {
            return entry.note().to_vec();
        }
        let key = match change {
            Change::OtherAuthor(n) => &self.keys[usize::from(n) % self.keys.len()],
            _ => self.key(&source.author),
        };
        let author = Author::continuing(key.clone(), &self.origin, state.author(key.name()));
        let envelope = self.varied_envelope(&author, source, change);
        sign(author, &envelope, change)
    }

    fn varied_envelope(&self, author: &Author, source: &Envelope, change: Change) -> Envelope {
        let mut payload = source.payload.clone();
        let shift = match change {
            Change::ShiftReferences(by) => i64::from(by),
            _ => 0,
        };
        self.follow_references(&mut payload, shift);
        let mut time = source.time.clone();
        if let Change::ShiftTime(hours) = change {
            time = Timestamp::from_unix_seconds(time.unix_seconds() + i64::from(hours) * 3_600);
        }
        author.envelope(&source.kind, payload, time)
    }

    /// Points each reference at where the log admitted the entry it named (if it did),
    /// moved by `shift`.
    fn follow_references(&self, payload: &mut Value, shift: i64) {
        let Some(fields) = payload.as_object_mut() else {
            return;
        };
        let follow = |value: &mut Value| {
            if let Some(at) = value.as_u64() {
                let placed = self.placed.get(&at).copied().unwrap_or(at);
                *value = Value::from(placed.saturating_add_signed(shift));
            }
        };
        for name in REFERENCES {
            if let Some(value) = fields.get_mut(name) {
                follow(value);
            }
        }
        if let Some(Value::Array(reports)) = fields.get_mut("reports") {
            reports.iter_mut().for_each(follow);
        }
    }

    fn key(&self, name: &KeyName) -> &KeyPair {
        self.keys
            .iter()
            .find(|k| k.name() == name)
            .expect("every author of the exercise is one of its keys")
    }
}

/// The original indexes in the order they are written, with their changes.
fn order(length: usize, plan: &Plan) -> Vec<(usize, Change)> {
    let mut order: Vec<(usize, Change)> = (0..length)
        .map(|i| (i, plan.changes.get(i).copied().unwrap_or(Change::Keep)))
        .collect();
    if length > 0 {
        for &(at, distance) in &plan.swaps {
            order.swap(at % length, (at + distance) % length);
        }
    }
    order
        .into_iter()
        .flat_map(|(i, change)| match change {
            Change::Drop => vec![],
            Change::Twice => vec![(i, Change::Keep), (i, Change::Keep)],
            change => vec![(i, change)],
        })
        .collect()
}

/// Signs `envelope` as `author` would, or as the change says it was forged.
fn sign(mut author: Author, envelope: &Envelope, change: Change) -> Vec<u8> {
    match change {
        Change::Impostor => {
            let seed = truce_log::record_hash(author.key().name().as_str().as_bytes()).0;
            SignedEntry::sign(envelope, &[&KeyPair::from_seed(author.key().name(), seed)])
        }
        Change::BadSignature => {
            // The author's signature line, but over other text: it names the right key
            // and key id, so only the signature check refuses it.
            let text = envelope.to_text();
            let decoy_text = "not this entry\n";
            let decoy = author.key().sign_note(decoy_text.as_bytes());
            let mut note = text.into_bytes();
            note.extend_from_slice(&decoy[decoy_text.len()..]);
            note
        }
        _ => author.sign(envelope, &[]),
    }
}

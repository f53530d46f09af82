//! Synthetic reports for benchmarks: many `report.submitted` entries by the exercise's
//! liaisons and monitors, spread over two years and over the Afghanistan–Pakistan border
//! region, with ACLED event types and the exercise's provisions. Made-up data, labelled
//! synthetic in every title; not an exercise of anything real.

use std::collections::HashMap;

use rayon::prelude::*;
use serde_json::{Value, json};
use truce_core::Timestamp;
use truce_core::kinds::{OBSERVATION_RECORDED, REPORT_SUBMITTED};
use truce_core::mechanism::ObservedKind;
use truce_core::mechanism::report::EVENT_TYPES;
use truce_log::Author;

use crate::Exercise;

/// The officers who file the synthetic reports (the field tablet is revoked by the
/// exercise's first entries), with whom each may accuse.
const FILERS: [(&str, &[Option<&str>]); 4] = [
    ("pk/liaison-1", &[Some("af"), Some("af"), None]),
    ("af/liaison-1", &[Some("pk"), Some("pk"), None]),
    ("jmt/monitor-1", &[Some("pk"), Some("af"), None]),
    ("jmt/monitor-2", &[Some("pk"), Some("af"), None]),
];

/// Places along the border (name, lat, lon) around which half the reports cluster.
const PLACES: [(&str, f64, f64); 10] = [
    ("Torkham", 34.11, 71.09),
    ("Chaman", 30.92, 66.45),
    ("Spin Boldak", 31.01, 66.40),
    ("Kurram", 33.70, 70.10),
    ("Bajaur", 34.78, 71.52),
    ("Angoor Adda", 32.35, 69.33),
    ("Khost", 33.34, 69.92),
    ("Asadabad, Kunar", 34.87, 71.15),
    ("Barmal, Paktika", 32.70, 69.30),
    ("Zhob", 31.34, 69.45),
];

/// The region the points are spread over: (min, max) latitude and longitude.
pub const REGION_LAT: (f64, f64) = (29.0, 37.0);
pub const REGION_LON: (f64, f64) = (61.0, 75.0);
/// The span of the events' start times: 2024-11-01 to 2026-11-01 (two years).
pub const SPAN_UNIX: (i64, i64) = (1_730_419_200, 1_793_491_200);

const PROVISIONS: [&str; 5] = [
    "ceasefire",
    "armed-groups",
    "sovereignty",
    "humanitarian",
    "access",
];

/// Synthetic entry number `n` from a seed, for a filer who may accuse (or observe fire
/// from) these sides: its kind, payload and the time it is signed.
type MakeEntry = fn(u64, u64, &[Option<&str>]) -> (&'static str, Value, Timestamp);

/// A stream of synthetic reports: each call to [`SyntheticReports::next_notes`] signs the
/// next ones, which must be appended in the order returned, after the exercise's first
/// entries.
#[derive(Debug)]
pub struct SyntheticReports {
    authors: Vec<Author>,
    seed: u64,
    made: u64,
    /// What each entry is: a report, or an observation (for the observations bench).
    make: MakeEntry,
}

impl SyntheticReports {
    /// Reports by the officers of `exercise`, their contents derived from `seed`.
    #[must_use]
    pub fn new(exercise: &Exercise, seed: u64) -> Self {
        Self::after(exercise, seed, HashMap::new())
    }

    /// Reports that follow entries the officers already wrote: `written` holds each such
    /// officer as they stand (see [`Exercise::scenario_and_authors`]); the others start
    /// their chains.
    #[must_use]
    pub fn after(
        exercise: &Exercise,
        seed: u64,
        mut written: HashMap<&'static str, Author>,
    ) -> Self {
        let authors = FILERS
            .iter()
            .map(|(who, _)| {
                written
                    .remove(who)
                    .unwrap_or_else(|| Author::new(exercise.officer(who).clone(), &exercise.origin))
            })
            .collect();
        Self {
            authors,
            seed,
            made: 0,
            make: |seed, n, accusable| {
                let (payload, signed) = report(seed, n, accusable);
                (REPORT_SUBMITTED, payload, signed)
            },
        }
    }

    /// Observations instead of reports (`observation.recorded`): the monitors' and each
    /// party's own counts, over windows anywhere in the two years.
    #[must_use]
    pub fn observations(mut self) -> Self {
        self.make = |seed, n, sides| {
            let (payload, signed) = observation(seed, n, sides);
            (OBSERVATION_RECORDED, payload, signed)
        };
        self
    }

    /// The next `count` reports, signed in parallel (one chain per officer), interleaved
    /// so that each officer's are in order.
    pub fn next_notes(&mut self, count: usize) -> Vec<Vec<u8>> {
        let (first, seed, filers) = (self.made, self.seed, self.authors.len() as u64);
        let make = self.make;
        let chains: Vec<Vec<Vec<u8>>> = self
            .authors
            .par_iter_mut()
            .enumerate()
            .map(|(who, author)| {
                (first..first + count as u64)
                    .filter(|n| n % filers == who as u64)
                    .map(|n| {
                        let (kind, payload, signed) = make(seed, n, FILERS[who].1);
                        author.write(kind, payload, signed)
                    })
                    .collect()
            })
            .collect();
        self.made += count as u64;
        let mut chains: Vec<_> = chains.into_iter().map(Vec::into_iter).collect();
        let mut notes = Vec::with_capacity(count);
        'rounds: loop {
            for chain in &mut chains {
                match chain.next() {
                    Some(note) => notes.push(note),
                    None => break 'rounds,
                }
            }
        }
        notes.extend(chains.into_iter().flatten());
        notes
    }
}

/// Report number `n`: its payload and the time it is signed (1 to 72 hours after the
/// event began).
fn report(seed: u64, n: u64, accusable: &[Option<&str>]) -> (Value, Timestamp) {
    let mut random = Random(seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let (event_type, subs) = EVENT_TYPES[random.below(EVENT_TYPES.len())];
    let sub_event_type = subs[random.below(subs.len())];
    let (place, lat, lon) = point(&mut random);
    let hours = (SPAN_UNIX.1 - SPAN_UNIX.0) / 3600;
    let start = SPAN_UNIX.0 + random.below_i64(hours) * 3600;
    let signed = start + (1 + random.below_i64(72)) * 3600;
    let precision = ["day", "day", "day", "days", "weeks"][random.below(5)];
    let killed = random.below(8) as u64;
    let injured = random.below(12) as u64;
    let reliability = ["A", "B", "C", "D", "E", "F"][random.below(6)];
    let accused = accusable[random.below(accusable.len())];
    let provisions: Vec<&str> = (0..random.below(3))
        .map(|_| PROVISIONS[random.below(PROVISIONS.len())])
        .collect();
    let launch = launch_point(&mut random, lat, lon);
    let payload = json!({
        "accused": accused,
        "actors": [],
        "casualties": {"children_killed": null, "civilians_killed": null, "women_killed": null,
            "injured": {"low": injured / 2, "best": injured, "high": injured + 3},
            "killed": {"low": killed / 2, "best": killed, "high": killed + 2}},
        "event_type": event_type,
        "location": {"impact": null, "launch": launch, "place": place,
            "point": {"lat": lat, "lon": lon}, "precision": 1 + random.below(4)},
        "occurred": {"end": null, "precision": precision,
            "start": Timestamp::from_unix_seconds(start).as_str()},
        "provisions": provisions,
        "sources": [{"credibility": 1 + random.below(6),
            "name": "Synthetic source", "reliability": reliability}],
        "sub_event_type": sub_event_type,
        "summary": format!("Synthetic report {n} for benchmarks: {FILLER}"),
        "title": format!("Synthetic report {n}: {sub_event_type} near {place}"),
    });
    (payload, Timestamp::from_unix_seconds(signed))
}

/// Observation number `n`: a window of 1 to 12 hours, one to three lines counted, the side
/// each came from where the filer assesses one; signed 1 to 6 hours after the window.
fn observation(seed: u64, n: u64, sides: &[Option<&str>]) -> (Value, Timestamp) {
    let mut random = Random(seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let (place, lat, lon) = point(&mut random);
    let hours = (SPAN_UNIX.1 - SPAN_UNIX.0) / 3600;
    let start = SPAN_UNIX.0 + random.below_i64(hours) * 3600;
    let end = start + (1 + random.below_i64(12)) * 3600;
    let signed = end + (1 + random.below_i64(6)) * 3600;
    let counts: Vec<Value> = (0..=random.below(3))
        .map(|_| {
            let kind = ObservedKind::ALL[random.below(ObservedKind::ALL.len())];
            let perception = ["seen", "heard", "seen_and_heard"][random.below(3)];
            json!({"kind": kind.as_str(), "count": 1 + random.below_i64(30),
                "perception": perception, "from_side": sides[random.below(sides.len())]})
        })
        .collect();
    let platform = ["patrol", "observation_post"][random.below(2)];
    let payload = json!({
        "counts": counts, "platform": platform, "place": place,
        "position": {"lat": lat, "lon": lon},
        "start": Timestamp::from_unix_seconds(start).as_str(),
        "end": Timestamp::from_unix_seconds(end).as_str(),
    });
    (payload, Timestamp::from_unix_seconds(signed))
}

/// Half the reports near one of the border places (within about 0.5°), half anywhere in
/// the region; coordinates to 4 decimals (about 10 m).
fn point(random: &mut Random) -> (String, f64, f64) {
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    if random.below(2) == 0 {
        let (name, lat, lon) = PLACES[random.below(PLACES.len())];
        let lat = lat + random.unit() - 0.5;
        let lon = lon + random.unit() - 0.5;
        return (format!("near {name}"), round(lat), round(lon));
    }
    let lat = REGION_LAT.0 + random.unit() * (REGION_LAT.1 - REGION_LAT.0);
    let lon = REGION_LON.0 + random.unit() * (REGION_LON.1 - REGION_LON.0);
    (format!("{lat:.2}N {lon:.2}E"), round(lat), round(lon))
}

/// One report in four is of fire from a launch point up to about 25 km away (so that near
/// the line some cross it), as reports of shelling and rocket fire give one.
fn launch_point(random: &mut Random, lat: f64, lon: f64) -> Value {
    if random.below(4) != 0 {
        return Value::Null;
    }
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    let lat = round(lat + (random.unit() - 0.5) * 0.5);
    let lon = round(lon + (random.unit() - 0.5) * 0.5);
    json!({"lat": lat, "lon": lon})
}

/// Text that gives a synthetic report the size of a short real one.
const FILLER: &str = "witnesses on both sides of the line describe the fire differently; the \
remnants found at the site were photographed and the casualty figures are those given by \
the local hospital, which the monitors could not yet confirm.";

/// `SplitMix64`: a small deterministic generator, so the same seed gives the same log.
#[derive(Debug)]
pub struct Random(pub u64);

impl Random {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below_i64(&mut self, n: i64) -> i64 {
        let n = u64::try_from(n).expect("a positive bound");
        i64::try_from(self.next_u64() % n).expect("below a positive i64")
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DEMO_ORIGIN;
    use truce_core::LogState;
    use truce_log::SignedEntry;

    #[test]
    fn synthetic_reports_are_admitted_after_the_exercise_entries() {
        let exercise = Exercise::from_seed(DEMO_ORIGIN, 1);
        let mut reports = SyntheticReports::new(&exercise, 1);
        let mut notes = exercise.entries();
        notes.extend(reports.next_notes(10));
        notes.extend(reports.next_notes(7));
        let mut state = LogState::new();
        for (index, note) in notes.into_iter().enumerate() {
            let entry = SignedEntry::parse(note).unwrap();
            let admission = state
                .admit(entry.view(), None)
                .unwrap_or_else(|e| panic!("entry {index}: {e}"));
            state.apply(admission, entry.leaf_hash().0);
        }
        assert_eq!(state.size(), 9 + 17);
    }
}

//! `locate` throughput on one thread with the full-resolution reference geometry, on random
//! points in latitude 29–37, longitude 60–75 (both countries, the line and beyond).
//!
//! Run: `cargo bench -p truce-geo --bench locate`. Target: at least 100,000 points/s.

use std::hint::black_box;
use std::time::Instant;
use truce_geo::Geometry;

const POINTS: usize = 1_000_000;

/// A small deterministic generator (SplitMix64): the same points on every run and machine.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) as f64 / u64::MAX as f64
    }
}

fn main() {
    let geometry = Geometry::reference();
    let mut random = SplitMix64(2025);
    let points: Vec<(f64, f64)> = (0..POINTS)
        .map(|_| {
            (
                29.0 + 8.0 * random.next_unit(),
                60.0 + 15.0 * random.next_unit(),
            )
        })
        .collect();
    let started = Instant::now();
    let mut in_a_country = 0_usize;
    for &(lat, lon) in &points {
        let location = black_box(geometry.locate(lat, lon)).expect("valid coordinates");
        in_a_country += usize::from(location.country.is_some());
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "locate: {POINTS} points in {seconds:.3} s = {:.0} points/s on one thread ({in_a_country} in AF or PK)",
        POINTS as f64 / seconds
    );
}

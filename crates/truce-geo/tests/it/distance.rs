//! Border distances checked against an independent brute-force computation: the geodesic
//! distance to every vertex of the line and to points every 25 m along the segments near the
//! nearest vertex. Target: within 0.1 % or 50 m.

use geo::{Coord, Distance, Geodesic, Point};
use truce_geo::Geometry;

const SPACING_M: f64 = 25.0;

fn geodesic_m(a: Coord, b: Coord) -> f64 {
    Geodesic.distance(Point::from(a), Point::from(b))
}

/// Brute force: nearest vertex first, then every segment that could hold a nearer point is
/// densified (a segment's points are no nearer than its nearest vertex less its length).
#[allow(clippy::cast_sign_loss, reason = "the step count is at least 1.0")]
fn brute_force_m(lat: f64, lon: f64) -> f64 {
    let point = Coord { x: lon, y: lat };
    let segments: Vec<(Coord, Coord)> = Geometry::reference()
        .border()
        .iter()
        .flat_map(geo::LineString::lines)
        .map(|l| (l.start, l.end))
        .collect();
    let vertex_m = |c: Coord| geodesic_m(point, c);
    let mut best_m = segments
        .iter()
        .map(|(a, _)| vertex_m(*a))
        .fold(f64::INFINITY, f64::min);
    for (a, b) in &segments {
        let length_m = geodesic_m(*a, *b);
        if vertex_m(*a).min(vertex_m(*b)) - length_m > best_m {
            continue;
        }
        let steps = (length_m / SPACING_M).ceil().max(1.0) as usize;
        for step in 0..=steps {
            let t = step as f64 / steps as f64;
            best_m = best_m.min(vertex_m(Coord {
                x: a.x + (b.x - a.x) * t,
                y: a.y + (b.y - a.y) * t,
            }));
        }
    }
    best_m
}

#[test]
fn border_distances_agree_with_brute_force() {
    let samples = [
        ("Kabul", 34.5553, 69.2075),
        ("Peshawar", 34.0151, 71.5249),
        ("Quetta", 30.1798, 66.9750),
        ("Jalalabad", 34.4265, 70.4515),
        ("Khost", 33.3395, 69.9204),
        ("Zhob", 31.3417, 69.4486),
        ("Chitral", 35.8511, 71.7864),
        ("Kandahar", 31.6289, 65.7372),
        ("Tehran", 35.6892, 51.3890),
        ("Gilgit", 35.9208, 74.3080),
        ("Wakhan", 37.0, 73.0),
        ("near Torkham", 34.12, 71.09),
        ("Dalbandin", 28.8885, 64.4062),
    ];
    for (place, lat, lon) in samples {
        let ours_km = Geometry::reference()
            .locate(lat, lon)
            .expect("valid")
            .border_distance_km;
        let reference_km = brute_force_m(lat, lon) / 1000.0;
        let tolerance_km = (reference_km * 0.001).max(0.05);
        assert!(
            (ours_km - reference_km).abs() <= tolerance_km,
            "{place}: ours {ours_km:.4} km, brute force {reference_km:.4} km"
        );
        println!("{place}: ours {ours_km:.4} km, brute force {reference_km:.4} km");
    }
}

#[test]
fn nearest_crossing_distance_is_the_geodesic_distance() {
    let geometry = Geometry::reference();
    let location = geometry.locate(34.0151, 71.5249).expect("valid");
    let nearest = location.nearest_crossing.expect("a crossing");
    let brute = geometry
        .crossings()
        .iter()
        .map(|c| {
            geodesic_m(
                Coord {
                    x: 71.5249,
                    y: 34.0151,
                },
                Coord { x: c.lon, y: c.lat },
            ) / 1000.0
        })
        .fold(f64::INFINITY, f64::min);
    assert!(
        (nearest.distance_km - brute).abs() < 1e-6,
        "{} vs {brute}",
        nearest.distance_km
    );
}

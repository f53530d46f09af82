//! Prints `locate`'s JSON for each LAT LON pair given, plus the nearest point of the border
//! line: `cargo run -p truce-geo --example locate -- 34.5553 69.2075`.

use truce_geo::Geometry;

fn main() {
    let numbers: Vec<f64> = std::env::args()
        .skip(1)
        .filter_map(|arg| arg.parse().ok())
        .collect();
    for pair in numbers.chunks_exact(2) {
        let geometry = Geometry::reference();
        match geometry.locate(pair[0], pair[1]) {
            Ok(location) => {
                let json = serde_json::to_string(&location).unwrap_or_default();
                let nearest = geometry
                    .nearest_border_point(pair[0], pair[1])
                    .unwrap_or((f64::NAN, f64::NAN));
                println!(
                    "{} {} {json} nearest border point {:.5} {:.5}",
                    pair[0], pair[1], nearest.0, nearest.1
                );
            }
            Err(error) => println!("{} {}: {error}", pair[0], pair[1]),
        }
    }
}

//! Coordinates from the outside (a report's point, a public report's lat/lon, a CSV row)
//! located in the reference geometry: any two f64, NaN and infinities included.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_geo::Geometry;

fuzz_target!(|data: [u8; 16]| {
    let lat = f64::from_le_bytes(data[..8].try_into().unwrap());
    let lon = f64::from_le_bytes(data[8..].try_into().unwrap());
    let geometry = Geometry::reference();
    let _ = geometry.locate(lat, lon);
    let _ = geometry.nearest_border_point(lat, lon);
});

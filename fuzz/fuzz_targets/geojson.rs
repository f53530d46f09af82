//! A border geometry file (`truce geo import`, an agreement's geometry): parsed and
//! validated; one that passes is asked where a point lies.
#![no_main]

use libfuzzer_sys::fuzz_target;
use truce_geo::Geometry;

fuzz_target!(|data: &[u8]| {
    let Ok(geometry) = Geometry::from_geojson(data) else {
        return;
    };
    let _ = geometry.locate(34.0, 70.0);
    let _ = geometry.nearest_border_point(34.0, 70.0);
    let _ = geometry.countries().count();
});

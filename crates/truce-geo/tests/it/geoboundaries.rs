//! Checks against geoBoundaries ADM1 for Afghanistan (reference data for tests only, never
//! committed: read from `shared/` beside the repository, and skipped when it is absent).

use geo::{Contains, Coord, InteriorPoint, MultiPolygon, Point};
use std::io::Write as _;
use std::path::PathBuf;
use truce_geo::{Country, Geometry};

/// Grid step of the agreement sample, degrees.
const GRID_STEP_DEGREES: f64 = 0.1;
const AGREEMENT_MIN: f64 = 0.95;

fn adm1_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/geo/geoboundaries-afg/geoBoundaries-AFG-ADM1.geojson")
}

/// geoBoundaries' provinces with ISO codes, its own two code typos corrected.
fn geoboundaries() -> Option<Vec<(String, MultiPolygon)>> {
    let path = adm1_path();
    let Ok(bytes) = std::fs::read(&path) else {
        // Written to the process's stderr directly, so the test harness does not swallow it.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: geoBoundaries reference data not found at {}",
            path.display()
        );
        return None;
    };
    let collection: geojson::FeatureCollection =
        serde_json::from_slice(&bytes).expect("geoBoundaries GeoJSON");
    let provinces = collection.features.iter().map(|feature| {
        let iso = feature
            .properties
            .as_ref()
            .and_then(|p| p.get("shapeISO"))
            .and_then(|v| v.as_str())
            .expect("shapeISO");
        let code = match iso {
            "AF_KAN" => "AF-KAN",
            "AF-BDN" => "AF-BDS",
            other => other,
        };
        let area = match geo::Geometry::<f64>::try_from(
            &feature.geometry.as_ref().expect("geometry").value,
        )
        .expect("geometry")
        {
            geo::Geometry::Polygon(polygon) => MultiPolygon::new(vec![polygon]),
            geo::Geometry::MultiPolygon(area) => area,
            other => panic!("unexpected geometry {other:?}"),
        };
        (code.to_owned(), area)
    });
    Some(provinces.collect())
}

fn code_at(provinces: &[(String, MultiPolygon)], point: Point) -> Option<&str> {
    provinces
        .iter()
        .find(|(_, area)| area.contains(&point))
        .map(|(code, _)| code.as_str())
}

#[test]
fn relabelled_provinces_match_geoboundaries() {
    let Some(reference) = geoboundaries() else {
        return;
    };
    for code in ["AF-PAN", "AF-PAR", "AF-DAY", "AF-URU", "AF-PIA", "AF-PKA"] {
        let province = Geometry::reference()
            .provinces()
            .iter()
            .find(|p| p.iso_3166_2() == code)
            .expect("present");
        let inside = province.area().interior_point().expect("non-empty");
        assert_eq!(
            code_at(&reference, inside),
            Some(code),
            "our {code} lies in geoBoundaries' {:?}",
            code_at(&reference, inside)
        );
    }
}

/// Grid points inside Afghanistan by geoBoundaries: how many we place in Afghanistan at all
/// (the outlines differ along the edges), and of those, in how many we name its province.
#[test]
fn provinces_agree_with_geoboundaries_on_a_grid_inside_afghanistan() {
    let Some(reference) = geoboundaries() else {
        return;
    };
    let (mut total, mut in_both, mut agree) = (0_u32, 0_u32, 0_u32);
    for (lat, lon) in grid() {
        let Some(expected) = code_at(&reference, Point::from(Coord { x: lon, y: lat })) else {
            continue;
        };
        total += 1;
        let location = Geometry::reference().locate(lat, lon).expect("valid");
        if location.country == Country::parse("AF").ok() {
            in_both += 1;
            agree +=
                u32::from(location.admin1.map(truce_geo::Province::iso_3166_2) == Some(expected));
        }
    }
    let share = f64::from(agree) / f64::from(in_both);
    println!(
        "geoBoundaries ADM1 grid ({GRID_STEP_DEGREES} degrees): {total} points in Afghanistan, {in_both} also in our outline \
         ({:.2} %); province agrees for {agree} of those ({:.2} %), {:.2} % of all",
        100.0 * f64::from(in_both) / f64::from(total),
        share * 100.0,
        100.0 * f64::from(agree) / f64::from(total)
    );
    assert!(
        share >= AGREEMENT_MIN,
        "agreement {share:.4} below {AGREEMENT_MIN}"
    );
}

fn grid() -> impl Iterator<Item = (f64, f64)> {
    let steps = |from: f64, to: f64| {
        (0..)
            .map(move |i| from + f64::from(i) * GRID_STEP_DEGREES)
            .take_while(move |v| *v < to)
    };
    steps(29.0, 38.6).flat_map(move |lat| steps(60.4, 75.0).map(move |lon| (lat, lon)))
}

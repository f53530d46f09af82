//! Reading the two sources (only Afghanistan's and Pakistan's features are kept) and the
//! curated crossings gazetteer.

use geo::MultiPolygon;
use geojson::{FeatureCollection, GeometryValue};
use serde_json::Value;

/// The two OSM outlines at full (100 m) resolution.
pub struct Countries {
    pub af: MultiPolygon,
    pub pk: MultiPolygon,
}

/// One Natural Earth admin-1 feature with the fields the reference keeps.
pub struct Province {
    pub iso_3166_2: String,
    pub country: &'static str,
    pub name: String,
    pub name_fa: Option<String>,
    pub name_ur: Option<String>,
    pub name_ar: Option<String>,
    pub name_tr: Option<String>,
    pub area: MultiPolygon,
}

pub fn countries(path: &str) -> Result<Countries, String> {
    let collection = collection(path)?;
    let outline = |code: &str| {
        collection
            .features
            .iter()
            .find(|feature| property(feature.properties.as_ref(), "A3").as_deref() == Some(code))
            .and_then(|feature| feature.geometry.as_ref())
            .map(|geometry| multi_polygon(&geometry.value))
            .ok_or_else(|| format!("{path}: no feature with A3 = {code}"))?
    };
    Ok(Countries {
        af: without_holes(outline("AFG")?),
        pk: without_holes(outline("PAK")?),
    })
}

/// The land outlines cut every lake and wide river out as a hole (577 in Afghanistan's, 2,527
/// in Pakistan's): a point on the Indus or the Kabul River would be in neither country. Water
/// inside a country is the country's, so the holes are dropped.
fn without_holes(area: MultiPolygon) -> MultiPolygon {
    let holes: usize = area.iter().map(|polygon| polygon.interiors().len()).sum();
    eprintln!("dropped {holes} water holes from an outline");
    area.into_iter()
        .map(|polygon| geo::Polygon::new(polygon.exterior().clone(), vec![]))
        .collect()
}

pub fn provinces(path: &str) -> Result<Vec<Province>, String> {
    let collection = collection(path)?;
    let mut provinces = Vec::new();
    for feature in &collection.features {
        let properties = feature.properties.as_ref();
        let country = match property(properties, "adm0_a3").as_deref() {
            Some("AFG") => "AF",
            Some("PAK") => "PK",
            _ => continue,
        };
        let iso = property(properties, "iso_3166_2").ok_or("province without iso_3166_2")?;
        let geometry = feature
            .geometry
            .as_ref()
            .ok_or(format!("{iso}: no geometry"))?;
        provinces.push(Province {
            name: property(properties, "name_en").ok_or(format!("{iso}: no name_en"))?,
            name_fa: property(properties, "name_fa"),
            name_ur: property(properties, "name_ur"),
            name_ar: property(properties, "name_ar"),
            name_tr: property(properties, "name_tr"),
            iso_3166_2: iso,
            country,
            area: multi_polygon(&geometry.value)?,
        });
    }
    Ok(provinces)
}

/// The hand-maintained gazetteer: `{"about": "...", "crossings": [...]}`, each entry with
/// exactly the fields of `truce_geo::Crossing`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Gazetteer {
    #[allow(dead_code, reason = "documentation for readers of the file")]
    about: String,
    crossings: Vec<truce_geo::Crossing>,
}

pub fn crossings(path: &str) -> Result<Vec<truce_geo::Crossing>, String> {
    let bytes = std::fs::read(path).map_err(|error| format!("reading {path}: {error}"))?;
    let gazetteer: Gazetteer =
        serde_json::from_slice(&bytes).map_err(|error| format!("{path}: {error}"))?;
    Ok(gazetteer.crossings)
}

fn collection(path: &str) -> Result<FeatureCollection, String> {
    let bytes = std::fs::read(path).map_err(|error| format!("reading {path}: {error}"))?;
    serde_json::from_slice(&bytes).map_err(|error| format!("{path}: {error}"))
}

fn property(properties: Option<&serde_json::Map<String, Value>>, key: &str) -> Option<String> {
    properties?.get(key)?.as_str().map(str::to_owned)
}

fn multi_polygon(value: &GeometryValue) -> Result<MultiPolygon, String> {
    match geo::Geometry::<f64>::try_from(value) {
        Ok(geo::Geometry::MultiPolygon(area)) => Ok(area),
        Ok(geo::Geometry::Polygon(area)) => Ok(MultiPolygon::new(vec![area])),
        Ok(_) => Err("expected a Polygon or MultiPolygon".into()),
        Err(error) => Err(error.to_string()),
    }
}

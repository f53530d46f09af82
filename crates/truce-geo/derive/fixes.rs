//! Corrections of known flaws of Natural Earth 10m admin-1 for Afghanistan and Pakistan. Each is
//! listed, with its evidence, in the crate README under "Flaws corrected".

use crate::read::Province;
use geo::{BooleanOps, Centroid, Distance, Geodesic, Point};

/// A duplicated ISO code whose second polygon is in truth another province, told apart by
/// which polygon lies nearer a point inside the misnamed province.
struct Duplicate {
    code: &'static str,
    inside_lat_lon: (f64, f64),
    iso_3166_2: &'static str,
    name: &'static str,
    name_fa: &'static str,
    name_ur: &'static str,
}

/// Panjshir (split from Parwan in 2004) and Daykundi (split from Uruzgan in 2004) carry their
/// parent's code and names in Natural Earth.
const DUPLICATES: [Duplicate; 2] = [
    Duplicate {
        code: "AF-PAR",
        inside_lat_lon: (35.3, 69.7),
        iso_3166_2: "AF-PAN",
        name: "Panjshir",
        name_fa: "ولایت پنجشیر",
        name_ur: "صوبہ پنجشیر",
    },
    Duplicate {
        code: "AF-URU",
        inside_lat_lon: (33.7, 66.0),
        iso_3166_2: "AF-DAY",
        name: "Daykundi",
        name_fa: "ولایت دایکندی",
        name_ur: "صوبہ دایکندی",
    },
];

pub fn apply(provinces: &mut Vec<Province>) -> Result<(), String> {
    for duplicate in &DUPLICATES {
        relabel(provinces, duplicate)?;
    }
    merge_fata(provinces)
}

fn relabel(provinces: &mut [Province], duplicate: &Duplicate) -> Result<(), String> {
    let (lat, lon) = duplicate.inside_lat_lon;
    let anchor = Point::new(lon, lat);
    let nearest = provinces
        .iter_mut()
        .filter(|province| province.iso_3166_2 == duplicate.code)
        .map(|province| {
            let centroid = province.area.centroid().unwrap_or(anchor);
            (Geodesic.distance(centroid, anchor), province)
        })
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let Some((distance_m, province)) = nearest else {
        return Err(format!("{}: not found", duplicate.code));
    };
    eprintln!(
        "{} polygon {:.0} km from {lat}N {lon}E relabelled {}",
        duplicate.code,
        distance_m / 1000.0,
        duplicate.iso_3166_2
    );
    province.iso_3166_2 = duplicate.iso_3166_2.into();
    province.name = duplicate.name.into();
    province.name_fa = Some(duplicate.name_fa.into());
    province.name_ur = Some(duplicate.name_ur.into());
    Ok(())
}

/// The Federally Administered Tribal Areas were merged into Khyber Pakhtunkhwa by the 25th
/// Amendment (May 2018): PK-TA's polygon is unioned into PK-KP and then dropped.
fn merge_fata(provinces: &mut Vec<Province>) -> Result<(), String> {
    let fata_index = provinces
        .iter()
        .position(|province| province.iso_3166_2 == "PK-TA")
        .ok_or("PK-TA not found")?;
    let fata = provinces.remove(fata_index);
    let kp = provinces
        .iter_mut()
        .find(|province| province.iso_3166_2 == "PK-KP")
        .ok_or("PK-KP not found")?;
    kp.area = kp.area.union(&fata.area);
    eprintln!("PK-TA unioned into PK-KP: {} polygon(s)", kp.area.0.len());
    Ok(())
}

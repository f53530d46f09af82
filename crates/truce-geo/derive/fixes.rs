//! Corrections of known flaws of Natural Earth 10m admin-1 for Afghanistan and Pakistan. Each is
//! listed, with its evidence, in the crate README under "Flaws corrected".

use crate::read::Province;
use geo::{BooleanOps, Contains, Point};

/// A polygon that Natural Earth labels wrongly, found by a town it contains.
struct Relabel {
    /// Natural Earth's (wrong) code on the polygon.
    code: &'static str,
    /// A town inside the province the polygon really is: (latitude, longitude).
    town: (&'static str, f64, f64),
    iso_3166_2: &'static str,
    /// New names (English, Dari, Urdu) where Natural Earth's are those of another province.
    names: Option<(&'static str, &'static str, &'static str)>,
}

const RELABELS: [Relabel; 4] = [
    // Panjshir, split from Parwan in 2004, carries Parwan's code and names.
    Relabel {
        code: "AF-PAR",
        town: ("Bazarak", 35.3129, 69.5152),
        iso_3166_2: "AF-PAN",
        names: Some(("Panjshir", "ولایت پنجشیر", "صوبہ پنجشیر")),
    },
    // Daykundi, split from Uruzgan in 2004, carries Uruzgan's code and names.
    Relabel {
        code: "AF-URU",
        town: ("Nili", 33.7218, 66.1302),
        iso_3166_2: "AF-DAY",
        names: Some(("Daykundi", "ولایت دایکندی", "صوبہ دایکندی")),
    },
    // Paktia and Paktika have each other's ISO 3166-2 codes (AF-PIA is Paktiya, AF-PKA Paktika);
    // their names are right.
    Relabel {
        code: "AF-PKA",
        town: ("Gardez", 33.5974, 69.2259),
        iso_3166_2: "AF-PIA",
        names: None,
    },
    Relabel {
        code: "AF-PIA",
        town: ("Sharana", 33.1319, 68.7810),
        iso_3166_2: "AF-PKA",
        names: None,
    },
];

pub fn apply(provinces: &mut Vec<Province>) -> Result<(), String> {
    // Find every polygon before changing any code: two relabels swap a pair of codes.
    let targets: Vec<(usize, &Relabel)> = RELABELS
        .iter()
        .map(|relabel| target(provinces, relabel).map(|index| (index, relabel)))
        .collect::<Result<_, _>>()?;
    for (index, relabel) in targets {
        relabel_one(&mut provinces[index], relabel);
    }
    merge_fata(provinces)?;
    drop_stale_turkish_kp(provinces)
}

/// Natural Earth's Turkish name of Khyber Pakhtunkhwa is "Kuzeybatı Sınır Eyaleti", the
/// North-West Frontier Province, renamed by the 18th Amendment (2010). No source of the current
/// Turkish name is at hand: none rather than a stale one.
fn drop_stale_turkish_kp(provinces: &mut [Province]) -> Result<(), String> {
    let kp = provinces
        .iter_mut()
        .find(|province| province.iso_3166_2 == "PK-KP")
        .ok_or("PK-KP not found")?;
    if kp.name_tr.as_deref() == Some("Kuzeybatı Sınır Eyaleti") {
        kp.name_tr = None;
        eprintln!("PK-KP: stale Turkish name (North-West Frontier Province) dropped");
    }
    Ok(())
}

fn target(provinces: &[Province], relabel: &Relabel) -> Result<usize, String> {
    let (town, lat, lon) = relabel.town;
    provinces
        .iter()
        .position(|p| p.iso_3166_2 == relabel.code && p.area.contains(&Point::new(lon, lat)))
        .ok_or_else(|| format!("no {} polygon contains {town}", relabel.code))
}

fn relabel_one(province: &mut Province, relabel: &Relabel) {
    eprintln!(
        "{} polygon containing {} relabelled {}",
        relabel.code, relabel.town.0, relabel.iso_3166_2
    );
    province.iso_3166_2 = relabel.iso_3166_2.into();
    if let Some((name, name_fa, name_ur)) = relabel.names {
        province.name = name.into();
        province.name_fa = Some(name_fa.into());
        province.name_ur = Some(name_ur.into());
        // Natural Earth's Arabic and Turkish names are those of the other province, and no
        // source for the right ones is at hand: none rather than wrong ones.
        province.name_ar = None;
        province.name_tr = None;
    }
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

//! `Geometry`: the agreed outlines, border line, provinces and crossings, indexed for `locate`.

use crate::area::AreaIndex;
use crate::border::BorderIndex;
use crate::crossings::Crossing;
use crate::earth::{chord_m, ecef, geodesic_m};
use crate::location::{Location, NearestCrossing};
use crate::parse::{Parts, parse};
use crate::{Country, GeoError, Province};
use geo::{Coord, MultiLineString, MultiPolygon, Rect};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// The reference geometry shipped with the crate, crossings included (see the README for its
/// derivation).
pub(crate) const REFERENCE_GEOJSON: &[u8] = include_bytes!("../data/reference.geojson");

static REFERENCE: LazyLock<Geometry> = LazyLock::new(|| {
    Geometry::from_geojson(REFERENCE_GEOJSON).expect("the shipped reference geometry is valid")
});

/// An agreed geometry, indexed: built once, then `locate` is cheap and allocation-free.
pub struct Geometry {
    countries: Vec<(Country, MultiPolygon, AreaIndex)>,
    provinces: Vec<Province>,
    province_index: Vec<AreaIndex>,
    border_lines: MultiLineString,
    border: BorderIndex,
    crossings: Vec<Crossing>,
    crossing_points: Vec<[f64; 3]>,
    sha256: String,
}

impl std::fmt::Debug for Geometry {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Geometry")
            .field("provinces", &self.provinces.len())
            .field("crossings", &self.crossings.len())
            .field("sha256", &self.sha256)
            .finish_non_exhaustive()
    }
}

impl Geometry {
    /// The reference geometry (outlines, border, provinces and crossings) shipped with the
    /// crate, parsed on first use.
    #[must_use]
    pub fn reference() -> &'static Geometry {
        &REFERENCE
    }

    /// Parses and validates a geometry file (`truce geo import`). Its crossings are the file's
    /// `crossing` features, if any: everything `locate` uses comes from the bytes `sha256`
    /// hashes, so the same file gives the same answers on every node.
    pub fn from_geojson(bytes: &[u8]) -> Result<Geometry, GeoError> {
        let Parts {
            countries,
            border,
            provinces,
            crossings,
        } = parse(bytes)?;
        let countries = countries
            .into_iter()
            .map(|(country, area)| indexed(&area).map(|index| (country, area, index)));
        let countries = countries.collect::<Result<Vec<_>, _>>()?;
        let province_index = provinces
            .iter()
            .map(|province| indexed(&province.area))
            .collect::<Result<_, _>>()?;
        let crossing_points = crossings
            .iter()
            .map(|c| ecef(Coord { x: c.lon, y: c.lat }))
            .collect();
        Ok(Geometry {
            countries,
            provinces,
            province_index,
            border: BorderIndex::new(&border),
            border_lines: border,
            crossings,
            crossing_points,
            sha256: hex::encode(Sha256::digest(bytes)),
        })
    }

    /// Where a point lies: country, province, distance to the border and nearest crossing.
    pub fn locate(&self, lat: f64, lon: f64) -> Result<Location<'_>, GeoError> {
        crate::coordinates::check(lat, lon)?;
        let point = Coord { x: lon, y: lat };
        let country = self.country_at(point);
        Ok(Location {
            country,
            admin1: country.and_then(|country| self.province_at(country, point)),
            border_distance_km: self.border.distance_m(point) / 1000.0,
            nearest_crossing: self.nearest_crossing(point),
        })
    }

    /// SHA-256 (hex) of the bytes this geometry was parsed from.
    #[must_use]
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    #[must_use]
    pub fn provinces(&self) -> &[Province] {
        &self.provinces
    }

    #[must_use]
    pub fn crossings(&self) -> &[Crossing] {
        &self.crossings
    }

    #[must_use]
    pub fn border(&self) -> &MultiLineString {
        &self.border_lines
    }

    /// The geometry's countries (two or more), in the file's order.
    #[must_use]
    pub fn countries(&self) -> impl ExactSizeIterator<Item = Country> + '_ {
        self.countries.iter().map(|(country, _, _)| *country)
    }

    /// Whether `country` is one of the geometry's.
    #[must_use]
    pub fn has_country(&self, country: Country) -> bool {
        self.countries().any(|seen| seen == country)
    }

    /// A country's outline at full resolution; `None` for a country not in the geometry.
    #[must_use]
    pub fn outline(&self, country: Country) -> Option<&MultiPolygon> {
        let found = self.countries.iter().find(|(seen, _, _)| *seen == country);
        found.map(|(_, outline, _)| outline)
    }

    /// The point of the border line nearest to `(lat, lon)`, as (lat, lon).
    pub fn nearest_border_point(&self, lat: f64, lon: f64) -> Result<(f64, f64), GeoError> {
        crate::coordinates::check(lat, lon)?;
        let point = self.border.nearest_point(Coord { x: lon, y: lat });
        Ok(point.map_or((f64::NAN, f64::NAN), |point| (point.y, point.x)))
    }

    fn country_at(&self, point: Coord) -> Option<Country> {
        self.countries
            .iter()
            .find(|(_, _, index)| index.contains(point))
            .map(|(country, _, _)| *country)
    }

    fn province_at(&self, country: Country, point: Coord) -> Option<&Province> {
        let of_country = || {
            self.provinces
                .iter()
                .zip(&self.province_index)
                .filter(move |(p, _)| p.country == country)
        };
        let containing = of_country().find(|(_, index)| index.contains(point));
        containing
            .or_else(|| nearest(of_country(), point))
            .map(|(province, _)| province)
    }

    fn nearest_crossing(&self, point: Coord) -> Option<NearestCrossing<'_>> {
        let query = ecef(point);
        let chords = || {
            self.crossing_points
                .iter()
                .map(move |&at| chord_m(query, at))
                .enumerate()
        };
        let (first, _) = chords().min_by(|a, b| a.1.total_cmp(&b.1))?;
        let distance_m = |index: usize| {
            let crossing = &self.crossings[index];
            geodesic_m(
                point,
                Coord {
                    x: crossing.lon,
                    y: crossing.lat,
                },
            )
        };
        let mut best = (distance_m(first), first);
        // The chord never exceeds the geodesic distance: only a crossing whose chord is below
        // the best geodesic distance found can be nearer.
        for (index, chord_m) in chords() {
            if index != first && chord_m < best.0 {
                let candidate_m = distance_m(index);
                if candidate_m < best.0 {
                    best = (candidate_m, index);
                }
            }
        }
        Some(NearestCrossing {
            crossing: &self.crossings[best.1],
            distance_km: best.0 / 1000.0,
        })
    }
}

fn indexed(area: &MultiPolygon) -> Result<AreaIndex, GeoError> {
    AreaIndex::new(area).ok_or_else(|| GeoError::Missing("an area with at least one vertex".into()))
}

/// The province whose edge is nearest, for points in a country but in none of its provinces
/// (the outline and province sources draw some edges differently). Provinces are visited by
/// distance to their bounding box, which bounds the distance to their edges from below.
fn nearest<'g>(
    candidates: impl Iterator<Item = (&'g Province, &'g AreaIndex)>,
    point: Coord,
) -> Option<(&'g Province, &'g AreaIndex)> {
    let x_scale = point.y.to_radians().cos();
    let mut by_box: Vec<_> = candidates
        .map(|(p, index)| (box_distance_2(index.bounds(), point, x_scale), p, index))
        .collect();
    by_box.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut best: Option<(f64, &Province, &AreaIndex)> = None;
    for (box_2, province, index) in by_box {
        if best.is_some_and(|(best_2, _, _)| box_2 > best_2) {
            break;
        }
        let distance_2 = index.scaled_distance_2(point, x_scale);
        if best.is_none_or(|(best_2, _, _)| distance_2 < best_2) {
            best = Some((distance_2, province, index));
        }
    }
    best.map(|(_, province, index)| (province, index))
}

fn box_distance_2(rect: Rect, point: Coord, x_scale: f64) -> f64 {
    let dx = (rect.min().x - point.x)
        .max(point.x - rect.max().x)
        .max(0.0)
        * x_scale;
    let dy = (rect.min().y - point.y)
        .max(point.y - rect.max().y)
        .max(0.0);
    dx * dx + dy * dy
}

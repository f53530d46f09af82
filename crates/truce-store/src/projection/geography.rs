//! Where a report's points lie in the agreed geometry: country, province, distance to the
//! border line, nearest crossing, and whether fire crossed the line.
//!
//! Locating is pure (the geometry is the one whose SHA-256 the genesis names, so every node
//! gets the same answer) but not cheap, so callers locate before sequencing and in the
//! rebuild's parallel stage, and hand the result to [`super::project`].

use truce_core::Body;
use truce_core::mechanism::Report;
use truce_core::mechanism::values::Point;
use truce_geo::{Geometry, Location, to_metre};
use truce_log::SignedEntry;

use super::{Arg, opt_real};

/// Where one point lies.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// `AF`, `PK`, or `None` outside both.
    pub country: Option<&'static str>,
    pub admin1: Option<String>,
    pub admin1_code: Option<String>,
    pub border_distance_km: f64,
    pub nearest_crossing: Option<(String, f64)>,
}

/// The places of a report's point and, when given, its launch and impact points.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportGeography {
    pub point: Place,
    pub launch: Option<Place>,
    pub impact: Option<Place>,
}

/// The geography of `entry` if it is a report or an observation (other kinds have no
/// points to locate); an observation's is its position's.
#[must_use]
pub fn locate_entry(geometry: &Geometry, entry: &SignedEntry) -> Option<ReportGeography> {
    match entry.body() {
        Body::ReportSubmitted(report) => Some(locate_report(geometry, report)),
        Body::ObservationRecorded(seen) => Some(ReportGeography {
            point: place(geometry, seen.position),
            launch: None,
            impact: None,
        }),
        _ => None,
    }
}

#[must_use]
pub fn locate_report(geometry: &Geometry, report: &Report) -> ReportGeography {
    let location = &report.location;
    ReportGeography {
        point: place(geometry, location.point),
        launch: location.launch.map(|p| place(geometry, p)),
        impact: location.impact.map(|p| place(geometry, p)),
    }
}

/// A report's point always validates as on the globe, so locating cannot fail; were it
/// to, the place would be unknown rather than the entry refused after admission.
fn place(geometry: &Geometry, point: Point) -> Place {
    match geometry.locate(point.lat, point.lon) {
        Ok(location) => from_location(&location),
        Err(_) => Place {
            country: None,
            admin1: None,
            admin1_code: None,
            border_distance_km: f64::NAN,
            nearest_crossing: None,
        },
    }
}

fn from_location(location: &Location<'_>) -> Place {
    Place {
        country: location.country.map(truce_geo::Country::code),
        admin1: location.admin1.map(|p| p.name().to_string()),
        admin1_code: location.admin1.map(|p| p.iso_3166_2().to_string()),
        border_distance_km: to_metre(location.border_distance_km),
        nearest_crossing: location
            .nearest_crossing
            .map(|c| (c.crossing.id.clone(), to_metre(c.distance_km))),
    }
}

impl ReportGeography {
    /// Fire launched on one side of the line and landing on the other: the launch point
    /// and the impact point (the report's point when no impact point is given) are both
    /// in a country, and not the same one. False when both are on one side or either is
    /// outside both countries; unknown (`None`) without a launch point.
    #[must_use]
    pub fn cross_border(&self) -> Option<bool> {
        let launch = self.launch.as_ref()?;
        let impact = self.impact.as_ref().unwrap_or(&self.point);
        Some(matches!((launch.country, impact.country), (Some(a), Some(b)) if a != b))
    }

    /// The report row's geography columns, in the order `reports::REPORTS` lists them
    /// after the report's own; all null (typed, for PostgreSQL) without a geometry.
    pub(super) fn columns(geography: Option<&Self>) -> Vec<Arg> {
        let Some(g) = geography else {
            return UNLOCATED.to_vec();
        };
        let p = &g.point;
        let mut args = vec![
            Arg::opt_text(p.country),
            Arg::opt_text(p.admin1.as_deref()),
            Arg::opt_text(p.admin1_code.as_deref()),
            opt_real(Some(p.border_distance_km)),
            Arg::opt_text(p.nearest_crossing.as_ref().map(|(id, _)| id.as_str())),
            opt_real(p.nearest_crossing.as_ref().map(|(_, km)| *km)),
        ];
        for other in [&g.launch, &g.impact] {
            let other = other.as_ref();
            args.extend([
                Arg::opt_text(other.and_then(|p| p.country)),
                Arg::opt_text(other.and_then(|p| p.admin1_code.as_deref())),
                opt_real(other.map(|p| p.border_distance_km)),
            ]);
        }
        args.push(match g.cross_border() {
            Some(crossed) => Arg::Int(i64::from(crossed)),
            None => Arg::NullInt,
        });
        args
    }
}

/// The geography columns of a report on a log whose genesis agrees no geometry.
const UNLOCATED: [Arg; 13] = {
    use Arg::{NullInt, NullReal, NullText};
    [
        NullText, NullText, NullText, NullReal, NullText, NullReal, // the point
        NullText, NullText, NullReal, // launch
        NullText, NullText, NullReal, // impact
        NullInt,  // cross_border
    ]
};

//! Reports (allegations) as the projection holds them: the signed report, where its points
//! lie in the agreed geometry, and the filters a list, a map or an export asks with.

use serde::Serialize;
use truce_core::mechanism::report::Report;

use super::{Conditions, FromRow, Values, index_arg};
use crate::projection::reports::REPORTS;
use crate::projection::{Arg, Table};
use crate::{Store, StoreError};

/// A report as filed, with the delegation that filed it and where it lies (`reports`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportRow {
    pub index: u64,
    /// The key that signed it, and its delegation.
    pub author: String,
    pub delegation: String,
    pub signed_at: String,
    pub status: String,
    /// The report as signed.
    pub report: Report,
    /// Where its points lie; `None` on a log whose genesis agrees no geometry.
    pub geography: Option<Geography>,
}

/// Where a report lies in the agreed geometry, as the projector located it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Geography {
    /// ISO 3166-1 code; `None` outside every country of the geometry.
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub admin1_code: Option<String>,
    pub border_distance_km: f64,
    pub nearest_crossing: Option<NearestCrossing>,
    /// Where fire was launched from and where it landed, for cross-border fire.
    pub launch: Option<PlacedPoint>,
    pub impact: Option<PlacedPoint>,
    pub cross_border: Option<bool>,
}

/// The agreed crossing nearest a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearestCrossing {
    pub id: String,
    pub distance_km: Option<f64>,
}

/// A report's launch or impact point, located.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacedPoint {
    pub country: Option<String>,
    pub admin1_code: Option<String>,
    pub border_distance_km: f64,
}

/// The `reports` columns before `status` that repeat the payload (`title` to `injured_high`),
/// which a row reads from the payload instead.
const PAYLOAD_COLUMNS: usize = 16;

impl FromRow for ReportRow {
    const TABLE: &'static Table = &REPORTS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        let index = v.index()?;
        let (author, delegation, signed_at) = (v.text()?, v.text()?, v.text()?);
        v.skip(PAYLOAD_COLUMNS);
        let status = v.text()?;
        let report = v.json()?;
        let geography = geography(v)?;
        Ok(Self {
            index,
            author,
            delegation,
            signed_at,
            status,
            report,
            geography,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

fn geography(v: &mut Values) -> Result<Option<Geography>, StoreError> {
    let (country, admin1, admin1_code) = (v.opt_text()?, v.opt_text()?, v.opt_text()?);
    let border_distance_km = v.opt_real()?;
    let crossing = v.opt_text()?;
    let crossing_km = v.opt_real()?;
    let launch = placed_point(v)?;
    let impact = placed_point(v)?;
    let cross_border = v.opt_int()?.map(|n| n != 0);
    Ok(border_distance_km.map(|border_distance_km| Geography {
        country,
        admin1,
        admin1_code,
        border_distance_km,
        nearest_crossing: crossing.map(|id| NearestCrossing {
            id,
            distance_km: crossing_km,
        }),
        launch,
        impact,
        cross_border,
    }))
}

fn placed_point(v: &mut Values) -> Result<Option<PlacedPoint>, StoreError> {
    let (country, admin1_code) = (v.opt_text()?, v.opt_text()?);
    Ok(v.opt_real()?.map(|border_distance_km| PlacedPoint {
        country,
        admin1_code,
        border_distance_km,
    }))
}

/// Which reports a list, a map or an export asks for. Every field narrows the list;
/// the default is every report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportFilter {
    /// When the event began, in Unix seconds: at or after `from`, at or before `to`.
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// Longitude and latitude bounds: `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: Option<[f64; 4]>,
    /// An ACLED event type.
    pub kind: Option<String>,
    /// A delegation, accused or filing.
    pub party: Option<String>,
    /// A provision the report says was violated.
    pub provision: Option<String>,
    pub status: Option<String>,
    /// The dataset imported reports came from.
    pub dataset: Option<String>,
    pub country: Option<CountryFilter>,
    /// A province's ISO 3166-2 code.
    pub province: Option<String>,
    /// Distance from the border line, in kilometres.
    pub border_km_min: Option<f64>,
    pub border_km_max: Option<f64>,
    pub cross_border: Option<bool>,
}

/// Reports in one country of the agreed geometry, or in none of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountryFilter {
    /// ISO 3166-1 code, in capitals.
    In(String),
    /// Located, but outside every country of the geometry.
    Outside,
}

/// Where a page of reports starts and which way it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Newest first, those before the cursor (the index of the last report seen), if any.
    NewestBefore(Option<u64>),
    /// Oldest first, those after the index given (an export's pages), if any.
    OldestAfter(Option<u64>),
}

impl ReportFilter {
    fn conditions(&self, order: Order) -> Conditions {
        let mut c = Conditions::default();
        match order {
            Order::NewestBefore(Some(before)) => c.and("idx <", index_arg(before)),
            Order::OldestAfter(Some(after)) => c.and("idx >", index_arg(after)),
            Order::NewestBefore(None) | Order::OldestAfter(None) => &mut c,
        };
        let text = |s: &String| Arg::Text(s.clone());
        if let Some(from) = self.from {
            c.and("occurred_start_unix >=", Arg::Int(from));
        }
        if let Some(to) = self.to {
            c.and("occurred_start_unix <=", Arg::Int(to));
        }
        if let Some([min_lon, min_lat, max_lon, max_lat]) = self.bbox {
            c.and("lon >=", Arg::Real(min_lon))
                .and("lon <=", Arg::Real(max_lon))
                .and("lat >=", Arg::Real(min_lat))
                .and("lat <=", Arg::Real(max_lat));
        }
        if let Some(kind) = &self.kind {
            c.and("event_type =", text(kind));
        }
        if let Some(party) = &self.party {
            c.either("accused =", "delegation =", text(party));
        }
        if let Some(provision) = &self.provision {
            c.and(
                "EXISTS (SELECT 1 FROM report_provisions p \
                 WHERE p.report_idx = reports.idx AND p.provision =",
                text(provision),
            )
            .close_with(")");
        }
        if let Some(status) = &self.status {
            c.and("status =", text(status));
        }
        if let Some(dataset) = &self.dataset {
            c.and("provenance_dataset =", text(dataset));
        }
        self.geography_conditions(&mut c);
        c
    }

    fn geography_conditions(&self, c: &mut Conditions) {
        match &self.country {
            Some(CountryFilter::In(code)) => {
                c.and("country =", Arg::Text(code.clone()));
            }
            Some(CountryFilter::Outside) => {
                c.bare("country IS NULL AND border_distance_km IS NOT NULL");
            }
            None => {}
        }
        if let Some(province) = &self.province {
            c.and("admin1_code =", Arg::Text(province.clone()));
        }
        if let Some(km) = self.border_km_min {
            c.and("border_distance_km >=", Arg::Real(km));
        }
        if let Some(km) = self.border_km_max {
            c.and("border_distance_km <=", Arg::Real(km));
        }
        if let Some(crossed) = self.cross_border {
            c.and("cross_border =", Arg::Int(i64::from(crossed)));
        }
    }
}

impl Store {
    /// Up to `limit` reports that `filter` asks for, in `order`.
    pub async fn reports(
        &self,
        filter: &ReportFilter,
        order: Order,
        limit: usize,
    ) -> Result<Vec<ReportRow>, StoreError> {
        let direction = match order {
            Order::NewestBefore(_) => "DESC",
            Order::OldestAfter(_) => "ASC",
        };
        let tail = format!("ORDER BY idx {direction} LIMIT {limit}");
        self.select(&filter.conditions(order), &tail).await
    }

    /// The reports linked to incident `incident`, oldest first.
    pub async fn incident_reports(&self, incident: u64) -> Result<Vec<ReportRow>, StoreError> {
        let mut c = Conditions::default();
        c.and(
            "idx IN (SELECT report_idx FROM incident_reports WHERE incident_idx =",
            index_arg(incident),
        )
        .close_with(")");
        self.select(&c, "ORDER BY idx").await
    }
}

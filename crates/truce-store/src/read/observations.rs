//! Observations and sensors as the projection holds them, and the daily counts a
//! situation report leads with: per reporting delegation (a party's own counts are never
//! added to the mechanism's), per kind, for a UTC day and optionally one area (a province
//! by its ISO 3166-2 code, or a border sector: the stretch around one crossing, named by
//! the crossing's gazetteer id). An observation counts once, on the day its window ended.

use serde::Serialize;
use truce_core::Day;

use super::{Conditions, FromRow, Values};
use crate::projection::observations::{OBSERVATIONS, SENSOR_STATUSES, SENSORS};
use crate::projection::{Arg, Column, Table};
use crate::{Store, StoreError};

/// One observation (`observations`), without its lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObservationRow {
    pub index: u64,
    pub platform: String,
    pub sensor: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub place: String,
    pub start_at: String,
    pub end_at: String,
    pub start_s: i64,
    pub end_s: i64,
    /// The UTC day the window ended, on which it counts.
    pub day: String,
    pub country: Option<String>,
    pub province: Option<String>,
    pub province_code: Option<String>,
    /// The nearest crossing's id: the border sector it lies in.
    pub sector: Option<String>,
    pub border_distance_km: Option<f64>,
    pub total: i64,
    pub explosions: i64,
    pub note: Option<String>,
    pub reported_by: String,
    pub author: String,
    pub signed_at: String,
}

impl FromRow for ObservationRow {
    const TABLE: &'static Table = &OBSERVATIONS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            platform: v.text()?,
            sensor: v.opt_text()?,
            lat: real(v)?,
            lon: real(v)?,
            place: v.text()?,
            start_at: v.text()?,
            end_at: v.text()?,
            start_s: v.int()?,
            end_s: v.int()?,
            day: v.text()?,
            country: v.opt_text()?,
            province: v.opt_text()?,
            province_code: v.opt_text()?,
            sector: v.opt_text()?,
            border_distance_km: v.opt_real()?,
            total: v.int()?,
            explosions: v.int()?,
            note: v.opt_text()?,
            reported_by: v.text()?,
            author: v.text()?,
            signed_at: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

fn real(v: &mut Values) -> Result<f64, StoreError> {
    v.opt_real()?
        .ok_or_else(|| StoreError::Corrupt("an observation's position is NULL".into()))
}

/// A registered sensor (`sensors`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensorRow {
    pub index: u64,
    pub id: String,
    pub kind: String,
    pub name: String,
    pub note: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub author: String,
    pub signed_at: String,
}

impl FromRow for SensorRow {
    const TABLE: &'static Table = &SENSORS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            id: v.text()?,
            kind: v.text()?,
            name: v.text()?,
            note: v.opt_text()?,
            lat: v.opt_real()?,
            lon: v.opt_real()?,
            author: v.text()?,
            signed_at: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

/// A sensor going up or down (`sensor_statuses`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SensorStatusRow {
    pub index: u64,
    pub sensor: String,
    pub state: String,
    pub since: String,
    pub since_s: i64,
    pub reason: Option<String>,
    pub reported_by: String,
    pub author: String,
    pub signed_at: String,
}

impl FromRow for SensorStatusRow {
    const TABLE: &'static Table = &SENSOR_STATUSES;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            sensor: v.text()?,
            state: v.text()?,
            since: v.text()?,
            since_s: v.int()?,
            reason: v.opt_text()?,
            reported_by: v.text()?,
            author: v.text()?,
            signed_at: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

/// Where to count: everywhere, a province (ISO 3166-2 code), a border sector (a
/// crossing's id), or both at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Area {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
}

impl Area {
    /// The observations in this area, whenever they were.
    fn everywhere_in(&self) -> Conditions {
        let mut conditions = Conditions::default();
        if let Some(province) = &self.province {
            conditions.and("province_code =", Arg::Text(province.clone()));
        }
        if let Some(sector) = &self.sector {
            conditions.and("sector =", Arg::Text(sector.clone()));
        }
        conditions
    }

    /// The observations in this area whose windows ended on days `first` to `last`.
    fn conditions(&self, first: &Day, last: &Day) -> Conditions {
        let mut conditions = self.everywhere_in();
        conditions.and("day >=", Arg::Text(first.as_str().to_string()));
        conditions.and("day <=", Arg::Text(last.as_str().to_string()));
        conditions
    }
}

/// One delegation's counts for one day and area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DelegationDay {
    pub reported_by: String,
    /// How many observations were recorded.
    pub observations: i64,
    /// Everything counted, explosions included.
    pub total: i64,
    pub explosions: i64,
    /// By kind, the most counted first.
    pub kinds: Vec<KindCount>,
}

/// So many of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindCount {
    pub kind: String,
    pub count: i64,
}

impl Store {
    /// Each delegation's counts over the days `first` to `last` in `area`, by delegation.
    pub async fn observation_counts(
        &self,
        first: &Day,
        last: &Day,
        area: &Area,
    ) -> Result<Vec<DelegationDay>, StoreError> {
        let conditions = area.conditions(first, last);
        let sql = format!(
            "SELECT reported_by, COUNT(*), CAST(SUM(total) AS BIGINT), \
             CAST(SUM(explosions) AS BIGINT) FROM observations{} \
             GROUP BY reported_by ORDER BY reported_by",
            conditions.sql()
        );
        let columns = [Column::Text, Column::Int, Column::Int, Column::Int];
        let mut days = self
            .decoded(sql, &conditions.args, &columns, |v| {
                Ok(DelegationDay {
                    reported_by: v.text()?,
                    observations: v.int()?,
                    total: v.int()?,
                    explosions: v.int()?,
                    kinds: vec![],
                })
            })
            .await?;
        for (reported_by, kind) in self.observation_kinds(first, last, area).await? {
            if let Some(d) = days.iter_mut().find(|d| d.reported_by == reported_by) {
                d.kinds.push(kind);
            }
        }
        Ok(days)
    }

    async fn observation_kinds(
        &self,
        first: &Day,
        last: &Day,
        area: &Area,
    ) -> Result<Vec<(String, KindCount)>, StoreError> {
        let conditions = area.conditions(first, last);
        let sql = format!(
            "SELECT o.reported_by, c.kind, CAST(SUM(c.count) AS BIGINT) \
             FROM observation_counts c JOIN (SELECT idx, reported_by FROM observations{}) o \
             ON c.idx = o.idx GROUP BY o.reported_by, c.kind \
             ORDER BY o.reported_by, 3 DESC, c.kind",
            conditions.sql()
        );
        let columns = [Column::Text, Column::Text, Column::Int];
        self.decoded(sql, &conditions.args, &columns, |v| {
            Ok((
                v.text()?,
                KindCount {
                    kind: v.text()?,
                    count: v.int()?,
                },
            ))
        })
        .await
    }

    /// Observations newest first (by the end of their window), of `day` in `area` when
    /// given, before the cursor `before` (an index already seen), at most `limit`.
    pub async fn observations(
        &self,
        day: Option<&Day>,
        area: &Area,
        before: Option<u64>,
        limit: usize,
    ) -> Result<Vec<ObservationRow>, StoreError> {
        let mut conditions = match day {
            Some(day) => area.conditions(day, day),
            None => area.everywhere_in(),
        };
        if let Some(before) = before {
            conditions.and("idx <", Arg::Int(i64::try_from(before).unwrap_or(i64::MAX)));
        }
        let order = format!("ORDER BY idx DESC LIMIT {limit}");
        self.select(&conditions, &order).await
    }

    /// Every registered sensor, by id.
    pub async fn sensors(&self) -> Result<Vec<SensorRow>, StoreError> {
        self.select(&Conditions::default(), "ORDER BY id").await
    }

    /// The sensors down at some time in `from_s..to_s` (Unix seconds), each with the
    /// status that put it down: the one in effect at `from_s`, or the first within.
    pub async fn sensors_down(
        &self,
        from_s: i64,
        to_s: i64,
    ) -> Result<Vec<SensorStatusRow>, StoreError> {
        let statuses = self.sensor_statuses_until(to_s).await?;
        let mut down: Vec<SensorStatusRow> = vec![];
        for group in statuses.chunk_by(|a, b| a.sensor == b.sensor) {
            let in_effect = group.iter().rev().find(|s| s.since_s <= from_s);
            let within = group.iter().filter(|s| s.since_s > from_s);
            let went_down = in_effect
                .into_iter()
                .chain(within)
                .find(|s| s.state == "down");
            down.extend(went_down.cloned());
        }
        Ok(down)
    }

    /// Every sensor status that took effect before `to_s` (Unix seconds), by sensor, then
    /// in the order they took effect: the last of each sensor's is the one in effect.
    pub async fn sensor_statuses_until(
        &self,
        to_s: i64,
    ) -> Result<Vec<SensorStatusRow>, StoreError> {
        let mut conditions = Conditions::default();
        conditions.and("since_s <", Arg::Int(to_s));
        self.select(&conditions, "ORDER BY sensor, since_s, idx")
            .await
    }

    /// The latest day an observation counts on, if there is one.
    pub async fn latest_observation_day(&self) -> Result<Option<String>, StoreError> {
        let sql = "SELECT MAX(day) FROM observations".to_string();
        let days = self
            .decoded(sql, &[], &[Column::Text], Values::opt_text)
            .await?;
        Ok(days.into_iter().next().flatten())
    }
}

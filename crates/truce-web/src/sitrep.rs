//! `GET /reports/daily/YYYY-MM-DD` and `GET /reports/period?from=&to=`: the situation
//! report (`api::sitrep`) put in words, in the page's language, as HTML, or as a JSON
//! document (`.json`) that holds the same words, the same map and charts, and the figures
//! themselves. `truce report` typesets that document as PDF (crate `truce-report`), so the
//! page and the PDF say the same thing and the server never links Typst.

use std::collections::HashMap;

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use truce_store::read::findings::FindingRow;
use truce_store::read::period::Compared;
use truce_store::read::publications::PublicationRow;

use super::chart::{self, Pair};
use super::lang::Lang;
use super::map::{BaseMap, Point};
use truce_api::problem::Problem;
use truce_api::state::AppState;
use truce_api::v1 as api;
use truce_api::v1::sitrep::{Casualties, Period, Sitrep};
use truce_core::mechanism::Direction;

type Params = Query<HashMap<String, String>>;

/// The report in words: everything a page or a PDF shows, already translated.
#[derive(Debug, Serialize)]
pub struct View {
    pub lang: &'static str,
    pub dir: &'static str,
    pub title: String,
    pub previous_line: String,
    /// What the report leads with when the mechanism observes: "N violations observed,
    /// including M explosions (K the day before)".
    pub lead_line: Option<String>,
    pub record_line: String,
    pub none: String,
    pub map_title: String,
    /// The agreed geometry with the period's reports and the crossings, as standalone SVG.
    pub map_svg: Option<String>,
    pub sections: Vec<Section>,
    /// The figures the words were made from.
    pub data: Sitrep,
}

/// One part of the report: a heading, an optional note and chart, and a table.
#[derive(Debug, Serialize)]
pub struct Section {
    pub id: &'static str,
    pub heading: String,
    pub note: Option<String>,
    pub chart_svg: Option<String>,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "sitrep.html")]
struct Page {
    lang: Lang,
    languages: &'static [Lang],
    css: &'static str,
    from: String,
    to: String,
    json_href: String,
    view: View,
    /// Files of this very report entered on the log by their SHA-256 (not part of the
    /// document, so that publishing a file never changes the document it was made from).
    publications: Vec<Publication>,
}

/// One published copy of the report, as its page lists it.
struct Publication {
    index: u64,
    sha256: String,
    format: String,
    language: String,
    published_by: String,
}

impl Publication {
    fn of(row: &PublicationRow, delegations: &std::collections::BTreeMap<String, String>) -> Self {
        let tag = &row.language;
        let language = Lang::ALL
            .iter()
            .find(|l| l.tag() == tag)
            .map_or(tag.clone(), |l| format!("{} ({tag})", l.endonym()));
        let by = &row.published_by;
        Publication {
            index: row.index,
            sha256: row.sha256.clone(),
            format: row.format.to_uppercase(),
            language,
            published_by: delegations.get(by).cloned().unwrap_or_else(|| by.clone()),
        }
    }
}

impl Page {
    /// The period, kept by the language links.
    fn lang_query(&self) -> String {
        format!("from={}&to={}&", self.from, self.to)
    }

    fn record(&self) -> String {
        self.view.record_line.clone()
    }
}

/// `GET /reports/daily/{day}` (`YYYY-MM-DD`, or `YYYY-MM-DD.json` for the document).
pub async fn daily(
    State(state): State<AppState>,
    Path(day): Path<String>,
    Query(query): Params,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let (day, json) = match day.strip_suffix(".json") {
        Some(day) => (day, true),
        None => (day.as_str(), false),
    };
    let period = Period::day("date", day)?;
    let asked = query.get("lang").map(String::as_str);
    let lang = Lang::negotiate(asked, &headers);
    if json {
        return Ok(Json(view(&state, period, lang).await?).into_response());
    }
    let href = format!("/reports/daily/{day}.json?lang={}", lang.tag());
    page(&state, period, lang, asked, href).await
}

/// `GET /reports/period?from=&to=`.
pub async fn period(
    State(state): State<AppState>,
    Query(query): Params,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let period = period_of(&query)?;
    let asked = query.get("lang").map(String::as_str);
    let lang = Lang::negotiate(asked, &headers);
    let href = format!(
        "/reports/period.json?from={}&to={}&lang={}",
        period.from,
        period.to,
        lang.tag()
    );
    page(&state, period, lang, asked, href).await
}

/// `GET /reports/period.json?from=&to=&lang=`: the document of `period`.
pub async fn period_json(
    State(state): State<AppState>,
    Query(query): Params,
    headers: HeaderMap,
) -> Result<Json<View>, Problem> {
    let period = period_of(&query)?;
    let lang = Lang::negotiate(query.get("lang").map(String::as_str), &headers);
    Ok(Json(view(&state, period, lang).await?))
}

fn period_of(query: &HashMap<String, String>) -> Result<Period, Problem> {
    Period::between(
        query.get("from").map(String::as_str),
        query.get("to").map(String::as_str),
    )
}

async fn page(
    state: &AppState,
    period: Period,
    lang: Lang,
    asked: Option<&str>,
    json_href: String,
) -> Result<Response, Problem> {
    let view = view(state, period, lang).await?;
    let publications = api::publications::of_period(state, period)
        .await?
        .iter()
        .map(|row| Publication::of(row, &view.data.delegations))
        .collect();
    let page = Page {
        lang,
        languages: &Lang::ALL,
        css: super::assets::CSS.path(),
        from: period.from.to_string(),
        to: period.to.to_string(),
        json_href,
        view,
        publications,
    };
    let html = page.render().map_err(|e| Problem::internal(&e))?;
    super::page(html, asked, lang)
}

/// The report of `period` in `lang`.
pub async fn view(state: &AppState, period: Period, lang: Lang) -> Result<View, Problem> {
    let mut data = api::sitrep::gather(state, period).await?;
    let names = super::names::Names::read(state, lang).await?;
    data.delegations = names.delegations().clone();
    let geometry = api::geo::agreed(state).await?;
    let map = geometry.map(BaseMap::of);
    let words = Words {
        lang,
        data: &data,
        names: &names,
        geometry,
    };
    let map_title = lang.t("report-map");
    let map_svg = map.map(|map| words.map(&map, &map_title));
    Ok(View {
        lang: lang.tag(),
        dir: lang.dir(),
        title: words.title(period),
        previous_line: words.dated("report-previous", period.previous()),
        lead_line: words.lead(period),
        record_line: lang.t_with("report-record", &[("entries", data.log_size.into())]),
        none: lang.t("report-none"),
        map_title,
        map_svg,
        sections: words.sections(),
        data,
    })
}

/// Puts one report's figures in one language's words.
struct Words<'a> {
    lang: Lang,
    data: &'a Sitrep,
    /// The agreement's names in `lang`.
    names: &'a super::names::Names,
    geometry: Option<&'static truce_geo::Geometry>,
}

impl Words<'_> {
    fn t(&self, id: &str) -> String {
        self.lang.t(id)
    }

    fn title(&self, period: Period) -> String {
        if period.days() == 1 {
            self.lang.t_with(
                "report-title-daily",
                &[("day", period.from.to_string().into())],
            )
        } else {
            self.dated("report-title-period", period)
        }
    }

    fn dated(&self, id: &str, period: Period) -> String {
        self.lang.t_with(
            id,
            &[
                ("from", period.from.to_string().into()),
                ("to", period.to.to_string().into()),
            ],
        )
    }

    /// A status or type in words (the raw value where the files have none).
    fn status(&self, status: &str) -> String {
        self.lang.status(status)
    }

    /// A low, best and high count (`Lang::range`).
    fn range(&self, [low, best, high]: [i64; 3]) -> String {
        self.lang.range(low, best, high)
    }

    fn party(&self, id: &str) -> String {
        if id.is_empty() {
            return self.t("report-unattributed");
        }
        let names = &self.data.delegations;
        names.get(id).cloned().unwrap_or_else(|| id.to_string())
    }

    fn sections(&self) -> Vec<Section> {
        let d = self.data;
        vec![
            self.compared("allegations", "report-allegations", &d.by_party, |k| {
                self.party(k)
            }),
            self.compared(
                "provisions",
                "report-by-provision",
                &d.by_provision,
                str::to_string,
            ),
            self.compared(
                "event-types",
                "report-by-event-type",
                &d.by_event_type,
                |k| self.status(k),
            ),
            self.observations(),
            self.sensors_down(),
            self.casualties(),
            self.findings("findings-new", "report-findings-new", d.findings_new.iter()),
            self.findings(
                "findings-final",
                "report-findings-final",
                d.findings_final.iter().map(|f| &f.finding),
            ),
            self.measures(),
            self.denials(),
            self.restrictions(),
            self.liaison(),
            self.crossings(),
            self.commitments(),
        ]
    }

    fn section(
        &self,
        id: &'static str,
        heading: &str,
        head: &[&str],
        rows: Vec<Vec<String>>,
    ) -> Section {
        Section {
            id,
            heading: self.t(heading),
            note: None,
            chart_svg: None,
            head: head.iter().map(|h| self.t(h)).collect(),
            rows,
        }
    }

    /// Counts against the previous period, as a table with the change and as a chart.
    fn compared(
        &self,
        id: &'static str,
        heading: &str,
        counts: &[Compared],
        label: impl Fn(&str) -> String,
    ) -> Section {
        let labels: Vec<String> = counts.iter().map(|c| label(&c.key)).collect();
        let mut rows: Vec<Vec<String>> = counts
            .iter()
            .zip(&labels)
            .map(|(c, label)| compared_row(self.lang, label.clone(), c))
            .collect();
        if !rows.is_empty() {
            rows.push(compared_row(
                self.lang,
                self.t("report-total"),
                &self.data.allegations_total,
            ));
        }
        let key = match id {
            "allegations" => "party",
            "provisions" => "provision",
            _ => "report-event-type",
        };
        let head = [
            key,
            "report-current",
            "report-previous-short",
            "report-change",
        ];
        let mut section = self.section(id, heading, &head, rows);
        if !counts.is_empty() {
            let bars: Vec<Pair> = counts
                .iter()
                .zip(&labels)
                .map(|(c, label)| Pair {
                    label,
                    current: c.current,
                    previous: c.previous,
                })
                .collect();
            let (current, previous) = (self.t("report-current"), self.t("report-previous-short"));
            section.chart_svg = Some(chart::compared(
                &section.heading,
                &bars,
                &current,
                &previous,
            ));
        }
        section
    }

    fn casualties(&self) -> Section {
        let rows = self
            .data
            .casualties
            .iter()
            .map(|c| self.casualty_row(c))
            .collect();
        let head = [
            "report-source",
            "report-basis",
            "report-entries",
            "report-killed",
            "report-injured",
        ];
        let mut section = self.section("casualties", "report-casualties", &head, rows);
        section.note = Some(self.t("report-casualties-note"));
        section
    }

    /// The mechanism's observed violations and explosions against the period before;
    /// none when no monitoring delegation observed anything in either period.
    fn lead(&self, period: Period) -> Option<String> {
        observed_lead(self.lang, &self.data.observations, period.days() == 1)
    }

    /// Each delegation's observed counts, the mechanism's first, never added together.
    fn observations(&self) -> Section {
        let rows = self
            .data
            .observations
            .delegations
            .iter()
            .map(|d| {
                let whose = if d.mechanism {
                    self.lang.t_with(
                        "report-mechanism",
                        &[("name", self.party(&d.delegation).into())],
                    )
                } else {
                    self.party(&d.delegation)
                };
                vec![
                    whose,
                    self.lang.number(&d.observations),
                    self.lang.number(&d.total),
                    self.lang.number(&d.explosions),
                    self.lang.number(&d.previous_explosions),
                ]
            })
            .collect();
        let head = [
            "report-source",
            "report-observation-entries",
            "report-violations",
            "report-explosions",
            "report-explosions-previous",
        ];
        let mut section = self.section("observations", "report-observations", &head, rows);
        section.note = Some(self.t("report-observations-note"));
        section
    }

    fn sensors_down(&self) -> Section {
        let rows = self
            .data
            .observations
            .sensors_down
            .iter()
            .map(|s| {
                vec![
                    s.name.clone().unwrap_or_else(|| s.sensor.clone()),
                    super::dates::minute(self.lang, &s.since),
                    s.reason.clone().unwrap_or_default(),
                ]
            })
            .collect();
        let head = ["report-sensor", "report-since", "report-reason"];
        self.section("sensors-down", "report-sensors-down", &head, rows)
    }

    fn casualty_row(&self, c: &Casualties) -> Vec<String> {
        let whose = if c.monitor {
            self.lang
                .t_with("report-mechanism", &[("name", c.delegation.clone().into())])
        } else {
            self.party(&c.delegation)
        };
        vec![
            whose,
            self.t(&format!("report-basis-{}", c.source)),
            self.lang.number(&c.entries),
            self.range(c.killed),
            self.range(c.injured),
        ]
    }

    fn findings<'f>(
        &self,
        id: &'static str,
        heading: &str,
        findings: impl Iterator<Item = &'f FindingRow>,
    ) -> Section {
        let rows = findings
            .map(|f| {
                vec![
                    format!("#{}", f.incident_idx),
                    self.names.provision(&f.provision),
                    self.status(&f.determination),
                    self.party(f.party.as_deref().unwrap_or_default()),
                    self.status(&f.status),
                ]
            })
            .collect();
        let head = ["incident", "provision", "determination", "party", "status"];
        self.section(id, heading, &head, rows)
    }

    fn measures(&self) -> Section {
        let rows = self
            .data
            .measures
            .iter()
            .map(|m| {
                vec![
                    self.party(&m.party),
                    self.names.measure(m.step.as_deref().unwrap_or_default()),
                    self.status(&m.status),
                ]
            })
            .collect();
        self.section(
            "measures",
            "report-measures",
            &["party", "measure-step", "status"],
            rows,
        )
    }

    fn denials(&self) -> Section {
        let rows = self
            .data
            .denials
            .iter()
            .map(|s| {
                vec![
                    day(&s.occurred_at),
                    self.party(s.party.as_deref().unwrap_or_default()),
                    format!("#{}", s.investigation_idx),
                    s.text.clone(),
                ]
            })
            .collect();
        let head = [
            "report-date",
            "party",
            "report-investigation",
            "report-account",
        ];
        self.section("denials", "report-denials", &head, rows)
    }

    /// Each liaison contact opened in the period: how long the party took to acknowledge
    /// it with its own key, and how it ended.
    fn liaison(&self) -> Section {
        let rows = self
            .data
            .contacts
            .iter()
            .map(|c| {
                let answered = c.response_s.map_or_else(
                    || self.t("report-unanswered"),
                    |s| self.lang.number(&(s / 60)),
                );
                vec![
                    super::dates::minute(self.lang, &c.opened_at),
                    self.party(&c.party),
                    self.status(&c.channel),
                    c.subject.clone(),
                    answered,
                    c.outcome
                        .as_deref()
                        .map(|o| self.status(o))
                        .unwrap_or_default(),
                ]
            })
            .collect();
        let head = [
            "report-date",
            "party",
            "report-channel",
            "report-subject",
            "report-answered-after",
            "report-outcome",
        ];
        let mut section = self.section("liaison", "report-liaison", &head, rows);
        section.note = Some(self.t("report-liaison-note"));
        section
    }

    /// Each restriction on the monitors, the reason given quoted as given.
    fn restrictions(&self) -> Section {
        let rows = self
            .data
            .restrictions
            .iter()
            .map(|r| {
                vec![
                    super::dates::minute(self.lang, &r.at),
                    self.party(&r.controlled_by),
                    self.status(&r.kind),
                    r.delay_minutes
                        .map(|m| self.lang.number(&m))
                        .unwrap_or_default(),
                    r.place.clone(),
                    r.reason_given
                        .clone()
                        .map(|q| format!("“{q}”"))
                        .unwrap_or_default(),
                    self.t(if r.notified == 1 {
                        "report-yes"
                    } else {
                        "report-no"
                    }),
                    r.outcome.clone(),
                ]
            })
            .collect();
        let head = [
            "report-date",
            "report-controlled-by",
            "report-restriction-kind",
            "report-minutes",
            "form-place",
            "report-reason-given",
            "report-notified",
            "report-outcome",
        ];
        let mut section = self.section("restrictions", "report-restrictions", &head, rows);
        section.note = Some(self.t("report-restrictions-note"));
        section
    }

    /// One row per crossing and reporting delegation: the status at the period's end and
    /// the flows that delegation recorded into each country (never summed across
    /// delegations).
    fn crossings(&self) -> Section {
        let countries = self.flow_countries();
        let mut section = self.section(
            "crossings",
            "report-crossings",
            &[
                "crossing",
                "report-status-at-end",
                "since",
                "report-reported-by",
            ],
            self.crossing_rows(&countries),
        );
        section.head.extend(countries.iter().map(|code| {
            let country = self.lang.country(code);
            self.lang
                .t_with("report-to-country", &[("country", country.into())])
        }));
        section
    }

    /// The countries flows are counted into, one column each: the agreed geometry's, and
    /// any other a recorded flow names.
    fn flow_countries(&self) -> Vec<String> {
        let mut codes: Vec<String> = self
            .geometry
            .into_iter()
            .flat_map(|g| g.countries().map(|c| c.code().to_string()))
            .collect();
        let recorded = self.data.crossings.iter().flat_map(|c| &c.totals);
        for total in recorded {
            let code = Direction::parse(&total.direction).map(|d| d.country_code());
            if let Ok(code) = code
                && !codes.contains(&code)
            {
                codes.push(code);
            }
        }
        codes
    }

    fn crossing_rows(&self, countries: &[String]) -> Vec<Vec<String>> {
        let mut rows = vec![];
        for c in &self.data.crossings {
            let id = c.id.clone();
            let name = super::dashboard::crossing_name(self.geometry, &id, self.lang)
                .or_else(|| c.name.clone())
                .unwrap_or(id);
            let status = c.status.as_ref();
            let since = day(status.map_or("", |s| s.since.as_str()));
            let status = self.status(status.map_or("unknown", |s| s.status.as_str()));
            let mut by: Vec<(String, Vec<[i64; 3]>)> = vec![];
            for total in &c.totals {
                let reporter = total.reported_by.clone();
                if by.last().is_none_or(|(r, _)| *r != reporter) {
                    by.push((reporter, vec![[0; 3]; countries.len()]));
                }
                let (_, sums) = by.last_mut().expect("just pushed");
                let into = Direction::parse(&total.direction).map(|d| d.country_code());
                let Some(column) = into
                    .ok()
                    .and_then(|code| countries.iter().position(|c| *c == code))
                else {
                    continue;
                };
                let count = total.count;
                for (sum, n) in sums[column]
                    .iter_mut()
                    .zip([count.low, count.best, count.high])
                {
                    *sum += n;
                }
            }
            let row = vec![name, status, since];
            if by.is_empty() {
                let mut row = row;
                row.push(String::new());
                row.extend(countries.iter().map(|_| "\u{2013}".to_string()));
                rows.push(row);
                continue;
            }
            for (reporter, sums) in by {
                let mut row = row.clone();
                row.push(self.party(&reporter));
                row.extend(sums.into_iter().map(|sum| self.range(sum)));
                rows.push(row);
            }
        }
        rows
    }

    fn commitments(&self) -> Section {
        let rows = self
            .data
            .commitments_due
            .iter()
            .map(|c| {
                vec![
                    day(c.due.as_deref().unwrap_or_default()),
                    self.party(&c.owner),
                    c.text.clone(),
                    self.status(&c.status),
                ]
            })
            .collect();
        let head = ["report-due", "report-owner", "report-commitment", "status"];
        self.section("commitments", "report-commitments", &head, rows)
    }

    /// The agreed map with the period's reports and each crossing's status at its end.
    fn map(&self, map: &BaseMap, title: &str) -> String {
        let dots: Vec<Point> = self
            .data
            .points
            .iter()
            .filter_map(|&(lon, lat)| map.point(lon, lat))
            .collect();
        let crossings: Vec<(Point, String)> = self
            .data
            .crossings
            .iter()
            .filter_map(|c| {
                let at = map.point(c.lon?, c.lat?)?;
                let status = c.status.as_ref().map_or("unknown", |s| s.status.as_str());
                Some((at, status.to_string()))
            })
            .collect();
        map.standalone(title, &dots, &crossings)
    }
}

/// A count beside the previous period's and the change, in `lang`'s digits.
fn compared_row(lang: Lang, label: String, c: &Compared) -> Vec<String> {
    let change = c.current - c.previous;
    let magnitude = lang.number(&i64::try_from(change.unsigned_abs()).unwrap_or(i64::MAX));
    let change = match change {
        0 => magnitude,
        n if n > 0 => left_to_right(&format!("+{magnitude}")),
        _ => left_to_right(&format!("\u{2212}{magnitude}")),
    };
    let (current, previous) = (lang.number(&c.current), lang.number(&c.previous));
    vec![label, current, previous, change]
}

/// Text isolated left to right (U+2066 ... U+2069), so that a signed number or a range
/// keeps its order inside right-to-left text: "+2", not "2+".
fn left_to_right(text: &str) -> String {
    format!("\u{2066}{text}\u{2069}")
}

/// The day of an RFC 3339 time.
fn day(time: &str) -> String {
    time.get(..10).unwrap_or(time).to_string()
}

/// What a report (or a day's observations) leads with when the mechanism observes: "N
/// violations observed, including M explosions (K the day before)"; none when no
/// monitoring delegation observed anything in either period, rather than a claim of calm.
pub(crate) fn observed_lead(
    lang: Lang,
    counts: &api::observations::ObservationCounts,
    one_day: bool,
) -> Option<String> {
    if !counts.delegations.iter().any(|d| d.mechanism) {
        return None;
    }
    let (total, explosions, before) = counts.mechanism();
    let id = if one_day {
        "report-observed-daily"
    } else {
        "report-observed-period"
    };
    Some(lang.t_with(
        id,
        &[
            ("total", total.into()),
            ("explosions", explosions.into()),
            ("before", before.into()),
        ],
    ))
}

//! The desk's forms turned into payloads. Only the form's own shape is checked here
//! (a number that is not one, a date that is not a date), naming the form's field; what
//! the payload means is for the log's admission to judge, which names `payload.<field>`.

use std::collections::HashMap;

use serde_json::{Value, json};
use truce_core::mechanism::report::EVENT_TYPES;

use crate::session::WebSession;
use truce_api::problem::Problem;

/// A posted form's fields; a field sent more than once (checkboxes) keeps every value.
pub struct Fields<'f> {
    pairs: &'f [(String, String)],
}

impl<'f> Fields<'f> {
    pub fn new(pairs: &'f [(String, String)]) -> Self {
        Fields { pairs }
    }

    /// The field's value, trimmed ("" when absent).
    pub fn get(&self, name: &str) -> &'f str {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    }

    /// Every non-empty value of a repeated field (ticked checkboxes).
    pub fn all(&self, name: &str) -> Vec<&'f str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// What was typed, to fill a refused form again (checkboxes joined by commas).
    pub fn draft(&self) -> HashMap<String, String> {
        let mut draft: HashMap<String, String> = HashMap::new();
        for (k, v) in self.pairs.iter().filter(|(k, _)| k != "csrf") {
            draft
                .entry(k.clone())
                .and_modify(|all| {
                    all.push(',');
                    all.push_str(v);
                })
                .or_insert_with(|| v.clone());
        }
        draft
    }

    fn number<T: std::str::FromStr>(&self, name: &str, what: &str) -> Result<T, Problem> {
        let text = self.get(name);
        text.parse().map_err(|_| {
            Problem::bad_request(name, format!("{name} must be {what} (got {text:?})"))
        })
    }

    fn whole(&self, name: &str) -> Result<u64, Problem> {
        self.number(name, "a whole number")
    }

    /// A `low`/`best`/`high` triple of whole numbers named `<prefix>_low`...
    fn range(&self, prefix: &str) -> Result<Value, Problem> {
        Ok(json!({
            "low": self.whole(&format!("{prefix}_low"))?,
            "best": self.whole(&format!("{prefix}_best"))?,
            "high": self.whole(&format!("{prefix}_high"))?,
        }))
    }

    /// A day `YYYY-MM-DD` (a date input's value) as the RFC 3339 start of that day.
    fn day(&self, name: &str) -> Result<String, Problem> {
        let text = self.get(name);
        let format = time::macros::format_description!("[year]-[month]-[day]");
        time::Date::parse(text, format)
            .map(|_| format!("{text}T00:00:00Z"))
            .map_err(|_| {
                Problem::bad_request(
                    name,
                    format!("{name} must be a date YYYY-MM-DD (got {text:?})"),
                )
            })
    }

    /// A minute `YYYY-MM-DDTHH:MM` (a `datetime-local` input's value), read as UTC, as
    /// RFC 3339.
    fn minute(&self, name: &str) -> Result<String, Problem> {
        let text = self.get(name);
        let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
        time::PrimitiveDateTime::parse(text, format)
            .map(|_| format!("{text}:00Z"))
            .map_err(|_| {
                Problem::bad_request(
                    name,
                    format!("{name} must be a time YYYY-MM-DDTHH:MM in UTC (got {text:?})"),
                )
            })
    }

    /// A party id, or null when the form's choice is empty.
    fn optional(&self, name: &str) -> Value {
        match self.get(name) {
            "" => Value::Null,
            value => json!(value),
        }
    }
}

/// The event-type choices: `event_type/sub_event_type`, ACLED's pairs.
pub fn event_choices() -> Vec<String> {
    EVENT_TYPES
        .iter()
        .flat_map(|(event, subs)| subs.iter().map(move |sub| format!("{event}/{sub}")))
        .collect()
}

/// `report.submitted` from the report form.
pub fn report(form: &Fields) -> Result<Value, Problem> {
    let event = form.get("event");
    let (event_type, sub_event_type) = event.split_once('/').ok_or_else(|| {
        Problem::bad_request("event", "event must be one of the listed event types")
    })?;
    let lat: f64 = form.number("lat", "a latitude in degrees")?;
    let lon: f64 = form.number("lon", "a longitude in degrees")?;
    let precision: u8 = form.number("where_prec", "a location precision from 1 to 7")?;
    let source = json!({
        "name": form.get("source_name"),
        "reliability": form.get("source_reliability"),
        "credibility": form.number::<u8>("source_credibility", "a credibility from 1 to 6")?,
    });
    Ok(json!({
        "accused": form.optional("accused"),
        "actors": [],
        "casualties": {
            "killed": form.range("killed")?,
            "injured": form.range("injured")?,
            "civilians_killed": null, "women_killed": null, "children_killed": null,
        },
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "location": {"place": form.get("place"), "point": {"lat": lat, "lon": lon},
            "precision": precision, "launch": null, "impact": null},
        "occurred": {"start": form.day("date")?, "end": null, "precision": form.get("date_prec")},
        "provisions": form.all("provisions"),
        "sources": [source],
        "summary": form.get("summary"),
        "title": form.get("title"),
    }))
}

/// `statement.filed` in the person's own delegation's name (the log refuses any other).
pub fn statement(form: &Fields, session: &WebSession) -> Result<Value, Problem> {
    let figures = if form.get("killed_best").is_empty() {
        Value::Null
    } else {
        json!({"killed": form.range("killed")?, "injured": form.range("injured")?})
    };
    let mut payload = json!({
        "figures": figures,
        "incident": form.whole("incident")?,
        "kind": form.get("kind"),
        "lang": form.get("lang"),
        "party": session.caller.person.delegation.as_str(),
        "sources": [],
        "text": form.get("text"),
    });
    if !form.get("finding").is_empty() {
        payload["finding"] = json!(form.whole("finding")?);
    }
    Ok(payload)
}

/// `finding.signed`: concur or dissent, with the reasoning.
pub fn signature(form: &Fields) -> Result<Value, Problem> {
    Ok(json!({
        "finding": form.whole("finding")?,
        "vote": form.get("vote"),
        "reasoning": form.get("reasoning"),
    }))
}

/// `finding.finalized`.
pub fn finalize(form: &Fields) -> Result<Value, Problem> {
    Ok(json!({"finding": form.whole("finding")?}))
}

/// Whole numbers separated by commas, spaces or lines (`12, 15 17`).
fn indexes(form: &Fields, name: &str) -> Result<Vec<u64>, Problem> {
    form.get(name)
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.trim_start_matches('#').parse().map_err(|_| {
                let detail =
                    format!("{name} must be entry numbers separated by commas (got {part:?})");
                Problem::bad_request(name, detail)
            })
        })
        .collect()
}

/// The non-empty lines of a text area.
fn lines<'f>(form: &Fields<'f>, name: &str) -> Vec<&'f str> {
    form.get(name)
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
}

/// `incident.opened`: reports grouped as one incident, with the parties they accuse.
pub fn incident(form: &Fields) -> Result<Value, Problem> {
    Ok(json!({
        "accused": form.all("accused"),
        "reports": indexes(form, "reports")?,
        "summary": form.get("summary"),
        "title": form.get("title"),
    }))
}

/// `investigation.opened`: the monitors named one key per line (the author's own by default).
pub fn investigation(form: &Fields, session: &WebSession) -> Result<Value, Problem> {
    let mut monitors = lines(form, "monitors");
    let own = session.caller.person.key.as_str();
    if monitors.is_empty() {
        monitors.push(own);
    }
    Ok(json!({
        "incident": form.whole("incident")?,
        "mandate": form.get("mandate"),
        "monitors": monitors,
        "tasks": lines(form, "tasks"),
    }))
}

/// `investigation.step`: `party` only for a denial of access, `task` only for a task done.
pub fn step(form: &Fields) -> Result<Value, Problem> {
    let mut payload = json!({
        "investigation": form.whole("investigation")?,
        "kind": form.get("kind"),
        "occurred": form.day("occurred")?,
        "text": form.get("text"),
    });
    if !form.get("party").is_empty() {
        payload["party"] = json!(form.get("party"));
    }
    if !form.get("task").is_empty() {
        payload["task"] = json!(form.whole("task")?);
    }
    Ok(payload)
}

/// `finding.proposed`: attribution and party only for a violation.
pub fn finding(form: &Fields) -> Result<Value, Problem> {
    let mut payload = json!({
        "confidence": form.get("confidence"),
        "determination": form.get("determination"),
        "investigation": form.whole("investigation")?,
        "provision": form.get("provision"),
        "reasoning": form.get("reasoning"),
    });
    for optional in ["attribution", "party"] {
        if !form.get(optional).is_empty() {
            payload[optional] = json!(form.get(optional));
        }
    }
    Ok(payload)
}

/// The count lines the observation form offers.
pub const OBSERVATION_LINES: usize = 3;

/// `observation.recorded` from the observation form: the window's start and end are
/// `datetime-local` values read as UTC, and up to [`OBSERVATION_LINES`] lines counted (a
/// line without a kind is left out). A negative count goes through, for the log to refuse
/// naming `payload.counts[i].count`.
pub fn observation(form: &Fields) -> Result<Value, Problem> {
    let lat: f64 = form.number("lat", "a latitude in degrees")?;
    let lon: f64 = form.number("lon", "a longitude in degrees")?;
    let mut counts = vec![];
    for i in 1..=OBSERVATION_LINES {
        let kind = form.get(&format!("kind_{i}"));
        if kind.is_empty() {
            continue;
        }
        let count: i64 = form.number(&format!("count_{i}"), "a whole number")?;
        let mut line = json!({"kind": kind, "count": count,
            "perception": form.get(&format!("perception_{i}"))});
        if let Value::String(side) = form.optional(&format!("from_{i}")) {
            line["from_side"] = json!(side);
        }
        counts.push(line);
    }
    let mut payload = json!({
        "platform": form.get("platform"),
        "place": form.get("place"),
        "position": {"lat": lat, "lon": lon},
        "start": form.minute("start")?,
        "end": form.minute("end")?,
        "counts": counts,
    });
    if let Value::String(sensor) = form.optional("sensor") {
        payload["sensor"] = json!(sensor);
    }
    if let Value::String(note) = form.optional("note") {
        payload["note"] = json!(note);
    }
    Ok(payload)
}

/// `restriction.recorded` from the restriction form: when it happened is a
/// `datetime-local` value read as UTC; a delay's minutes only when given.
pub fn restriction(form: &Fields) -> Result<Value, Problem> {
    let mut payload = json!({
        "movement": form.get("movement"),
        "kind": form.get("kind"),
        "at": form.minute("at")?,
        "controlled_by": form.get("controlled_by"),
        "place": form.get("place"),
        "notified": form.get("notified") == "yes",
        "outcome": form.get("outcome"),
    });
    if !form.get("minutes").is_empty() {
        payload["delay_minutes"] = json!(form.whole("minutes")?);
    }
    for (field, name) in [("reason_given", "reason_given"), ("provision", "provision")] {
        if let Value::String(text) = form.optional(name) {
            payload[field] = json!(text);
        }
    }
    Ok(payload)
}

/// `liaison.acknowledged` from a contact's acknowledge button.
pub fn acknowledgement(form: &Fields) -> Result<Value, Problem> {
    let mut payload = json!({"contact": form.whole("contact")?});
    if let Value::String(note) = form.optional("note") {
        payload["note"] = json!(note);
    }
    Ok(payload)
}

/// `liaison.contact` from the contact form; a movement notice's route and window only when
/// given.
pub fn contact(form: &Fields) -> Result<Value, Problem> {
    let mut payload = json!({
        "party": form.get("party"),
        "channel": form.get("channel"),
        "subject": form.get("subject"),
    });
    if !form.get("route").is_empty() {
        payload["movement"] = json!({"route": form.get("route"),
            "start": form.minute("window_start")?, "end": form.minute("window_end")?});
    }
    if !form.get("incident").is_empty() {
        payload["incident"] = json!(form.whole("incident")?);
    }
    Ok(payload)
}

/// `report.verified` from the verification form: corroborating reports as indexes
/// separated by commas or spaces.
pub fn verification(form: &Fields) -> Result<Value, Problem> {
    let corroborating: Vec<u64> = form
        .get("corroborating")
        .split([',', ' '])
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim().parse().map_err(|_| {
                Problem::bad_request(
                    "corroborating",
                    format!("corroborating must list report numbers (got {s:?})"),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(json!({
        "report": form.whole("report")?,
        "status": form.get("status"),
        "rule": form.get("rule"),
        "corroborating": corroborating,
    }))
}

/// `sensor.registered` from the sensor form; a position only when both coordinates are
/// given (a drone has none).
pub fn sensor(form: &Fields) -> Result<Value, Problem> {
    let mut payload =
        json!({"id": form.get("id"), "kind": form.get("kind"), "name": form.get("name")});
    if !form.get("lat").is_empty() || !form.get("lon").is_empty() {
        let lat: f64 = form.number("lat", "a latitude in degrees")?;
        let lon: f64 = form.number("lon", "a longitude in degrees")?;
        payload["position"] = json!({"lat": lat, "lon": lon});
    }
    Ok(payload)
}

/// `sensor.status` from the sensor status form.
pub fn sensor_status(form: &Fields) -> Result<Value, Problem> {
    let mut payload = json!({"sensor": form.get("sensor"), "state": form.get("state"),
        "since": form.minute("since")?});
    if let Value::String(reason) = form.optional("reason") {
        payload["reason"] = json!(reason);
    }
    Ok(payload)
}

/// `liaison.outcome` from the outcome form.
pub fn contact_outcome(form: &Fields) -> Result<Value, Problem> {
    let mut payload = json!({"contact": form.whole("contact")?, "outcome": form.get("outcome")});
    if let Value::String(note) = form.optional("note") {
        payload["note"] = json!(note);
    }
    Ok(payload)
}

/// `casualties.reconciled` from the reconciliation form.
pub fn reconciliation(form: &Fields) -> Result<Value, Problem> {
    Ok(json!({
        "incident": form.whole("incident")?,
        "killed": form.range("killed")?,
        "injured": form.range("injured")?,
        "explanation": form.get("explanation"),
    }))
}

//! The monitors' side of the public report form: the queue of reports from the public on
//! the desk, a report form started from one (`/desk?intake=ID`), marking it filed with the
//! report a monitor signed, and dismissing it with a reason. Only monitors see or settle
//! public reports: they alone may read what the public wrote, and a contact left.

use std::collections::HashMap;

use truce_core::Role;

use super::forms::Fields;
use crate::lang::Lang;
use crate::session::WebSession;
use truce_api::intake::{self, PublicReport, Settlement};
use truce_api::problem::Problem;
use truce_api::state::AppState;

/// How many public reports the desk lists at once, oldest first.
const SHOWN: usize = 50;

/// A public report as the desk lists it.
pub struct Waiting {
    pub id: String,
    pub received: String,
    pub happened: String,
    pub place: String,
    /// "lat, lon", or empty when the reporter gave none.
    pub point: String,
    pub killed: String,
    pub injured: String,
    pub account: String,
    pub contact: Option<String>,
    /// The reporter left a way to be reached, sealed to the custodians.
    pub contact_sealed: bool,
    /// The language the reporter wrote from.
    pub lang: String,
}

/// The public reports waiting, oldest first.
pub async fn waiting(state: &AppState, lang: Lang) -> Result<Vec<Waiting>, Problem> {
    let pending = intake::pending(&state.store, SHOWN).await?;
    Ok(pending.into_iter().map(|p| listed(lang, p)).collect())
}

fn listed(lang: Lang, p: PublicReport) -> Waiting {
    let count = |n: Option<i64>| n.map_or_else(|| "—".to_string(), |n| lang.number(&n));
    let r = p.report;
    Waiting {
        received: crate::dates::minute(lang, &truce_api::v1::entries::rfc3339_ms(p.received_ms)),
        happened: crate::dates::day(lang, &format!("{}T00:00:00Z", r.happened_on)),
        point: r
            .point
            .map(|(lat, lon)| format!("{lat}, {lon}"))
            .unwrap_or_default(),
        killed: count(r.killed),
        injured: count(r.injured),
        id: p.id,
        place: r.place,
        account: r.account,
        contact: r.contact,
        contact_sealed: r.contact_sealed.is_some(),
        lang: r.lang,
    }
}

/// The report form's fields filled from a public report, with the `intake` field that
/// marks it filed once the monitor's report is on the record. The source is the public
/// report by its reference; the contact never leaves the desk. What the public did not
/// say (event type, precision, the accused, provisions) is for the monitor to choose.
pub async fn draft(state: &AppState, id: &str) -> Result<HashMap<String, String>, Problem> {
    let Some(p) = intake::get(&state.store, id).await? else {
        return Err(Problem::not_found(format!("no public report {id}")));
    };
    let r = &p.report;
    let mut draft = HashMap::from([
        ("intake".to_string(), p.id.clone()),
        (
            "title".into(),
            cut(&format!("{}, {}", r.place, r.happened_on), 200),
        ),
        ("summary".into(), r.account.clone()),
        ("date".into(), r.happened_on.clone()),
        ("place".into(), r.place.clone()),
        (
            "source_name".into(),
            format!("Public report {} (anonymous)", p.id),
        ),
        // An anonymous source cannot be judged until the monitors have checked it.
        ("source_reliability".into(), "F".into()),
        ("source_credibility".into(), "6".into()),
    ]);
    if let Some((lat, lon)) = r.point {
        draft.insert("lat".into(), lat.to_string());
        draft.insert("lon".into(), lon.to_string());
    }
    for (field, figure) in [("killed", r.killed), ("injured", r.injured)] {
        if let Some(n) = figure {
            for bound in ["low", "best", "high"] {
                draft.insert(format!("{field}_{bound}"), n.to_string());
            }
        }
    }
    Ok(draft)
}

fn cut(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// Marks the public report `id` filed as entry `index`, when a monitor's report came from
/// one. The report is on the record already, so this never undoes or refuses it: a public
/// report settled meanwhile by another monitor is left as they settled it, and logged.
pub async fn filed(state: &AppState, session: &WebSession, id: &str, index: u64) {
    let person = &session.caller.person;
    if id.is_empty() || person.role != Role::Monitor {
        return;
    }
    let settled = intake::settle(&state.store, id, Settlement::Filed(index), &person.name).await;
    if let Err(problem) = settled {
        tracing::warn!(public_report = id, index, detail = %problem.detail, "public report not marked filed");
    }
}

/// `POST /desk/dismiss` (intake, reason): a monitor decides a public report will not be
/// filed, and says why (the reporter's status page shows the reason).
pub async fn dismiss(
    state: &AppState,
    session: &WebSession,
    fields: &Fields<'_>,
) -> Result<String, Problem> {
    let person = &session.caller.person;
    if person.role != Role::Monitor {
        return Err(Problem::forbidden(
            "only monitors settle reports from the public",
        ));
    }
    let reason = intake::reason(fields.get("reason"))?;
    let settlement = Settlement::Dismissed(reason);
    intake::settle(&state.store, fields.get("intake"), settlement, &person.name).await?;
    Ok("/desk#public-h".into())
}

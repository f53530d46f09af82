//! Reports from the public: what anyone may tell the mechanism through the anonymous form
//! at `/report`, kept until a monitor files it as a report of their own or dismisses it.
//!
//! An anonymous report is not an entry: nobody's key signs it, so the log's rules could
//! not say who is accountable for it. It waits here, as this node's operational data (like
//! accounts), and reaches the record only as a `report.submitted` a monitor signs, naming
//! it as the source. The trade-off, written down so that nobody is surprised: the
//! operator of the node could drop a public report unnoticed before a monitor sees it.
//!
//! Nothing identifying is kept: no address, no browser, no cookie; a way to reach the
//! reporter only if they chose to leave one, sealed at once to the custodians of testimony
//! under the agreement's policy ([`seal_contact`]): the node holds it in clear only while
//! it answers the form, and opening it takes a testimony record and the custodians'
//! approvals, as for any witness. (A node whose agreement names no custodians keeps it in
//! clear, shown to monitors only.) Two caps
//! keep a flood from filling the disk or the monitors' queue (the node knows no one to
//! block): pending reports, and reports in the last hour.

use rand_core::{OsRng, RngCore};
use truce_core::mechanism::{SealedFile, Share, TestimonyPolicy};
use truce_seal::SealedPart;
use truce_store::public_reports::SealedContact;
use truce_store::public_reports::{Admission, Caps, NewPublicReport};
pub use truce_store::public_reports::{
    DISMISSED, FILED, PENDING, PublicReport, Received, Settlement,
};
use truce_store::{EvidenceStore, Store};

use crate::problem::Problem;
use truce_node::config::Limits;

const ACCOUNT_CHARS: (usize, usize) = (10, 4_000);
const PLACE_CHARS: (usize, usize) = (2, 200);
const CONTACT_CHARS_MAX: usize = 200;
const REASON_CHARS: (usize, usize) = (3, 500);
/// More than any one event's casualties; a larger number is a typing slip.
const PEOPLE_MAX: i64 = 100_000;

/// Checks a form's fields (`get` answers a field's trimmed value, "" when absent).
/// `today` is `YYYY-MM-DD` (UTC): an event cannot have happened after it.
pub fn check<'f>(
    get: impl Fn(&str) -> &'f str,
    lang: &str,
    today: &str,
) -> Result<Received, Problem> {
    let account = text(get("account"), "account", ACCOUNT_CHARS)?;
    let place = text(get("place"), "place", PLACE_CHARS)?;
    let happened_on = day(get("date"), today)?;
    let point = point(get("lat"), get("lon"))?;
    let contact = match get("contact") {
        "" => None,
        c => Some(text(c, "contact", (1, CONTACT_CHARS_MAX))?),
    };
    Ok(Received {
        lang: lang.to_string(),
        happened_on,
        place,
        point,
        account,
        killed: people(get("killed"), "killed")?,
        injured: people(get("injured"), "injured")?,
        contact,
        contact_sealed: None,
    })
}

/// A dismissal's reason, checked.
pub fn reason(text_in: &str) -> Result<String, Problem> {
    text(text_in, "reason", REASON_CHARS)
}

fn text(value: &str, field: &str, (min, max): (usize, usize)) -> Result<String, Problem> {
    let chars = value.chars().count();
    if !(min..=max).contains(&chars) {
        return Err(refuse(
            field,
            format!("must be {min} to {max} characters (is {chars})"),
        ));
    }
    // Line breaks and tabs are writing; other control characters are not, and PostgreSQL
    // refuses NUL outright.
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(refuse(
            field,
            format!(
                "must not contain the control character U+{:04X}",
                u32::from(c)
            ),
        ));
    }
    Ok(value.to_string())
}

fn day(value: &str, today: &str) -> Result<String, Problem> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    if time::Date::parse(value, format).is_err() {
        return Err(refuse(
            "date",
            format!("must be a date YYYY-MM-DD (got {value:?})"),
        ));
    }
    // Both are YYYY-MM-DD, so they compare as text.
    if value > today {
        return Err(refuse("date", format!("{value} is after today ({today})")));
    }
    Ok(value.to_string())
}

fn point(lat: &str, lon: &str) -> Result<Option<(f64, f64)>, Problem> {
    if lat.is_empty() && lon.is_empty() {
        return Ok(None);
    }
    let degrees = |value: &str, field: &str, limit: f64| -> Result<f64, Problem> {
        match value.parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= limit => Ok(v),
            _ => Err(refuse(
                field,
                format!(
                    "must be degrees from -{limit} to {limit}, or both coordinates left empty (got {value:?})"
                ),
            )),
        }
    };
    Ok(Some((
        degrees(lat, "lat", 90.0)?,
        degrees(lon, "lon", 180.0)?,
    )))
}

fn people(value: &str, field: &str) -> Result<Option<i64>, Problem> {
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<i64>() {
        Ok(n) if (0..=PEOPLE_MAX).contains(&n) => Ok(Some(n)),
        _ => Err(refuse(
            field,
            format!(
                "must be a whole number from 0 to {PEOPLE_MAX}, or empty when unknown (got {value:?})"
            ),
        )),
    }
}

fn refuse(field: &str, reason: impl std::fmt::Display) -> Problem {
    Problem::bad_request(field, format!("{field}: {reason}"))
}

/// Keeps a public report, unless a cap is reached; answers its id, the reporter's
/// reference. The caps are counted and the row written in one step, so a burst passes
/// each cap by exactly its number.
pub async fn receive(
    store: &Store,
    sealed: &EvidenceStore,
    limits: &Limits,
    mut report: Received,
) -> Result<String, Problem> {
    // Sealed only once the report is kept, so that a flood the caps refuse leaves nothing.
    let sealing = sealing(store).await?;
    let to_seal = match (&report.contact, kept(sealing.as_ref())) {
        (Some(_), ContactKept::Sealed) => report.contact.take(),
        (Some(_), ContactKept::NotTaken) => {
            report.contact = None;
            None
        }
        _ => None,
    };
    let now = truce_node::sequencer::unix_ms();
    let id = new_id();
    let new = NewPublicReport {
        id: id.clone(),
        received_ms: now,
        report,
    };
    let caps = Caps {
        pending_max: u64::try_from(limits.public_reports_pending_max).unwrap_or(u64::MAX),
        recent_max: u64::try_from(limits.public_reports_hour_max).unwrap_or(u64::MAX),
        since_ms: now - 3_600_000,
    };
    match store
        .keep_public_report(&new, caps)
        .await
        .map_err(internal)?
    {
        Admission::Kept => {
            if let (Some(contact), Some(sealing)) = (to_seal, &sealing) {
                keep_sealed(store, sealed, sealing, &id, contact).await?;
            }
            Ok(id)
        }
        Admission::PendingFull(pending) => Err(Problem::unavailable(format!(
            "the monitors have {pending} public reports to read before they can take more; please try again later"
        ))),
        Admission::RecentFull(last_hour) => Err(Problem::new(
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "too-many-public-reports",
            "Too many reports",
            format!(
                "{last_hour} public reports arrived in the last hour, the most this node takes; please try again in an hour"
            ),
        )),
    }
}

/// Seals `contact` for the kept report `id` and records the sealed form with it. If
/// sealing fails (the custodians cannot meet the policy), the contact is dropped (never
/// kept in clear) and the failure logged.
async fn keep_sealed(
    store: &Store,
    sealed: &EvidenceStore,
    sealing: &Sealing,
    id: &str,
    contact: String,
) -> Result<(), Problem> {
    if let Some(form) = seal_contact(sealed, sealing, contact).await? {
        return store.set_sealed_contact(id, &form).await.map_err(internal);
    }
    tracing::warn!(%id, "a public reporter's contact could not be sealed and was dropped");
    Ok(())
}

/// Seals a way to reach a reporter to the active custodians under the agreement's policy,
/// storing the sealed part and the shares by hash; `None` if the custodians cannot meet
/// the policy.
async fn seal_contact(
    sealed: &EvidenceStore,
    sealing: &Sealing,
    contact: String,
) -> Result<Option<SealedContact>, Problem> {
    let part = SealedPart {
        identity: "a reporter through the public form".into(),
        contact: Some(contact),
        statement: None,
        files: vec![],
    };
    let plaintext = zeroize::Zeroizing::new(serde_json::to_vec(&part).map_err(internal)?);
    let Ok(done) = truce_seal::seal(&plaintext, &sealing.custodians, &sealing.policy) else {
        return Ok(None);
    };
    sealed
        .put(&done.sha256, done.ciphertext.clone().into())
        .await
        .map_err(internal)?;
    let mut shares = vec![];
    for (share, custodian) in done.shares.into_iter().zip(&sealing.custodians) {
        sealed
            .put(&share.sha256, share.blob.into())
            .await
            .map_err(internal)?;
        shares.push(Share {
            custodian: truce_core::KeyName::parse(&share.custodian).map_err(internal)?,
            delegation: custodian.delegation.clone(),
            // The registered text: base64 decoding is canonical, so this is it again.
            encryption_key: custodian.key.to_base64(),
            sha256: share.sha256,
        });
    }
    Ok(Some(SealedContact {
        sealed: SealedFile {
            sha256: done.sha256,
            bytes: done.ciphertext.len() as u64,
        },
        policy: sealing.policy.clone(),
        shares,
    }))
}

/// What becomes of a way to reach the reporter left now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactKept {
    /// Sealed to the custodians at once.
    Sealed,
    /// In clear, for monitors: the agreement names no testimony policy.
    Clear,
    /// Not taken: the agreement names a policy its custodians cannot meet yet, and a
    /// contact is never kept in clear where the agreement wants it sealed.
    NotTaken,
}

/// The agreement's testimony policy and the active custodians to seal to, read once.
struct Sealing {
    policy: TestimonyPolicy,
    custodians: Vec<truce_seal::Custodian>,
}

/// What a contact left now would become.
pub async fn contact_kept(store: &Store) -> Result<ContactKept, Problem> {
    Ok(kept(sealing(store).await?.as_ref()))
}

fn kept(sealing: Option<&Sealing>) -> ContactKept {
    match sealing {
        None => ContactKept::Clear,
        Some(s) if s.policy.is_met(s.custodians.iter().map(|c| &c.delegation)) => {
            ContactKept::Sealed
        }
        Some(_) => ContactKept::NotTaken,
    }
}

/// The policy and custodians, or `None` if the agreement names no testimony policy.
async fn sealing(store: &Store) -> Result<Option<Sealing>, Problem> {
    let Some(policy) = store
        .genesis()
        .await
        .map_err(internal)?
        .and_then(|g| g.testimony)
    else {
        return Ok(None);
    };
    let mut custodians = vec![];
    for row in store.active_custodians().await.map_err(internal)? {
        custodians.push(truce_seal::Custodian {
            name: row.key,
            delegation: truce_core::DelegationId::parse(&row.delegation).map_err(internal)?,
            key: truce_seal::PublicKey::from_base64(&row.encryption_key).map_err(internal)?,
        });
    }
    Ok(Some(Sealing { policy, custodians }))
}

/// A reference nobody can guess, so that its status page tells only its holder.
#[must_use]
pub fn new_id() -> String {
    let mut bytes = [0u8; 12];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The reports waiting for a monitor, oldest first.
pub async fn pending(store: &Store, limit: usize) -> Result<Vec<PublicReport>, Problem> {
    store
        .oldest_pending_public_reports(limit)
        .await
        .map_err(internal)
}

/// One public report by its id.
pub async fn get(store: &Store, id: &str) -> Result<Option<PublicReport>, Problem> {
    store.public_report(id).await.map_err(internal)
}

/// Records what a monitor did with a pending report. A report already settled (by another
/// monitor a moment earlier) is left as it is, and the answer says so.
pub async fn settle(
    store: &Store,
    id: &str,
    settlement: Settlement,
    by: &str,
) -> Result<(), Problem> {
    let Some(report) = get(store, id).await? else {
        return Err(Problem::bad_request(
            "intake",
            format!("intake: there is no public report {id:?}"),
        ));
    };
    if report.status != PENDING {
        return Err(Problem::bad_request(
            "intake",
            format!(
                "intake: public report {id} was {} by {} already",
                report.status,
                report.handled_by.as_deref().unwrap_or("someone")
            ),
        ));
    }
    let at_ms = truce_node::sequencer::unix_ms();
    store
        .settle_public_report(id, &settlement, by, at_ms)
        .await
        .map_err(internal)
}

fn internal(e: impl std::fmt::Display) -> Problem {
    Problem::internal(&e)
}

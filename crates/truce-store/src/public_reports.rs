//! The public report form's inbox (`public_reports`): the one write whose admission depends
//! on how many rows are already there, so the count and the insert are one step. Counted
//! first and written after, a burst sent at once all passed the count (issue 17, finding 8).
//!
//! The insert is a single `INSERT ... SELECT ... WHERE <counts below the caps>`. SQLite
//! runs it with the write lock held from its start (and this process's writers take turns);
//! PostgreSQL, whose READ COMMITTED lets two such statements see the same count, first
//! takes a lock on the table that conflicts only with itself and other writers, so
//! readers (the desk, the status page) are not held up.

use crate::model::to_i64_saturating;
use crate::projection::{Arg, Column, Write};
use crate::read::Values;
use crate::{Store, StoreError};

/// A public report's status: waiting for a monitor, filed on the log, or dismissed.
pub const PENDING: &str = "pending";
pub const FILED: &str = "filed";
pub const DISMISSED: &str = "dismissed";

/// What the reporter sent, checked by the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// The page's language when it was sent, so a monitor knows what to expect.
    pub lang: String,
    /// `YYYY-MM-DD`.
    pub happened_on: String,
    pub place: String,
    /// Latitude and longitude, in degrees.
    pub point: Option<(f64, f64)>,
    pub account: String,
    pub killed: Option<i64>,
    pub injured: Option<i64>,
    /// A way to reach the reporter, in clear: only on a node whose agreement names no
    /// custodians of testimony to seal it to.
    pub contact: Option<String>,
    /// The way to reach the reporter sealed to the custodians, as the node received it.
    pub contact_sealed: Option<SealedContact>,
}

/// A reporter's contact sealed to the custodians (`truce_seal`), held as a testimony's
/// sealed part is: the files by SHA-256 under the node's sealed directory. A monitor
/// records it as a testimony (`truce testimony record --public-report`) to have it opened.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SealedContact {
    pub sealed: truce_core::mechanism::SealedFile,
    pub policy: truce_core::mechanism::TestimonyPolicy,
    pub shares: Vec<truce_core::mechanism::Share>,
}

impl SealedContact {
    /// Every file it names: the sealed part, then the shares.
    #[must_use]
    pub fn files(&self) -> Vec<String> {
        std::iter::once(self.sealed.sha256.clone())
            .chain(self.shares.iter().map(|s| s.sha256.clone()))
            .collect()
    }
}

/// A public report to keep: its id (the reporter's reference) and when it arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPublicReport {
    pub id: String,
    pub received_ms: i64,
    pub report: Received,
}

/// A public report as kept, with what became of it.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicReport {
    pub id: String,
    pub received_ms: i64,
    pub report: Received,
    pub status: String,
    pub handled_by: Option<String>,
    pub handled_ms: Option<i64>,
    pub filed_index: Option<i64>,
    pub dismissal: Option<String>,
}

/// What a monitor did with a public report.
#[derive(Debug, Clone, PartialEq)]
pub enum Settlement {
    /// Filed as the report at this log index.
    Filed(u64),
    /// Not filed, for this reason.
    Dismissed(String),
}

/// The caps a new public report must stay under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// Reports still waiting for a monitor.
    pub pending_max: u64,
    /// Reports received after `since_ms` (the last hour's, for the caller).
    pub recent_max: u64,
    pub since_ms: i64,
}

/// What became of a report offered under [`Caps`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Kept,
    /// Refused: this many reports wait already.
    PendingFull(u64),
    /// Refused: this many arrived since `since_ms`.
    RecentFull(u64),
}

/// The row's twelve values (`$1` to `$12`, in [`row`]'s order), then the caps (`$13` to `$15`).
pub(crate) const INSERT_UNDER_CAPS: &str = "INSERT INTO public_reports (id, received_ms, \
    lang, happened_on, place, lat, lon, account, killed, injured, contact, contact_sealed, \
    status) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'pending' \
    WHERE (SELECT COUNT(*) FROM public_reports WHERE status = 'pending') < $13 \
    AND (SELECT COUNT(*) FROM public_reports WHERE received_ms > $14) < $15";

/// Taken before [`INSERT_UNDER_CAPS`] on PostgreSQL: SHARE ROW EXCLUSIVE conflicts with
/// itself and with row writes, not with reads.
pub(crate) const LOCK_PG: &str = "LOCK TABLE public_reports IN SHARE ROW EXCLUSIVE MODE";

const COUNT_PENDING: &str = "SELECT COUNT(*) FROM public_reports WHERE status = 'pending'";
const COUNT_RECENT: &str = "SELECT COUNT(*) FROM public_reports WHERE received_ms > $1";
const COLUMNS: &str = "id, received_ms, lang, happened_on, place, lat, lon, account, killed, \
    injured, contact, contact_sealed, status, handled_by, handled_ms, filed_index, dismissal";
const SEALED_CONTACTS: &str = "SELECT id, contact_sealed, status FROM public_reports \
    WHERE contact_sealed IS NOT NULL";
const SET_SEALED_CONTACT: &str = "UPDATE public_reports SET contact_sealed = $2 WHERE id = $1";
const FORGET_SEALED_CONTACT: &str = "UPDATE public_reports SET contact_sealed = NULL WHERE id = $1";
const TYPES: [Column; 17] = [
    Column::Text, // id
    Column::Int,  // received_ms
    Column::Text, // lang
    Column::Text, // happened_on
    Column::Text, // place
    Column::Real, // lat
    Column::Real, // lon
    Column::Text, // account
    Column::Int,  // killed
    Column::Int,  // injured
    Column::Text, // contact
    Column::Text, // contact_sealed
    Column::Text, // status
    Column::Text, // handled_by
    Column::Int,  // handled_ms
    Column::Int,  // filed_index
    Column::Text, // dismissal
];
/// A report already settled (by another monitor a moment earlier) is left as it is.
const SETTLE: &str = "UPDATE public_reports SET status = $2, handled_by = $3, handled_ms = $4, \
    filed_index = $5, dismissal = $6 WHERE id = $1 AND status = 'pending'";

impl Store {
    /// Keeps a public report if it stays under `caps`, atomically: of a burst sent at
    /// once, exactly as many as the caps allow are kept.
    pub async fn keep_public_report(
        &self,
        new: &NewPublicReport,
        caps: Caps,
    ) -> Result<Admission, StoreError> {
        let mut args = row(new);
        args.extend([
            Arg::Int(to_i64_saturating(caps.pending_max)),
            Arg::Int(caps.since_ms),
            Arg::Int(to_i64_saturating(caps.recent_max)),
        ]);
        let kept = match self {
            Self::Sqlite(s) => s.insert_counted(INSERT_UNDER_CAPS, &args).await?,
            Self::Postgres(s) => {
                s.insert_counted_locked(LOCK_PG, INSERT_UNDER_CAPS, &args)
                    .await?
            }
        };
        if kept == 1 {
            return Ok(Admission::Kept);
        }
        // Refused: say which cap, counted again (it may have moved; the message is a guide).
        let pending = self.pending_public_reports().await?;
        if pending >= caps.pending_max {
            return Ok(Admission::PendingFull(pending));
        }
        let recent = self
            .count(COUNT_RECENT.into(), &[Arg::Int(caps.since_ms)])
            .await?;
        Ok(Admission::RecentFull(recent))
    }

    /// Every sealed contact kept (of dismissed reports only, with `dismissed_only`): its
    /// report's id, the contact, and the report's status (`pending`, `filed`, `dismissed`).
    pub async fn sealed_contacts(
        &self,
        dismissed_only: bool,
    ) -> Result<Vec<(String, SealedContact, String)>, StoreError> {
        let types = [Column::Text, Column::Text, Column::Text];
        let sql = if dismissed_only {
            format!("{SEALED_CONTACTS} AND status = '{DISMISSED}'")
        } else {
            SEALED_CONTACTS.to_string()
        };
        self.decoded(sql, &[], &types, |row| {
            Ok((row.text()?, sealed_contact(&row.text()?)?, row.text()?))
        })
        .await
    }

    /// Records the sealed form of the way to reach report `id`'s sender.
    pub async fn set_sealed_contact(
        &self,
        id: &str,
        contact: &SealedContact,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(contact).expect("a sealed contact serializes");
        let args = vec![Arg::Text(id.into()), Arg::Text(json)];
        self.apply_writes(&[Write {
            sql: SET_SEALED_CONTACT,
            args,
        }])
        .await
    }

    /// Forgets a public report's sealed contact once its files are deleted.
    pub async fn forget_sealed_contact(&self, id: &str) -> Result<(), StoreError> {
        let args = vec![Arg::Text(id.into())];
        self.apply_writes(&[Write {
            sql: FORGET_SEALED_CONTACT,
            args,
        }])
        .await
    }

    /// How many public reports wait for a monitor.
    pub async fn pending_public_reports(&self) -> Result<u64, StoreError> {
        self.count(COUNT_PENDING.into(), &[]).await
    }

    /// At most `limit` of the reports waiting for a monitor, oldest first.
    pub async fn oldest_pending_public_reports(
        &self,
        limit: usize,
    ) -> Result<Vec<PublicReport>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM public_reports WHERE status = 'pending' \
             ORDER BY received_ms, id LIMIT {limit}"
        );
        self.decoded(sql, &[], &TYPES, public_report).await
    }

    /// One public report by its id.
    pub async fn public_report(&self, id: &str) -> Result<Option<PublicReport>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM public_reports WHERE id = $1");
        let args = [Arg::Text(id.into())];
        Ok(self.decoded(sql, &args, &TYPES, public_report).await?.pop())
    }

    /// Records what the monitor `by` did with a pending report at `at_ms`; a report no
    /// longer pending is left as it is.
    pub async fn settle_public_report(
        &self,
        id: &str,
        settlement: &Settlement,
        by: &str,
        at_ms: i64,
    ) -> Result<(), StoreError> {
        let (status, index, dismissal) = match settlement {
            Settlement::Filed(index) => (FILED, Arg::Int(to_i64_saturating(*index)), Arg::NullText),
            Settlement::Dismissed(reason) => (DISMISSED, Arg::NullInt, Arg::Text(reason.clone())),
        };
        let args = vec![
            Arg::Text(id.into()),
            Arg::Text(status.into()),
            Arg::Text(by.into()),
            Arg::Int(at_ms),
            index,
            dismissal,
        ];
        self.apply_writes(&[Write { sql: SETTLE, args }]).await
    }
}

/// The columns `id` to `contact`, in [`INSERT_UNDER_CAPS`]'s order.
fn row(new: &NewPublicReport) -> Vec<Arg> {
    let report = &new.report;
    let (lat, lon) = report
        .point
        .map_or((Arg::NullReal, Arg::NullReal), |(lat, lon)| {
            (Arg::Real(lat), Arg::Real(lon))
        });
    vec![
        Arg::Text(new.id.clone()),
        Arg::Int(new.received_ms),
        Arg::Text(report.lang.clone()),
        Arg::Text(report.happened_on.clone()),
        Arg::Text(report.place.clone()),
        lat,
        lon,
        Arg::Text(report.account.clone()),
        report.killed.map_or(Arg::NullInt, Arg::Int),
        report.injured.map_or(Arg::NullInt, Arg::Int),
        Arg::opt_text(report.contact.as_deref()),
        Arg::opt_text(
            report
                .contact_sealed
                .as_ref()
                .map(|c| serde_json::to_string(c).expect("a sealed contact serializes"))
                .as_deref(),
        ),
    ]
}

fn sealed_contact(text: &str) -> Result<SealedContact, StoreError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Corrupt(format!("a public report's sealed contact: {e}")))
}

/// A public report from [`COLUMNS`].
fn public_report(row: &mut Values) -> Result<PublicReport, StoreError> {
    let (id, received_ms) = (row.text()?, row.int()?);
    let report = Received {
        lang: row.text()?,
        happened_on: row.text()?,
        place: row.text()?,
        point: row.opt_real()?.zip(row.opt_real()?),
        account: row.text()?,
        killed: row.opt_int()?,
        injured: row.opt_int()?,
        contact: row.opt_text()?,
        contact_sealed: row
            .opt_text()?
            .map(|text| sealed_contact(&text))
            .transpose()?,
    };
    Ok(PublicReport {
        id,
        received_ms,
        report,
        status: row.text()?,
        handled_by: row.opt_text()?,
        handled_ms: row.opt_int()?,
        filed_index: row.opt_int()?,
        dismissal: row.opt_text()?,
    })
}

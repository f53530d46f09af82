//! The public report form's inbox (`public_reports`): the one write whose admission depends
//! on how many rows are already there, so the count and the insert are one step. Counted
//! first and written after, a burst sent at once all passed the count (issue 17, finding 8).
//!
//! The insert is a single `INSERT ... SELECT ... WHERE <counts below the caps>`. SQLite
//! runs it with the write lock held from its start (and this process's writers take turns);
//! PostgreSQL, whose READ COMMITTED lets two such statements see the same count, first
//! takes a lock on the table that conflicts only with itself and other writers, so
//! readers (the desk, the status page) are not held up.

use crate::Store;
use crate::projection::Arg;

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

/// The row's eleven values (`$1` to `$11`, in [`crate::Store::keep_public_report`]'s order),
/// then the caps (`$12` to `$14`).
pub(crate) const INSERT_UNDER_CAPS: &str = "INSERT INTO public_reports (id, received_ms, \
    lang, happened_on, place, lat, lon, account, killed, injured, contact, status) \
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'pending' \
    WHERE (SELECT COUNT(*) FROM public_reports WHERE status = 'pending') < $12 \
    AND (SELECT COUNT(*) FROM public_reports WHERE received_ms > $13) < $14";

/// Taken before [`INSERT_UNDER_CAPS`] on PostgreSQL: SHARE ROW EXCLUSIVE conflicts with
/// itself and with row writes, not with reads.
pub(crate) const LOCK_PG: &str = "LOCK TABLE public_reports IN SHARE ROW EXCLUSIVE MODE";

const PENDING: &str = "SELECT COUNT(*) FROM public_reports WHERE status = 'pending'";
const RECENT: &str = "SELECT COUNT(*) FROM public_reports WHERE received_ms > $1";

impl Store {
    /// Keeps a public report if it stays under `caps`, atomically: of a burst sent at
    /// once, exactly as many as the caps allow are kept. `row` holds the columns `id`,
    /// `received_ms`, `lang`, `happened_on`, `place`, `lat`, `lon`, `account`, `killed`,
    /// `injured`, `contact`.
    pub async fn keep_public_report(
        &self,
        row: Vec<Arg>,
        caps: Caps,
    ) -> Result<Admission, crate::StoreError> {
        let mut args = row;
        args.extend([
            Arg::Int(to_i64(caps.pending_max)),
            Arg::Int(caps.since_ms),
            Arg::Int(to_i64(caps.recent_max)),
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
            .count(RECENT.into(), &[Arg::Int(caps.since_ms)])
            .await?;
        Ok(Admission::RecentFull(recent))
    }

    /// How many public reports wait for a monitor.
    pub async fn pending_public_reports(&self) -> Result<u64, crate::StoreError> {
        self.count(PENDING.into(), &[]).await
    }
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

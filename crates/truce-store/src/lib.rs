//! Truce's storage: the log's entries, tree hashes, checkpoints and admission state.
//!
//! Two backends behind one [`Store`]: SQLite in the data directory (the embedded default)
//! and PostgreSQL (chosen at run time by a `postgres://` URL). Each implements the same
//! narrow set of operations; the contract tests in `tests/it/contract.rs` run against both.
//!
//! Architecture invariant: an append is one transaction that compare-and-swaps the log
//! head's size, so two writers can never fork the log; a batch is either wholly durable
//! or absent. This crate does not decide what may be appended (that is `truce-core`) and
//! does not compute hashes (that is `truce-log`): it stores what it is given.
//!
//! Beside the log and its projection it keeps the node's operational data (accounts,
//! public reports, webhooks, uploaded files), each behind typed functions in a module of
//! its own: no SQL text leaves this crate for them.

pub mod accounts;
pub mod evidence;
pub mod evidence_files;
mod genesis;
mod indexes;
mod model;
mod postgres;
pub mod projection;
pub mod provenance;
pub mod public_reports;
pub mod publication;
pub mod read;
mod sequencer;
mod sqlite;
pub mod testing;
pub mod webhooks;

use std::collections::HashMap;
use std::path::Path;

pub use evidence::{EvidenceError, EvidenceStore, Size as EvidenceSize};
pub use model::{Batch, Head, NewEntry, StoreError, StoredCosignature, StoredEntry, StoredRecords};
use projection::{Arg, Column, Write};
use truce_core::state::AuthorHead;
use truce_core::{KeyName, KeyRecord};
use truce_log::Hash;
use truce_log::proof::{FetchedHashes, IndexRecorder};
use truce_log::tiles::{TilePath, encode_bundle};

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// Whether this process sequences the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// It was leading and still is.
    Held,
    /// It has just become the leader.
    Acquired,
    /// Another process leads.
    Refused,
}

/// The name of the SQLite database file inside a data directory.
pub const SQLITE_FILE: &str = "truce.db";

/// A log store on one of the backends.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    /// Boxed: the connection options make it several times larger than the SQLite store.
    Postgres(Box<PgStore>),
}

/// Dispatches a call to the backend's method of the same name.
macro_rules! dispatch {
    ($self:ident, $method:ident($($arg:expr),*)) => {
        match $self {
            Store::Sqlite(s) => s.$method($($arg),*).await,
            Store::Postgres(s) => s.$method($($arg),*).await,
        }
    };
}

impl Store {
    /// Opens the store for a server: PostgreSQL if `database` is a `postgres://` URL,
    /// otherwise SQLite in `data_dir` (which is created and locked against a second
    /// writer). Migrations are applied.
    pub async fn open(data_dir: &Path, database: Option<&str>) -> Result<Self, StoreError> {
        match database {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Self::Postgres(Box::new(PgStore::connect(url).await?)))
            }
            Some(other) => Err(StoreError::Config(format!(
                "--database must be a postgres:// URL (got {other:?}); leave it out for the embedded SQLite store"
            ))),
            None => Ok(Self::Sqlite(SqliteStore::open(data_dir).await?)),
        }
    }

    /// Opens an existing SQLite data directory read-only, without locking it: for audits
    /// alongside a running server.
    pub async fn open_read_only(data_dir: &Path) -> Result<Self, StoreError> {
        Ok(Self::Sqlite(SqliteStore::open_read_only(data_dir).await?))
    }

    /// Closes every connection, waiting for those in use. For SQLite the last close
    /// checkpoints the write-ahead log into the database file.
    pub async fn close(&self) {
        match self {
            Self::Sqlite(s) => s.close().await,
            Self::Postgres(s) => s.close().await,
        }
    }

    #[must_use]
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// The newest checkpoint's size, root and note (size 0 and no note for an empty log).
    pub async fn head(&self) -> Result<Head, StoreError> {
        dispatch!(self, head())
    }

    /// Appends a batch if the log's size is still `batch.first_index`.
    pub async fn append(&self, batch: &Batch) -> Result<(), StoreError> {
        batch.assert_consistent();
        dispatch!(self, append(batch))
    }

    /// Stored tree hashes by stored hash index; missing indexes are absent from the map.
    pub async fn hashes(&self, ids: &[u64]) -> Result<HashMap<u64, Hash>, StoreError> {
        dispatch!(self, hashes(ids))
    }

    /// The notes of entries `start..end` that exist, in order.
    pub async fn notes(&self, start: u64, end: u64) -> Result<Vec<Vec<u8>>, StoreError> {
        dispatch!(self, notes(start, end))
    }

    pub async fn entry(&self, index: u64) -> Result<Option<StoredEntry>, StoreError> {
        dispatch!(self, entry(index))
    }

    /// The checkpoint note signed when the log reached `size`, if one was.
    pub async fn checkpoint(&self, size: u64) -> Result<Option<Vec<u8>>, StoreError> {
        dispatch!(self, checkpoint(size))
    }

    /// Stores a witness's cosignature (already verified); a second one by the same witness
    /// on the same size is ignored.
    pub async fn add_cosignature(&self, cosignature: &StoredCosignature) -> Result<(), StoreError> {
        dispatch!(self, add_cosignature(cosignature))
    }

    /// The cosignatures on the checkpoint of `size` entries, by witness.
    pub async fn cosignatures(&self, size: u64) -> Result<Vec<StoredCosignature>, StoreError> {
        dispatch!(self, cosignatures(size))
    }

    /// The largest checkpoint size with at least `quorum` cosignatures.
    pub async fn newest_cosigned(&self, quorum: u32) -> Result<Option<u64>, StoreError> {
        dispatch!(self, newest_cosigned(quorum))
    }

    /// Every checkpoint from `size` on, with the time it was signed (Unix ms): for the
    /// witnessing benchmark.
    pub async fn checkpoint_times(&self, size: u64) -> Result<Vec<(u64, i64)>, StoreError> {
        dispatch!(self, checkpoint_times(size))
    }

    /// Every cosignature on checkpoints from `size` on, by size then witness.
    pub async fn cosignatures_from(&self, size: u64) -> Result<Vec<StoredCosignature>, StoreError> {
        dispatch!(self, cosignatures_from(size))
    }

    /// The checkpoint a reader should be given: the newest one with at least `quorum`
    /// cosignatures (with a quorum of 0, the newest one), or while none has, the newest
    /// one; with every cosignature stored for it. None for an empty log.
    pub async fn served_checkpoint(&self, quorum: u32) -> Result<Option<Vec<u8>>, StoreError> {
        let head = self.head().await?;
        let Some(newest) = head.checkpoint else {
            return Ok(None);
        };
        let witnessed = match quorum {
            0 => None,
            quorum => self.newest_cosigned(quorum).await?,
        };
        let (size, mut note) = match witnessed {
            Some(size) if size < head.size => {
                let note = self.checkpoint(size).await?.ok_or_else(|| {
                    StoreError::Corrupt(format!("the checkpoint of size {size} is not stored"))
                })?;
                (size, note)
            }
            _ => (head.size, newest),
        };
        for cosignature in self.cosignatures(size).await? {
            note.extend_from_slice(&cosignature.line);
        }
        Ok(Some(note))
    }

    /// Each witness's cosignature on the largest checkpoint it cosigned.
    pub async fn latest_cosignatures(&self) -> Result<Vec<StoredCosignature>, StoreError> {
        dispatch!(self, latest_cosignatures())
    }

    pub async fn keys(&self) -> Result<Vec<KeyRecord>, StoreError> {
        dispatch!(self, keys())
    }

    /// The records later entries may refer to, by index.
    pub async fn records(&self) -> Result<StoredRecords, StoreError> {
        dispatch!(self, records())
    }

    /// Where one author's chain stands, if it has written.
    pub async fn author(&self, name: &KeyName) -> Result<Option<AuthorHead>, StoreError> {
        dispatch!(self, author(name))
    }

    pub async fn authors(&self) -> Result<Vec<(KeyName, AuthorHead)>, StoreError> {
        dispatch!(self, authors())
    }

    /// The contents of a C2SP tile or entry bundle, or None if the log (of its current
    /// size) does not hold all of it.
    pub async fn tile(&self, path: &TilePath) -> Result<Option<Vec<u8>>, StoreError> {
        self.tile_within(path, self.head().await?.size).await
    }

    /// [`Self::tile`] for a log known to hold at least `size` entries (a checkpoint's), without
    /// reading the head again for every tile.
    pub async fn tile_within(
        &self,
        path: &TilePath,
        size: u64,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        if !path.exists_in(size) {
            return Ok(None);
        }
        if path.level.is_none() {
            let (start, end) = path.span();
            let notes = self.notes(start, end).await?;
            if notes.len() as u64 != end - start {
                let reason = format!("entries {start}..{end} are incomplete");
                return Err(StoreError::Corrupt(reason));
            }
            return Ok(Some(encode_bundle(notes.iter().map(Vec::as_slice))));
        }
        let tile = path.tile();
        let indexes = IndexRecorder::indexes(|reader| tile.read_data(reader));
        let hashes = FetchedHashes(self.hashes(&indexes).await?);
        let data = tile
            .read_data(&hashes)
            .map_err(|e| StoreError::Corrupt(format!("{}: {e}", path.path())))?;
        Ok(Some(data))
    }

    /// The number a `SELECT COUNT(*) ...` query answers (0 if it answers no row).
    pub async fn count(&self, sql: String, args: &[Arg]) -> Result<u64, StoreError> {
        let mut n = 0;
        self.for_each_row(sql, args, &[Column::Int], |row| {
            n = row
                .first()
                .and_then(Arg::as_int)
                .and_then(|n| u64::try_from(n).ok())
                .unwrap_or(0);
        })
        .await?;
        Ok(n)
    }

    /// Runs a read query, handing each row (decoded by `columns`) to `each`, streaming.
    pub async fn for_each_row(
        &self,
        sql: String,
        args: &[Arg],
        columns: &[Column],
        each: impl FnMut(Vec<Arg>),
    ) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(s) => {
                sqlite::projection::for_each_row(s.pool(), sql, args, columns, each).await
            }
            Self::Postgres(s) => {
                postgres::projection::for_each_row(s.pool(), sql, args, columns, each).await
            }
        }
    }

    /// Runs statements whose SQL is made at run time, in one transaction.
    pub(crate) async fn run_statements(
        &self,
        statements: &[(String, Vec<Arg>)],
    ) -> Result<(), StoreError> {
        match self {
            Self::Sqlite(s) => sqlite::projection::run_statements(s.pool(), statements).await,
            Self::Postgres(s) => postgres::projection::run_statements(s.pool(), statements).await,
        }
    }

    /// Runs writes in a transaction of their own: projection writes for `truce rebuild`
    /// (the sequencer's go with their batch), and the writes of this crate's modules to
    /// the operational tables, which are neither log nor projection.
    pub async fn apply_writes(&self, writes: &[Write]) -> Result<(), StoreError> {
        dispatch!(self, apply_writes(writes))
    }

    /// One statement of the operational tables in a transaction of its own.
    pub(crate) async fn write(&self, sql: &'static str, args: Vec<Arg>) -> Result<(), StoreError> {
        self.apply_writes(&[Write { sql, args }]).await
    }

    /// Empties every projection table, for a rebuild, and marks the projection as being
    /// rebuilt until [`Store::finish_rebuild`].
    pub async fn clear_projection(&self) -> Result<(), StoreError> {
        let mut writes: Vec<Write> = projection::TABLES
            .iter()
            .map(|t| Write {
                sql: t.delete_all,
                args: vec![],
            })
            .collect();
        writes.push(Write {
            sql: "UPDATE projection_status SET rebuilding = 1 WHERE singleton = 1",
            args: vec![],
        });
        self.apply_writes(&writes).await
    }

    /// Marks the projection whole again, once a rebuild has replayed the whole log.
    pub async fn finish_rebuild(&self) -> Result<(), StoreError> {
        self.apply_writes(&[Write {
            sql: "UPDATE projection_status SET rebuilding = 0 WHERE singleton = 1",
            args: vec![],
        }])
        .await
    }

    /// Whether the projection is whole: false while a rebuild is under way, or after one
    /// was stopped before it finished.
    pub async fn projection_whole(&self) -> Result<bool, StoreError> {
        let mut rebuilding = vec![];
        let sql = "SELECT rebuilding FROM projection_status WHERE singleton = 1".to_string();
        self.for_each_row(sql, &[], &[Column::Int], |row| {
            rebuilding.push(row[0].clone());
        })
        .await?;
        Ok(rebuilding == [Arg::Int(0)])
    }

    /// A SHA-256 (hex) over every projection row, table by table in key order. Two stores
    /// holding the same log have the same digest, whatever their backend.
    ///
    /// Each table is hashed as its name and then its rows, each value tagged by type and
    /// length-prefixed (see [`digest_value`]): unambiguous, and cheap enough to run over
    /// a million reports twice in a rebuild (rendering every row as JSON cost more than
    /// the replay's SQL).
    pub async fn projection_digest(&self) -> Result<String, StoreError> {
        use sha2::Digest as _;
        let mut hasher = sha2::Sha256::new();
        for table in projection::TABLES {
            let names: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
            let sql = format!(
                "SELECT {} FROM {} ORDER BY {}",
                names.join(", "),
                table.name,
                table.order_by
            );
            digest_value(&mut hasher, &Arg::Text(table.name.to_string()));
            let columns: Vec<Column> = table.columns.iter().map(|(_, c)| *c).collect();
            self.for_each_row(sql, &[], &columns, |row| {
                hasher.update(b"r");
                for value in &row {
                    digest_value(&mut hasher, value);
                }
            })
            .await?;
        }
        Ok(hex::encode(hasher.finalize()))
    }

    /// Whether this process is the log's sequencer now, as far as it knows without asking
    /// the database: always with SQLite (the data directory's lock), and with PostgreSQL
    /// while it holds the lock [`Store::try_lead`] took (lost, it learns so at its next
    /// append). Work only the sequencer should do, such as asking witnesses, waits on it.
    #[must_use]
    pub fn leads(&self) -> bool {
        match self {
            Self::Sqlite(_) => true,
            Self::Postgres(s) => s.leads(),
        }
    }

    /// Tries to be the log's only sequencer. A caller that was not leading before must
    /// reload its state from storage when told [`Lead::Acquired`]: others may have
    /// appended meanwhile.
    pub async fn try_lead(&self) -> Result<Lead, StoreError> {
        match self {
            // The data directory lock taken at open already makes this process the only
            // writer of an SQLite store.
            Self::Sqlite(_) => Ok(Lead::Held),
            Self::Postgres(s) => s.try_lead().await,
        }
    }
}

/// Feeds one value to the digest: a type tag, then 8 bytes (integers and reals, big-endian;
/// reals by their IEEE bits, which both backends store exactly) or a length and the UTF-8.
fn digest_value(hasher: &mut sha2::Sha256, value: &Arg) {
    use sha2::Digest as _;
    match value {
        Arg::Int(v) => {
            hasher.update(b"i");
            hasher.update(v.to_be_bytes());
        }
        Arg::Real(v) => {
            hasher.update(b"f");
            hasher.update(v.to_bits().to_be_bytes());
        }
        Arg::Text(v) => {
            hasher.update(b"t");
            hasher.update((v.len() as u64).to_be_bytes());
            hasher.update(v.as_bytes());
        }
        Arg::NullInt | Arg::NullReal | Arg::NullText => hasher.update(b"n"),
    }
}

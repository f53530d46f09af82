//! The embedded backend: one SQLite database in the data directory.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};
use tokio_util::task::AbortOnDropHandle;
use truce_core::state::{AuthorHead, Record};
use truce_core::{KeyName, KeyRecord};
use truce_log::Hash;

use crate::model::{
    Batch, Head, StoreError, StoredCosignature, StoredEntry, key_record, record_json, to_hash,
    to_i64, to_u64,
};

type DB = sqlx::Sqlite;

/// Rows per multi-row INSERT; SQLite allows 32,766 bound parameters a statement.
const ROWS_PER_INSERT: usize = 2_000;

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// The writers of this process take turns here, first come first served, rather than
    /// in SQLite's busy handler, which sleeps and retries: behind the sequencer's steady
    /// transactions a waiting writer (a witness's cosignature, an account) missed the lock
    /// for up to 0.7 s at a full append rate (BENCHMARKS.md, witnessing).
    writer: Arc<tokio::sync::Mutex<()>>,
    /// Held for the life of the store: a second writer on the same directory is refused.
    _lock: Option<Arc<File>>,
    /// The background task refreshing the planner's statistics, ended with the store.
    _optimizer: Option<Arc<AbortOnDropHandle<()>>>,
}

impl SqliteStore {
    /// Opens (creating if needed) the store in `dir`, locking the directory.
    pub async fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir)?;
        let lock = lock_directory(dir)?;
        let options = options(dir)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk before it returns, so an acknowledged entry
            // survives power loss, not only a crash of the process.
            .synchronous(SqliteSynchronous::Full)
            // Table statistics for the query planner, as SQLite advises for long-lived
            // databases: without them, at a million reports a filtered list sorted 120,000
            // rows for 50 (4 s) instead of walking the kind's index by log index (6 ms).
            // `PRAGMA optimize` reads at most this many rows per index.
            .analysis_limit(ANALYSIS_ROWS_MAX);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            // Connections are kept, not recycled every 30 minutes (sqlx's default): nothing
            // needs fresh ones, and the last one to close checkpoints the whole write-ahead
            // log, outside the writers' turn.
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        // And once at start, for the tables that need it (SQLite 3.46's 0x10002 flags).
        sqlx::query("PRAGMA optimize = 0x10002")
            .execute(&pool)
            .await?;
        let writer: Arc<tokio::sync::Mutex<()>> = Arc::default();
        let optimizer = tokio::spawn(optimize_every(
            OPTIMIZE_EVERY,
            Self {
                pool: pool.clone(),
                writer: writer.clone(),
                _lock: None,
                _optimizer: None,
            },
        ));
        Ok(Self {
            pool,
            writer,
            _lock: Some(Arc::new(lock)),
            _optimizer: Some(Arc::new(AbortOnDropHandle::new(optimizer))),
        })
    }

    /// Refreshes the query planner's statistics where tables have grown (`PRAGMA
    /// optimize`), in the writers' turn: `ANALYZE` takes the write lock, and run outside
    /// the turn (as sqlx's optimize-on-close did) it is the likely cause of a batch refused
    /// after the sequencer waited out its busy timeout on a 30 GB database (BENCHMARKS.md,
    /// ten million reports). In the turn a batch waits for it instead.
    pub(crate) async fn optimize(&self) -> Result<(), StoreError> {
        let _turn = self.writer.lock().await;
        let started = std::time::Instant::now();
        sqlx::query("PRAGMA optimize").execute(&self.pool).await?;
        // Writers waited this long: worth seeing on a large database.
        tracing::info!(ms = started.elapsed().as_millis(), "PRAGMA optimize");
        Ok(())
    }

    /// Opens an existing store for reading, without the directory lock or migrations.
    ///
    /// The connection is not opened `read_only`: a WAL database closed cleanly has no
    /// `-shm` file, and a read-only connection cannot create it, so it could never open.
    /// Nothing here writes.
    pub async fn open_read_only(dir: &Path) -> Result<Self, StoreError> {
        let file = dir.join(crate::SQLITE_FILE);
        if !file.exists() {
            return Err(StoreError::Config(format!(
                "{} holds no Truce log",
                dir.display()
            )));
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options(dir))
            .await?;
        Ok(Self {
            pool,
            writer: Arc::default(),
            _lock: None,
            _optimizer: None,
        })
    }

    pub(crate) fn pool(&self) -> &sqlx::Pool<DB> {
        &self.pool
    }

    pub(crate) async fn apply_writes(
        &self,
        writes: &[crate::projection::Write],
    ) -> Result<(), StoreError> {
        let _turn = self.writer.lock().await;
        let mut tx = self.pool.begin().await?;
        projection::execute_writes(&mut tx, writes).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Runs one write statement in a transaction of its own, in this process's writers'
    /// turn; answers the rows it changed.
    pub(crate) async fn insert_counted(
        &self,
        sql: &'static str,
        args: &[crate::projection::Arg],
    ) -> Result<u64, StoreError> {
        let _turn = self.writer.lock().await;
        let mut tx = self.pool.begin().await?;
        let changed = projection::execute_counted(&mut tx, sql, args).await?;
        tx.commit().await?;
        Ok(changed)
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) async fn head(&self) -> Result<Head, StoreError> {
        let row = sqlx::query("SELECT size, root, checkpoint FROM log_head WHERE singleton = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(Head {
            size: to_u64(row.get(0))?,
            root: to_hash(row.get::<&[u8], _>(1))?,
            checkpoint: row.get(2),
        })
    }

    pub(crate) async fn append(&self, batch: &Batch) -> Result<(), StoreError> {
        let _turn = self.writer.lock().await;
        let mut tx = self.pool.begin().await?;
        let swapped = sqlx::query(
            "UPDATE log_head SET size = ?, root = ?, checkpoint = ? WHERE singleton = 1 AND size = ?",
        )
        .bind(to_i64(batch.end()))
        .bind(&batch.checkpoint.root.0[..])
        .bind(&batch.checkpoint.note)
        .bind(to_i64(batch.first_index))
        .execute(&mut *tx)
        .await?;
        if swapped.rows_affected() != 1 {
            drop(tx);
            let found = self.head().await?.size;
            return Err(StoreError::Conflict {
                expected: batch.first_index,
                found,
            });
        }
        insert_entries(&mut tx, batch).await?;
        insert_nodes(&mut tx, &batch.nodes).await?;
        sqlx::query("INSERT INTO checkpoints (size, root, note, signed_at_ms) VALUES (?, ?, ?, ?)")
            .bind(to_i64(batch.end()))
            .bind(&batch.checkpoint.root.0[..])
            .bind(&batch.checkpoint.note)
            .bind(batch.signed_at_ms)
            .execute(&mut *tx)
            .await?;
        upsert_keys(&mut tx, &batch.keys).await?;
        projection::execute_writes(&mut tx, &batch.projection).await?;
        upsert_authors(&mut tx, &batch.authors).await?;
        upsert_records(&mut tx, &batch.records).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn hashes(&self, ids: &[u64]) -> Result<HashMap<u64, Hash>, StoreError> {
        let mut found = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(ROWS_PER_INSERT) {
            let mut query =
                QueryBuilder::<Sqlite>::new("SELECT id, hash FROM tree_nodes WHERE id IN (");
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(to_i64(*id));
            }
            query.push(")");
            for row in query.build().fetch_all(&self.pool).await? {
                found.insert(to_u64(row.get(0))?, to_hash(row.get::<&[u8], _>(1))?);
            }
        }
        Ok(found)
    }

    pub(crate) async fn notes(&self, start: u64, end: u64) -> Result<Vec<Vec<u8>>, StoreError> {
        let rows = sqlx::query("SELECT note FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx")
            .bind(to_i64(start))
            .bind(to_i64(end))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|row| row.get(0)).collect())
    }

    pub(crate) async fn entry(&self, index: u64) -> Result<Option<StoredEntry>, StoreError> {
        let row = sqlx::query("SELECT note, leaf_hash, logged_at_ms FROM entries WHERE idx = ?")
            .bind(to_i64(index))
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(StoredEntry {
                index,
                note: row.get(0),
                leaf_hash: to_hash(row.get::<&[u8], _>(1))?,
                logged_at_ms: row.get(2),
            })
        })
        .transpose()
    }

    pub(crate) async fn checkpoint(&self, size: u64) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT note FROM checkpoints WHERE size = ?")
                .bind(to_i64(size))
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Stores a cosignature; `stored_at_ms` is taken once this writer's turn has come, so
    /// that it says when the cosignature reached the log's storage.
    pub(crate) async fn add_cosignature(&self, c: &StoredCosignature) -> Result<(), StoreError> {
        let _turn = self.writer.lock().await;
        let stored_at_ms = crate::model::now_ms();
        sqlx::query(
            "INSERT INTO cosignatures (size, witness, line, cosigned_at, stored_at_ms) VALUES (?, ?, ?, ?, ?) ON CONFLICT (size, witness) DO NOTHING",
        )
        .bind(to_i64(c.size))
        .bind(&c.witness)
        .bind(&c.line)
        .bind(to_i64(c.cosigned_at))
        .bind(to_i64(stored_at_ms))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub(crate) async fn cosignatures(
        &self,
        size: u64,
    ) -> Result<Vec<StoredCosignature>, StoreError> {
        let rows = sqlx::query(
            "SELECT size, witness, line, cosigned_at, stored_at_ms FROM cosignatures WHERE size = ? ORDER BY witness",
        )
        .bind(to_i64(size))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(cosignature_row).collect()
    }

    pub(crate) async fn newest_cosigned(&self, quorum: u32) -> Result<Option<u64>, StoreError> {
        let size: Option<i64> = sqlx::query_scalar(
            "SELECT size FROM cosignatures GROUP BY size HAVING COUNT(*) >= ? ORDER BY size DESC LIMIT 1",
        )
        .bind(i64::from(quorum))
        .fetch_optional(&self.pool)
        .await?;
        size.map(to_u64).transpose()
    }

    pub(crate) async fn checkpoint_times(&self, size: u64) -> Result<Vec<(u64, i64)>, StoreError> {
        let rows =
            sqlx::query("SELECT size, signed_at_ms FROM checkpoints WHERE size >= ? ORDER BY size")
                .bind(to_i64(size))
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| Ok((to_u64(r.get(0))?, r.get(1))))
            .collect()
    }

    pub(crate) async fn cosignatures_from(
        &self,
        size: u64,
    ) -> Result<Vec<StoredCosignature>, StoreError> {
        let rows = sqlx::query(
            "SELECT size, witness, line, cosigned_at, stored_at_ms FROM cosignatures WHERE size >= ? ORDER BY size, witness",
        )
        .bind(to_i64(size))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(cosignature_row).collect()
    }

    pub(crate) async fn latest_cosignatures(&self) -> Result<Vec<StoredCosignature>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.size, c.witness, c.line, c.cosigned_at, c.stored_at_ms FROM cosignatures c JOIN (SELECT witness, MAX(size) AS size FROM cosignatures GROUP BY witness) m ON c.witness = m.witness AND c.size = m.size ORDER BY c.witness",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(cosignature_row).collect()
    }

    pub(crate) async fn keys(&self) -> Result<Vec<KeyRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT vkey, role, delegation, registered_at, revoked_at FROM keys ORDER BY registered_at, name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| key_record(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
            .collect()
    }

    pub(crate) async fn records(&self) -> Result<crate::model::StoredRecords, StoreError> {
        projection::records(&self.pool).await
    }

    pub(crate) async fn author(&self, name: &KeyName) -> Result<Option<AuthorHead>, StoreError> {
        projection::author(&self.pool, name).await
    }

    pub(crate) async fn authors(&self) -> Result<Vec<(KeyName, AuthorHead)>, StoreError> {
        let rows = sqlx::query("SELECT name, seq, last_leaf_hash FROM authors")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let name = KeyName::parse(row.get::<String, _>(0)).map_err(StoreError::Corrupt)?;
                let head = AuthorHead {
                    seq: to_u64(row.get(1))?,
                    last_leaf_hash: to_hash(row.get::<&[u8], _>(2))?.0,
                };
                Ok((name, head))
            })
            .collect()
    }
}

/// Rows `PRAGMA optimize` reads per index (SQLite's suggested 400 gives estimates good
/// enough to choose an index, in milliseconds at any size).
const ANALYSIS_ROWS_MAX: u32 = 400;
/// How often a writing store refreshes the planner's statistics.
const OPTIMIZE_EVERY: Duration = Duration::from_mins(30);

/// Runs [`SqliteStore::optimize`] every `period` until the store is closed (or its
/// last handle dropped, which aborts this task). `store` is a handle without the
/// directory lock, so that dropping the store frees the directory at once. A
/// failure is logged and tried again next time: statistics are an optimisation.
async fn optimize_every(period: Duration, store: SqliteStore) {
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    loop {
        ticks.tick().await;
        if store.pool.is_closed() {
            return;
        }
        if let Err(e) = store.optimize().await {
            tracing::warn!("PRAGMA optimize failed, tried again in {period:?}: {e}");
        }
    }
}

fn options(dir: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(dir.join(crate::SQLITE_FILE))
        .busy_timeout(Duration::from_secs(5))
        // The connection's worker thread sends rows ahead, up to this many, instead of
        // waiting for the reader after every 50 (sqlx's default): a scan of a million
        // rows (a digest, a rebuild's reading of the log) then costs far fewer wake-ups.
        .row_buffer_size(1_024)
}

fn lock_directory(dir: &Path) -> Result<File, StoreError> {
    let path = dir.join("truce.lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            Err(StoreError::Locked(dir.display().to_string()))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
    }
}

type Tx<'a> = sqlx::Transaction<'a, Sqlite>;

async fn insert_entries(tx: &mut Tx<'_>, batch: &Batch) -> Result<(), StoreError> {
    let indexed: Vec<_> = (batch.first_index..).zip(&batch.entries).collect();
    for chunk in indexed.chunks(ROWS_PER_INSERT) {
        let mut query = QueryBuilder::<Sqlite>::new(
            "INSERT INTO entries (idx, leaf_hash, note, logged_at_ms) ",
        );
        query.push_values(chunk, |mut row, (index, entry)| {
            row.push_bind(to_i64(*index))
                .push_bind(&entry.leaf_hash.0[..])
                .push_bind(&entry.note[..])
                .push_bind(entry.logged_at_ms);
        });
        query.build().execute(&mut **tx).await?;
    }
    Ok(())
}

async fn insert_nodes(tx: &mut Tx<'_>, nodes: &[(u64, Hash)]) -> Result<(), StoreError> {
    for chunk in nodes.chunks(ROWS_PER_INSERT) {
        let mut query = QueryBuilder::<Sqlite>::new("INSERT INTO tree_nodes (id, hash) ");
        query.push_values(chunk, |mut row, (id, hash)| {
            row.push_bind(to_i64(*id)).push_bind(&hash.0[..]);
        });
        query.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Records are upserted in order: a batch may create a record and change it.
async fn upsert_records(tx: &mut Tx<'_>, records: &[(u64, Record)]) -> Result<(), StoreError> {
    for (index, record) in records {
        sqlx::query(
            "INSERT INTO records (idx, kind, state) VALUES (?, ?, ?) \
             ON CONFLICT (idx) DO UPDATE SET kind = excluded.kind, state = excluded.state",
        )
        .bind(to_i64(*index))
        .bind(record.kind().as_str())
        .bind(record_json(record))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn upsert_keys(tx: &mut Tx<'_>, keys: &[KeyRecord]) -> Result<(), StoreError> {
    for key in keys {
        sqlx::query(
            "INSERT INTO keys (name, vkey, role, delegation, registered_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET revoked_at = excluded.revoked_at",
        )
        .bind(key.name.as_str())
        .bind(&key.vkey)
        .bind(key.role.as_str())
        .bind(key.delegation.as_str())
        .bind(to_i64(key.registered_at))
        .bind(key.revoked_at.map(to_i64))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn upsert_authors(
    tx: &mut Tx<'_>,
    authors: &[(KeyName, AuthorHead)],
) -> Result<(), StoreError> {
    for (name, head) in authors {
        sqlx::query(
            "INSERT INTO authors (name, seq, last_leaf_hash) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, last_leaf_hash = excluded.last_leaf_hash",
        )
        .bind(name.as_str())
        .bind(to_i64(head.seq))
        .bind(&head.last_leaf_hash[..])
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Projection writes and row reads for this backend (see `projection::sql`).
pub(crate) mod projection {
    crate::projection::sql::projection_sql!(
        sqlx::Sqlite,
        crate::projection::batch::Placeholders::Anonymous
    );
}

fn cosignature_row(row: &sqlx::sqlite::SqliteRow) -> Result<StoredCosignature, StoreError> {
    Ok(StoredCosignature {
        size: to_u64(row.get(0))?,
        witness: row.get(1),
        line: row.get(2),
        cosigned_at: to_u64(row.get(3))?,
        stored_at_ms: to_u64(row.get(4))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Statistics for `cosignatures` after it has grown from empty to `rows` rows.
    async fn grown_store(rows: i64) -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).await.unwrap();
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
             INSERT INTO cosignatures SELECT i, 'w' || (i % 7), x'00', i, i FROM n",
        )
        .bind(rows)
        .execute(&store.pool)
        .await
        .unwrap();
        (dir, store)
    }

    async fn analysed(store: &SqliteStore) -> bool {
        sqlx::query("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'cosignatures'")
            .fetch_optional(&store.pool)
            .await
            .unwrap()
            .is_some()
    }

    #[tokio::test]
    async fn optimize_analyses_a_grown_table_in_the_writers_turn() {
        let (_dir, store) = grown_store(5_000).await;
        assert!(!analysed(&store).await, "analysed before optimize ran");
        let turn = store.writer.lock().await;
        let mut optimize = std::pin::pin!(store.optimize());
        // Without the turn it would finish in milliseconds.
        let waited = tokio::time::timeout(Duration::from_millis(300), optimize.as_mut()).await;
        assert!(waited.is_err(), "optimize ran outside the writers' turn");
        assert!(
            !analysed(&store).await,
            "analysed outside the writers' turn"
        );
        drop(turn);
        optimize.await.unwrap();
        assert!(analysed(&store).await, "no statistics after optimize");
    }

    #[tokio::test]
    #[allow(clippy::used_underscore_binding)] // reads the field kept only to be dropped
    async fn dropping_the_store_ends_its_optimizer_and_frees_the_directory() {
        let (dir, store) = grown_store(10).await;
        let task = store._optimizer.as_ref().unwrap().abort_handle();
        // The directory is free at once: the optimizer's handle holds no lock.
        drop(store);
        SqliteStore::open(dir.path()).await.unwrap();
        for _ in 0..100 {
            if task.is_finished() {
                return;
            }
            tokio::task::yield_now().await;
        }
        panic!("the optimizer outlived its store");
    }
}

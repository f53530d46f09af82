//! The PostgreSQL backend, for deployments with several API processes.

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool, Postgres, Row};
use tokio::sync::Mutex;
use truce_core::state::{AuthorHead, Record};
use truce_core::{KeyName, KeyRecord};
use truce_log::Hash;

use crate::Lead;
use crate::model::{
    Batch, Head, StoreError, StoredCosignature, StoredEntry, key_record, record_json, to_hash,
    to_i64, to_u64,
};

type DB = sqlx::Postgres;

/// Session-level advisory lock taken by the one sequencer; keyed by schema so that
/// separate logs in one database (as in the tests) have separate sequencers.
const LEAD_SQL: &str =
    "SELECT pg_try_advisory_lock(hashtext('truce-sequencer:' || current_schema()))";

#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    options: PgConnectOptions,
    /// The connection holding the sequencer lock, once this process leads.
    leader: Arc<Mutex<Option<PgConnection>>>,
    leading: Arc<std::sync::atomic::AtomicBool>,
}

impl PgStore {
    /// Connects and applies migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options: PgConnectOptions = url.parse()?;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self {
            pool,
            options,
            leader: Arc::default(),
            leading: Arc::default(),
        })
    }

    pub(crate) fn leads(&self) -> bool {
        self.leading.load(std::sync::atomic::Ordering::Acquire)
    }

    pub(crate) async fn try_lead(&self) -> Result<Lead, StoreError> {
        use std::sync::atomic::Ordering;
        let mut leader = self.leader.lock().await;
        if self.leading.load(Ordering::Acquire) {
            // Still leading only while the lock's connection is alive.
            let alive = match leader.as_mut() {
                Some(conn) => conn.ping().await.is_ok(),
                None => false,
            };
            if alive {
                return Ok(Lead::Held);
            }
            self.leading.store(false, Ordering::Release);
            *leader = None;
        }
        if leader.is_none() {
            *leader = Some(self.options.connect().await?);
        }
        let conn = leader.as_mut().expect("just connected");
        let acquired: bool = sqlx::query_scalar(LEAD_SQL).fetch_one(&mut *conn).await?;
        self.leading.store(acquired, Ordering::Release);
        Ok(if acquired {
            Lead::Acquired
        } else {
            Lead::Refused
        })
    }

    /// Writes where the sequencer is reached on the connection holding its lock: only
    /// while this process holds it.
    pub(crate) async fn advertise_sequencer(
        &self,
        url: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut leader = self.leader.lock().await;
        let Some(conn) = leader.as_mut().filter(|_| self.leads()) else {
            return Err(StoreError::NotLeading);
        };
        sqlx::query(crate::sequencer::ADVERTISE)
            .bind(url)
            .bind(now_ms)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    pub(crate) fn pool(&self) -> &sqlx::Pool<DB> {
        &self.pool
    }

    pub(crate) async fn apply_writes(
        &self,
        writes: &[crate::projection::Write],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        projection::execute_writes(&mut tx, writes).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes the table lock `lock`, then runs one write statement, in one transaction;
    /// answers the rows it changed.
    pub(crate) async fn insert_counted_locked(
        &self,
        lock: &'static str,
        sql: &'static str,
        args: &[crate::projection::Arg],
    ) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(lock).execute(&mut *tx).await?;
        let changed = projection::execute_counted(&mut tx, sql, args).await?;
        tx.commit().await?;
        Ok(changed)
    }

    /// Closes the pool and, if this process leads, the lock's connection: another
    /// process may take the lead at once, rather than when this one exits.
    pub(crate) async fn close(&self) {
        if let Some(conn) = self.leader.lock().await.take() {
            let _ = sqlx::Connection::close(conn).await;
        }
        self.leading
            .store(false, std::sync::atomic::Ordering::Release);
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
        let mut tx = self.pool.begin().await?;
        // The row lock taken here serialises concurrent appenders; the loser sees size
        // changed and matches no row.
        let swapped = sqlx::query(
            "UPDATE log_head SET size = $1, root = $2, checkpoint = $3 WHERE singleton = 1 AND size = $4",
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
        sqlx::query(
            "INSERT INTO checkpoints (size, root, note, signed_at_ms) VALUES ($1, $2, $3, $4)",
        )
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
        let ids: Vec<i64> = ids.iter().map(|id| to_i64(*id)).collect();
        let rows = sqlx::query("SELECT id, hash FROM tree_nodes WHERE id = ANY($1)")
            .bind(&ids)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| Ok((to_u64(row.get(0))?, to_hash(row.get::<&[u8], _>(1))?)))
            .collect()
    }

    pub(crate) async fn notes(&self, start: u64, end: u64) -> Result<Vec<Vec<u8>>, StoreError> {
        let rows =
            sqlx::query("SELECT note FROM entries WHERE idx >= $1 AND idx < $2 ORDER BY idx")
                .bind(to_i64(start))
                .bind(to_i64(end))
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|row| row.get(0)).collect())
    }

    pub(crate) async fn entry(&self, index: u64) -> Result<Option<StoredEntry>, StoreError> {
        let row = sqlx::query("SELECT note, leaf_hash, logged_at_ms FROM entries WHERE idx = $1")
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
            sqlx::query_scalar("SELECT note FROM checkpoints WHERE size = $1")
                .bind(to_i64(size))
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Stores a cosignature, stamping `stored_at_ms` as it writes.
    pub(crate) async fn add_cosignature(&self, c: &StoredCosignature) -> Result<(), StoreError> {
        let stored_at_ms = crate::model::now_ms();
        sqlx::query(
            "INSERT INTO cosignatures (size, witness, line, cosigned_at, stored_at_ms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (size, witness) DO NOTHING",
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
            "SELECT size, witness, line, cosigned_at, stored_at_ms FROM cosignatures WHERE size = $1 ORDER BY witness",
        )
        .bind(to_i64(size))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(cosignature_row).collect()
    }

    pub(crate) async fn newest_cosigned(&self, quorum: u32) -> Result<Option<u64>, StoreError> {
        let size: Option<i64> = sqlx::query_scalar(
            "SELECT size FROM cosignatures GROUP BY size HAVING COUNT(*) >= $1 ORDER BY size DESC LIMIT 1",
        )
        .bind(i64::from(quorum))
        .fetch_optional(&self.pool)
        .await?;
        size.map(to_u64).transpose()
    }

    pub(crate) async fn checkpoint_times(&self, size: u64) -> Result<Vec<(u64, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT size, signed_at_ms FROM checkpoints WHERE size >= $1 ORDER BY size",
        )
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
            "SELECT size, witness, line, cosigned_at, stored_at_ms FROM cosignatures WHERE size >= $1 ORDER BY size, witness",
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

type Tx<'a> = sqlx::Transaction<'a, Postgres>;

async fn insert_entries(tx: &mut Tx<'_>, batch: &Batch) -> Result<(), StoreError> {
    let indexes: Vec<i64> = (batch.first_index..batch.end()).map(to_i64).collect();
    let leaves: Vec<&[u8]> = batch.entries.iter().map(|e| &e.leaf_hash.0[..]).collect();
    let notes: Vec<&[u8]> = batch.entries.iter().map(|e| &e.note[..]).collect();
    let logged: Vec<i64> = batch.entries.iter().map(|e| e.logged_at_ms).collect();
    sqlx::query(
        "INSERT INTO entries (idx, leaf_hash, note, logged_at_ms)
         SELECT * FROM UNNEST($1::BIGINT[], $2::BYTEA[], $3::BYTEA[], $4::BIGINT[])",
    )
    .bind(&indexes)
    .bind(&leaves)
    .bind(&notes)
    .bind(&logged)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn insert_nodes(tx: &mut Tx<'_>, nodes: &[(u64, Hash)]) -> Result<(), StoreError> {
    let ids: Vec<i64> = nodes.iter().map(|(id, _)| to_i64(*id)).collect();
    let hashes: Vec<&[u8]> = nodes.iter().map(|(_, h)| &h.0[..]).collect();
    sqlx::query(
        "INSERT INTO tree_nodes (id, hash) SELECT * FROM UNNEST($1::BIGINT[], $2::BYTEA[])",
    )
    .bind(&ids)
    .bind(&hashes)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records are upserted in order: a batch may create a record and change it.
async fn upsert_records(tx: &mut Tx<'_>, records: &[(u64, Record)]) -> Result<(), StoreError> {
    for (index, record) in records {
        sqlx::query(
            "INSERT INTO records (idx, kind, state) VALUES ($1, $2, $3) \
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
            "INSERT INTO keys (name, vkey, role, delegation, registered_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6)
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
            "INSERT INTO authors (name, seq, last_leaf_hash) VALUES ($1, $2, $3)
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
        sqlx::Postgres,
        crate::projection::batch::Placeholders::Numbered
    );
}

fn cosignature_row(row: &sqlx::postgres::PgRow) -> Result<StoredCosignature, StoreError> {
    Ok(StoredCosignature {
        size: to_u64(row.get(0))?,
        witness: row.get(1),
        line: row.get(2),
        cosigned_at: to_u64(row.get(3))?,
        stored_at_ms: to_u64(row.get(4))?,
    })
}

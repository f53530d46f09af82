//! Where the sequencing process is reached (`sequencer` table), for the processes that
//! share its database and forward writes to it (`truce_node::forwarding`).

use crate::projection::{Arg, Column, Write};
use crate::{Store, StoreError};

pub(crate) const ADVERTISE: &str = "INSERT INTO sequencer (singleton, url, since_ms) VALUES (1, $1, $2) \
     ON CONFLICT (singleton) DO UPDATE SET url = excluded.url, since_ms = excluded.since_ms";

impl Store {
    /// Records that the sequencer is reached at `url` (called by the process that leads).
    /// On PostgreSQL it is written on the connection holding the sequencer's lock, so a
    /// process that has lost the lock cannot write it.
    pub async fn advertise_sequencer(&self, url: &str, now_ms: i64) -> Result<(), StoreError> {
        match self {
            Self::Postgres(store) => store.advertise_sequencer(url, now_ms).await,
            Self::Sqlite(_) => {
                let args = vec![Arg::Text(url.into()), Arg::Int(now_ms)];
                self.apply_writes(&[Write {
                    sql: ADVERTISE,
                    args,
                }])
                .await
            }
        }
    }

    /// The URL the sequencing process last advertised, if any has.
    pub async fn sequencer_url(&self) -> Result<Option<String>, StoreError> {
        let sql = "SELECT url FROM sequencer WHERE singleton = 1".to_string();
        let urls = self
            .decoded(sql, &[], &[Column::Text], crate::read::Values::text)
            .await?;
        Ok(urls.into_iter().next())
    }
}

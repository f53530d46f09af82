//! Binding [`Arg`]s and reading rows, written once for both backends: the code is the
//! same text for `sqlx::Sqlite` and `sqlx::Postgres`, so a macro instantiates it for each.

/// Defines, for backend `$db` (whose generated statements use `$placeholders`), `execute_writes` (inside a transaction), `for_each_row`, and
/// the reads of admission state whose SQL is the same on both (`records`, `author`).
macro_rules! projection_sql {
    ($db:ty, $placeholders:expr) => {
        use futures::TryStreamExt as _;
        use sqlx::Row as _;
        use $crate::projection::{Arg, Column, Write};

        fn bind_all<'q>(
            mut query: sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments>,
            args: &'q [Arg],
        ) -> sqlx::query::Query<'q, $db, <$db as sqlx::Database>::Arguments> {
            for arg in args {
                query = match arg {
                    Arg::Int(v) => query.bind(*v),
                    Arg::Real(v) => query.bind(*v),
                    Arg::Text(v) => query.bind(v.as_str()),
                    Arg::NullInt => query.bind(None::<i64>),
                    Arg::NullReal => query.bind(None::<f64>),
                    Arg::NullText => query.bind(None::<String>),
                };
            }
            query
        }

        pub(crate) async fn execute_writes(
            tx: &mut sqlx::Transaction<'_, $db>,
            writes: &[Write],
        ) -> Result<(), $crate::StoreError> {
            for statement in $crate::projection::batch::batch(writes, $placeholders) {
                let sql = sqlx::AssertSqlSafe(statement.sql.into_owned());
                bind_all(sqlx::query(sql), &statement.args)
                    .execute(&mut **tx)
                    .await?;
            }
            Ok(())
        }

        /// Runs one statement inside a transaction; answers the rows it changed.
        pub(crate) async fn execute_counted(
            tx: &mut sqlx::Transaction<'_, $db>,
            sql: &'static str,
            args: &[Arg],
        ) -> Result<u64, $crate::StoreError> {
            let done = bind_all(sqlx::query(sql), args).execute(&mut **tx).await?;
            Ok(done.rows_affected())
        }

        /// Runs statements whose SQL is only known at run time (DDL read from the catalog)
        /// in one transaction.
        pub(crate) async fn run_statements(
            pool: &sqlx::Pool<$db>,
            statements: &[(String, Vec<Arg>)],
        ) -> Result<(), $crate::StoreError> {
            let mut tx = pool.begin().await?;
            for (sql, args) in statements {
                bind_all(sqlx::query(sqlx::AssertSqlSafe(sql.as_str())), args)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        }

        fn decode(
            row: &<$db as sqlx::Database>::Row,
            columns: &[Column],
        ) -> Result<Vec<Arg>, sqlx::Error> {
            columns
                .iter()
                .enumerate()
                .map(|(i, column)| {
                    Ok(match column {
                        Column::Int => row
                            .try_get::<Option<i64>, _>(i)?
                            .map_or(Arg::NullInt, Arg::Int),
                        Column::Real => row
                            .try_get::<Option<f64>, _>(i)?
                            .map_or(Arg::NullReal, Arg::Real),
                        Column::Text => row
                            .try_get::<Option<String>, _>(i)?
                            .map_or(Arg::NullText, Arg::Text),
                    })
                })
                .collect()
        }

        /// Every record later entries may refer to. Streamed, and reports (most rows) are
        /// neither parsed nor held as records (see [`crate::model::StoredRecords`]).
        pub(crate) async fn records(
            pool: &sqlx::Pool<$db>,
        ) -> Result<$crate::model::StoredRecords, $crate::StoreError> {
            let mut rows = sqlx::query("SELECT idx, kind, state FROM records").fetch(pool);
            let mut records = $crate::model::StoredRecords::default();
            while let Some(row) = rows.try_next().await? {
                let at = $crate::model::to_u64(row.get(0))?;
                // A report filed directly is stored as the bare record; an imported one
                // carries its provenance and is read as a record.
                if row.get::<&str, _>(1) == "report"
                    && row.get::<&str, _>(2) == $crate::model::BARE_REPORT_STATE
                {
                    records.reports.push(at);
                } else {
                    records
                        .others
                        .push((at, $crate::model::parse_record(row.get(2))?));
                }
            }
            Ok(records)
        }

        /// Where one author's chain stands, if it has written.
        pub(crate) async fn author(
            pool: &sqlx::Pool<$db>,
            name: &truce_core::KeyName,
        ) -> Result<Option<truce_core::state::AuthorHead>, $crate::StoreError> {
            let row = sqlx::query("SELECT seq, last_leaf_hash FROM authors WHERE name = $1")
                .bind(name.as_str())
                .fetch_optional(pool)
                .await?;
            row.map(|row| {
                Ok(truce_core::state::AuthorHead {
                    seq: $crate::model::to_u64(row.get(0))?,
                    last_leaf_hash: $crate::model::to_hash(row.get::<&[u8], _>(1))?.0,
                })
            })
            .transpose()
        }

        /// Runs a query and hands each row, decoded by `columns`, to `each`, streaming.
        pub(crate) async fn for_each_row(
            pool: &sqlx::Pool<$db>,
            sql: String,
            args: &[Arg],
            columns: &[Column],
            mut each: impl FnMut(Vec<Arg>),
        ) -> Result<(), $crate::StoreError> {
            let query = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), args);
            let mut rows = query.fetch(pool);
            while let Some(row) = rows.try_next().await? {
                each(decode(&row, columns)?);
            }
            Ok(())
        }
    };
}

pub(crate) use projection_sql;

//! Setting the projection's secondary indexes aside during a rebuild.
//!
//! Keeping five indexes of the reports table up to date row by row made up half of a
//! rebuild's writing at 100,000 reports, and more as the tables outgrow the page cache;
//! building each once from the filled table takes about a second per 100,000 reports.
//! The dropped indexes' definitions are saved in `projection_indexes` in the same
//! transaction that drops them, so a rebuild stopped halfway loses none: the next
//! rebuild's [`Store::restore_indexes`] recreates them. Primary keys and unique
//! constraints stay: upserts need them.

use crate::projection::{Arg, Column, TABLES};
use crate::{Store, StoreError};

impl Store {
    /// Drops the projection tables' secondary indexes, saving their definitions.
    /// Returns how many it dropped.
    pub async fn set_aside_indexes(&self) -> Result<usize, StoreError> {
        let mut found = vec![];
        self.for_each_row(
            self.secondary_indexes_sql(),
            &[],
            &[Column::Text, Column::Text],
            |row| found.push((row[0].text().to_string(), row[1].text().to_string())),
        )
        .await?;
        let mut statements = vec![];
        for (name, ddl) in &found {
            statements.push((
                "INSERT INTO projection_indexes (name, ddl) VALUES ($1, $2) \
                 ON CONFLICT (name) DO NOTHING"
                    .to_string(),
                vec![Arg::Text(name.clone()), Arg::Text(ddl.clone())],
            ));
            statements.push((format!("DROP INDEX {}", quoted(name)), vec![]));
        }
        self.run_statements(&statements).await?;
        Ok(found.len())
    }

    /// Recreates every index [`Store::set_aside_indexes`] saved, and forgets them.
    pub async fn restore_indexes(&self) -> Result<usize, StoreError> {
        let mut saved = vec![];
        let sql = "SELECT name, ddl FROM projection_indexes ORDER BY name".to_string();
        self.for_each_row(sql, &[], &[Column::Text, Column::Text], |row| {
            saved.push((row[0].text().to_string(), row[1].text().to_string()));
        })
        .await?;
        let mut statements = vec![];
        if let Self::Sqlite(_) = self {
            // Let SQLite sort on helper threads while it builds each index (its default is
            // none); this connection only.
            statements.push(("PRAGMA threads = 4".to_string(), vec![]));
        }
        for (name, ddl) in &saved {
            statements.push((ddl.clone(), vec![]));
            statements.push((
                "DELETE FROM projection_indexes WHERE name = $1".to_string(),
                vec![Arg::Text(name.clone())],
            ));
        }
        self.run_statements(&statements).await?;
        Ok(saved.len())
    }

    /// Lists (name, definition) of the projection tables' indexes that are neither a
    /// primary key nor a constraint.
    fn secondary_indexes_sql(&self) -> String {
        let tables: Vec<String> = TABLES.iter().map(|t| format!("'{}'", t.name)).collect();
        let tables = tables.join(", ");
        match self {
            // Indexes SQLite makes for keys and UNIQUE have no SQL.
            Self::Sqlite(_) => format!(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
                 AND sql IS NOT NULL AND tbl_name IN ({tables}) ORDER BY name"
            ),
            Self::Postgres(_) => format!(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i \
                 WHERE i.schemaname = current_schema() AND i.tablename IN ({tables}) \
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c \
                 WHERE c.conname = i.indexname AND c.connamespace = \
                 (SELECT oid FROM pg_namespace WHERE nspname = current_schema())) \
                 ORDER BY i.indexname"
            ),
        }
    }
}

/// An identifier quoted for SQL (both backends use double quotes).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

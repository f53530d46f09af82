//! Helpers for the tests of this crate and the crates above it: PostgreSQL in a fresh
//! schema when `TRUCE_TEST_POSTGRES_URL` names a database, and a plain notice when not.

use std::io::Write as _;

use sqlx::Connection as _;

/// The variable naming the test database.
pub const POSTGRES_ENV: &str = "TRUCE_TEST_POSTGRES_URL";

/// A URL whose connections use a new, empty schema of the test database, or None (said
/// on stderr, past the test harness's capture) when no test database is configured.
///
/// # Panics
/// If the variable is set but the database cannot be reached: a configured test
/// database that is down is a failure, not a skip.
pub async fn postgres_url_in_fresh_schema() -> Option<String> {
    let Ok(url) = std::env::var(POSTGRES_ENV) else {
        say_skipped();
        return None;
    };
    let mut conn = sqlx::PgConnection::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("{POSTGRES_ENV}={url}: {e}"));
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_nanos();
    let schema = format!("t{nanos:x}{:x}", std::process::id());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await
        .expect("creating a test schema");
    let separator = if url.contains('?') { '&' } else { '?' };
    Some(format!(
        "{url}{separator}options=-c%20search_path%3D{schema}"
    ))
}

fn say_skipped() {
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "NOTE: PostgreSQL tests SKIPPED: set {POSTGRES_ENV}=postgres://... to run them"
        );
    });
}

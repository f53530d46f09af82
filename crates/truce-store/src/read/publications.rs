//! The situation reports entered on the log by their SHA-256 (`report_publications`).

use serde::Serialize;

use super::{Conditions, FromRow, Values};
use crate::projection::publications::REPORT_PUBLICATIONS;
use crate::projection::{Arg, Table};
use crate::{Store, StoreError};

/// One published file of a situation report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicationRow {
    pub index: u64,
    /// The period the report covers (`YYYY-MM-DD`, both days included).
    pub period_from: String,
    pub period_to: String,
    pub language: String,
    pub format: String,
    pub sha256: String,
    pub title: Option<String>,
    pub url: Option<String>,
    /// The delegation that published it, and the key that signed.
    pub published_by: String,
    pub author: String,
    pub signed_at: String,
}

impl FromRow for PublicationRow {
    const TABLE: &'static Table = &REPORT_PUBLICATIONS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            period_from: v.text()?,
            period_to: v.text()?,
            language: v.text()?,
            format: v.text()?,
            sha256: v.text()?,
            title: v.opt_text()?,
            url: v.opt_text()?,
            published_by: v.text()?,
            author: v.text()?,
            signed_at: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

impl Store {
    /// The publications of exactly the period `from`..`to` (`YYYY-MM-DD`), every language
    /// and format, oldest first, at most `limit`.
    pub async fn publications_of(
        &self,
        from: &str,
        to: &str,
        limit: usize,
    ) -> Result<Vec<PublicationRow>, StoreError> {
        let mut c = Conditions::default();
        c.and("period_from =", Arg::Text(from.into()))
            .and("period_to =", Arg::Text(to.into()));
        self.select(&c, &format!("ORDER BY idx LIMIT {limit}"))
            .await
    }
}

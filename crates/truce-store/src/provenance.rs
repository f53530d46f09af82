//! Which rows of an imported dataset are already reports on the log (`reports`, by its
//! provenance columns): for an importer's dry run, and to skip them without submitting.

use crate::projection::{Arg, Column};
use crate::{Store, StoreError};

/// Row ids bound per query: well under both backends' limits on parameters.
const ROWS_PER_QUERY: usize = 500;

/// A dataset row that a report on the log names as its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenanceClaim {
    pub row: String,
    /// The log index of the report.
    pub index: u64,
    /// The key that filed it.
    pub author: String,
}

impl Store {
    /// The reports whose provenance is `dataset` and one of `rows`, in no set order.
    pub async fn provenance_claims(
        &self,
        dataset: &str,
        rows: &[String],
    ) -> Result<Vec<ProvenanceClaim>, StoreError> {
        let mut claims = vec![];
        for chunk in rows.chunks(ROWS_PER_QUERY) {
            claims.extend(self.provenance_chunk(dataset, chunk).await?);
        }
        Ok(claims)
    }

    async fn provenance_chunk(
        &self,
        dataset: &str,
        rows: &[String],
    ) -> Result<Vec<ProvenanceClaim>, StoreError> {
        let placeholders: Vec<String> = (2..=rows.len() + 1).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT provenance_row, idx, author FROM reports WHERE provenance_dataset = $1 \
             AND provenance_row IN ({})",
            placeholders.join(", ")
        );
        let mut args = vec![Arg::Text(dataset.into())];
        args.extend(rows.iter().map(|row| Arg::Text(row.clone())));
        let columns = [Column::Text, Column::Int, Column::Text];
        self.decoded(sql, &args, &columns, |row| {
            Ok(ProvenanceClaim {
                row: row.text()?,
                index: row.index()?,
                author: row.text()?,
            })
        })
        .await
    }
}

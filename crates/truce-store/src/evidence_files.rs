//! What the database knows of evidence files, beside their bytes ([`crate::evidence`]):
//! the files this node holds as uploaded (`evidence_files`, operational), and from the
//! projection the entries attaching a file (`attachments`) and whether it was published
//! (`evidence_published`).

use crate::projection::{Arg, Column};
use crate::read::Values;
use crate::{Store, StoreError};

/// A file as uploaded to this node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedFile {
    pub sha256: String,
    pub media_type: String,
    pub bytes: i64,
    /// The uploader's key name.
    pub uploaded_by: String,
    pub uploaded_ms: i64,
}

/// What one entry attaching a file says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub media_type: String,
    pub bytes: i64,
    pub public: bool,
    /// The key that signed the entry.
    pub author: String,
}

/// The first upload of a file is kept; uploading it again changes nothing.
const INSERT_FILE: &str = "INSERT INTO evidence_files \
    (sha256, media_type, bytes, uploaded_by, uploaded_ms) \
    VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING";
const ATTACHMENTS: &str = "SELECT media_type, bytes, public, author FROM attachments \
    WHERE sha256 = $1 ORDER BY entry_idx";
const PUBLISHED: &str = "SELECT idx FROM evidence_published WHERE sha256 = $1";

impl Store {
    /// Records an uploaded file, unless one of its hash already is.
    pub async fn add_uploaded_file(&self, file: &UploadedFile) -> Result<(), StoreError> {
        let args = vec![
            Arg::Text(file.sha256.clone()),
            Arg::Text(file.media_type.clone()),
            Arg::Int(file.bytes),
            Arg::Text(file.uploaded_by.clone()),
            Arg::Int(file.uploaded_ms),
        ];
        self.write(INSERT_FILE, args).await
    }

    /// The entries attaching the file `sha256`, in log order.
    pub async fn attachments(&self, sha256: &str) -> Result<Vec<Attachment>, StoreError> {
        let columns = [Column::Text, Column::Int, Column::Int, Column::Text];
        let args = [Arg::Text(sha256.into())];
        self.decoded(ATTACHMENTS.into(), &args, &columns, attachment)
            .await
    }

    /// Whether an `evidence.published` entry made the file `sha256` public.
    pub async fn evidence_published(&self, sha256: &str) -> Result<bool, StoreError> {
        let args = [Arg::Text(sha256.into())];
        let found = self.decoded(PUBLISHED.into(), &args, &[Column::Int], Values::index);
        Ok(!found.await?.is_empty())
    }
}

fn attachment(row: &mut Values) -> Result<Attachment, StoreError> {
    Ok(Attachment {
        media_type: row.text()?,
        bytes: row.int()?,
        public: row.int()? != 0,
        author: row.text()?,
    })
}

//! Evidence files, stored by their SHA-256 outside the log (which names them by hash):
//! a local directory by default, S3-compatible storage when configured with a URL. One
//! library, `object_store`, covers both.
//!
//! A file is written only after its bytes hash to the name it is stored under, so what is
//! served under a hash is always the file the signed entry means.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};

/// Where evidence files live.
#[derive(Debug, Clone)]
pub struct EvidenceStore {
    inner: Arc<dyn ObjectStore>,
    prefix: ObjectPath,
}

#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    #[error("the file's SHA-256 is {actual}, not {expected}")]
    HashMismatch { expected: String, actual: String },
    #[error("{0:?} is not a SHA-256 (64 lowercase hex digits)")]
    BadName(String),
    #[error("evidence storage: {0}")]
    Storage(#[from] object_store::Error),
    #[error("evidence storage location: {0}")]
    Location(String),
}

impl EvidenceStore {
    /// `url` names S3-compatible storage (`s3://bucket/prefix`) or a directory
    /// (`file:///...`); without one, files go to `data_dir/evidence`.
    pub fn open(data_dir: &Path, url: Option<&str>) -> Result<Self, EvidenceError> {
        if let Some(url) = url {
            let parsed =
                url::Url::parse(url).map_err(|e| EvidenceError::Location(format!("{url}: {e}")))?;
            // Credentials and region come from the usual AWS_* environment variables.
            let options: Vec<(String, String)> = std::env::vars()
                .filter(|(k, _)| k.starts_with("AWS_"))
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect();
            let (inner, prefix) = object_store::parse_url_opts(&parsed, options)?;
            return Ok(Self {
                inner: Arc::from(inner),
                prefix,
            });
        }
        let dir = data_dir.join("evidence");
        std::fs::create_dir_all(&dir)
            .map_err(|e| EvidenceError::Location(format!("{}: {e}", dir.display())))?;
        Ok(Self {
            inner: Arc::new(LocalFileSystem::new_with_prefix(&dir)?),
            prefix: ObjectPath::default(),
        })
    }

    /// Stores `bytes` under `sha256` once they are checked to hash to it.
    pub async fn put(&self, sha256: &str, bytes: Bytes) -> Result<(), EvidenceError> {
        let location = self.location(sha256)?;
        let actual = hex::encode(Sha256::digest(&bytes));
        if actual != sha256 {
            return Err(EvidenceError::HashMismatch {
                expected: sha256.to_string(),
                actual,
            });
        }
        self.inner.put(&location, PutPayload::from(bytes)).await?;
        Ok(())
    }

    /// The file stored under `sha256`, if there is one.
    pub async fn get(&self, sha256: &str) -> Result<Option<Bytes>, EvidenceError> {
        let location = self.location(sha256)?;
        match self.inner.get(&location).await {
            Ok(found) => Ok(Some(found.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Files are spread over 256 folders by their first two hex digits.
    fn location(&self, sha256: &str) -> Result<ObjectPath, EvidenceError> {
        if !truce_core::envelope::is_sha256_hex(sha256) {
            return Err(EvidenceError::BadName(sha256.to_string()));
        }
        Ok(self.prefix.clone().join(&sha256[..2]).join(sha256))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_file_is_kept_under_its_hash_and_only_under_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = EvidenceStore::open(dir.path(), None).unwrap();
        let photo = Bytes::from_static(b"crater photograph");
        let sha = hex::encode(Sha256::digest(&photo));
        store.put(&sha, photo.clone()).await.unwrap();
        assert_eq!(store.get(&sha).await.unwrap(), Some(photo));
        let wrong = "0".repeat(64);
        assert!(matches!(
            store.put(&wrong, Bytes::from_static(b"x")).await,
            Err(EvidenceError::HashMismatch { .. })
        ));
        assert_eq!(store.get(&wrong).await.unwrap(), None);
        assert!(matches!(
            store.get("../etc/passwd").await,
            Err(EvidenceError::BadName(_))
        ));
    }
}

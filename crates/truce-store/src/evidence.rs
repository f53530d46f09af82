//! Evidence files, stored by their SHA-256 outside the log (which names them by hash):
//! a local directory by default, S3-compatible storage when configured with a URL. One
//! library, `object_store`, covers both.
//!
//! A file is published under its name only once its bytes hash to that name, so what is
//! served under a hash is always the file the signed entry means. Uploads stream: a file
//! is written as it arrives (a staging file renamed into place, or an S3 multipart upload
//! completed) and hashed as it goes, so no file is ever held whole in memory, and one that
//! is too large, does not hash to its name or is cut off leaves nothing behind.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use futures::{Stream, StreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use sha2::{Digest, Sha256};

/// Parts of an upload written at once while more arrives: back pressure on the sender,
/// so an upload holds at most this many parts (of 5 MiB, S3's least) in memory.
const PARTS_IN_FLIGHT: usize = 2;

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
    #[error("object storage: {0}")]
    Storage(#[from] object_store::Error),
    #[error("storage location: {0}")]
    Location(String),
    #[error("the file is larger than {bytes_max} bytes")]
    TooLarge { bytes_max: u64 },
    #[error("an entry attaches this file with {expected} bytes; this one has {actual}")]
    SizeMismatch { expected: u64, actual: u64 },
    #[error("the upload was cut off: {0}")]
    Body(String),
}

impl EvidenceStore {
    /// `url` names S3-compatible storage (`s3://bucket/prefix`) or a directory
    /// (`file:///...`); without one, files go to `data_dir/evidence`.
    pub fn open(data_dir: &Path, url: Option<&str>) -> Result<Self, EvidenceError> {
        if let Some(url) = url {
            let (inner, prefix) = open_url(url)?;
            return Ok(Self { inner, prefix });
        }
        Self::local(&data_dir.join("evidence"))
    }

    /// Sealed testimony and its shares: always the node's own directory
    /// (`data_dir/sealed`), never shared storage, so that destroying a testimony deletes
    /// every copy the node holds.
    pub fn sealed(data_dir: &Path) -> Result<Self, EvidenceError> {
        Self::local(&data_dir.join("sealed"))
    }

    fn local(dir: &Path) -> Result<Self, EvidenceError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| EvidenceError::Location(format!("{}: {e}", dir.display())))?;
        Ok(Self {
            inner: Arc::new(LocalFileSystem::new_with_prefix(dir)?),
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

    /// Stores the file `body` streams under `sha256`, hashing it as it arrives, and
    /// answers its size. It is published only if it hashes to `sha256` and its size fits
    /// `size`; otherwise, or if `body` fails, nothing of it remains.
    pub async fn put_stream<S, E>(
        &self,
        sha256: &str,
        body: S,
        size: Size,
    ) -> Result<u64, EvidenceError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let location = self.location(sha256)?;
        let mut writer = WriteMultipart::new(self.inner.put_multipart(&location).await?);
        match copy(&mut writer, body, sha256, size).await {
            Ok(size) => {
                writer.finish().await?;
                Ok(size)
            }
            Err(e) => {
                // The staging file (or the multipart upload) goes; the error that counts
                // is the one that stopped the copy.
                let _ = writer.abort().await;
                Err(e)
            }
        }
    }

    /// The file stored under `sha256`, if there is one.
    pub async fn get(&self, sha256: &str) -> Result<Option<Bytes>, EvidenceError> {
        get_if_any(self.inner.as_ref(), &self.location(sha256)?).await
    }

    /// Deletes the file stored under `sha256`; true if there was one.
    pub async fn delete(&self, sha256: &str) -> Result<bool, EvidenceError> {
        let location = self.location(sha256)?;
        match self.inner.delete(&location).await {
            Ok(()) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The names of the files stored longer ago than `age`.
    pub async fn older_than(&self, age: std::time::Duration) -> Result<Vec<String>, EvidenceError> {
        let cutoff = std::time::SystemTime::now() - age;
        let mut names = vec![];
        let mut listing = self.inner.list(Some(&self.prefix));
        while let Some(meta) = listing.next().await {
            let meta = meta?;
            let modified: std::time::SystemTime = meta.last_modified.into();
            if modified < cutoff
                && let Some(name) = meta.location.filename()
                && truce_core::envelope::is_sha256_hex(name)
            {
                names.push(name.to_string());
            }
        }
        Ok(names)
    }

    /// Files are spread over 256 folders by their first two hex digits.
    fn location(&self, sha256: &str) -> Result<ObjectPath, EvidenceError> {
        if !truce_core::envelope::is_sha256_hex(sha256) {
            return Err(EvidenceError::BadName(sha256.to_string()));
        }
        Ok(self.prefix.clone().join(&sha256[..2]).join(sha256))
    }
}

/// The object at `location`, or None if there is none.
pub(crate) async fn get_if_any(
    store: &dyn ObjectStore,
    location: &ObjectPath,
) -> Result<Option<Bytes>, EvidenceError> {
    match store.get(location).await {
        Ok(found) => Ok(Some(found.bytes().await?)),
        Err(object_store::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The object store and the prefix in it that `url` names: `s3://bucket/prefix` (S3 or
/// any S3-compatible server) or `file:///dir`. Credentials, region and endpoint come from
/// the usual `AWS_*` environment variables (`AWS_ENDPOINT`, `AWS_ALLOW_HTTP`, ...).
pub(crate) fn open_url(url: &str) -> Result<(Arc<dyn ObjectStore>, ObjectPath), EvidenceError> {
    let parsed =
        url::Url::parse(url).map_err(|e| EvidenceError::Location(format!("{url}: {e}")))?;
    let options: Vec<(String, String)> = std::env::vars()
        .filter(|(k, _)| k.starts_with("AWS_"))
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    let (inner, prefix) = object_store::parse_url_opts(&parsed, options)?;
    Ok((Arc::from(inner), prefix))
}

/// What size a streamed file may have.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// The most bytes taken: the upload stops as soon as it has more.
    pub bytes_max: u64,
    /// The size an entry already signed for the file, if one has.
    pub bytes_signed: Option<u64>,
}

/// Writes `body` to `writer`, checking that it fits `size` and hashes to `sha256`;
/// answers its size.
async fn copy<S, E>(
    writer: &mut WriteMultipart,
    mut body: S,
    sha256: &str,
    Size {
        bytes_max,
        bytes_signed,
    }: Size,
) -> Result<u64, EvidenceError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let (mut hasher, mut size) = (Sha256::new(), 0u64);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| EvidenceError::Body(e.to_string()))?;
        size = size.saturating_add(chunk.len() as u64);
        if size > bytes_max {
            return Err(EvidenceError::TooLarge { bytes_max });
        }
        hasher.update(&chunk);
        writer.wait_for_capacity(PARTS_IN_FLIGHT).await?;
        writer.put(chunk);
    }
    if let Some(expected) = bytes_signed.filter(|expected| *expected != size) {
        return Err(EvidenceError::SizeMismatch {
            expected,
            actual: size,
        });
    }
    let actual = hex::encode(hasher.finalize());
    if actual != sha256 {
        return Err(EvidenceError::HashMismatch {
            expected: sha256.to_string(),
            actual,
        });
    }
    Ok(size)
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

    /// Every file under `dir`, staging files included.
    fn files(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut found = vec![];
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                found.extend(files(&path));
            } else {
                found.push(path);
            }
        }
        found
    }

    fn chunks(parts: &[&'static [u8]]) -> impl Stream<Item = Result<Bytes, String>> + Unpin {
        futures::stream::iter(
            parts
                .iter()
                .map(|part| Ok(Bytes::from_static(part)))
                .collect::<Vec<_>>(),
        )
    }

    #[tokio::test]
    async fn a_streamed_file_is_published_only_whole_within_its_limit_and_under_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let store = EvidenceStore::open(dir.path(), None).unwrap();
        let sha = hex::encode(Sha256::digest(b"crater photograph"));
        let parts: &[&'static [u8]] = &[b"crater ", b"photograph"];
        let most = |bytes_max| Size {
            bytes_max,
            bytes_signed: None,
        };
        assert!(matches!(
            store.put_stream(&sha, chunks(parts), most(10)).await,
            Err(EvidenceError::TooLarge { bytes_max: 10 })
        ));
        assert!(matches!(
            store
                .put_stream(&"0".repeat(64), chunks(parts), most(100))
                .await,
            Err(EvidenceError::HashMismatch { .. })
        ));
        let signed = Size {
            bytes_max: 100,
            bytes_signed: Some(18),
        };
        assert!(matches!(
            store.put_stream(&sha, chunks(parts), signed).await,
            Err(EvidenceError::SizeMismatch {
                expected: 18,
                actual: 17
            })
        ));
        let cut_off = futures::stream::iter(vec![
            Ok(Bytes::from_static(b"crater ")),
            Err("connection reset".to_string()),
        ]);
        assert!(matches!(
            store.put_stream(&sha, cut_off, most(100)).await,
            Err(EvidenceError::Body(_))
        ));
        assert_eq!(
            files(&dir.path().join("evidence")),
            Vec::<std::path::PathBuf>::new()
        );
        assert_eq!(
            store
                .put_stream(&sha, chunks(parts), most(17))
                .await
                .unwrap(),
            17
        );
        assert_eq!(
            store.get(&sha).await.unwrap(),
            Some(Bytes::from_static(b"crater photograph"))
        );
        assert_eq!(files(&dir.path().join("evidence")).len(), 1);
    }
}

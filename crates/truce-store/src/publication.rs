//! A static copy of the log's read path in S3-compatible storage or a directory, as
//! Tessera and Sunlight logs are served: the C2SP tlog-tiles resources under `log/` (the
//! checkpoint, the tiles, the entry bundles, the verifier key), at the same paths as the
//! node's `/log/`, so a CDN or any static web server in front of the bucket serves what
//! `truce verify` and other C2SP clients read, and the node answers only writes and queries.
//!
//! This module only stores bytes; `truce_node::publishing` decides what and when, and
//! keeps the order that makes the copy consistent (tiles before the checkpoint naming them).

use std::sync::Arc;

use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

use crate::evidence::{EvidenceError, get_if_any, open_url};

/// Where the log's read path is copied.
#[derive(Debug, Clone)]
pub struct LogPublication {
    inner: Arc<dyn ObjectStore>,
    /// `<prefix>/log`: resources go where a node serves them, `log/checkpoint` etc.
    log: ObjectPath,
}

impl LogPublication {
    /// `url` as for evidence: `s3://bucket/prefix` or `file:///dir`.
    pub fn open(url: &str) -> Result<Self, EvidenceError> {
        let (inner, prefix) = open_url(url)?;
        Ok(Self {
            inner,
            log: prefix.join("log"),
        })
    }

    /// Stores `bytes` at `path` under `log/` (`checkpoint`, `vkey`, `tile/0/000`, ...).
    pub async fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), EvidenceError> {
        let location = self.location(path);
        self.inner
            .put(&location, PutPayload::from(bytes))
            .await
            .map_err(EvidenceError::Storage)?;
        Ok(())
    }

    /// What is stored at `path` under `log/`, if anything.
    pub async fn get(&self, path: &str) -> Result<Option<Vec<u8>>, EvidenceError> {
        let found = get_if_any(self.inner.as_ref(), &self.location(path)).await?;
        Ok(found.map(|bytes| bytes.to_vec()))
    }

    fn location(&self, path: &str) -> ObjectPath {
        path.split('/').fold(self.log.clone(), ObjectPath::join)
    }
}

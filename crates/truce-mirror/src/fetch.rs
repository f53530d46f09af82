//! Reading a log's tlog-tiles resources over HTTP.

use std::time::Duration;

use reqwest::StatusCode;
use truce_log::tiles::TilePath;

use crate::mirror::UpdateError;

/// How long one request to the log may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    /// The log's tlog-tiles prefix, without a final slash.
    prefix: String,
}

impl Fetcher {
    /// A reader of the tlog-tiles log at `prefix` (for a Truce node, `<node URL>/log`).
    pub fn new(prefix: &str) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("truce-mirror/", env!("CARGO_PKG_VERSION")))
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            prefix: prefix.trim_end_matches('/').to_string(),
        })
    }

    #[must_use]
    pub fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.prefix)
    }

    pub async fn checkpoint(&self) -> Result<Vec<u8>, UpdateError> {
        self.get("checkpoint")
            .await?
            .ok_or_else(|| UpdateError::Fetch(format!("{}: not found", self.url("checkpoint"))))
    }

    /// An entry bundle; a partial one the log no longer serves is read from the full
    /// bundle (tlog-tiles lets a client do so), whose extra entries the caller ignores.
    pub async fn bundle(&self, path: &TilePath) -> Result<Vec<u8>, UpdateError> {
        if let Some(bundle) = self.get(&path.path()).await? {
            return Ok(bundle);
        }
        let full = TilePath::entries(path.index, 256);
        self.get(&full.path())
            .await?
            .ok_or_else(|| UpdateError::Fetch(format!("{}: not found", self.url(&path.path()))))
    }

    /// A hash tile; a partial one the log no longer serves is read from the full tile,
    /// whose first hashes it is (tlog-tiles).
    pub async fn tile(&self, path: &TilePath) -> Result<Vec<u8>, UpdateError> {
        let wanted = path.width as usize * 32;
        for candidate in [
            *path,
            TilePath {
                width: 256,
                ..*path
            },
        ] {
            if let Some(data) = self.get(&candidate.path()).await?
                && data.len() >= wanted
            {
                return Ok(data[..wanted].to_vec());
            }
        }
        Err(UpdateError::Fetch(format!(
            "{}: not found",
            self.url(&path.path())
        )))
    }

    /// The resource, or None if the log answers 404.
    async fn get(&self, path: &str) -> Result<Option<Vec<u8>>, UpdateError> {
        let url = self.url(path);
        let failed = |e: reqwest::Error| UpdateError::Fetch(format!("{url}: {e}"));
        let response = self.client.get(&url).send().await.map_err(failed)?;
        if response.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !response.status().is_success() {
            return Err(UpdateError::Fetch(format!(
                "{url} answered {}",
                response.status()
            )));
        }
        Ok(Some(response.bytes().await.map_err(failed)?.to_vec()))
    }
}

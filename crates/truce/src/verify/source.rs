//! Where an audit reads the log from: a node over HTTP, or a data directory.

use std::path::PathBuf;

use anyhow::Context;
use truce_log::tiles::TilePath;
use truce_store::Store;

use crate::Failure;

pub enum Source {
    Http {
        client: reqwest::Client,
        base: String,
    },
    Directory {
        store: Store,
        dir: PathBuf,
    },
}

impl Source {
    pub async fn open(target: &str) -> Result<Self, Failure> {
        if target.starts_with("http://") || target.starts_with("https://") {
            let client = reqwest::Client::builder()
                .user_agent(concat!("truce-verify/", env!("CARGO_PKG_VERSION")))
                .build()?;
            return Ok(Self::Http {
                client,
                base: target.trim_end_matches('/').to_string(),
            });
        }
        let dir = PathBuf::from(target);
        if !dir.is_dir() {
            return Err(Failure::usage(anyhow::anyhow!(
                "{target} is neither an http(s) URL nor a data directory"
            )));
        }
        let store = Store::open_read_only(&dir).await.map_err(Failure::usage)?;
        Ok(Self::Directory { store, dir })
    }

    /// The log key as the log itself presents it.
    pub async fn log_vkey(&self) -> Result<String, Failure> {
        match self {
            Self::Http { .. } => Ok(String::from_utf8(self.get("log/vkey").await?)?
                .trim()
                .to_string()),
            Self::Directory { dir, .. } => {
                let path = dir.join(truce_server::node::LOG_KEY_FILE);
                let key = truce_server::keyfile::read_key(&path)
                    .map_err(|e| Failure::usage(anyhow::anyhow!("{e}; pass --log-key")))?;
                Ok(key.vkey())
            }
        }
    }

    pub async fn checkpoint(&self) -> Result<Vec<u8>, Failure> {
        match self {
            Self::Http { .. } => self.get("log/checkpoint").await,
            Self::Directory { store, .. } => {
                // The checkpoint the node would serve; the audit then checks the genesis's
                // witness quorum on it (whatever quorum this unaudited read suggests).
                let quorum = witness_quorum(store).await;
                store.served_checkpoint(quorum).await?.ok_or_else(|| {
                    Failure::check(anyhow::anyhow!("the log is empty: no checkpoint to verify"))
                })
            }
        }
    }

    /// A tile or bundle of the log as of its checkpoint of `size` entries (a data
    /// directory's log may have grown since; the bundle asked for is within `size`).
    pub async fn tile(&self, path: &TilePath, size: u64) -> anyhow::Result<Vec<u8>> {
        match self {
            Self::Http { .. } => Ok(self
                .get(&format!("log/{}", path.path()))
                .await
                .map_err(|f| f.error)?),
            Self::Directory { store, .. } => store
                .tile_within(path, size)
                .await?
                .ok_or_else(|| anyhow::anyhow!("{}: missing from the data directory", path.path())),
        }
    }

    async fn get(&self, path: &str) -> Result<Vec<u8>, Failure> {
        let Self::Http { client, base } = self else {
            unreachable!("only HTTP sources fetch URLs")
        };
        let url = format!("{base}/{path}");
        let response = client
            .get(&url)
            .send()
            .await
            .with_context(|| format!("fetching {url}"))?;
        if !response.status().is_success() {
            return Err(Failure::check(anyhow::anyhow!(
                "{url} answered {}",
                response.status()
            )));
        }
        Ok(response
            .bytes()
            .await
            .with_context(|| format!("reading {url}"))?
            .to_vec())
    }
}

/// The witness quorum of the genesis stored in a data directory (0 if it has none).
async fn witness_quorum(store: &Store) -> u32 {
    let Ok(Some(stored)) = store.entry(0).await else {
        return 0;
    };
    match truce_log::SignedEntry::parse(stored.note).map(|e| e.body().clone()) {
        Ok(truce_core::Body::Genesis(genesis)) => genesis.witness_quorum,
        _ => 0,
    }
}

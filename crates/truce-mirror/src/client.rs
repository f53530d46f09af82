//! The push client (`truce mirror-push`): reads a log's checkpoint, entries and hash tiles
//! (a Truce node's `/log/`) and uploads them to a tlog-mirror with `add-checkpoint` then
//! `add-entries`, at most [`PACKAGES_PER_REQUEST`] packages a request, gzip-compressed,
//! resuming from the next entry a 202 or 409 names.
//!
//! Each package's subtree consistency proof is computed from the log's hash tiles, read
//! through `tlog_tiles::TileHashReader`, which checks every tile against the checkpoint's
//! root: the client sends only what the checkpoint commits to, and the mirror checks
//! again.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write as _;

use reqwest::StatusCode;
use tlog_tiles::{Error as TlogError, Hash, Tile, TileHashReader, TileReader};
use truce_log::cosignature::CosignedNote;
use truce_log::tiles::{TilePath, decode_bundle};
use truce_log::{TILE_HEIGHT, TILE_WIDTH, subtree};
use truce_witness::request::AddCheckpoint;

use crate::fetch::Fetcher;
use crate::wire::{Header, MirrorInfo, Package, canonical_packages, package_subtree};

/// tlog-mirror: clients SHOULD send at most 32 packages (8192 entries) a request.
pub const PACKAGES_PER_REQUEST: usize = 32;
/// Rounds of add-checkpoint and add-entries before giving up (the log or another client
/// keeps moving the mirror's pending checkpoint away).
const ROUNDS_MAX: usize = 5;

/// A log checkpoint as read from the log (its signature is the mirror's to check).
#[derive(Debug, Clone)]
struct LogCheckpoint {
    note: Vec<u8>,
    origin: String,
    size: u64,
    root: Hash,
}

/// What a push achieved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushOutcome {
    pub size: u64,
    /// The mirror's cosignature lines on the checkpoint of `size`.
    pub cosignatures: String,
}

pub struct PushClient {
    log: Fetcher,
    mirror: String,
    http: reqwest::Client,
    /// Hash tiles read from the log, by path; checked by `TileHashReader` on each use.
    tiles: HashMap<String, Vec<u8>>,
}

impl PushClient {
    /// A client pushing the log read under `log_prefix` (a node's `<URL>/log`) to the
    /// mirror whose submission prefix is `mirror`.
    pub fn new(log_prefix: &str, mirror: &str) -> Result<Self, String> {
        Ok(Self {
            log: Fetcher::new(log_prefix)?,
            mirror: mirror.trim_end_matches('/').to_string(),
            http: reqwest::Client::builder()
                .user_agent(concat!("truce-mirror-push/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| e.to_string())?,
            tiles: HashMap::new(),
        })
    }

    /// Brings the mirror up to the log's current checkpoint.
    pub async fn push(&mut self) -> Result<PushOutcome, String> {
        for _ in 0..ROUNDS_MAX {
            let checkpoint = self.log_checkpoint().await?;
            self.add_checkpoint(&checkpoint).await?;
            if let Some(outcome) = self.add_entries(&checkpoint).await? {
                return Ok(outcome);
            }
        }
        Err(format!(
            "the mirror's pending checkpoint kept moving; gave up after {ROUNDS_MAX} rounds"
        ))
    }

    async fn log_checkpoint(&self) -> Result<LogCheckpoint, String> {
        let note = self.log.checkpoint().await.map_err(|e| e.to_string())?;
        let parsed =
            CosignedNote::parse(&note).map_err(|e| format!("the log's checkpoint: {e}"))?;
        let checkpoint = tlog_tiles::Checkpoint::from_bytes(&parsed.body)
            .map_err(|_| "the log's checkpoint is malformed".to_string())?;
        Ok(LogCheckpoint {
            origin: checkpoint.origin().to_string(),
            size: checkpoint.size(),
            root: *checkpoint.hash(),
            note,
        })
    }

    /// Sets the mirror's pending checkpoint, from whatever size the mirror holds.
    async fn add_checkpoint(&mut self, checkpoint: &LogCheckpoint) -> Result<(), String> {
        let mut old = 0;
        for _ in 0..3 {
            let proof = if old > checkpoint.size {
                return Err(format!(
                    "the mirror's pending checkpoint ({old}) is ahead of the log's ({})",
                    checkpoint.size
                ));
            } else if old == 0 || old == checkpoint.size {
                vec![]
            } else {
                self.with_tiles(checkpoint, |r| {
                    tlog_tiles::prove_tree(checkpoint.size, old, r)
                })
                .await?
            };
            let body = AddCheckpoint {
                old_size: old,
                proof,
                note: checkpoint.note.clone(),
            }
            .to_bytes();
            let url = format!("{}/add-checkpoint", self.mirror);
            let response = self.post(&url, body, false).await?;
            match response.0 {
                StatusCode::OK => return Ok(()),
                StatusCode::CONFLICT => {
                    old =
                        response.1.trim().parse().map_err(|_| {
                            format!("{url}: a 409 without a size: {:?}", response.1)
                        })?;
                }
                status => return Err(format!("{url} answered {status}: {}", response.1.trim())),
            }
        }
        Err("add-checkpoint: the mirror's pending size kept changing".into())
    }

    /// Uploads `[next entry, checkpoint)`; None if the mirror moved to another pending
    /// checkpoint (the caller starts a new round).
    async fn add_entries(
        &mut self,
        checkpoint: &LogCheckpoint,
    ) -> Result<Option<PushOutcome>, String> {
        let mut start = self.mirror_size(checkpoint).await?;
        let url = format!("{}/add-entries", self.mirror);
        // Each request stores at least a package or ends the upload, so this bounds it.
        let requests = checkpoint.size / TILE_WIDTH + 3;
        for _ in 0..requests {
            let body = self.request_body(checkpoint, start).await?;
            let (status, text) = self.post(&url, body, true).await?;
            match status {
                StatusCode::OK => {
                    return Ok(Some(PushOutcome {
                        size: checkpoint.size,
                        cosignatures: text,
                    }));
                }
                StatusCode::ACCEPTED | StatusCode::CONFLICT => {
                    let info = MirrorInfo::parse(&text).map_err(|e| format!("{url}: {e}"))?;
                    if info.pending_size != checkpoint.size {
                        // The mirror moved to another pending checkpoint: a new round.
                        return Ok(None);
                    }
                    // A next entry at or past the end leaves nothing to send but the
                    // request that commits it.
                    start = info.next_entry.min(checkpoint.size);
                }
                status => return Err(format!("{url} answered {status}: {}", text.trim())),
            }
        }
        Err(format!("{url}: the upload did not complete"))
    }

    /// Where the mirror's copy ends (its monitoring checkpoint), a first guess of its
    /// next entry.
    async fn mirror_size(&self, checkpoint: &LogCheckpoint) -> Result<u64, String> {
        let hash = truce_witness::store::origin_hash(&checkpoint.origin);
        let url = format!("{}/{hash}/checkpoint", self.mirror);
        let response = self
            .http
            .get(&url)
            .send()
            .await
            .map_err(|e| format!("{url}: {e}"))?;
        if response.status() == StatusCode::NOT_FOUND {
            return Ok(0);
        }
        let text = response.text().await.map_err(|e| format!("{url}: {e}"))?;
        let size = text.lines().nth(1).and_then(|l| l.parse().ok());
        Ok(size.unwrap_or(0).min(checkpoint.size))
    }

    /// An add-entries body from `start` to the checkpoint, of at most 32 packages.
    async fn request_body(
        &mut self,
        checkpoint: &LogCheckpoint,
        start: u64,
    ) -> Result<Vec<u8>, String> {
        let header = Header {
            origin: checkpoint.origin.clone(),
            upload_start: start,
            upload_end: checkpoint.size,
            ticket: vec![],
        };
        let mut body = header.encode();
        for package in canonical_packages(start, checkpoint.size)
            .into_iter()
            .take(PACKAGES_PER_REQUEST)
        {
            self.package(checkpoint, package)
                .await?
                .encode_into(&mut body);
        }
        Ok(body)
    }

    /// The entries of `[start, end)` and the proof of their bundle's subtree.
    async fn package(
        &mut self,
        checkpoint: &LogCheckpoint,
        (start, end): (u64, u64),
    ) -> Result<Package, String> {
        let index = start / TILE_WIDTH;
        let width = checkpoint.size.min((index + 1) * TILE_WIDTH) - index * TILE_WIDTH;
        let path = TilePath::entries(index, u32::try_from(width).expect("at most 256"));
        let bundle = self.log.bundle(&path).await.map_err(|e| e.to_string())?;
        let entries = decode_bundle(&bundle).map_err(|e| format!("{}: {e}", path.path()))?;
        let from = usize::try_from(start - index * TILE_WIDTH).expect("< 256");
        let to = usize::try_from(end - index * TILE_WIDTH).expect("<= 256");
        let entries = entries
            .get(from..to)
            .ok_or_else(|| format!("{} holds {} entries", path.path(), entries.len()))?
            .iter()
            .map(|e| e.to_vec())
            .collect();
        let (lo, hi) = package_subtree((start, end));
        let proof = self
            .with_tiles(checkpoint, |r| subtree::prove(lo, hi, checkpoint.size, r))
            .await?;
        Ok(Package { entries, proof })
    }

    /// Runs `compute` over the log's hash tiles at the checkpoint, reading the tiles it
    /// asks for first (it asks for all it needs in one read, so a second pass computes).
    async fn with_tiles<T>(
        &mut self,
        checkpoint: &LogCheckpoint,
        compute: impl Fn(&TileHashReader<'_>) -> Result<T, TlogError>,
    ) -> Result<T, String> {
        for _ in 0..2 {
            let reader = CachedTiles {
                tiles: &self.tiles,
                missing: RefCell::new(vec![]),
            };
            let result = compute(&TileHashReader::new(
                checkpoint.size,
                checkpoint.root,
                &reader,
            ));
            let missing = reader.missing.into_inner();
            if missing.is_empty() {
                return result.map_err(|e| format!("the log's hash tiles: {e}"));
            }
            for tile in missing {
                let path = c2sp_path(&tile);
                let data = self.log.tile(&path).await.map_err(|e| e.to_string())?;
                self.tiles.insert(path.path(), data);
            }
        }
        Err("the log's hash tiles: still missing after reading them".into())
    }

    /// Posts `body` (gzip-compressed if `gzip`); the status and the answer's text.
    async fn post(
        &self,
        url: &str,
        body: Vec<u8>,
        gzip: bool,
    ) -> Result<(StatusCode, String), String> {
        let mut request = self.http.post(url);
        let body = if gzip {
            request = request.header(reqwest::header::CONTENT_ENCODING, "gzip");
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder.write_all(&body).map_err(|e| e.to_string())?;
            encoder.finish().map_err(|e| e.to_string())?
        } else {
            body
        };
        let response = request
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(body)
            .send()
            .await
            .map_err(|e| format!("{url}: {e}"))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| format!("{url}: {e}"))?;
        Ok((status, text))
    }
}

fn c2sp_path(tile: &Tile) -> TilePath {
    debug_assert_eq!(tile.height(), TILE_HEIGHT);
    TilePath::hashes(tile.level(), tile.level_index(), tile.width())
}

/// The tiles read so far; a tile not there yet is noted and the read fails.
struct CachedTiles<'a> {
    tiles: &'a HashMap<String, Vec<u8>>,
    missing: RefCell<Vec<Tile>>,
}

impl TileReader for CachedTiles<'_> {
    fn height(&self) -> u8 {
        TILE_HEIGHT
    }

    fn read_tiles(&self, tiles: &[Tile]) -> Result<Vec<Vec<u8>>, TlogError> {
        let found: Vec<Option<Vec<u8>>> = tiles
            .iter()
            .map(|t| self.tiles.get(&c2sp_path(t).path()).cloned())
            .collect();
        let mut missing = self.missing.borrow_mut();
        missing.extend(
            tiles
                .iter()
                .zip(&found)
                .filter(|(_, d)| d.is_none())
                .map(|(t, _)| *t),
        );
        if missing.is_empty() {
            Ok(found.into_iter().map(Option::unwrap_or_default).collect())
        } else {
            Err(TlogError::IndexesNotInTree)
        }
    }

    fn save_tiles(&self, _tiles: &[Tile], _data: &[Vec<u8>]) {}
}

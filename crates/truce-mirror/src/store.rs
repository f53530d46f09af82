//! The mirror's data directory: its copy of one log, laid out as the tlog-tiles resources
//! it serves, and the checkpoints it refused.
//!
//! ```text
//! DIR/mirror.lock                          held while a mirror runs on DIR
//! DIR/<sha256(origin) hex>/checkpoint      the mirror checkpoint (log's and cosigners' lines)
//! DIR/<sha256(origin) hex>/pending         the pending checkpoint (log's and witnesses' lines)
//! DIR/<sha256(origin) hex>/next-entry      how far pushed entries are stored (decimal)
//! DIR/<sha256(origin) hex>/tile/...        hash tiles and entry bundles, tlog-tiles paths
//! DIR/<sha256(origin) hex>/forks/<size>-<hash>/{mirrored,refused,reason}  (truce_witness::forks)
//! ```
//!
//! Every file is written durably (`truce_witness::store::write_durably`). Tiles are written
//! before the checkpoint that covers them, and the checkpoint is the commit: after a crash
//! the copy is the one the checkpoint describes, and tiles beyond it are written again,
//! with the same bytes, by the next update.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use truce_log::tiles::TilePath;
use truce_witness::forks::{self, Fork, Kept};
use truce_witness::store::{origin_hash, write_durably};

#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    _lock: File,
}

impl Store {
    /// Opens (creating) the copy of the log `origin` in `data`, locked against a second
    /// mirror process.
    pub fn open(data: &Path, origin: &str) -> io::Result<Self> {
        let dir = data.join(origin_hash(origin));
        std::fs::create_dir_all(&dir)?;
        let lock = truce_witness::store::lock_directory(data, "mirror")?;
        Ok(Self { dir, _lock: lock })
    }

    /// The mirror checkpoint, if the mirror holds any.
    pub fn checkpoint(&self) -> io::Result<Option<Vec<u8>>> {
        read_if_exists(&self.dir.join("checkpoint"))
    }

    /// Commits the mirror checkpoint; every tile it covers must already be written.
    pub fn save_checkpoint(&self, note: &[u8]) -> io::Result<()> {
        write_durably(&self.dir, "checkpoint", note)
    }

    /// The pending checkpoint last pushed with `add-checkpoint`, if any.
    pub fn pending(&self) -> io::Result<Option<Vec<u8>>> {
        read_if_exists(&self.dir.join("pending"))
    }

    /// Persists the pending checkpoint (before `add-checkpoint` answers).
    pub fn save_pending(&self, note: &[u8]) -> io::Result<()> {
        write_durably(&self.dir, "pending", note)
    }

    /// The next entry recorded by the push path: entries below it, beyond the mirror
    /// checkpoint, were authenticated before they were written.
    pub fn next_entry(&self) -> io::Result<Option<u64>> {
        let Some(text) = read_if_exists(&self.dir.join("next-entry"))? else {
            return Ok(None);
        };
        let text = String::from_utf8_lossy(&text);
        text.trim().parse().map(Some).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("next-entry: {text:?} is not a number"),
            )
        })
    }

    /// Records the next entry, once the bundles below it are written.
    pub fn save_next_entry(&self, next: u64) -> io::Result<()> {
        write_durably(&self.dir, "next-entry", format!("{next}\n").as_bytes())
    }

    pub fn tile(&self, path: &TilePath) -> io::Result<Option<Vec<u8>>> {
        read_if_exists(&self.dir.join(path.path()))
    }

    pub fn save_tile(&self, path: &TilePath, data: &[u8]) -> io::Result<()> {
        let file = self.dir.join(path.path());
        let parent = file.parent().expect("a tile path has a directory");
        std::fs::create_dir_all(parent)?;
        let name = file.file_name().expect("a tile path names a file");
        write_durably(parent, &name.to_string_lossy(), data)
    }

    /// Keeps a checkpoint refused as conflicting with the mirrored one, once and bounded.
    pub fn keep_evidence(&self, fork: &Fork<'_>) -> io::Result<Kept> {
        forks::keep(&self.dir.join("forks"), fork)
    }
}

fn read_if_exists(path: &Path) -> io::Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_and_the_checkpoint_survive_reopening_and_a_second_mirror_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), "example.com/log").unwrap();
        let path = TilePath::entries(1234, 7);
        store.save_tile(&path, b"bundle").unwrap();
        store.save_checkpoint(b"note").unwrap();
        let error = Store::open(dir.path(), "example.com/log").unwrap_err();
        assert!(error.to_string().contains("in use"), "{error}");
        drop(store);
        let store = Store::open(dir.path(), "example.com/log").unwrap();
        assert_eq!(store.tile(&path).unwrap().unwrap(), b"bundle");
        assert_eq!(store.tile(&TilePath::entries(0, 1)).unwrap(), None);
        assert_eq!(store.checkpoint().unwrap().unwrap(), b"note");
    }
}

//! The witness's data directory: per log, the latest checkpoint it cosigned, and the
//! conflicting checkpoints it refused (evidence of a fork).
//!
//! ```text
//! DIR/witness.lock                      held while a witness runs on DIR
//! DIR/logs/<sha256(origin) hex>/checkpoint
//! DIR/logs/<sha256(origin) hex>/forks/<size>-<hash>/{cosigned,refused,reason}   (see `forks`)
//! ```
//!
//! Every write is a new file written, fsynced, renamed into place and its directory
//! fsynced, so after a crash a file is either the old one or the new one, never half
//! written, and a checkpoint is on disk before the cosignature that reports it leaves.

use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    _lock: File,
}

impl Store {
    /// Opens (creating) the data directory and locks it against a second witness process.
    pub fn open(dir: &Path) -> io::Result<Self> {
        std::fs::create_dir_all(dir.join("logs"))?;
        let lock = lock_directory(dir, "witness")?;
        Ok(Self {
            dir: dir.to_path_buf(),
            _lock: lock,
        })
    }

    /// The directory of a log's files: named by the SHA-256 of its origin, as the
    /// tlog-witness monitoring URL names it, so no origin can name a path.
    #[must_use]
    pub fn log_dir(&self, origin: &str) -> PathBuf {
        self.dir.join("logs").join(origin_hash(origin))
    }

    /// The latest checkpoint cosigned for `origin`, if any.
    pub fn latest(&self, origin: &str) -> io::Result<Option<Vec<u8>>> {
        match std::fs::read(self.log_dir(origin).join("checkpoint")) {
            Ok(note) => Ok(Some(note)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Replaces the latest checkpoint for `origin`, durably.
    pub fn save_latest(&self, origin: &str, note: &[u8]) -> io::Result<()> {
        let dir = self.log_dir(origin);
        std::fs::create_dir_all(&dir)?;
        write_durably(&dir, "checkpoint", note)
    }
}

/// The lowercase hex SHA-256 of an origin (tlog-witness's `<origin hash>`).
#[must_use]
pub fn origin_hash(origin: &str) -> String {
    hex::encode(Sha256::digest(origin.as_bytes()))
}

/// The first of `base`, `base-1`, `base-2`... that names nothing in `dir`.
#[must_use]
pub fn unused_name(dir: &Path, base: &str) -> String {
    (0..=u32::MAX)
        .map(|n| {
            if n == 0 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|name| !dir.join(name).exists())
        .expect("some suffix is free")
}

/// Locks the data directory `dir` of a `what` (witness, mirror) against a second process
/// on it, through the file `<what>.lock`; the lock lasts as long as the file it answers.
pub fn lock_directory(dir: &Path, what: &str) -> io::Result<std::fs::File> {
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(format!("{what}.lock")))?;
    match lock.try_lock() {
        Ok(()) => Ok(lock),
        Err(std::fs::TryLockError::WouldBlock) => Err(io::Error::other(format!(
            "{} is in use by another {what}",
            dir.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Write a temporary file, fsync it, rename it over `name`, fsync the directory. (The
/// mirror, `truce-mirror`, stores its copy of a log with this too.)
pub fn write_durably(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let temporary = dir.join(format!(".{name}.tmp"));
    let mut file = File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temporary, dir.join(name))?;
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_checkpoint_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.latest("example.com/log").unwrap(), None);
        store.save_latest("example.com/log", b"one").unwrap();
        store.save_latest("example.com/log", b"two").unwrap();
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.latest("example.com/log").unwrap().unwrap(), b"two");
    }

    #[test]
    fn a_second_witness_on_the_same_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let _first = Store::open(dir.path()).unwrap();
        let error = Store::open(dir.path()).unwrap_err();
        assert!(error.to_string().contains("in use"), "{error}");
    }
}

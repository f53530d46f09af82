//! Evidence of a fork: a checkpoint signed by a log that conflicts with one it signed
//! before (the same size, another root), kept so that anyone can later show the log lied.
//!
//! Only what proves something is kept. A consistency proof that does not verify proves
//! nothing about the log (anyone can send a real checkpoint with a bad proof), so it is
//! refused and forgotten; two checkpoints of one size with different roots, both signed by
//! the log, are a fork whoever sends them. Each piece of evidence is kept once (named by
//! the refused checkpoint's hash, so the same one sent again adds nothing) and at most
//! [`FORKS_MAX`] per log, so no sender can fill the disk. Callers write it after releasing
//! their per-log lock, so keeping evidence never delays cosigning.
//!
//! ```text
//! <forks>/<size>-<first 16 hex of SHA-256(refused)>/{<held name>,refused,reason}
//! ```

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use crate::store::write_durably;

/// The most pieces of evidence kept per log: a log that forked this often is proven to
/// have forked many times over; more copies add nothing.
pub const FORKS_MAX: usize = 64;

/// What became of a piece of evidence.
#[derive(Debug, PartialEq, Eq)]
pub enum Kept {
    /// Written now, in this directory.
    New(PathBuf),
    /// Already kept, in this directory.
    Known(PathBuf),
    /// Not kept: [`FORKS_MAX`] are kept already.
    Full,
}

/// A conflicting checkpoint to keep, beside the one it conflicts with.
#[derive(Debug)]
pub struct Fork<'a> {
    /// The size both checkpoints share.
    pub size: u64,
    /// What the file holding the checkpoint held before is called (`cosigned` for a
    /// witness, `mirrored` for a mirror), and its bytes.
    pub held: (&'a str, &'a [u8]),
    /// The refused checkpoint, with the log's signature only.
    pub refused: &'a [u8],
    pub reason: &'a str,
}

/// Keeps `fork` under `forks` (created if missing), durably: written in a hidden staging
/// directory, fsynced, renamed into place, the directory fsynced.
pub fn keep(forks: &Path, fork: &Fork<'_>) -> io::Result<Kept> {
    std::fs::create_dir_all(forks)?;
    let digest = hex::encode(Sha256::digest(fork.refused));
    let name = format!("{}-{}", fork.size, &digest[..16]);
    let target = forks.join(&name);
    if target.exists() {
        return Ok(Kept::Known(target));
    }
    if kept_count(forks)? >= FORKS_MAX {
        return Ok(Kept::Full);
    }
    let staging = forks.join(format!(".{name}.tmp"));
    std::fs::create_dir_all(&staging)?;
    let reason = format!("{}\n", fork.reason);
    for (file, bytes) in [
        fork.held,
        ("refused", fork.refused),
        ("reason", reason.as_bytes()),
    ] {
        write_durably(&staging, file, bytes)?;
    }
    std::fs::rename(&staging, &target)?;
    File::open(forks)?.sync_all()?;
    Ok(Kept::New(target))
}

/// Pieces of evidence kept (staging directories, hidden, are not counted).
fn kept_count(forks: &Path) -> io::Result<usize> {
    let mut count = 0;
    for entry in std::fs::read_dir(forks)? {
        if !entry?.file_name().to_string_lossy().starts_with('.') {
            count += 1;
        }
    }
    Ok(count)
}

/// Logs what became of a piece of evidence: a warning either way, since a fork is the
/// one thing a witness or mirror exists to catch.
pub fn report(kept: &Kept, reason: &str) {
    match kept {
        Kept::New(path) => {
            tracing::warn!(path = %path.display(), reason, "kept a conflicting checkpoint as evidence of a fork");
        }
        Kept::Known(path) => {
            tracing::warn!(path = %path.display(), reason, "refused a conflicting checkpoint already kept as evidence");
        }
        Kept::Full => {
            tracing::warn!(
                reason,
                max = FORKS_MAX,
                "refused a conflicting checkpoint; not kept, as the most evidence kept per log is reached"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fork(refused: &[u8]) -> Fork<'_> {
        Fork {
            size: 5,
            held: ("cosigned", b"a"),
            refused,
            reason: "split view",
        }
    }

    #[test]
    fn evidence_is_kept_once_whole_in_its_own_directory() {
        let dir = tempfile::tempdir().unwrap();
        let Kept::New(first) = keep(dir.path(), &fork(b"b")).unwrap() else {
            panic!("kept")
        };
        assert_eq!(
            keep(dir.path(), &fork(b"b")).unwrap(),
            Kept::Known(first.clone())
        );
        assert_eq!(std::fs::read(first.join("refused")).unwrap(), b"b");
        assert_eq!(std::fs::read(first.join("cosigned")).unwrap(), b"a");
        assert_eq!(
            std::fs::read_to_string(first.join("reason")).unwrap(),
            "split view\n"
        );
    }

    #[test]
    fn no_more_than_the_maximum_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        for n in 0..FORKS_MAX {
            let refused = n.to_string();
            assert!(matches!(
                keep(dir.path(), &fork(refused.as_bytes())).unwrap(),
                Kept::New(_)
            ));
        }
        assert_eq!(keep(dir.path(), &fork(b"one more")).unwrap(), Kept::Full);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), FORKS_MAX);
    }
}

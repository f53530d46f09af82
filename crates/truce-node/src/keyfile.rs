//! Private key files: one Go-note-format private key per file, readable by the owner only.

use std::io::Write;
use std::path::Path;

use truce_log::KeyPair;

/// Writes a private key to a new file with owner-only permissions.
pub fn write_key(path: &Path, key: &KeyPair) -> anyhow::Result<()> {
    write_secret(path, &key.to_skey())
}

/// Writes a private key's text (and a newline) to a new file with owner-only permissions.
pub fn write_secret(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| anyhow::anyhow!("writing key file {}: {e}", path.display()))?;
    writeln!(file, "{text}")?;
    file.sync_all()?;
    Ok(())
}

pub fn read_key(path: &Path) -> anyhow::Result<KeyPair> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("reading key file {}: {e}", path.display()))?;
    KeyPair::from_skey(&text).map_err(|e| anyhow::anyhow!("key file {}: {e}", path.display()))
}

/// The log key in `path`, created with name `origin` if the file does not exist.
pub fn load_or_create_log_key(path: &Path, origin: &str) -> anyhow::Result<KeyPair> {
    if path.exists() {
        return read_key(path);
    }
    let key = KeyPair::generate(origin)?;
    write_key(path, &key)?;
    tracing::info!(vkey = %key.vkey(), path = %path.display(), "created the log key");
    Ok(key)
}

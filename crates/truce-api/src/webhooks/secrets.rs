//! Webhook secrets at rest. The database keeps each secret sealed (ChaCha20-Poly1305, as
//! [`crate::custody`] seals) under a key of this node's that is kept in a file beside the
//! log key, `<data>/webhook-secrets.key` (owner-only), and never in the database: a copy of
//! the database (a dump, a backup, a PostgreSQL server run by someone else) does not hold
//! what signs the deliveries. Every node serving one database needs the same key file, as
//! it needs the same log key.

use std::path::Path;

use rand_core::{OsRng, RngCore};

use crate::custody;

/// The key file, in the data directory.
pub const KEY_FILE: &str = "webhook-secrets.key";
/// What a sealed secret starts with; a stored secret without it was kept before secrets
/// were sealed, and is read as it is.
const SEALED: &str = "sealed:";

/// The node's key for webhook secrets.
pub struct SecretsKey([u8; 32]);

impl SecretsKey {
    /// The key in `data_dir`, made (owner-only) if there is none yet.
    pub fn load_or_create(data_dir: &Path) -> anyhow::Result<Self> {
        let path = data_dir.join(KEY_FILE);
        if !path.exists() {
            let mut key = [0u8; 32];
            OsRng.fill_bytes(&mut key);
            // Another process may have made it meanwhile: then its key is the one read.
            let _ = truce_node::keyfile::write_secret(&path, &hex::encode(key));
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
        let key = hex::decode(text.trim())
            .ok()
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .ok_or_else(|| anyhow::anyhow!("{}: not 64 hex digits", path.display()))?;
        Ok(Self(key))
    }

    /// The form a secret is stored in.
    #[must_use]
    pub fn seal(&self, secret: &str) -> String {
        format!(
            "{SEALED}{}",
            custody::seal_with_key(secret.as_bytes(), &self.0)
        )
    }

    /// A stored secret, opened; None if it was sealed under another key.
    #[must_use]
    pub fn open(&self, stored: &str) -> Option<String> {
        match stored.strip_prefix(SEALED) {
            Some(sealed) => {
                let bytes = custody::open_with_key(sealed, &self.0)?;
                String::from_utf8(bytes).ok()
            }
            None => Some(stored.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_is_not_stored_in_clear() {
        let dir = tempfile::tempdir().unwrap();
        let key = SecretsKey::load_or_create(dir.path()).unwrap();
        let secret = super::super::signing::new_secret();
        let stored = key.seal(&secret);
        assert!(!stored.contains(&secret[6..]), "{stored}");
        assert_eq!(key.open(&stored).as_deref(), Some(secret.as_str()));
        let again = SecretsKey::load_or_create(dir.path()).unwrap();
        assert_eq!(again.open(&stored).as_deref(), Some(secret.as_str()));
        let other = SecretsKey::load_or_create(tempfile::tempdir().unwrap().path()).unwrap();
        assert_eq!(other.open(&stored), None);
        assert_eq!(key.open("whsec_old").as_deref(), Some("whsec_old"));
    }

    #[test]
    fn the_key_file_is_the_owners_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        SecretsKey::load_or_create(dir.path()).unwrap();
        let mode = std::fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

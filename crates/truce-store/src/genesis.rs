//! The genesis, read back from entry 0: the one reader of it that every part of the node
//! (the loader, a rebuild, the API) uses.

use truce_core::{Body, Genesis};
use truce_log::SignedEntry;

use crate::{Store, StoreError};

impl Store {
    /// The genesis the log starts with, if it has an entry 0. An entry 0 that does not
    /// parse or is not a genesis is [`StoreError::Corrupt`]: the node admitted it as one.
    pub async fn genesis(&self) -> Result<Option<Genesis>, StoreError> {
        let Some(stored) = self.entry(0).await? else {
            return Ok(None);
        };
        let entry = SignedEntry::parse(stored.note)
            .map_err(|e| StoreError::Corrupt(format!("entry 0 does not parse: {e}")))?;
        match entry.body() {
            Body::Genesis(genesis) => Ok(Some((**genesis).clone())),
            _ => Err(StoreError::Corrupt("entry 0 is not the genesis".into())),
        }
    }
}

//! Seeding an empty log with the exercise (`truce serve --demo`).

use std::path::Path;

use truce_demo::Exercise;
use truce_log::KeyPair;

use crate::keyfile::write_key;
use crate::sequencer::SequencerHandle;

/// Writes the exercise's keys under `data_dir/demo-keys` and appends its entries through
/// the sequencer, like any other submitter.
pub async fn seed(
    data_dir: &Path,
    log_key: KeyPair,
    sequencer: &SequencerHandle,
) -> anyhow::Result<u64> {
    let exercise = Exercise::generate_for(log_key);
    let dir = data_dir.join("demo-keys");
    for (id, _, _, key) in &exercise.delegations {
        write_key(&dir.join(format!("{id}-root.key")), key)?;
    }
    for officer in &exercise.officers {
        let short = officer
            .key
            .name()
            .as_str()
            .rsplit('/')
            .next()
            .unwrap_or_default();
        write_key(
            &dir.join(format!("{}-{short}.key", officer.delegation)),
            &officer.key,
        )?;
    }
    std::fs::write(
        dir.join("README.txt"),
        "Keys of the fictional officers of the exercise 'Pakistan–Afghanistan ceasefire 2025'.\n\
         They exist so you can try `truce submit`; never use them for anything real.\n",
    )?;
    let mut appended = 0;
    for note in exercise.entries() {
        sequencer
            .submit(note)
            .await
            .map_err(|e| anyhow::anyhow!("the demo entry {appended} was refused: {e}"))?;
        appended += 1;
    }
    Ok(appended)
}

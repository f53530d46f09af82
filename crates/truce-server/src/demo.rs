//! Seeding an empty log with the exercise (`truce serve --demo`).

use std::path::Path;

use truce_demo::Exercise;
use truce_log::KeyPair;
use truce_store::Store;

use truce_api::accounts::{self, Person};
use truce_node::keyfile::{write_key, write_secret};
use truce_node::sequencer::SequencerHandle;

/// What `--demo` writes on an empty log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Demo {
    /// The constitution only: the genesis, the officers' keys, a revocation (9 entries).
    Constitution,
    /// The constitution, then the seed article's events played through the workflow.
    Exercise,
}

/// Writes the exercise's keys under `data_dir/demo-keys` and appends its entries through
/// the sequencer, like any other submitter.
pub async fn seed(
    data_dir: &Path,
    log_key: KeyPair,
    sequencer: &SequencerHandle,
    store: &Store,
    demo: Demo,
) -> anyhow::Result<u64> {
    let exercise = Exercise::generate_for(log_key);
    let dir = data_dir.join("demo-keys");
    for (id, _, _, key) in &exercise.delegations {
        write_key(&dir.join(format!("{id}-root.key")), key)?;
    }
    for officer in &exercise.officers {
        write_key(
            &dir.join(format!("{}.key", officer.account_name())),
            &officer.key,
        )?;
    }
    std::fs::write(
        dir.join("README.txt"),
        "Keys of the fictional officers of the exercise 'Pakistan–Afghanistan ceasefire 2025'.\n\
         They exist so you can try `truce submit`; never use them for anything real.\n\
         Each officer also has a web/API account named like their key file (pk-liaison-1, ...)\n\
         with the password exercise-only: POST /api/v1/login {\"name\": ..., \"password\": ...}.\n\
         The custodians of the exercise's sealed testimony have a second key, NAME.custodian,\n\
         for `truce testimony approve --custodian-key`.\n",
    )?;
    create_accounts(store, &exercise).await?;
    let mut notes = exercise.entries();
    if demo == Demo::Exercise {
        // Entries that start or meet deadlines must carry the time they are submitted.
        notes.extend(exercise.scenario(&truce_node::sequencer::now()));
    }
    let mut appended = 0;
    for note in notes {
        sequencer
            .submit(note)
            .await
            .map_err(|e| anyhow::anyhow!("the demo entry {appended} was refused: {e}"))?;
        appended += 1;
    }
    if demo == Demo::Exercise {
        sealed_testimony(data_dir, &dir, &exercise).await?;
        public_reports(store, data_dir).await?;
    }
    Ok(appended)
}

/// The files the exercise's sealed testimony names, and its custodians' keys beside their
/// signing keys (`jmt-monitor-1.custodian`, ...), so that unsealing can be tried.
async fn sealed_testimony(data_dir: &Path, keys: &Path, exercise: &Exercise) -> anyhow::Result<()> {
    let sealed = truce_store::EvidenceStore::sealed(data_dir)?;
    for (sha256, bytes) in exercise.sealed_files() {
        sealed.put(&sha256, bytes.into()).await?;
    }
    for who in truce_demo::scenario::testimony::CUSTODIANS {
        let file = keys.join(format!("{}.custodian", who.replace('/', "-")));
        write_secret(&file, &exercise.custodian_key(who).to_base64())?;
    }
    Ok(())
}

/// Two reports from the public for the monitors' queue (`/desk`), as the anonymous form
/// at `/report` would have kept them: fiction, labelled as the exercise.
async fn public_reports(store: &Store, data_dir: &Path) -> anyhow::Result<()> {
    let sealed = truce_store::EvidenceStore::sealed(data_dir)?;
    let reports = [
        truce_api::intake::Received {
            lang: "ps".into(),
            happened_on: "2025-10-15".into(),
            place: "EXERCISE: Spin Boldak, Kandahar".into(),
            point: Some((31.005, 66.398)),
            account: "EXERCISE (fiction). Two mortar rounds landed near the bazaar in the early \
                      morning; a shop burned. People said they came from across the line."
                .into(),
            killed: Some(0),
            injured: Some(2),
            contact: None,
            contact_sealed: None,
        },
        truce_api::intake::Received {
            lang: "en".into(),
            happened_on: "2025-10-16".into(),
            place: "EXERCISE: near Torkham".into(),
            point: None,
            account: "EXERCISE (fiction). Trucks were turned back at the crossing all day; \
                      drivers were told it was closed until further notice."
                .into(),
            killed: None,
            injured: None,
            contact: Some("EXERCISE: a driver's phone number would be here".into()),
            contact_sealed: None,
        },
    ];
    let limits = truce_node::config::Limits::default();
    for report in reports {
        truce_api::intake::receive(store, &sealed, &limits, report)
            .await
            .map_err(|p| anyhow::anyhow!("a demo public report: {}", p.detail))?;
    }
    Ok(())
}

/// The password of every demo account. The demo is an exercise: its keys and accounts
/// are for trying the software, never for anything real.
pub const DEMO_PASSWORD: &str = "exercise-only";

/// An account for each officer, named like their key file (`pk-liaison-1`), holding
/// their key, so the exercise can be walked as each role through the API.
async fn create_accounts(store: &Store, exercise: &Exercise) -> anyhow::Result<()> {
    for officer in &exercise.officers {
        let person = Person {
            name: officer.account_name(),
            delegation: truce_core::DelegationId::parse(officer.delegation)
                .map_err(anyhow::Error::msg)?,
            role: officer.role,
            key: officer.key.name().clone(),
        };
        accounts::create(store, &person, DEMO_PASSWORD, &officer.key).await?;
    }
    Ok(())
}

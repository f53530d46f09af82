//! The workflow verbs: `truce <noun> <verb>`, one noun per record of the mechanism.
//!
//! A writing verb (`truce report file`, `truce finding sign`, ...) builds the payload of one
//! entry kind from its flags, on top of `--payload` if given (a flag replaces the field it
//! names), signs it as the next entry of `--key`'s chain and posts it. The verbs hold no
//! rule of the mechanism: the log checks every payload and names the field it refuses.
//! Reading verbs (`list`, `show`) call the JSON API.

mod crossing;
pub(crate) mod fields;
mod finding;
mod incident;
mod investigation;
mod liaison;
mod observation;
pub(crate) mod publication_proof;
mod publish;
mod read;
mod report;
mod restriction;
mod talks;
mod verification;

use std::path::PathBuf;

use clap::Subcommand;
use truce_core::Timestamp;

use crate::Failure;
use crate::client::{Signer, entry_time};
use fields::Fields;

#[derive(Subcommand)]
pub enum Command {
    /// Reports (allegations): file, list, show; situation reports: daily, period.
    #[command(subcommand)]
    Report(report::Command),
    /// Incidents: open one from reports, link a report, list, show.
    #[command(subcommand)]
    Incident(incident::Command),
    /// A party's statement on an incident (or its reply to a finding).
    #[command(subcommand)]
    Statement(incident::StatementCommand),
    /// Investigations: open, record a step, list, show.
    #[command(subcommand)]
    Investigation(investigation::Command),
    /// Findings: propose, sign (concur or dissent), finalize, list, show.
    #[command(subcommand)]
    Finding(finding::Command),
    /// Measures from the ladder: update, list, show.
    #[command(subcommand)]
    Measure(talks::MeasureCommand),
    /// Rounds of talks: record a round, list, show.
    #[command(subcommand)]
    Talks(talks::TalksCommand),
    /// Commitments made at talks: make, update, list.
    #[command(subcommand)]
    Commitment(talks::CommitmentCommand),
    /// Border crossings: record a status or a flow, list, show.
    #[command(subcommand)]
    Crossing(crossing::Command),
    /// Observations: record what was seen or heard, list, the daily counts.
    #[command(subcommand)]
    Observation(observation::Command),
    /// Sensors: register one, record it going up or down, list.
    #[command(subcommand)]
    Sensor(observation::SensorCommand),
    /// The liaison channel: open a contact, acknowledge it (a party's liaison), record its
    /// outcome, list.
    #[command(subcommand)]
    Liaison(liaison::Command),
    /// A report's verification status, with the rule applied.
    #[command(subcommand)]
    Verification(verification::VerificationCommand),
    /// An incident's corroborated casualty range, and why it differs.
    #[command(subcommand)]
    Reconciliation(verification::ReconciliationCommand),
    /// Restrictions on the monitors' movements: record one, list.
    #[command(subcommand)]
    Restriction(restriction::Command),
}

pub async fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Report(command) => report::run(command).await,
        Command::Incident(command) => incident::run(command).await,
        Command::Statement(command) => incident::run_statement(command).await,
        Command::Investigation(command) => investigation::run(command).await,
        Command::Finding(command) => finding::run(command).await,
        Command::Measure(command) => talks::run_measure(command).await,
        Command::Talks(command) => talks::run_talks(command).await,
        Command::Commitment(command) => talks::run_commitment(command).await,
        Command::Crossing(command) => crossing::run(command).await,
        Command::Observation(command) => observation::run(command).await,
        Command::Sensor(command) => observation::run_sensor(command).await,
        Command::Restriction(command) => restriction::run(command).await,
        Command::Liaison(command) => liaison::run(command).await,
        Command::Verification(command) => verification::run_verification(command).await,
        Command::Reconciliation(command) => verification::run_reconciliation(command).await,
    }
}

/// What every writing verb takes: who signs, where to, and how to answer.
#[derive(clap::Args)]
pub struct Write {
    /// The private key file of the signer.
    #[arg(long)]
    key: PathBuf,
    /// A payload to start from: JSON, `@FILE` or `@-`; the flags given replace its fields.
    #[arg(long)]
    payload: Option<String>,
    #[command(flatten)]
    post: crate::client::Post,
}

/// What a verb's payload builder may use: the signer (its key name and delegation) and
/// the time the entry will claim.
pub struct Context<'a> {
    pub signer: &'a Signer,
    pub time: &'a Timestamp,
}

/// Builds a payload of `kind` with `build`, signs it with `write.key` and appends it.
async fn write(
    write: &Write,
    kind: &str,
    build: impl FnOnce(&mut Fields, &Context<'_>),
) -> Result<(), Failure> {
    let mut fields = Fields::from_payload(write.payload.as_deref())?;
    let time = entry_time(write.post.time.as_deref())?;
    let node = write.post.node();
    let mut signer = node.signer(&write.key).await?;
    build(
        &mut fields,
        &Context {
            signer: &signer,
            time: &time,
        },
    );
    let answer = node
        .append(&mut signer, kind, fields.into_value(), time)
        .await?;
    crate::submit::print_appended(&answer, kind, write.post.json);
    Ok(())
}

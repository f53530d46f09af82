//! `truce verification set` (`report.verified`) and `truce reconciliation record`
//! (`casualties.reconciled`): how sure the monitors are of a report, with the rule they
//! applied, and an incident's corroborated casualty range with why it differs from the
//! claimants' figures. Both are read back on the incident (`truce incident show`).

use clap::Subcommand;
use truce_core::kinds::{CASUALTIES_RECONCILED, REPORT_VERIFIED};
use truce_core::mechanism::VerificationStatus;
use truce_core::mechanism::values::Range;

use super::fields::{Fields, named, range};
use super::{Write, write};
use crate::Failure;

#[derive(Subcommand)]
pub enum VerificationCommand {
    /// Set a report's verification status (report.verified; monitors).
    Set(Box<Set>),
}

#[derive(Subcommand)]
pub enum ReconciliationCommand {
    /// Record an incident's corroborated casualty range (casualties.reconciled; monitors).
    Record(Box<Reconcile>),
}

#[derive(clap::Args)]
pub struct Set {
    #[command(flatten)]
    write: Write,
    /// The report, by log index.
    #[arg(long, required_unless_present = "payload")]
    report: Option<u64>,
    /// `unverified`, `under_review`, `corroborated`, `verified` or `discounted`.
    #[arg(long, value_parser = named::<VerificationStatus>, required_unless_present = "payload")]
    status: Option<VerificationStatus>,
    /// The rule applied, in words ("two independent credible sources").
    #[arg(long, required_unless_present = "payload")]
    rule: Option<String>,
    /// A report that corroborates it, by log index (repeat for more).
    #[arg(long = "corroborating")]
    corroborating: Vec<u64>,
}

#[derive(clap::Args)]
pub struct Reconcile {
    #[command(flatten)]
    write: Write,
    /// The incident, by log index.
    #[arg(long, required_unless_present = "payload")]
    incident: Option<u64>,
    /// Killed: `N` or `LOW,BEST,HIGH`.
    #[arg(long, value_parser = range, required_unless_present = "payload")]
    killed: Option<Range>,
    /// Injured: `N` or `LOW,BEST,HIGH`.
    #[arg(long, value_parser = range, required_unless_present = "payload")]
    injured: Option<Range>,
    /// Why the mechanism's range differs from the claimants' figures.
    #[arg(long, required_unless_present = "payload")]
    explanation: Option<String>,
}

pub async fn run_verification(command: VerificationCommand) -> Result<(), Failure> {
    let VerificationCommand::Set(args) = command;
    write(&args.write, REPORT_VERIFIED, |f: &mut Fields, _| {
        f.some("report", args.report);
        f.some("status", args.status);
        f.some("rule", args.rule.as_ref());
        if !args.corroborating.is_empty() {
            f.set("corroborating", &args.corroborating);
        }
    })
    .await
}

pub async fn run_reconciliation(command: ReconciliationCommand) -> Result<(), Failure> {
    let ReconciliationCommand::Record(args) = command;
    write(&args.write, CASUALTIES_RECONCILED, |f: &mut Fields, _| {
        f.some("incident", args.incident);
        f.some("killed", args.killed);
        f.some("injured", args.injured);
        f.some("explanation", args.explanation.as_ref());
    })
    .await
}

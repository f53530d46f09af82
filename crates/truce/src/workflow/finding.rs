//! `truce finding propose|sign|finalize|list|show` (`finding.proposed`, `finding.signed`,
//! `finding.finalized`).

use clap::Subcommand;
use serde_json::Value;
use truce_core::kinds::{FINDING_FINALIZED, FINDING_PROPOSED, FINDING_SIGNED};
use truce_core::mechanism::finding::Intent;
use truce_core::mechanism::{Attribution, Confidence, Determination, Vote};

use super::fields::{Fields, named};
use super::read::{self, Collection, List, Show};
use super::{Write, write};
use crate::Failure;

#[derive(Subcommand)]
pub enum Command {
    /// Propose a finding on one provision (finding.proposed; monitors). Its reply window
    /// starts at the entry's time, so leave out --time.
    Propose(Box<Propose>),
    /// Sign a finding: concur, or dissent with reasons (finding.signed).
    Sign(Sign),
    /// Declare a finding final, once signed under the quorum and after the right of
    /// reply (finding.finalized).
    Finalize(Finalize),
    /// List findings, newest first (filters: incident, party, provision, status,
    /// determination, limit, cursor).
    List(List),
    /// Show a finding with its votes, replies and measure.
    Show(Show),
}

#[derive(clap::Args)]
pub struct Propose {
    #[command(flatten)]
    write: Write,
    /// The investigation's log index.
    #[arg(long, required_unless_present = "payload")]
    investigation: Option<u64>,
    /// The provision's id, as the genesis names it.
    #[arg(long, required_unless_present = "payload")]
    provision: Option<String>,
    /// `violation`, `no_violation` or `inconclusive`.
    #[arg(long, value_parser = named::<Determination>, required_unless_present = "payload")]
    determination: Option<Determination>,
    /// For a violation: `attributed`, `largely_attributed` or `not_attributable`.
    #[arg(long, value_parser = named::<Attribution>)]
    attribution: Option<Attribution>,
    /// For an attributed violation: the party it is attributed to.
    #[arg(long)]
    party: Option<String>,
    /// `high`, `medium` or `low`.
    #[arg(long, value_parser = named::<Confidence>, required_unless_present = "payload")]
    confidence: Option<Confidence>,
    /// For a violation: `deliberate`, `accidental` or `undetermined`.
    #[arg(long, value_parser = named::<Intent>)]
    intent: Option<Intent>,
    /// Why.
    #[arg(long, required_unless_present = "payload")]
    reasoning: Option<String>,
}

#[derive(clap::Args)]
pub struct Sign {
    #[command(flatten)]
    write: Write,
    /// The finding's log index.
    #[arg(long, required_unless_present = "payload")]
    finding: Option<u64>,
    /// `concur` or `dissent`.
    #[arg(long, value_parser = named::<Vote>, required_unless_present = "payload")]
    vote: Option<Vote>,
    /// Reasons (required for a dissent; empty if left out).
    #[arg(long)]
    reasoning: Option<String>,
}

#[derive(clap::Args)]
pub struct Finalize {
    #[command(flatten)]
    write: Write,
    /// The finding's log index.
    #[arg(long, required_unless_present = "payload")]
    finding: Option<u64>,
}

const FINDINGS: Collection = Collection {
    path: "findings",
    label,
};

pub async fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Propose(args) => write(&args.write, FINDING_PROPOSED, |f, _| args.fill(f)).await,
        Command::Sign(args) => {
            write(&args.write, FINDING_SIGNED, |f, _| {
                f.some("finding", args.finding);
                f.some("vote", args.vote);
                f.some("reasoning", args.reasoning.as_ref());
                f.or("reasoning", "");
            })
            .await
        }
        Command::Finalize(args) => {
            write(&args.write, FINDING_FINALIZED, |f, _| {
                f.some("finding", args.finding);
            })
            .await
        }
        Command::List(args) => read::list(&FINDINGS, args).await,
        Command::Show(args) => read::show(&FINDINGS, args).await,
    }
}

impl Propose {
    fn fill(&self, f: &mut Fields) {
        f.some("investigation", self.investigation);
        f.some("provision", self.provision.as_ref());
        f.some("determination", self.determination);
        f.some("attribution", self.attribution);
        f.some("party", self.party.as_ref());
        f.some("confidence", self.confidence);
        f.some("intent", self.intent);
        f.some("reasoning", self.reasoning.as_ref());
    }
}

fn label(item: &Value) -> String {
    format!(
        "{}: {} {} ({})",
        read::text(item, "provision"),
        read::text(item, "determination"),
        read::text(item, "party"),
        read::text(item, "confidence")
    )
}

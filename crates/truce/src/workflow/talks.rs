//! `truce measure update|list|show` (`measure.updated`), `truce talks round|list|show`
//! (`talks.round`) and `truce commitment make|update|list` (`commitment.made`,
//! `commitment.updated`): the commissioners' side.

use clap::Subcommand;
use truce_core::Timestamp;
use truce_core::kinds::{COMMITMENT_MADE, COMMITMENT_UPDATED, MEASURE_UPDATED, TALKS_ROUND};
use truce_core::mechanism::{CommitmentStatus, MeasureStatus};

use super::fields::{Fields, named, time};
use super::read::{self, Collection, List, Show};
use super::{Write, write};
use crate::Failure;

#[derive(Subcommand)]
pub enum MeasureCommand {
    /// Record progress on a measure (measure.updated; commissioners).
    Update(MeasureUpdate),
    /// List measures (filters: party, status, limit, cursor).
    List(List),
    /// Show one measure.
    Show(Show),
}

#[derive(clap::Args)]
pub struct MeasureUpdate {
    #[command(flatten)]
    write: Write,
    /// The measure's log index.
    #[arg(long, required_unless_present = "payload")]
    measure: Option<u64>,
    /// `in_progress`, `completed` or `lapsed`.
    #[arg(long, value_parser = named::<MeasureStatus>, required_unless_present = "payload")]
    status: Option<MeasureStatus>,
    /// Empty if left out.
    #[arg(long)]
    note: Option<String>,
}

#[derive(Subcommand)]
pub enum TalksCommand {
    /// Record a round of talks (talks.round; commissioners).
    Round(Box<Round>),
    /// List rounds of talks (filters: limit, cursor).
    List(List),
    /// Show a round with its commitments.
    Show(Show),
}

#[derive(clap::Args)]
pub struct Round {
    #[command(flatten)]
    write: Write,
    #[arg(long, required_unless_present = "payload")]
    title: Option<String>,
    #[arg(long, required_unless_present = "payload")]
    place: Option<String>,
    /// When it started (RFC 3339, UTC).
    #[arg(long, value_parser = time, required_unless_present = "payload")]
    starts: Option<Timestamp>,
    /// When it ended, if it has.
    #[arg(long, value_parser = time)]
    ends: Option<Timestamp>,
    /// A delegation taking part (repeat; at least two).
    #[arg(long = "participant", required_unless_present = "payload")]
    participants: Vec<String>,
    /// Empty if left out.
    #[arg(long)]
    summary: Option<String>,
}

#[derive(Subcommand)]
pub enum CommitmentCommand {
    /// Record a commitment made at a round (commitment.made; commissioners).
    Make(Make),
    /// Record where a commitment stands (commitment.updated; commissioners).
    Update(CommitmentUpdate),
    /// List commitments (filters: round, party, status, limit, cursor).
    List(List),
}

#[derive(clap::Args)]
pub struct Make {
    #[command(flatten)]
    write: Write,
    /// The round's log index.
    #[arg(long, required_unless_present = "payload")]
    round: Option<u64>,
    /// The delegation that owns it.
    #[arg(long, required_unless_present = "payload")]
    owner: Option<String>,
    #[arg(long, required_unless_present = "payload")]
    text: Option<String>,
    /// When it is due (RFC 3339, UTC).
    #[arg(long, value_parser = time)]
    due: Option<Timestamp>,
}

#[derive(clap::Args)]
pub struct CommitmentUpdate {
    #[command(flatten)]
    write: Write,
    /// The commitment's log index.
    #[arg(long, required_unless_present = "payload")]
    commitment: Option<u64>,
    /// `open`, `met`, `missed` or `withdrawn`.
    #[arg(long, value_parser = named::<CommitmentStatus>, required_unless_present = "payload")]
    status: Option<CommitmentStatus>,
    /// Empty if left out.
    #[arg(long)]
    note: Option<String>,
}

const MEASURES: Collection = Collection {
    path: "measures",
    label: |item| {
        format!(
            "{} for {}",
            read::text(item, "step"),
            read::text(item, "party")
        )
    },
};
const TALKS: Collection = Collection {
    path: "talks",
    label: |item| {
        format!(
            "{}, {}",
            read::text(item, "title"),
            read::text(item, "place")
        )
    },
};
const COMMITMENTS: Collection = Collection {
    path: "commitments",
    label: |item| {
        format!(
            "{}: {}",
            read::text(item, "owner"),
            read::text(item, "text")
        )
    },
};

pub async fn run_measure(command: MeasureCommand) -> Result<(), Failure> {
    match command {
        MeasureCommand::Update(args) => {
            write(&args.write, MEASURE_UPDATED, |f, _| {
                f.some("measure", args.measure);
                f.some("status", args.status);
                f.some("note", args.note.as_ref());
                f.or("note", "");
            })
            .await
        }
        MeasureCommand::List(args) => read::list(&MEASURES, args).await,
        MeasureCommand::Show(args) => read::show(&MEASURES, args).await,
    }
}

pub async fn run_talks(command: TalksCommand) -> Result<(), Failure> {
    match command {
        TalksCommand::Round(args) => write(&args.write, TALKS_ROUND, |f, _| args.fill(f)).await,
        TalksCommand::List(args) => read::list(&TALKS, args).await,
        TalksCommand::Show(args) => read::show(&TALKS, args).await,
    }
}

pub async fn run_commitment(command: CommitmentCommand) -> Result<(), Failure> {
    match command {
        CommitmentCommand::Make(args) => {
            write(&args.write, COMMITMENT_MADE, |f, _| {
                f.some("round", args.round);
                f.some("owner", args.owner.as_ref());
                f.some("text", args.text.as_ref());
                f.some("due", args.due.as_ref());
            })
            .await
        }
        CommitmentCommand::Update(args) => {
            write(&args.write, COMMITMENT_UPDATED, |f, _| {
                f.some("commitment", args.commitment);
                f.some("status", args.status);
                f.some("note", args.note.as_ref());
                f.or("note", "");
            })
            .await
        }
        CommitmentCommand::List(args) => read::list(&COMMITMENTS, args).await,
    }
}

impl Round {
    fn fill(&self, f: &mut Fields) {
        f.some("title", self.title.as_ref());
        f.some("place", self.place.as_ref());
        f.some("starts", self.starts.as_ref());
        f.some("ends", self.ends.as_ref());
        f.list("participants", &self.participants);
        f.some("summary", self.summary.as_ref());
        f.or("summary", "");
    }
}

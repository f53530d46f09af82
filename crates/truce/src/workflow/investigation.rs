//! `truce investigation open|step|list|show` (`investigation.opened`,
//! `investigation.step`).

use clap::Subcommand;
use serde_json::Value;
use truce_core::Timestamp;
use truce_core::kinds::{INVESTIGATION_OPENED, INVESTIGATION_STEP};
use truce_core::mechanism::StepKind;

use super::fields::{Fields, named, time};
use super::read::{self, Collection, List, Show};
use super::{Context, Write, write};
use crate::Failure;

#[derive(Subcommand)]
pub enum Command {
    /// Open an investigation of an incident (investigation.opened; monitors).
    Open(Open),
    /// Record a step: a task done, a site visit, an interview, a denial of access, a
    /// note, or the close of fact-finding (investigation.step; monitors).
    Step(Box<Step>),
    /// List investigations, newest first (filters: incident, status, limit, cursor).
    List(List),
    /// Show an investigation with its steps and findings.
    Show(Show),
}

#[derive(clap::Args)]
pub struct Open {
    #[command(flatten)]
    write: Write,
    /// The incident's log index.
    #[arg(long, required_unless_present = "payload")]
    incident: Option<u64>,
    /// What the investigation is to establish.
    #[arg(long, required_unless_present = "payload")]
    mandate: Option<String>,
    /// A monitor's key name assigned to it (repeat for more; the signer if left out).
    #[arg(long = "monitor")]
    monitors: Vec<String>,
    /// A task, numbered from 0 in the order given (repeat for more).
    #[arg(long = "task")]
    tasks: Vec<String>,
}

#[derive(clap::Args)]
pub struct Step {
    #[command(flatten)]
    write: Write,
    /// The investigation's log index.
    #[arg(long, required_unless_present = "payload")]
    investigation: Option<u64>,
    /// `task_done`, `site_visit`, `interview`, `access_denied`, `note` or `closed`.
    #[arg(long, value_parser = named::<StepKind>, required_unless_present = "payload")]
    kind: Option<StepKind>,
    /// What happened.
    #[arg(long, required_unless_present = "payload")]
    text: Option<String>,
    /// When it happened (RFC 3339, UTC); the entry's time if left out.
    #[arg(long, value_parser = time)]
    occurred: Option<Timestamp>,
    /// For `access_denied`: the party that denied access.
    #[arg(long)]
    party: Option<String>,
    /// For `task_done`: the task's number.
    #[arg(long)]
    task: Option<u32>,
    /// Latitude of the place, if it had one.
    #[arg(long, allow_negative_numbers = true, requires = "lon")]
    lat: Option<f64>,
    /// Longitude of the place, if it had one.
    #[arg(long, allow_negative_numbers = true, requires = "lat")]
    lon: Option<f64>,
}

const INVESTIGATIONS: Collection = Collection {
    path: "investigations",
    label: |item| read::text(item, "mandate").to_string(),
};

pub async fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Open(args) => {
            write(&args.write, INVESTIGATION_OPENED, |f, context| {
                args.fill(f, context);
            })
            .await
        }
        Command::Step(args) => {
            write(&args.write, INVESTIGATION_STEP, |f, context| {
                args.fill(f, context);
            })
            .await
        }
        Command::List(args) => read::list(&INVESTIGATIONS, args).await,
        Command::Show(args) => read::show(&INVESTIGATIONS, args).await,
    }
}

impl Open {
    fn fill(&self, f: &mut Fields, context: &Context<'_>) {
        f.some("incident", self.incident);
        f.some("mandate", self.mandate.as_ref());
        f.list("monitors", &self.monitors);
        f.list("tasks", &self.tasks);
        f.or("monitors", [context.signer.name()]);
        f.or("tasks", Value::Array(vec![]));
    }
}

impl Step {
    fn fill(&self, f: &mut Fields, context: &Context<'_>) {
        f.some("investigation", self.investigation);
        f.some("kind", self.kind);
        f.some("text", self.text.as_ref());
        f.some("occurred", self.occurred.as_ref());
        f.some("party", self.party.as_ref());
        f.some("task", self.task);
        f.some("place.lat", self.lat);
        f.some("place.lon", self.lon);
        f.or("occurred", context.time);
    }
}

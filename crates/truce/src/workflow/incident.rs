//! `truce incident open|link|list|show` (`incident.opened`, `report.linked`) and
//! `truce statement file` (`statement.filed`).

use clap::Subcommand;
use serde_json::Value;
use truce_core::kinds::{INCIDENT_OPENED, REPORT_LINKED, STATEMENT_FILED};
use truce_core::mechanism::StatementKind;
use truce_core::mechanism::values::{Range, Source};

use super::fields::{Fields, named, range, source};
use super::read::{self, Collection, List, Show};
use super::{Context, Write, write};
use crate::Failure;

#[derive(Subcommand)]
pub enum Command {
    /// Open an incident from one or more reports (incident.opened; monitors).
    Open(Open),
    /// Link one more report to an incident (report.linked; monitors).
    Link(Link),
    /// List incidents, newest first (filters: party, status, limit, cursor).
    List(List),
    /// Show an incident with its reports and each party's statements.
    Show(Show),
}

#[derive(clap::Args)]
pub struct Open {
    #[command(flatten)]
    write: Write,
    #[arg(long, required_unless_present = "payload")]
    title: Option<String>,
    /// Empty if left out.
    #[arg(long)]
    summary: Option<String>,
    /// The log index of a report about the incident (repeat for more).
    #[arg(long = "report", required_unless_present = "payload")]
    reports: Vec<u64>,
    /// A party the reports accuse, whose statement is awaited (repeat for more).
    #[arg(long = "accused")]
    accused: Vec<String>,
}

#[derive(clap::Args)]
pub struct Link {
    #[command(flatten)]
    write: Write,
    /// The incident's log index.
    #[arg(long, required_unless_present = "payload")]
    incident: Option<u64>,
    /// The report's log index.
    #[arg(long, required_unless_present = "payload")]
    report: Option<u64>,
}

#[derive(Subcommand)]
pub enum StatementCommand {
    /// File a party's statement on an incident, in the signer's delegation's name
    /// (statement.filed; liaisons). A reply names the finding it answers.
    File(Box<StatementFile>),
}

#[derive(clap::Args)]
pub struct StatementFile {
    #[command(flatten)]
    write: Write,
    /// The incident's log index.
    #[arg(long, required_unless_present = "payload")]
    incident: Option<u64>,
    /// `accusation`, `denial`, `reply` or `clarification`.
    #[arg(long, value_parser = named::<StatementKind>, required_unless_present = "payload")]
    kind: Option<StatementKind>,
    /// The statement as issued, verbatim.
    #[arg(long, required_unless_present = "payload")]
    text: Option<String>,
    /// The BCP 47 tag of the statement's language (`en` if left out).
    #[arg(long)]
    lang: Option<String>,
    /// The party making it: the signer's own delegation if left out.
    #[arg(long)]
    party: Option<String>,
    /// For a reply: the log index of the finding it answers.
    #[arg(long)]
    finding: Option<u64>,
    /// The party's figure of people killed: `N`, or `LOW,BEST,HIGH` (with --injured).
    #[arg(long, value_parser = range, requires = "injured")]
    killed: Option<Range>,
    /// The party's figure of people injured: `N`, or `LOW,BEST,HIGH` (with --killed).
    #[arg(long, value_parser = range, requires = "killed")]
    injured: Option<Range>,
    /// A source with its Admiralty grade, `B2:name` (repeat for more).
    #[arg(long = "source", value_parser = source)]
    sources: Vec<Source>,
}

const INCIDENTS: Collection = Collection {
    path: "incidents",
    label,
};

pub async fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Open(args) => write(&args.write, INCIDENT_OPENED, |f, _| args.fill(f)).await,
        Command::Link(args) => {
            write(&args.write, REPORT_LINKED, |f, _| {
                f.some("incident", args.incident);
                f.some("report", args.report);
            })
            .await
        }
        Command::List(args) => read::list(&INCIDENTS, args).await,
        Command::Show(args) => read::show(&INCIDENTS, args).await,
    }
}

pub async fn run_statement(command: StatementCommand) -> Result<(), Failure> {
    match command {
        StatementCommand::File(args) => {
            write(&args.write, STATEMENT_FILED, |f, context| {
                args.fill(f, context);
            })
            .await
        }
    }
}

impl Open {
    fn fill(&self, f: &mut Fields) {
        f.some("title", self.title.as_ref());
        f.some("summary", self.summary.as_ref());
        f.list("reports", &self.reports);
        f.list("accused", &self.accused);
        f.or("summary", "");
        f.or("accused", Value::Array(vec![]));
    }
}

impl StatementFile {
    fn fill(&self, f: &mut Fields, context: &Context<'_>) {
        f.some("incident", self.incident);
        f.some("kind", self.kind);
        f.some("text", self.text.as_ref());
        f.some("lang", self.lang.as_ref());
        f.some("party", self.party.as_ref());
        f.some("finding", self.finding);
        f.some("figures.killed", self.killed);
        f.some("figures.injured", self.injured);
        f.list("sources", &self.sources);
        f.or("lang", "en");
        f.or("sources", Value::Array(vec![]));
        f.or("figures", Value::Null);
        if let Some(delegation) = &context.signer.delegation {
            f.or("party", delegation);
        }
    }
}

fn label(item: &Value) -> String {
    let accused: Vec<&str> = item["accused"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    format!(
        "{} (accused: {})",
        read::text(item, "title"),
        accused.join(", ")
    )
}

//! `truce crossing status|flow|list|show` (`crossing.status`, `crossing.flow`): the border
//! crossings' statuses and the people crossing them, recorded by monitors, commissioners
//! and liaisons, and read back with the closure alerts the agreement names.

use std::fmt::Write as _;

use clap::Subcommand;
use serde_json::Value;
use truce_core::kinds::{CROSSING_FLOW, CROSSING_STATUS};
use truce_core::mechanism::values::Range;
use truce_core::mechanism::{CrossingState, Direction, FlowCategory, FlowPrecision};
use truce_core::{Day, Timestamp};

use super::fields::{Fields, day, named, range, time};
use super::read::{List, Read};
use super::{Write, write};
use crate::Failure;

#[derive(Subcommand)]
pub enum Command {
    /// Record a crossing's status from a time on (crossing.status; monitors,
    /// commissioners, liaisons).
    Status(Box<StatusArgs>),
    /// Record people who crossed over whole days (crossing.flow; monitors, commissioners,
    /// liaisons).
    Flow(Box<Flow>),
    /// Every crossing of the agreed gazetteer with its status, closure and alert (filters:
    /// from, to, category, direction, for the flows counted).
    List(List),
    /// One crossing by id: its status history and flows (filters as for list, and limit).
    Show(Show),
}

#[derive(clap::Args)]
pub struct StatusArgs {
    #[command(flatten)]
    write: Write,
    /// The crossing's id in the gazetteer (`torkham`, `chaman-spin-boldak`).
    #[arg(long, required_unless_present = "payload")]
    crossing: Option<String>,
    /// `open`, `closed`, `restricted` or `deportations_only`.
    #[arg(long, value_parser = named::<CrossingState>, required_unless_present = "payload")]
    status: Option<CrossingState>,
    /// When the status took effect (RFC 3339, UTC); not after the entry's time.
    #[arg(long, value_parser = time, required_unless_present = "payload")]
    since: Option<Timestamp>,
    /// Who says so.
    #[arg(long, required_unless_present = "payload")]
    source: Option<String>,
    #[arg(long)]
    note: Option<String>,
}

#[derive(clap::Args)]
pub struct Flow {
    #[command(flatten)]
    write: Write,
    /// The crossing's id in the gazetteer.
    #[arg(long, required_unless_present = "payload")]
    crossing: Option<String>,
    /// The first day counted (YYYY-MM-DD).
    #[arg(long, value_parser = day, required_unless_present = "payload")]
    start: Option<Day>,
    /// The last day counted (YYYY-MM-DD); the start day if left out.
    #[arg(long, value_parser = day)]
    end: Option<Day>,
    /// Into which country: `to_` and its ISO 3166-1 alpha-2 code in lowercase (`to_th`).
    #[arg(long, value_parser = named::<Direction>, required_unless_present = "payload")]
    direction: Option<Direction>,
    /// `voluntary_return`, `deportation` or `other`.
    #[arg(long, value_parser = named::<FlowCategory>, required_unless_present = "payload")]
    category: Option<FlowCategory>,
    /// How many: `N` or `LOW,BEST,HIGH`.
    #[arg(long, value_parser = range, required_unless_present = "payload")]
    count: Option<Range>,
    /// How exact the source's figure is: `exact`, `rounded`, `estimate` or `unknown`.
    #[arg(long, value_parser = named::<FlowPrecision>, required_unless_present = "payload")]
    precision: Option<FlowPrecision>,
    /// Who gives the figure.
    #[arg(long, required_unless_present = "payload")]
    source: Option<String>,
    #[arg(long)]
    note: Option<String>,
}

#[derive(clap::Args)]
pub struct Show {
    /// The crossing's id (`torkham`).
    id: String,
    /// Filters as NAME=VALUE: `from`, `to` (days), `category`, `direction`, `limit`.
    filters: Vec<String>,
    #[command(flatten)]
    read: Read,
}

pub async fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Status(args) => write(&args.write, CROSSING_STATUS, |f, _| args.fill(f)).await,
        Command::Flow(args) => write(&args.write, CROSSING_FLOW, |f, _| args.fill(f)).await,
        Command::List(args) => {
            let list = args.get("/api/v1/crossings").await?;
            print(&list, args.json(), |list| {
                for item in list["items"].as_array().into_iter().flatten() {
                    println!("{}", line(item));
                }
            });
            Ok(())
        }
        Command::Show(args) => {
            // Sent as a path segment: only a well-formed id (checked by the node) goes.
            let path = format!("/api/v1/crossings/{}", urlencoding(&args.id));
            let crossing = args.read.get(&path, &args.filters).await?;
            print(&crossing, args.read.json(), |crossing| {
                println!("{}", line(crossing));
                println!(
                    "{}",
                    serde_json::to_string_pretty(crossing).expect("JSON values print")
                );
            });
            Ok(())
        }
    }
}

impl StatusArgs {
    fn fill(&self, f: &mut Fields) {
        f.some("crossing", self.crossing.as_ref());
        f.some("status", self.status);
        f.some("since", self.since.as_ref());
        f.some("source", self.source.as_ref());
        f.some("note", self.note.as_ref());
    }
}

impl Flow {
    fn fill(&self, f: &mut Fields) {
        f.some("crossing", self.crossing.as_ref());
        f.some("start", self.start.as_ref());
        f.some("end", self.end.as_ref().or(self.start.as_ref()));
        f.some("direction", self.direction.clone());
        f.some("category", self.category);
        f.some("count", self.count);
        f.some("precision", self.precision);
        f.some("source", self.source.as_ref());
        f.some("note", self.note.as_ref());
    }
}

fn print(answer: &Value, json: bool, lines: impl FnOnce(&Value)) {
    if json {
        println!("{answer}");
    } else {
        lines(answer);
    }
}

/// `id  status  closed since ... (N days)  ALERT on provision`.
fn line(crossing: &Value) -> String {
    let status = crossing["status"]["status"].as_str().unwrap_or("-");
    let mut line = format!("{:<20}  {status:<18}", super::read::text(crossing, "id"));
    if let (Some(since), Some(days)) = (
        crossing["closed_since"].as_str(),
        crossing["closed_days"].as_i64(),
    ) {
        let _ = write!(line, "  closed since {since} ({days} days)");
    }
    if let Some(provision) = crossing["alert"]["provision"].as_str() {
        let threshold = &crossing["alert"]["threshold_days"];
        let _ = write!(line, "  ALERT on {provision} (over {threshold} days)");
    }
    line
}

/// Percent-encodes what is not a slug character, so a stray `/` or `?` cannot change the
/// request.
fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

//! `truce liaison contact|acknowledge|outcome|list` (`liaison.contact`,
//! `liaison.acknowledged`, `liaison.outcome`): the mechanism reaches a party's liaison,
//! the party acknowledges with its own liaison key, the mechanism records the outcome.

use clap::Subcommand;
use truce_core::Timestamp;
use truce_core::kinds::{LIAISON_ACKNOWLEDGED, LIAISON_CONTACT, LIAISON_OUTCOME};
use truce_core::mechanism::{Channel, ContactOutcome};

use super::fields::{Fields, named, time};
use super::read::{List, text};
use super::{Write, write};
use crate::Failure;

#[derive(Subcommand)]
pub enum Command {
    /// Open a contact with a party's liaison (liaison.contact; monitors, commissioners).
    Contact(Box<Contact>),
    /// Acknowledge a contact with your own liaison key (liaison.acknowledged).
    Acknowledge(Box<Acknowledge>),
    /// Record how a contact ended (liaison.outcome; monitors, commissioners).
    Outcome(Box<Closing>),
    /// Contacts newest first (filters: party, channel, outcome, incident).
    List(List),
}

#[derive(clap::Args)]
pub struct Contact {
    #[command(flatten)]
    write: Write,
    /// The party reached.
    #[arg(long, required_unless_present = "payload")]
    party: Option<String>,
    /// `hotline_call`, `message`, `meeting` or `movement_notice`.
    #[arg(long, value_parser = named::<Channel>, required_unless_present = "payload")]
    channel: Option<Channel>,
    #[arg(long, required_unless_present = "payload")]
    subject: Option<String>,
    /// The incident it is about, by log index.
    #[arg(long)]
    incident: Option<u64>,
    /// For a movement notice: the route.
    #[arg(long)]
    route: Option<String>,
    /// For a movement notice: the window's start and end (RFC 3339, UTC).
    #[arg(long, value_parser = time, requires = "route")]
    start: Option<Timestamp>,
    #[arg(long, value_parser = time, requires = "route")]
    end: Option<Timestamp>,
}

#[derive(clap::Args)]
pub struct Acknowledge {
    #[command(flatten)]
    write: Write,
    /// The contact, by log index.
    #[arg(long, required_unless_present = "payload")]
    contact: Option<u64>,
    #[arg(long)]
    note: Option<String>,
}

#[derive(clap::Args)]
pub struct Closing {
    #[command(flatten)]
    write: Write,
    #[arg(long, required_unless_present = "payload")]
    contact: Option<u64>,
    /// `clarified`, `de_escalated`, `no_answer` or `escalated`.
    #[arg(long, value_parser = named::<ContactOutcome>, required_unless_present = "payload")]
    outcome: Option<ContactOutcome>,
    #[arg(long)]
    note: Option<String>,
}

pub async fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Contact(args) => write(&args.write, LIAISON_CONTACT, |f, _| args.fill(f)).await,
        Command::Acknowledge(args) => {
            write(&args.write, LIAISON_ACKNOWLEDGED, |f, _| {
                f.some("contact", args.contact);
                f.some("note", args.note.as_ref());
            })
            .await
        }
        Command::Outcome(args) => {
            write(&args.write, LIAISON_OUTCOME, |f, _| {
                f.some("contact", args.contact);
                f.some("outcome", args.outcome);
                f.some("note", args.note.as_ref());
            })
            .await
        }
        Command::List(args) => {
            let page = args.get("/api/v1/liaison").await?;
            if args.json() {
                println!("{page}");
                return Ok(());
            }
            for c in page["items"].as_array().into_iter().flatten() {
                let answered = c["response_s"].as_i64().map_or_else(
                    || "not acknowledged".to_string(),
                    |s| format!("acknowledged after {} min", s / 60),
                );
                println!(
                    "{:>6}  {}  {:<4} {:<16} {answered:<28} {}",
                    c["index"],
                    text(c, "opened_at"),
                    text(c, "party"),
                    text(c, "channel"),
                    text(c, "subject")
                );
            }
            Ok(())
        }
    }
}

impl Contact {
    fn fill(&self, f: &mut Fields) {
        f.some("party", self.party.as_ref());
        f.some("channel", self.channel);
        f.some("subject", self.subject.as_ref());
        f.some("incident", self.incident);
        f.some("movement.route", self.route.as_ref());
        f.some("movement.start", self.start.as_ref());
        f.some("movement.end", self.end.as_ref());
    }
}

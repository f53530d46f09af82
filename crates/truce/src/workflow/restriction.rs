//! `truce restriction record|list` (`restriction.recorded`): restrictions on the monitors'
//! movements, recorded by monitors and field devices (and by a party's liaison about the
//! other side), counted against the party that controlled the place.

use clap::Subcommand;
use truce_core::Timestamp;
use truce_core::kinds::RESTRICTION_RECORDED;
use truce_core::mechanism::{Movement, RestrictionKind};

use super::fields::{Fields, named, time};
use super::read::{List, text};
use super::{Write, write};
use crate::Failure;

#[derive(Subcommand)]
pub enum Command {
    /// Record a restriction on a movement (restriction.recorded).
    Record(Box<Record>),
    /// Restrictions newest first (filters: party, kind, movement, investigation).
    List(List),
}

#[derive(clap::Args)]
pub struct Record {
    #[command(flatten)]
    write: Write,
    /// `patrol`, `investigation` or `visit`.
    #[arg(long, value_parser = named::<Movement>, required_unless_present = "payload")]
    movement: Option<Movement>,
    /// `denial`, `delay`, `conditional_passage`, `jamming`, `threat`, `fired_upon` or
    /// `detention`.
    #[arg(long, value_parser = named::<RestrictionKind>, required_unless_present = "payload")]
    kind: Option<RestrictionKind>,
    /// For a delay: how many minutes.
    #[arg(long)]
    minutes: Option<u32>,
    /// When it happened (RFC 3339, UTC).
    #[arg(long, value_parser = time, required_unless_present = "payload")]
    at: Option<Timestamp>,
    /// The party that controlled the place.
    #[arg(long, required_unless_present = "payload")]
    controlled_by: Option<String>,
    #[arg(long, required_unless_present = "payload")]
    place: Option<String>,
    #[arg(long, allow_negative_numbers = true, requires = "lon")]
    lat: Option<f64>,
    #[arg(long, allow_negative_numbers = true, requires = "lat")]
    lon: Option<f64>,
    /// The reason given at the place, verbatim.
    #[arg(long)]
    reason_given: Option<String>,
    /// The movement had been notified to the parties beforehand.
    #[arg(long)]
    notified: bool,
    /// How it ended.
    #[arg(long, required_unless_present = "payload")]
    outcome: Option<String>,
    /// The agreement's provision it counts against (`access`).
    #[arg(long)]
    provision: Option<String>,
    /// The investigation the movement served, by log index.
    #[arg(long)]
    investigation: Option<u64>,
}

pub async fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Record(args) => {
            write(&args.write, RESTRICTION_RECORDED, |f, _| args.fill(f)).await
        }
        Command::List(args) => {
            let page = args.get("/api/v1/restrictions").await?;
            if args.json() {
                println!("{page}");
                return Ok(());
            }
            for r in page["items"].as_array().into_iter().flatten() {
                println!(
                    "{:>6}  {}  {:<4} {:<20} {}",
                    r["index"],
                    text(r, "at"),
                    text(r, "controlled_by"),
                    text(r, "kind"),
                    text(r, "place")
                );
            }
            Ok(())
        }
    }
}

impl Record {
    fn fill(&self, f: &mut Fields) {
        f.some("movement", self.movement);
        f.some("kind", self.kind);
        f.some("delay_minutes", self.minutes);
        f.some("at", self.at.as_ref());
        f.some("controlled_by", self.controlled_by.as_ref());
        f.some("place", self.place.as_ref());
        f.some("position.lat", self.lat);
        f.some("position.lon", self.lon);
        f.some("reason_given", self.reason_given.as_ref());
        f.or("notified", self.notified);
        f.some("outcome", self.outcome.as_ref());
        f.some("provision", self.provision.as_ref());
        f.some("investigation", self.investigation);
    }
}

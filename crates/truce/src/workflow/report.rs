//! `truce report file|list|show`: allegations (`report.submitted`).

use clap::Subcommand;
use serde_json::Value;
use truce_core::Timestamp;
use truce_core::kinds::REPORT_SUBMITTED;
use truce_core::mechanism::values::{DatePrecision, Range, Source};

use super::fields::{Fields, named, range, source, time};
use super::read::{self, Collection, List, Show};
use super::{Write, write};
use crate::Failure;

#[derive(Subcommand)]
pub enum Command {
    /// File a report: an allegation that something happened (report.submitted).
    File(Box<File>),
    /// List reports, newest first (filters: from, to, bbox, kind, party, provision,
    /// status, limit, cursor).
    List(List),
    /// Show one report.
    Show(Show),
    /// The situation report of one day, as PDF (typeset here) or HTML.
    Daily(crate::sitrep::Daily),
    /// The situation report of a period of whole days (at most a year).
    Period(crate::sitrep::Period),
    /// Enter a situation report's file on the log by its SHA-256 (report.published;
    /// commissioners and monitors).
    Publish(Box<super::publish::Publish>),
    /// Whether a file's SHA-256 is on the log as a published report: where, by whom.
    Check(super::publish::Check),
}

/// The common fields of a report as flags; actors, the launch and impact points and the
/// civilian, women and children casualty ranges go in `--payload`.
#[derive(clap::Args)]
pub struct File {
    #[command(flatten)]
    write: Write,
    /// A short title.
    #[arg(long, required_unless_present = "payload")]
    title: Option<String>,
    /// What happened, as the filer tells it (empty if left out).
    #[arg(long)]
    summary: Option<String>,
    /// An ACLED event type, e.g. `explosions_remote_violence`.
    #[arg(long, required_unless_present = "payload")]
    event_type: Option<String>,
    /// An ACLED sub-event type of the event type, e.g. `air_drone_strike`.
    #[arg(long, required_unless_present = "payload")]
    sub_event_type: Option<String>,
    /// Latitude of the place (WGS 84).
    #[arg(
        long,
        allow_negative_numbers = true,
        required_unless_present = "payload"
    )]
    lat: Option<f64>,
    /// Longitude of the place (WGS 84).
    #[arg(
        long,
        allow_negative_numbers = true,
        required_unless_present = "payload"
    )]
    lon: Option<f64>,
    /// The place's name as reported (empty if left out).
    #[arg(long)]
    place: Option<String>,
    /// UCDP `where_prec`: 1 exact place, 2 within 25 km, 3 district, 4 province, 5 a line,
    /// 6 country, 7 international waters or air.
    #[arg(long, required_unless_present = "payload")]
    location_precision: Option<u8>,
    /// When it happened, or began (RFC 3339, UTC).
    #[arg(long, value_parser = time, required_unless_present = "payload")]
    occurred: Option<Timestamp>,
    /// When it ended, if it lasted.
    #[arg(long, value_parser = time)]
    occurred_end: Option<Timestamp>,
    /// How precisely the date is known: `day`, `days`, `weeks`, `month` or `year` (UCDP `date_prec`).
    #[arg(long, value_parser = named::<DatePrecision>, required_unless_present = "payload")]
    occurred_precision: Option<DatePrecision>,
    /// People killed: `N`, or `LOW,BEST,HIGH`.
    #[arg(long, value_parser = range, required_unless_present = "payload")]
    killed: Option<Range>,
    /// People injured: `N`, or `LOW,BEST,HIGH`.
    #[arg(long, value_parser = range, required_unless_present = "payload")]
    injured: Option<Range>,
    /// The party the report says is responsible (a delegation id, e.g. `pk`).
    #[arg(long)]
    accused: Option<String>,
    /// A provision the report says was violated (repeat for more).
    #[arg(long = "provision")]
    provisions: Vec<String>,
    /// A source with its Admiralty grade, `B2:name` (repeat for more).
    #[arg(long = "source", value_parser = source)]
    sources: Vec<Source>,
}

const REPORTS: Collection = Collection {
    path: "reports",
    label,
};

pub async fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::File(args) => write(&args.write, REPORT_SUBMITTED, |f, _| args.fill(f)).await,
        Command::List(args) => read::list(&REPORTS, args).await,
        Command::Show(args) => read::show(&REPORTS, args).await,
        Command::Daily(args) => crate::sitrep::daily(args).await,
        Command::Period(args) => crate::sitrep::period(args).await,
        Command::Publish(args) => super::publish::publish(*args).await,
        Command::Check(args) => super::publish::check(args).await,
    }
}

impl File {
    fn fill(&self, f: &mut Fields) {
        f.some("title", self.title.as_ref());
        f.some("summary", self.summary.as_ref());
        f.some("event_type", self.event_type.as_ref());
        f.some("sub_event_type", self.sub_event_type.as_ref());
        f.some("accused", self.accused.as_ref());
        f.list("provisions", &self.provisions);
        f.list("sources", &self.sources);
        self.fill_where_and_when(f);
        f.some("casualties.killed", self.killed);
        f.some("casualties.injured", self.injured);
        for (path, empty) in [
            ("summary", Value::from("")),
            ("location.place", Value::from("")),
            ("actors", Value::Array(vec![])),
            ("provisions", Value::Array(vec![])),
            ("sources", Value::Array(vec![])),
        ] {
            f.or(path, empty);
        }
    }

    fn fill_where_and_when(&self, f: &mut Fields) {
        f.some("location.point.lat", self.lat);
        f.some("location.point.lon", self.lon);
        f.some("location.place", self.place.as_ref());
        f.some("location.precision", self.location_precision);
        f.some("occurred.start", self.occurred.as_ref());
        f.some("occurred.end", self.occurred_end.as_ref());
        f.some("occurred.precision", self.occurred_precision);
    }
}

fn label(item: &Value) -> String {
    let report = if item["report"].is_object() {
        &item["report"]
    } else {
        item
    };
    format!(
        "{} (by {}, against {})",
        read::text(report, "title"),
        read::text(item, "delegation"),
        read::text(report, "accused")
    )
}

//! `truce export reports`: every report matching the filters, in one of the node's export
//! formats, streamed from `/api/v1/exports/` into a file.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::Failure;
use crate::client::Node;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Every report matching the filters, oldest first.
    Reports(Args),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// Truce's own columns.
    Csv,
    /// Truce's columns with an HXL hashtag row under the header.
    Hxl,
    /// ACLED's columns and event-type labels.
    Acled,
    /// UCDP GED's columns (`best`/`low`/`high`, `where_prec`, `date_prec`).
    Ucdp,
    /// One GeoJSON `FeatureCollection`.
    Geojson,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// A filter of the report list, as `NAME=VALUE` (e.g. `country=PK`, `province=AF-KAN`,
    /// `from=2025-10-01T00:00:00Z`, `cross_border=true`); repeat for more.
    #[arg(long = "filter", value_name = "NAME=VALUE")]
    filters: Vec<String>,
    /// The file to write (replaced only once the whole export has arrived).
    #[arg(short, long)]
    output: PathBuf,
    #[arg(long, env = "TRUCE_SERVER", default_value = "http://127.0.0.1:8080")]
    server: String,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(Command::Reports(args): Command) -> Result<(), Failure> {
    let file = match args.format {
        Format::Csv => "reports.csv",
        Format::Hxl => "reports.hxl.csv",
        Format::Acled => "reports.acled.csv",
        Format::Ucdp => "reports.ucdp.csv",
        Format::Geojson => "reports.geojson",
    };
    let query = args
        .filters
        .iter()
        .map(|f| {
            f.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| {
                    Failure::usage(anyhow::anyhow!(
                        "--filter {f:?} must be NAME=VALUE (e.g. country=PK)"
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let node = Node::new(&args.server, args.json);
    let bytes = node
        .download(&format!("/api/v1/exports/{file}"), &query, &args.output)
        .await?;
    let answer = serde_json::json!({"file": args.output.display().to_string(), "bytes": bytes});
    if args.json {
        println!("{answer}");
    } else {
        println!("wrote {} ({bytes} bytes)", args.output.display());
    }
    Ok(())
}

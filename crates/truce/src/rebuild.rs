//! `truce rebuild`: drop the projection and replay the log into it.

use std::path::PathBuf;

use serde_json::json;
use truce_store::Store;

use crate::Failure;

#[derive(clap::Args)]
pub struct Args {
    /// The data directory [default: ./truce-data].
    #[arg(long = "data", env = "TRUCE_DATA_DIR", default_value = "truce-data")]
    data_dir: PathBuf,
    /// The log's PostgreSQL database, if it is not in the data directory.
    #[arg(long, env = "TRUCE_DATABASE")]
    database: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args) -> Result<(), Failure> {
    let started = std::time::Instant::now();
    let store = Store::open(&args.data_dir, args.database.as_deref())
        .await
        .map_err(Failure::usage)?;
    let size = store.head().await?.size;
    let bar = if args.json {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(size)
    };
    let rebuilt = truce_server::rebuild::rebuild(&store, |done| bar.set_position(done))
        .await
        .map_err(Failure::check)?;
    bar.finish_and_clear();
    store.close().await;
    let seconds = started.elapsed().as_secs_f64();
    let same = rebuilt.digest_before == rebuilt.digest_after;
    if args.json {
        let out = json!({"entries": rebuilt.entries, "digest": rebuilt.digest_after,
            "digest_before": rebuilt.digest_before, "unchanged": same, "seconds": seconds});
        println!("{out}");
    } else {
        println!(
            "replayed {} entries in {seconds:.1} s; projection digest {}",
            rebuilt.entries, rebuilt.digest_after
        );
        let verdict = if same {
            "identical to"
        } else {
            "DIFFERENT from"
        };
        println!(
            "the rebuilt projection is {verdict} the one it replaced ({})",
            rebuilt.digest_before
        );
    }
    Ok(())
}

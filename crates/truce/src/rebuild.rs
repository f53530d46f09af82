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
    /// Also compute the projection's state digest before and after, and say whether
    /// the rebuild changed anything (each digest reads every row: on a large log it can
    /// take as long as the rebuild).
    #[arg(long)]
    check: bool,
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
    let before = digest_if(args.check, &store).await?;
    let replay_started = std::time::Instant::now();
    let entries =
        truce_server::rebuild::rebuild(&store, &args.data_dir, |done| bar.set_position(done))
            .await
            .map_err(Failure::check)?;
    let replay_seconds = replay_started.elapsed().as_secs_f64();
    bar.finish_and_clear();
    let after = digest_if(args.check, &store).await?;
    store.close().await;
    let seconds = started.elapsed().as_secs_f64();
    if args.json {
        let mut out =
            json!({"entries": entries, "seconds": seconds, "replay_seconds": replay_seconds});
        if let (Some(before), Some(after)) = (&before, &after) {
            out["digest_before"] = before.clone().into();
            out["digest"] = after.clone().into();
            out["unchanged"] = (before == after).into();
        }
        println!("{out}");
        return Ok(());
    }
    println!("replayed {entries} entries in {replay_seconds:.1} s");
    if let (Some(before), Some(after)) = (before, after) {
        let verdict = if before == after {
            "identical to"
        } else {
            "DIFFERENT from"
        };
        println!("projection digest {after}");
        println!("the rebuilt projection is {verdict} the one it replaced ({before})");
    }
    Ok(())
}

async fn digest_if(check: bool, store: &Store) -> Result<Option<String>, Failure> {
    if !check {
        return Ok(None);
    }
    Ok(Some(store.projection_digest().await?))
}

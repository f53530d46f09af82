//! `truce bench witness`: three `truce witness` child processes on loopback, a node in this
//! process whose genesis names them, and authors appending over HTTP for a while. Measured
//! from storage afterwards: for every checkpoint the log signed, the time until a checkpoint
//! at least as large carried the quorum's cosignatures (when its entries became witnessed;
//! a witness is always sent the newest checkpoint, so most checkpoints are covered by a later
//! one rather than cosigned themselves); and for the checkpoints that were cosigned, the time
//! from their signing to their quorum.

use std::io::BufRead as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use truce_core::DelegationId;
use truce_core::genesis::Witness;
use truce_core::kinds::KEY_REGISTERED;
use truce_demo::Exercise;
use truce_log::cosignature::Cosigner;
use truce_log::{Author, KeyPair};
use truce_server::{Config, WitnessUrl};
use truce_store::Store;

use crate::Failure;

const ORIGIN: &str = "truce.example/bench-witness";
const WITNESSES: [&str; 3] = ["pk", "af", "tr"];
/// How long the log is given to be witnessed up to its last checkpoint after appends stop.
const SETTLE_S: u64 = 10;

#[derive(clap::Args)]
pub struct WitnessArgs {
    /// How long authors keep appending, in seconds.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Authors appending concurrently over HTTP (each its own chain, one entry at a time).
    #[arg(long, default_value_t = 4)]
    authors: usize,
    /// Entries each author posts at once (`POST /api/v1/entries/batch`, in its chain's
    /// order); 1 posts them one at a time. Larger batches drive the log at its full
    /// append rate, to see whether witnessing keeps up.
    #[arg(long, default_value_t = 1)]
    batch: usize,
    /// Of the three witnesses, how many must cosign.
    #[arg(long, default_value_t = 2)]
    quorum: u32,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: WitnessArgs) -> Result<(), Failure> {
    if !(1..=3).contains(&args.quorum)
        || !(1..=4).contains(&args.authors)
        || !(1..=1_000).contains(&args.batch)
    {
        return Err(Failure::usage(anyhow::anyhow!(
            "--quorum must be 1 to 3, --authors 1 to 4 and --batch 1 to 1000"
        )));
    }
    let temp = tempfile::tempdir()?;
    let exercise = Exercise::generate(ORIGIN);
    let keys: Vec<Cosigner> = WITNESSES
        .iter()
        .map(|d| Cosigner::generate(&format!("witness.example/{d}")).expect("a valid name"))
        .collect();
    let mut children = vec![];
    let mut urls = vec![];
    for (key, delegation) in keys.iter().zip(WITNESSES) {
        let (child, url) = spawn_witness(&temp.path().join(delegation), key, &exercise)?;
        children.push(child);
        urls.push(url);
    }
    let data = temp.path().join("node");
    let result = measure(&args, &exercise, &keys, &urls, &data).await;
    for mut child in children {
        let _ = child.kill();
        let _ = child.wait();
    }
    let report = result?;
    print(&args, &report);
    Ok(())
}

/// Starts `truce witness` for the exercise's log in `dir`; returns it and its URL.
fn spawn_witness(
    dir: &Path,
    key: &Cosigner,
    exercise: &Exercise,
) -> anyhow::Result<(Child, String)> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("witness.key"), format!("{}\n", key.to_skey()))?;
    let mut child = Command::new(std::env::current_exe()?)
        .args([
            "witness",
            "--listen",
            "127.0.0.1:0",
            "--log",
            &exercise.log_key.vkey(),
        ])
        .arg("--key")
        .arg(dir.join("witness.key"))
        .arg("--data")
        .arg(dir.join("data"))
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    let stdout = child.stdout.take().expect("piped");
    std::io::BufReader::new(stdout).read_line(&mut line)?;
    let url = line
        .trim()
        .strip_prefix("truce witness listening on ")
        .ok_or_else(|| anyhow::anyhow!("truce witness did not start: {line:?}"))?;
    Ok((child, url.to_string()))
}

struct Report {
    appended: usize,
    seconds: f64,
    signed: usize,
    cosigned: usize,
    covered: Latencies,
    own: Latencies,
}

async fn measure(
    args: &WitnessArgs,
    exercise: &Exercise,
    keys: &[Cosigner],
    urls: &[String],
    data: &Path,
) -> anyhow::Result<Report> {
    std::fs::create_dir_all(data)?;
    truce_server::keyfile::write_key(
        &data.join(truce_server::node::LOG_KEY_FILE),
        &exercise.log_key,
    )?;
    let mut config = Config {
        listen: "127.0.0.1:0".parse()?,
        data_dir: data.to_path_buf(),
        origin: ORIGIN.into(),
        ..Config::default()
    };
    config.witnesses = keys
        .iter()
        .zip(urls)
        .map(|(k, url)| WitnessUrl {
            vkey: k.vkey(),
            url: url.clone(),
        })
        .collect();
    let node = truce_server::start(config, None).await?;
    let base = format!("http://{}", node.addr);
    let client = reqwest::Client::new();
    post(&client, &base, genesis_note(exercise, keys, args.quorum)).await?;
    let started = Instant::now();
    let appended = append_for(&client, &base, exercise, args).await?;
    let seconds = started.elapsed().as_secs_f64();
    settle(&client, &base).await;
    node.shutdown().await?;
    let store = Store::open_read_only(data).await?;
    let report = latencies(&store, args.quorum, appended, seconds).await;
    store.close().await;
    report
}

fn genesis_note(exercise: &Exercise, keys: &[Cosigner], quorum: u32) -> Vec<u8> {
    let mut genesis = exercise.genesis();
    genesis.witnesses = keys
        .iter()
        .zip(WITNESSES)
        .map(|(k, d)| Witness {
            vkey: k.vkey(),
            delegation: DelegationId::parse(d).expect("valid"),
        })
        .collect();
    genesis.witness_quorum = quorum;
    exercise.genesis_note(&genesis)
}

/// Posts an author's notes, alone or as one batch, and checks each was appended.
async fn post_all(
    client: &reqwest::Client,
    base: &str,
    mut notes: Vec<Vec<u8>>,
) -> anyhow::Result<()> {
    if notes.len() == 1 {
        return post(client, base, notes.remove(0)).await;
    }
    let notes: Vec<String> = notes
        .into_iter()
        .map(|n| String::from_utf8(n).expect("a note is text"))
        .collect();
    let count = notes.len();
    let response = client
        .post(format!("{base}/api/v1/entries/batch"))
        .json(&json!({ "notes": notes }))
        .send()
        .await?;
    anyhow::ensure!(
        response.status() == 200,
        "batch refused: {}",
        response.text().await?
    );
    let answer: serde_json::Value = response.json().await?;
    anyhow::ensure!(
        answer["appended"] == count,
        "batch partly refused: {answer}"
    );
    Ok(())
}

async fn post(client: &reqwest::Client, base: &str, note: Vec<u8>) -> anyhow::Result<()> {
    let response = client
        .post(format!("{base}/api/v1/entries"))
        .header("content-type", "text/plain")
        .body(note)
        .send()
        .await?;
    anyhow::ensure!(
        response.status() == 201,
        "append refused: {}",
        response.text().await?
    );
    Ok(())
}

/// Device registrations by the roots of delegations other than the genesis's convener,
/// each root its own chain, until the time is up; returns how many were appended.
async fn append_for(
    client: &reqwest::Client,
    base: &str,
    exercise: &Exercise,
    args: &WitnessArgs,
) -> anyhow::Result<usize> {
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    let roots = ["pk", "af", "qa", "jmt"];
    for delegation in roots.into_iter().take(args.authors) {
        let mut author = Author::new(exercise.root(delegation).clone(), ORIGIN);
        let (client, base, stop, count) = (
            client.clone(),
            base.to_string(),
            stop.clone(),
            count.clone(),
        );
        let batch = args.batch;
        tasks.spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let mut notes = Vec::with_capacity(batch);
                for _ in 0..batch {
                    let name = format!("{ORIGIN}/{delegation}/device-{i}");
                    let device = KeyPair::generate(&name).expect("a valid name");
                    let payload = json!({"delegation": delegation, "name": name, "role": "device", "vkey": device.vkey()});
                    notes.push(author.write(KEY_REGISTERED, payload, super::now()));
                    i += 1;
                }
                post_all(&client, &base, notes).await?;
                count.fetch_add(batch, Ordering::Relaxed);
            }
            anyhow::Ok(())
        });
    }
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(count.load(Ordering::Relaxed))
}

/// Waits (a bounded time) until the newest checkpoint is witnessed.
async fn settle(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(SETTLE_S);
    while Instant::now() < deadline {
        let status: Option<serde_json::Value> = match client
            .get(format!("{base}/api/v1/log/witnesses"))
            .send()
            .await
        {
            Ok(response) => response.json().await.ok(),
            Err(_) => None,
        };
        if status.is_some_and(|s| s["lag_entries"] == 0) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// From storage: when each checkpoint was signed, and when each cosigned one reached the
/// quorum (the quorum-th cosignature stored).
async fn latencies(
    store: &Store,
    quorum: u32,
    appended: usize,
    seconds: f64,
) -> anyhow::Result<Report> {
    // From size 2: the genesis's own checkpoint was signed before the witnesses' tasks
    // could know the genesis, which is what they wait for.
    let signed = store.checkpoint_times(2).await?;
    let cosignatures = store.cosignatures_from(2).await?;
    let mut witnessed: Vec<(u64, i64)> = vec![];
    for (size, _) in &signed {
        let mut times: Vec<i64> = cosignatures
            .iter()
            .filter(|c| c.size == *size)
            .map(|c| i64::try_from(c.stored_at_ms).unwrap_or(i64::MAX))
            .collect();
        times.sort_unstable();
        if let Some(at) = times.get(quorum as usize - 1) {
            witnessed.push((*size, *at));
        }
    }
    let signed_at = |size: u64| {
        signed
            .iter()
            .find(|(s, _)| *s == size)
            .map_or(0, |(_, t)| *t)
    };
    let own = witnessed
        .iter()
        .map(|(size, at)| (at - signed_at(*size)) as f64)
        .collect();
    // Each signed checkpoint is covered when the first witnessed checkpoint at least as
    // large reached its quorum; one never covered counts as not measured (reported).
    let covered = signed
        .iter()
        .filter_map(|(size, at)| {
            witnessed
                .iter()
                .filter(|(w, _)| w >= size)
                .map(|(_, t)| *t)
                .min()
                .map(|t| (t - at) as f64)
        })
        .collect();
    Ok(Report {
        appended,
        seconds,
        signed: signed.len(),
        cosigned: witnessed.len(),
        covered: Latencies::new(covered),
        own: Latencies::new(own),
    })
}

/// Latencies in milliseconds, sorted.
struct Latencies(Vec<f64>);

impl Latencies {
    fn new(mut ms: Vec<f64>) -> Self {
        ms.sort_by(f64::total_cmp);
        Self(ms)
    }

    /// The nearest-rank percentile.
    fn pct(&self, p: usize) -> f64 {
        if self.0.is_empty() {
            return f64::NAN;
        }
        let rank = (p * self.0.len()).div_ceil(100);
        self.0[rank.clamp(1, self.0.len()) - 1]
    }

    fn to_json(&self) -> serde_json::Value {
        json!({"count": self.0.len(), "p50_ms": self.pct(50), "p99_ms": self.pct(99), "max_ms": self.pct(100)})
    }
}

fn print(args: &WitnessArgs, report: &Report) {
    if args.json {
        let out = json!({
            "appended": report.appended, "seconds": report.seconds,
            "checkpoints_signed": report.signed, "checkpoints_cosigned": report.cosigned,
            "quorum": args.quorum, "authors": args.authors, "batch": args.batch,
            "signed_to_witnessed": report.covered.to_json(),
            "cosigned_checkpoint_signed_to_quorum": report.own.to_json(),
        });
        println!("{out}");
        return;
    }
    super::print_machine();
    println!(
        "appended {} entries in {:.1} s ({:.0}/s) by {} authors over HTTP, {} at a time each; {} checkpoints signed, {} cosigned by {} of 3 witnesses",
        report.appended,
        report.seconds,
        report.appended as f64 / report.seconds,
        args.authors,
        args.batch,
        report.signed,
        report.cosigned,
        args.quorum
    );
    let (c, o) = (&report.covered, &report.own);
    println!(
        "signed -> witnessed (covered by a checkpoint with the quorum), {} checkpoints: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms (target p99 < 500 ms)",
        c.0.len(),
        c.pct(50),
        c.pct(99),
        c.pct(100)
    );
    println!(
        "cosigned checkpoints, signed -> quorum, {} checkpoints: p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms",
        o.0.len(),
        o.pct(50),
        o.pct(99),
        o.pct(100)
    );
}

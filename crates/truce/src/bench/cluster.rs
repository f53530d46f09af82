//! `truce bench cluster`: issue 21's reads past one machine. A log of the exercise and
//! many synthetic reports in one PostgreSQL database (built, or reused), served by one,
//! then two, ... `truce serve` children on that database. For each count, `wrk` (Debian's
//! package `wrk`) reads from every process at once (its share of the clients each) a mix of
//! the API's report list, the dashboard page and a tile, for a fixed time: total requests/s
//! and the worst p99. One process sequences; the others serve reads and forward writes.
//!
//! Reads can grow with processes only while cores are free: on a machine with as many
//! cores as the load generator and one node use, the figures stay flat, and say so.

use std::path::{Path, PathBuf};

use super::load::{WRK_REPORT, Wrk, run_wrk, which_wrk};
use super::reports::{Filled, Server, ensure_log_in};
use crate::Failure;

/// What every client asks for in turn: the API's filtered report list, the dashboard (a
/// web page over the whole log) and the log's first tile.
const PATHS: [&str; 3] = [
    "/api/v1/reports?kind=battles&from=2025-06-01T00:00:00Z&limit=50",
    "/",
    "/log/tile/0/000",
];

#[derive(clap::Args)]
pub struct ClusterArgs {
    /// The PostgreSQL database holding the log (built there if it is empty; reused as it
    /// is if it already holds a log this command built).
    #[arg(long)]
    database: String,
    /// How many `report.submitted` entries the log holds, if it is built now.
    #[arg(long, default_value_t = 1_000_000)]
    reports: usize,
    /// Up to how many `truce serve` processes read (measured with 1, 2, ... of them).
    #[arg(long, default_value_t = 3)]
    processes: usize,
    /// Concurrent clients in all, shared among the processes.
    #[arg(long, default_value_t = 60)]
    clients: usize,
    /// How long each count of processes is read, in seconds.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// The load generator (`wrk`, from Debian's package of that name).
    #[arg(long, default_value = "wrk")]
    wrk: PathBuf,
}

pub async fn run(args: ClusterArgs) -> Result<(), Failure> {
    which_wrk(&args.wrk)?;
    let temp = tempfile::tempdir()?;
    let dirs: Vec<PathBuf> = (0..args.processes.max(1))
        .map(|i| temp.path().join(format!("node-{i}")))
        .collect();
    let log = ensure_log_in(
        &dirs[0],
        Some(&args.database),
        args.reports,
        true,
        Filled::Reports,
    )
    .await?;
    // Every process serving one log holds its key (the exercise's, whoever built it).
    let log_key = truce_demo::Exercise::from_seed(truce_demo::DEMO_ORIGIN, 1).log_key;
    for dir in &dirs {
        std::fs::create_dir_all(dir)?;
        let file = dir.join(truce_server::node::LOG_KEY_FILE);
        if !file.exists() {
            truce_server::keyfile::write_key(&file, &log_key)?;
        }
    }
    let script = temp.path().join("cluster.lua");
    std::fs::write(&script, lua_script())?;
    super::print_machine();
    println!(
        "log: {} entries in PostgreSQL; {} clients in all, {} s per row; each client asks \
         in turn for {}",
        log.entries,
        args.clients,
        args.seconds,
        PATHS.join(", ")
    );
    println!("\n| processes | requests/s (all) | worst p99 | errors |");
    println!("|---|---|---|---|");
    let mut servers: Vec<Server> = vec![];
    for dir in &dirs {
        servers.push(Server::spawn_with(dir, &["--database", &args.database])?);
        warm_up(servers.last().expect("just started")).await?;
        let measured = tokio::task::block_in_place(|| read_all(&args, &script, &servers))?;
        print_row(servers.len(), &measured);
    }
    for server in servers {
        server.stop()?;
    }
    Ok(())
}

/// Each path once, so that no row pays for a process's cold caches.
async fn warm_up(server: &Server) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    for path in PATHS {
        client
            .get(format!("{}{path}", server.url))
            .send()
            .await?
            .error_for_status()?;
    }
    Ok(())
}

/// One `wrk` per process, all at once, each with its share of the clients.
fn read_all(args: &ClusterArgs, script: &Path, servers: &[Server]) -> anyhow::Result<Vec<Wrk>> {
    let clients = (args.clients / servers.len()).max(1);
    std::thread::scope(|scope| {
        let runs: Vec<_> = servers
            .iter()
            .map(|server| {
                scope.spawn(move || {
                    run_wrk(&args.wrk, 1, clients, args.seconds, script, &server.url)
                })
            })
            .collect();
        runs.into_iter()
            .map(|run| run.join().expect("a wrk thread does not panic"))
            .collect()
    })
}

fn print_row(processes: usize, measured: &[Wrk]) {
    let rate: f64 = measured.iter().map(Wrk::rate).sum();
    let p99 = measured.iter().map(|w| w.p99_us).max().unwrap_or(0);
    let errors: u64 = measured.iter().map(Wrk::errors).sum();
    let requests: u64 = measured.iter().map(|w| w.requests).sum();
    println!(
        "| {processes} | {rate:.0} | {:.1} ms | {errors} of {requests} |",
        p99 as f64 / 1e3
    );
}

/// The report line, and a `request` function that walks [`PATHS`].
fn lua_script() -> String {
    let paths: Vec<String> = PATHS.iter().map(|p| format!("{p:?}")).collect();
    format!(
        "{WRK_REPORT}\npaths = {{{}}}\ncounter = 0\nrequest = function()\n  counter = counter + 1\n  \
         return wrk.format(\"GET\", paths[(counter % #paths) + 1])\nend\n",
        paths.join(", ")
    )
}

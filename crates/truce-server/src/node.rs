//! Starting and stopping a node: storage, log key, sequencer, HTTP server.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use anyhow::Context;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use truce_store::Store;

use truce_api::state::AppState;

use crate::app::router;
use crate::demo::{self, Demo};
use truce_node::config::Config;
use truce_node::constitution::SignedGenesis;
use truce_node::geography::AgreedGeometry;
use truce_node::sequencer::Sequencer;
use truce_node::{keyfile, loader};

/// The file in the data directory that holds the log's private key.
pub const LOG_KEY_FILE: &str = "log.key";

/// Creates the data directory readable by the owner only (0700), or makes an existing one
/// so: it holds the log key, the demo keys, the database with people's sealed keys, and
/// confidential evidence.
fn private_dir(dir: &std::path::Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .with_context(|| format!("creating the data directory {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(dir = %dir.display(), "the data directory was open to others; made it 0700");
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .with_context(|| format!("making {} owner-only", dir.display()))?;
        }
    }
    Ok(())
}

/// A node that is serving.
pub struct RunningNode {
    pub addr: SocketAddr,
    store: Store,
    pub log_vkey: String,
    stop: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
    sequencer: JoinHandle<()>,
    witnessing: JoinHandle<()>,
    webhooks: JoinHandle<()>,
    shredding: JoinHandle<()>,
    publishing: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for RunningNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningNode")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// Opens the store, restores the log, seeds the demo if asked and the log is empty, and
/// starts serving.
pub async fn start(config: Config, demo: Option<Demo>) -> anyhow::Result<RunningNode> {
    config.validate().map_err(anyhow::Error::msg)?;
    private_dir(&config.data_dir)?;
    let store = Store::open(&config.data_dir, config.database.as_deref())
        .await
        .context("opening the log's storage")?;
    let key_path = config.data_dir.join(LOG_KEY_FILE);
    let constitution = config
        .genesis
        .as_deref()
        .map(SignedGenesis::read)
        .transpose()?;
    let log_key = log_key(&config, &key_path, constitution.as_ref(), demo)?;
    let (state, frontier) = loader::load(&store)
        .await
        .context("restoring the log from storage")?;
    let geometry = AgreedGeometry::new(&config.data_dir);
    if let Some(genesis) = state.genesis() {
        geometry.settle(genesis).map_err(anyhow::Error::msg)?;
        anyhow::ensure!(
            genesis.log.vkey == log_key.vkey(),
            "the log in storage is signed by {} but {} holds {}",
            genesis.log.vkey,
            key_path.display(),
            log_key.vkey()
        );
    }
    let size = state.size();
    let stored_genesis = state.genesis().cloned();
    let (sequencer, sequencer_task) = Sequencer::spawn(
        store.clone(),
        log_key.clone(),
        state,
        frontier,
        config.limits.clone(),
        geometry.clone(),
    );
    let first = FirstEntries {
        constitution,
        demo,
        stored_genesis,
        size,
    };
    first
        .write(&config, log_key.clone(), &sequencer, &store)
        .await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("listening on {}", config.listen))?;
    let addr = listener.local_addr()?;
    advertise(&config, addr, &sequencer, &store).await?;
    let evidence = truce_store::EvidenceStore::open(&config.data_dir, config.evidence.as_deref())
        .context("opening the evidence storage")?;
    let sealed = truce_store::EvidenceStore::sealed(&config.data_dir)
        .context("opening the sealed testimony storage")?;
    let shredding_task = truce_node::shredding::spawn(store.clone(), sealed.clone());
    let publishing_task = spawn_publishing(&config, &store, log_key.vkey())?;
    let config = Arc::new(config);
    let witnessing = truce_node::witnessing::Witnessing::default();
    let witnessing_task =
        truce_node::witnessing::spawn(store.clone(), config.clone(), witnessing.clone());
    let secrets = truce_api::webhooks::secrets::SecretsKey::load_or_create(&config.data_dir)?;
    let webhooks_task =
        truce_api::webhooks::delivery::spawn(store.clone(), config.clone(), secrets);
    let logins = truce_api::logins::Logins::new(config.limits.password_checks_per_s);
    let state = AppState {
        logins: Arc::new(logins),
        work: Arc::default(),
        clock: truce_node::clock::Clock::system(),
        store: store.clone(),
        sequencer,
        log_vkey: log_key.vkey().into(),
        config,
        metrics: metrics_handle(),
        custodial: Arc::default(),
        witnessing,
        genesis_once: Arc::default(),
        geometry,
        evidence,
        sealed,
        sealed_uploads: Arc::default(),
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let limits = state.config.limits.clone();
    let app = router(state);
    let server =
        tokio::spawn(async move { crate::serve::serve(listener, app, &limits, stopped).await });
    Ok(RunningNode {
        addr,
        store,
        log_vkey: log_key.vkey(),
        stop,
        server,
        sequencer: sequencer_task,
        witnessing: witnessing_task,
        webhooks: webhooks_task,
        shredding: shredding_task,
        publishing: publishing_task,
    })
}

/// Tells the sequencer where this process is reached, and, if it already sequences (it
/// wrote the first entries), the store, so the other processes forward writes here.
async fn advertise(
    config: &Config,
    addr: SocketAddr,
    sequencer: &truce_node::sequencer::SequencerHandle,
    store: &Store,
) -> anyhow::Result<()> {
    let url = config.reached_at(addr);
    if config.database.is_some() && config.sequencer_url.is_none() && addr.ip().is_unspecified() {
        tracing::warn!(
            %url,
            "listening on every address without sequencer_url: processes on other machines \
             cannot forward writes to this one while it sequences"
        );
    }
    sequencer.reached_at(url.clone());
    if store.leads() {
        let now = truce_node::sequencer::unix_ms();
        store.advertise_sequencer(&url, now).await?;
    }
    Ok(())
}

/// Starts copying `/log/` to object storage, if the configuration says where.
fn spawn_publishing(
    config: &Config,
    store: &Store,
    log_vkey: String,
) -> anyhow::Result<Option<JoinHandle<()>>> {
    let Some(url) = config.publish.as_deref() else {
        return Ok(None);
    };
    let publication = truce_store::publication::LogPublication::open(url)
        .with_context(|| format!("publish = {url:?}: opening the storage"))?;
    Ok(Some(truce_node::publishing::spawn(
        store.clone(),
        publication,
        log_vkey,
    )))
}

/// The log key: the one the genesis names (it must be in the data directory), else the
/// data directory's, made on first start with the demo's origin or the configured one.
fn log_key(
    config: &Config,
    key_path: &std::path::Path,
    constitution: Option<&SignedGenesis>,
    demo: Option<Demo>,
) -> anyhow::Result<truce_log::KeyPair> {
    match (constitution, demo) {
        (Some(genesis), _) => genesis.log_key(key_path),
        (None, Some(_)) => keyfile::load_or_create_log_key(key_path, truce_demo::DEMO_ORIGIN),
        (None, None) => keyfile::load_or_create_log_key(key_path, &config.origin),
    }
}

/// What a node writes before it serves: the genesis it was given, or the exercise.
struct FirstEntries {
    constitution: Option<SignedGenesis>,
    demo: Option<Demo>,
    stored_genesis: Option<truce_core::Genesis>,
    size: u64,
}

impl FirstEntries {
    async fn write(
        self,
        config: &Config,
        log_key: truce_log::KeyPair,
        sequencer: &truce_node::sequencer::SequencerHandle,
        store: &Store,
    ) -> anyhow::Result<()> {
        if let Some(genesis) = self.constitution {
            if genesis
                .constitute(self.stored_genesis.as_ref(), sequencer)
                .await?
            {
                tracing::info!("appended the genesis as entry 0");
            }
        } else if let Some(demo) = self.demo
            && self.size == 0
        {
            let appended = demo::seed(&config.data_dir, log_key, sequencer, store, demo).await?;
            tracing::info!(appended, "seeded the exercise");
        } else if self.demo.is_some() {
            tracing::info!(
                size = self.size,
                "the data directory already holds a log; serving it as it is"
            );
        }
        Ok(())
    }
}

impl RunningNode {
    /// Stops accepting requests, lets those in flight finish (their batch included), then
    /// waits for the sequencer to finish what it holds.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        // Cosigning holds nothing the log needs: a checkpoint not yet cosigned is asked
        // for again by the next start.
        self.witnessing.abort();
        // Likewise a delivery: one cut short stays queued and is sent again (receivers
        // tell repeats by `webhook-id`).
        self.webhooks.abort();
        // Shredding resumes at the next start: it deletes whatever destroyed testimony
        // still has on disk.
        self.shredding.abort();
        // Publishing resumes from the copy's own checkpoint at the next start.
        if let Some(publishing) = &self.publishing {
            publishing.abort();
        }
        self.server.await??;
        // The server held the last sequencer handle; its queue is now closed.
        self.sequencer.await?;
        self.store.close().await;
        Ok(())
    }
}

/// The process-wide Prometheus recorder (installed once, shared by every node in the
/// process, as tests start several).
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets(&[0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5])
                .expect("static buckets are valid")
                .build_recorder();
            let handle = recorder.handle();
            // Fails only if another recorder was installed first; then ours stays empty.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

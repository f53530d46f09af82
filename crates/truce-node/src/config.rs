//! Configuration: defaults, then a TOML file, then `TRUCE_*` environment variables, then
//! command-line flags. Every limit has a name here (`docs/operations.md`, "Limits";
//! `truce.example.toml` lists them with their defaults).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where the HTTP server listens.
    pub listen: SocketAddr,
    /// The data directory: the SQLite database, the log key, demo keys.
    pub data_dir: PathBuf,
    /// A `postgres://` URL to keep the log in PostgreSQL instead of SQLite.
    pub database: Option<String>,
    /// The origin (and log key name) of a new log, e.g. `truce.example.org/pk-af-2025`.
    /// Ignored with `genesis`, which names the log's origin and key.
    pub origin: String,
    /// The signed genesis (`truce genesis assemble`) this node's log starts from: appended
    /// as entry 0 on an empty log; on a log that has one, it must be that one.
    pub genesis: Option<PathBuf>,
    /// Where evidence files are kept: `s3://bucket/prefix` (credentials from `AWS_*`
    /// variables) or `file:///dir`; by default `<data_dir>/evidence`.
    pub evidence: Option<String>,
    /// Where to keep a static copy of the log's read path (`log/checkpoint`, `log/tile/...`,
    /// `log/vkey`) for a CDN or static web server to serve: `s3://bucket/prefix`
    /// (credentials and endpoint from `AWS_*` variables) or `file:///dir`. None by default.
    pub publish: Option<String>,
    /// Where the witnesses the genesis names are reached (`witnessing`). A URL is
    /// operational, so it is configured here; which witnesses count is the genesis's.
    pub witnesses: Vec<WitnessUrl>,
    /// Whether webhooks may be sent to loopback and private-network addresses (an alert
    /// receiver inside the mechanism's own network). Off: only public addresses, so that
    /// subscribing cannot reach the node's own services.
    pub webhooks_private_networks: bool,
    /// The address the public reaches this node at, e.g. `https://truce.example.org`. With
    /// `https://` (TLS ended here or at a proxy in front), cookies are marked `Secure` and
    /// answers carry `Strict-Transport-Security`.
    pub public_url: Option<String>,
    /// Where the other processes on the same PostgreSQL database reach this one, to
    /// forward writes to it while it sequences: by default `http://` and the address it
    /// listens on (127.0.0.1 for an unspecified one, so processes on one machine need
    /// nothing set).
    pub sequencer_url: Option<String>,
    pub limits: Limits,
}

/// A witness's C2SP tlog-witness submission prefix (`<url>/add-checkpoint` is posted to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WitnessUrl {
    /// The witness's cosigner verifier key, as in the genesis.
    pub vkey: String,
    pub url: String,
}

/// Every limit the node enforces, with units last in the names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// The largest entry accepted (whole signed note); at most 65,535 (C2SP tlog-tiles).
    pub entry_bytes_max: usize,
    /// A batch closes when it holds this many entries...
    pub batch_entries_max: usize,
    /// ...or this long after its first entry arrived (at most 1,000).
    pub batch_wait_ms: u64,
    /// Submissions waiting for the sequencer beyond which new ones are refused (503).
    pub submit_queue_entries_max: usize,
    /// The most entries one `POST /api/v1/entries/batch` carries (each is still admitted,
    /// and acknowledged once durable, on its own).
    pub submit_batch_entries_max: usize,
    /// How far in the future an entry's claimed time may be, for clock skew.
    pub claimed_time_future_s_max: i64,
    /// The largest request body accepted.
    pub request_bytes_max: usize,
    /// How long a request may take before it is answered 503.
    pub request_timeout_ms: u64,
    /// How long a client may take to send a request's headers before its connection is
    /// closed (slow clients holding connections: `serve`).
    pub header_read_timeout_ms: u64,
    /// Connections served at once; further ones wait in the listen queue.
    pub connections_max: usize,
    /// The most items a list endpoint returns in one page.
    pub page_items_max: usize,
    /// The largest evidence file accepted.
    pub evidence_bytes_max: usize,
    /// Password checks (argon2) per second in each of the login throttle's lanes, at
    /// most a second's worth at once (`logins`): what a flood of logins can cost.
    pub password_checks_per_s: u32,
    /// How long a witness may take to answer a request to cosign.
    pub witness_timeout_ms: u64,
    /// Public reports (`/report`) waiting for a monitor beyond which the form takes no
    /// more (0 closes the form).
    pub public_reports_pending_max: usize,
    /// The most public reports taken in any hour, whoever sends them (the node keeps no
    /// address, so it cannot tell senders apart).
    pub public_reports_hour_max: usize,
    /// The most webhooks a node keeps (`/api/v1/webhooks`).
    pub webhooks_max: usize,
    /// How long a webhook's receiver may take to answer a delivery.
    pub webhook_timeout_ms: u64,
    /// The attempts at one delivery before it is given up on (and shown as failed).
    pub webhook_attempts_max: u32,
    /// The wait after a delivery's first failed attempt; each later wait is four times
    /// the one before, at most six hours.
    pub webhook_retry_ms: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("truce-data"),
            database: None,
            origin: "truce.example/log".into(),
            genesis: None,
            evidence: None,
            publish: None,
            witnesses: vec![],
            webhooks_private_networks: false,
            public_url: None,
            sequencer_url: None,
            limits: Limits::default(),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            entry_bytes_max: truce_core::ENTRY_BYTES_MAX,
            batch_entries_max: 4_096,
            batch_wait_ms: 20,
            submit_queue_entries_max: 65_536,
            submit_batch_entries_max: 1_000,
            claimed_time_future_s_max: 300,
            request_bytes_max: 1 << 20,
            request_timeout_ms: 30_000,
            header_read_timeout_ms: 10_000,
            connections_max: 1_024,
            page_items_max: 1_000,
            evidence_bytes_max: 64 << 20,
            password_checks_per_s: 10,
            witness_timeout_ms: 5_000,
            public_reports_pending_max: 1_000,
            public_reports_hour_max: 120,
            webhooks_max: 100,
            webhook_timeout_ms: 10_000,
            // 5 s, 20 s, 80 s, 5 min, 21 min, 85 min, 5.7 h: a day's outage is covered.
            webhook_attempts_max: 8,
            webhook_retry_ms: 5_000,
        }
    }
}

impl Config {
    /// Loads the configuration: defaults, then `file` if given, then `TRUCE_*` variables
    /// (nested with `__`, e.g. `TRUCE_LIMITS__BATCH_WAIT_MS=50`).
    pub fn load(file: Option<&Path>) -> Result<Self, String> {
        let mut figment = Figment::from(Serialized::defaults(Self::default()));
        if let Some(file) = file {
            if !file.exists() {
                return Err(format!(
                    "configuration file {} does not exist",
                    file.display()
                ));
            }
            figment = figment.merge(Toml::file(file));
        }
        // Only the configuration's own keys: other TRUCE_* variables (TRUCE_SERVER for
        // `truce submit`, TRUCE_LOG_FORMAT, test settings) are not configuration.
        let env = Env::prefixed("TRUCE_").split("__").filter(|key| {
            let key = key.as_str().to_ascii_lowercase();
            [
                "listen",
                "data_dir",
                "database",
                "origin",
                "evidence",
                "publish",
                "witnesses",
                "webhooks_private_networks",
                "public_url",
                "sequencer_url",
            ]
            .contains(&key.as_str())
                || key.starts_with("limits.")
        });
        let config: Self = figment
            .merge(env)
            .extract()
            .map_err(|e| format!("configuration: {e}"))?;
        config.validate()?;
        Ok(config)
    }

    /// Where the other processes on this database reach this one (`sequencer_url`),
    /// given the address it listens on.
    #[must_use]
    pub fn reached_at(&self, bound: SocketAddr) -> String {
        if let Some(url) = &self.sequencer_url {
            return url.trim_end_matches('/').to_string();
        }
        let mut addr = bound;
        if addr.ip().is_unspecified() {
            addr.set_ip(match addr {
                SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        format!("http://{addr}")
    }

    /// Whether the public reaches this node over TLS (`public_url` is `https://`).
    #[must_use]
    pub fn served_over_tls(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }

    /// The URL configured for the witness with verifier key `vkey`.
    #[must_use]
    pub fn witness_url(&self, vkey: &str) -> Option<String> {
        self.witnesses
            .iter()
            .find(|w| w.vkey == vkey)
            .map(|w| w.url.clone())
    }

    /// Checks each limit's range, naming the one that is out of it.
    pub fn validate(&self) -> Result<(), String> {
        for (i, witness) in self.witnesses.iter().enumerate() {
            truce_core::keys::VerifierKey::parse_cosigner(&witness.vkey)
                .map_err(|e| format!("witnesses[{i}].vkey: {e}"))?;
            if !(witness.url.starts_with("http://") || witness.url.starts_with("https://")) {
                return Err(format!(
                    "witnesses[{i}].url must be an http:// or https:// URL"
                ));
            }
        }
        if let Some(url) = &self.public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(format!(
                "public_url must be an http:// or https:// URL (got {url:?})"
            ));
        }
        let l = &self.limits;
        check_connections(l)?;
        let check = |ok: bool, name: &str, range: &str| {
            if ok {
                Ok(())
            } else {
                Err(format!("limits.{name} must be {range}"))
            }
        };
        check(
            (1..=truce_core::ENTRY_BYTES_MAX).contains(&l.entry_bytes_max),
            "entry_bytes_max",
            "1 to 65535",
        )?;
        check(
            (1..=100_000).contains(&l.batch_entries_max),
            "batch_entries_max",
            "1 to 100000",
        )?;
        check(l.batch_wait_ms <= 1_000, "batch_wait_ms", "0 to 1000")?;
        check(
            l.submit_queue_entries_max >= 1,
            "submit_queue_entries_max",
            "at least 1",
        )?;
        check(
            (1..=l.submit_queue_entries_max).contains(&l.submit_batch_entries_max),
            "submit_batch_entries_max",
            "1 to submit_queue_entries_max",
        )?;
        check(
            l.claimed_time_future_s_max >= 0,
            "claimed_time_future_s_max",
            "0 or more",
        )?;
        check(
            l.request_bytes_max >= l.entry_bytes_max,
            "request_bytes_max",
            "at least entry_bytes_max",
        )?;
        check(
            l.request_timeout_ms >= 100,
            "request_timeout_ms",
            "at least 100",
        )?;
        check(
            (1..=100_000).contains(&l.page_items_max),
            "page_items_max",
            "1 to 100000",
        )?;
        check(
            (1..=1_000).contains(&l.password_checks_per_s),
            "password_checks_per_s",
            "1 to 1000",
        )?;
        check(
            (100..=60_000).contains(&l.witness_timeout_ms),
            "witness_timeout_ms",
            "100 to 60000",
        )?;
        check(
            (100..=60_000).contains(&l.webhook_timeout_ms),
            "webhook_timeout_ms",
            "100 to 60000",
        )?;
        check(
            (1..=20).contains(&l.webhook_attempts_max),
            "webhook_attempts_max",
            "1 to 20",
        )?;
        check(
            (10..=3_600_000).contains(&l.webhook_retry_ms),
            "webhook_retry_ms",
            "10 to 3600000",
        )?;
        truce_core::KeyName::parse(self.origin.clone()).map_err(|e| format!("origin: {e}"))?;
        Ok(())
    }
}

fn check_connections(l: &Limits) -> Result<(), String> {
    if l.header_read_timeout_ms == 0 {
        return Err("limits.header_read_timeout_ms must be at least 1".into());
    }
    if l.connections_max == 0 {
        return Err("limits.connections_max must be at least 1".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid() {
        Config::default().validate().unwrap();
    }

    #[test]
    fn an_out_of_range_limit_is_named() {
        let mut config = Config::default();
        config.limits.batch_wait_ms = 5_000;
        assert_eq!(
            config.validate().unwrap_err(),
            "limits.batch_wait_ms must be 0 to 1000"
        );
    }

    #[test]
    fn a_file_overrides_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("truce.toml");
        std::fs::write(
            &file,
            "origin = \"example.org/x\"\n[limits]\nbatch_wait_ms = 5\n",
        )
        .unwrap();
        let config = Config::load(Some(&file)).unwrap();
        assert_eq!(
            (config.origin.as_str(), config.limits.batch_wait_ms),
            ("example.org/x", 5)
        );
    }

    #[test]
    // The closure's error type is figment's, which is large; that is its API.
    #[allow(clippy::result_large_err)]
    fn environment_variables_override_the_file_and_unrelated_ones_are_ignored() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("truce.toml", "[limits]\nbatch_wait_ms = 5\n")?;
            jail.set_env("TRUCE_LIMITS__BATCH_WAIT_MS", "7");
            jail.set_env("TRUCE_TEST_POSTGRES_URL", "postgres://elsewhere");
            jail.set_env("TRUCE_SERVER", "http://elsewhere");
            let config =
                Config::load(Some(Path::new("truce.toml"))).map_err(figment::Error::from)?;
            assert_eq!(config.limits.batch_wait_ms, 7);
            Ok(())
        });
    }

    #[test]
    fn an_unknown_setting_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("truce.toml");
        std::fs::write(&file, "[limits]\nbatch_wait = 5\n").unwrap();
        assert!(
            Config::load(Some(&file))
                .unwrap_err()
                .contains("batch_wait")
        );
    }
}

//! The state every handler shares: storage, the sequencer's handle, the configuration,
//! and the node's caches and throttles.

use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use truce_core::{DelegationKind, Genesis};
use truce_node::config::Config;
use truce_node::sequencer::SequencerHandle;
use truce_store::Store;

use crate::problem::Problem;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub sequencer: SequencerHandle,
    pub config: Arc<Config>,
    pub log_vkey: Arc<str>,
    pub metrics: PrometheusHandle,
    /// The genesis, once read ([`AppState::genesis`]).
    pub genesis_once: Arc<std::sync::OnceLock<Arc<truce_core::Genesis>>>,
    /// The border geometry the genesis agrees, once it is known (`geography`).
    pub geometry: truce_node::geography::AgreedGeometry,
    /// Evidence files, by SHA-256.
    pub evidence: truce_store::EvidenceStore,
    /// Sealed testimony and its shares, by SHA-256: the node's own directory only.
    pub sealed: truce_store::EvidenceStore,
    /// Sealed files stored per key this hour (`v1::testimony`).
    pub sealed_uploads: Arc<crate::v1::testimony::Uploads>,
    /// Serialises the entries the server signs for people (`api::actions`).
    pub custodial: Arc<CustodialTurns>,
    /// What the node knows of each witness (`witnessing`).
    pub witnessing: truce_node::witnessing::Witnessing,
    /// Failed logins per name, which slow the next attempts (`logins`).
    pub logins: Arc<crate::logins::Logins>,
    /// The public report form's proof-of-work challenges (`work`).
    pub work: Arc<crate::work::Work>,
    /// What "now" is where the record leaves it to the reader (`clock`).
    pub clock: truce_node::clock::Clock,
}

/// One lock per author whose entries the server signs: each custodial entry continues the
/// chain its author's previous one left, while different people do not wait for each other.
#[derive(Default)]
pub struct CustodialTurns {
    turns: std::sync::Mutex<std::collections::HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl CustodialTurns {
    /// Waits for `author`'s turn.
    pub async fn take(&self, author: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let turn = {
            let mut turns = self.turns.lock().expect("custodial turns lock");
            turns.entry(author.to_string()).or_default().clone()
        };
        turn.lock_owned().await
    }
}

impl AppState {
    /// The genesis (entry 0) as signed, if the log has one. Read from storage once:
    /// entry 0 never changes (amendments are entries of their own).
    pub async fn genesis(&self) -> Result<Option<Arc<Genesis>>, Problem> {
        if let Some(genesis) = self.genesis_once.get() {
            return Ok(Some(genesis.clone()));
        }
        let Some(genesis) = self.store.genesis().await? else {
            return Ok(None);
        };
        Ok(Some(
            self.genesis_once.get_or_init(|| Arc::new(genesis)).clone(),
        ))
    }

    /// The parties named by the genesis, by id, with their names.
    pub async fn parties(&self) -> Result<Vec<(String, String)>, Problem> {
        let Some(genesis) = self.genesis().await? else {
            return Ok(vec![]);
        };
        Ok(genesis
            .delegations_of(DelegationKind::Party)
            .map(|d| (d.id.to_string(), d.name.clone()))
            .collect())
    }

    /// The log's origin: its key's name.
    #[must_use]
    pub fn origin(&self) -> String {
        self.log_vkey
            .split('+')
            .next()
            .unwrap_or_default()
            .to_string()
    }

    /// A token labelled `label` for `name` if `password` is theirs (None if it is not),
    /// with a new device token for the next logins from the same device; unless the name
    /// or the password is not one an account could have (400), or the throttle refuses
    /// the check (429, saying how long to wait: `logins`). Every check of a password goes
    /// through here.
    pub async fn password_login(
        &self,
        name: &str,
        password: &str,
        device: Option<&str>,
        label: &str,
        ttl: std::time::Duration,
    ) -> Result<Option<LoggedIn>, Problem> {
        crate::accounts::validate_password(password)
            .map_err(|e| Problem::bad_request("password", format!("password {e}")))?;
        let attempt = self.logins.reserve(name, device).map_err(refused)?;
        let issued = crate::accounts::issue_for_password(&self.store, name, password, label, ttl)
            .await
            .map_err(|e| Problem::internal(&e))?;
        let Some(issued) = issued else {
            return Ok(None);
        };
        attempt.succeeded();
        let device = self.logins.device_token(name);
        Ok(Some(LoggedIn { issued, device }))
    }
}

/// A successful login: the token, and the device token for the next logins.
pub struct LoggedIn {
    pub issued: crate::accounts::Issued,
    pub device: String,
}

/// The answer to a login the throttle refuses unchecked.
fn refused(refusal: crate::logins::Refusal) -> Problem {
    use crate::logins::{Refusal, seconds};
    let detail = match refusal {
        Refusal::BadName(why) => return Problem::bad_request("name", format!("name {why}")),
        Refusal::Wait(wait) => format!(
            "name: too many failed logins for this name; try again in {} s",
            seconds(wait)
        ),
        Refusal::Busy(wait) => format!(
            "the node is checking as many passwords as it may; try again in {} s",
            seconds(wait)
        ),
    };
    let mut problem = Problem::new(
        axum::http::StatusCode::TOO_MANY_REQUESTS,
        "too-many-logins",
        "Too many logins",
        detail,
    );
    problem.field = Some("name".into());
    problem
}

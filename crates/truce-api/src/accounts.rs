//! People's accounts: who may log in, which delegation and role they act for, and the
//! tokens they hold. Keys are sealed as [`crate::custody`] describes.
//!
//! Accounts are this node's operational data, not part of the record: what a person does
//! reaches the log only as entries signed with their key, which the admission rules judge
//! like any other (a liaison's key cannot sign a finding, whoever presents it).

use std::time::Duration;

use truce_log::KeyPair;
use truce_store::Store;
pub use truce_store::accounts::Person;
use truce_store::accounts::{NewPerson, NewToken};

use crate::custody;

/// The person a request's token belongs to, with what is needed to sign for them.
#[derive(Debug, Clone)]
pub struct Caller {
    pub person: Person,
    token: String,
    sealed_key: String,
}

/// A token just issued: the secret (shown once) and when it expires.
#[derive(Debug, Clone)]
pub struct Issued {
    pub token: String,
    pub expires_ms: i64,
}

/// Checks a person's name: 1 to 64 of `a-z 0-9 . _ -`.
pub fn validate_name(name: &str) -> Result<(), String> {
    let ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_".contains(&b));
    if ok {
        Ok(())
    } else {
        // Only the start of what was sent is shown back: it may be megabytes.
        let start: String = name.chars().take(64).collect();
        let more = if start.len() < name.len() { "..." } else { "" };
        Err(format!(
            "must be 1 to 64 of a-z, 0-9, '.', '_' and '-' (got {start:?}{more})"
        ))
    }
}

/// The longest password taken, in characters: every input is bounded, and argon2 reads
/// all of it.
pub const PASSWORD_CHARS_MAX: usize = 1_024;

/// Checks a password's length: at most [`PASSWORD_CHARS_MAX`] characters (the minimum is
/// for new passwords only, [`create`]).
pub fn validate_password(password: &str) -> Result<(), String> {
    if password.chars().count() <= PASSWORD_CHARS_MAX {
        Ok(())
    } else {
        Err(format!("must be at most {PASSWORD_CHARS_MAX} characters"))
    }
}

/// Creates an account holding `key` (sealed under `password`).
pub async fn create(
    store: &Store,
    person: &Person,
    password: &str,
    key: &KeyPair,
) -> anyhow::Result<()> {
    validate_name(&person.name).map_err(|e| anyhow::anyhow!("name: {e}"))?;
    anyhow::ensure!(
        password.chars().count() >= 8,
        "password: must be at least 8 characters"
    );
    validate_password(password).map_err(|e| anyhow::anyhow!("password: {e}"))?;
    anyhow::ensure!(key.name() == &person.key, "the key must be the person's");
    let (password_owned, skey) = (password.to_string(), key.to_skey());
    let (phc, sealed) = hashing(move || {
        Ok::<_, anyhow::Error>((
            custody::hash_password(&password_owned)?,
            custody::seal_with_password(skey.as_bytes(), &password_owned)?,
        ))
    })
    .await?;
    let new = NewPerson {
        person: person.clone(),
        password_phc: phc,
        sealed_key: sealed,
        created_ms: truce_node::sequencer::unix_ms(),
    };
    store.add_person(&new).await?;
    Ok(())
}

/// Whether an account has this person's name or holds their key.
pub async fn exists(store: &Store, person: &Person) -> anyhow::Result<bool> {
    Ok(store.person_exists(&person.name, &person.key).await?)
}

/// A token labelled `label`, if `password` is the person's and their key is not revoked;
/// None otherwise, after the same work whether or not the person exists. Long-lived tokens need the password, not
/// just a session: a stolen session cannot mint a year of signing power. Callers go
/// through `AppState::password_login`, which slows a name that fails too often.
pub async fn issue_for_password(
    store: &Store,
    name: &str,
    password: &str,
    label: &str,
    ttl: Duration,
) -> anyhow::Result<Option<Issued>> {
    // A person whose key the log has revoked has no account left to log in to.
    let found = store.password_secrets(name).await?;
    let password = password.to_string();
    let opened = hashing(move || {
        let phc = found.as_ref().map(|s| s.password_phc.as_str());
        if !custody::verify_password(phc, &password) {
            return None;
        }
        Some(custody::open_with_password(&found?.sealed_key, &password))
    })
    .await;
    let Some(skey) = opened else {
        return Ok(None);
    };
    let skey =
        skey.ok_or_else(|| anyhow::anyhow!("the key of {name} does not open with their password"))?;
    issue(store, name, label, &skey, ttl).await.map(Some)
}

/// Runs argon2 work off the request threads, at most as many at once as there are
/// cores, so a flood of logins cannot stall the node (or spawn a thread per attempt,
/// each holding argon2's memory).
async fn hashing<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    static PERMITS: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, usize::from))
    });
    let _permit = PERMITS
        .acquire()
        .await
        .expect("the semaphore is never closed");
    tokio::task::spawn_blocking(work)
        .await
        .expect("argon2 work does not panic")
}

/// Ends every token of the caller (logout everywhere).
pub async fn revoke_all(store: &Store, caller: &Caller) -> anyhow::Result<()> {
    Ok(store.remove_tokens_of(&caller.person.name).await?)
}

async fn issue(
    store: &Store,
    person: &str,
    label: &str,
    skey: &[u8],
    ttl: Duration,
) -> anyhow::Result<Issued> {
    let token = custody::new_token();
    let now = truce_node::sequencer::unix_ms();
    let expires_ms = now + i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX / 2);
    let new = NewToken {
        id: custody::token_id(&token),
        person: person.into(),
        label: label.into(),
        sealed_key: custody::seal_with_token(skey, &token),
        created_ms: now,
        expires_ms,
    };
    store.add_token(&new).await?;
    Ok(Issued { token, expires_ms })
}

/// The caller a token belongs to, if it is known and unexpired and the person's key is
/// not revoked: a `key.revoked` entry ends every token of its holder at once, since every
/// request asks here (the tokens stay in the table, dead).
pub async fn caller(store: &Store, token: &str) -> anyhow::Result<Option<Caller>> {
    let id = custody::token_id(token);
    let holder = store
        .token_holder(&id, truce_node::sequencer::unix_ms())
        .await?;
    Ok(holder.map(|holder| Caller {
        person: holder.person,
        token: token.to_string(),
        sealed_key: holder.sealed_key,
    }))
}

/// Ends the token's validity (logout).
pub async fn revoke(store: &Store, caller: &Caller) -> anyhow::Result<()> {
    let id = custody::token_id(&caller.token);
    Ok(store.remove_token(&id).await?)
}

impl Caller {
    /// The caller's signing key, opened with their token.
    pub fn signing_key(&self) -> anyhow::Result<KeyPair> {
        let skey = custody::open_with_token(&self.sealed_key, &self.token)
            .ok_or_else(|| anyhow::anyhow!("the key does not open with this token"))?;
        let skey = String::from_utf8(skey)?;
        KeyPair::from_skey(&skey).map_err(|e| anyhow::anyhow!("the sealed key: {e}"))
    }
}

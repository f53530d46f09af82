//! The login throttle: how many password checks anyone may have, so that a password cannot
//! be guessed at the rate the node checks passwords, a flood of logins cannot take the
//! node's CPU, and a guesser cannot lock the real person out.
//!
//! Every check of a password first takes a reservation ([`Logins::reserve`]), under one
//! lock: the name is validated, the name's wait and the node's rate are checked, and the
//! attempt is counted as a failure, all before the argon2 check runs. A success then
//! forgets the failures ([`Attempt::succeeded`]). So a concurrent burst of guesses is
//! counted as it arrives, not after its checks: it gets at most the free failures.
//!
//! - **Per name, per lane.** The first few failures on a name are free (people mistype);
//!   after them each attempt must wait twice as long as the last, up to a ceiling. Names
//!   count whether or not an account has them, so a wait tells nothing of who exists.
//! - **Two lanes.** A successful login also answers a *device token*: a MAC of the name
//!   under a key only this node process holds. An attempt that presents a valid device
//!   token for its name is *trusted* and counts in the name's trusted lane; every other
//!   attempt counts in its untrusted lane. A guesser without the token fills only the
//!   untrusted lane, so the person, from a device that has logged in before, still logs
//!   in while the guesser waits. A stolen token gets the same few free guesses before its
//!   lane waits too. What remains: a person logging in for the first time from a new
//!   device while someone guesses their name waits like the guesser (at most
//!   [`LONGEST_WAIT`]); their other devices and API tokens are not affected.
//! - **Per node.** Each lane takes a token from its own bucket of password checks per
//!   second (`limits.password_checks_per_s`, a second's worth of burst), so that argon2
//!   cannot take the node's CPU, and guesses sprayed over many names cannot crowd out
//!   the trusted lane. When a bucket is empty the attempt is refused (429) unchecked.
//! - **Bounded memory.** Names are 1 to 64 bytes ([`accounts::validate_name`]); a name
//!   that is not is refused before anything is remembered. At most [`NAMES_MAX`] names
//!   are kept; when full, names idle for [`FORGET_AFTER`] go, then the name with the
//!   fewest failures. Only checked attempts add names, so the table grows no faster than
//!   the node's rate: filling it with names of more failures than a target's, within
//!   [`FORGET_AFTER`], takes more checks than the rate allows.
//!
//! Kept in memory, per node process: a restart forgets the failures and makes every
//! device token untrusted (its key is drawn at start).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sha2::Sha256;

use crate::accounts;

/// Failures allowed on a lane before its attempts must wait.
const FREE_FAILURES: u32 = 5;
/// The wait after the first failure beyond the free ones; each further one doubles it.
const FIRST_WAIT: Duration = Duration::from_secs(1);
pub const LONGEST_WAIT: Duration = Duration::from_mins(15);
/// Names whose last failure is older than this may be forgotten when the table is full.
pub const FORGET_AFTER: Duration = Duration::from_hours(1);
/// The most names remembered.
pub const NAMES_MAX: usize = 10_000;
/// The longest name remembered (what [`accounts::validate_name`] allows).
pub const NAME_BYTES_MAX: usize = 64;
/// Bytes of a device token's nonce and of its MAC (truncated).
const DEVICE_NONCE_BYTES: usize = 16;
const DEVICE_MAC_BYTES: usize = 16;

#[derive(Debug)]
pub struct Logins {
    state: Mutex<State>,
    /// The key of this process's device tokens.
    device_key: [u8; 32],
}

#[derive(Debug)]
struct State {
    names: HashMap<Box<str>, Failures>,
    untrusted: Bucket,
    trusted: Bucket,
}

/// A name's failures in each lane.
#[derive(Debug, Clone, Copy, Default)]
struct Failures {
    untrusted: Lane,
    trusted: Lane,
}

#[derive(Debug, Clone, Copy, Default)]
struct Lane {
    count: u32,
    last: Option<Instant>,
}

/// Password checks left this second: a token bucket holding at most a second's worth.
#[derive(Debug)]
struct Bucket {
    per_second: u32,
    tokens: f64,
    filled: Instant,
}

/// Why an attempt is refused unchecked.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The name is not a possible account name: why.
    BadName(String),
    /// This name has failed too often on this lane: try again after this.
    Wait(Duration),
    /// The node checks no more passwords for now: try again after this.
    Busy(Duration),
}

/// A reserved password check, already counted as a failure until it succeeds.
#[derive(Debug)]
#[must_use = "a successful check must be reported"]
pub struct Attempt<'a> {
    logins: &'a Logins,
    name: String,
    trusted: bool,
}

/// What the throttle holds, for tests and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remembered {
    pub names: usize,
    pub name_bytes: usize,
}

impl Logins {
    /// A throttle checking at most `per_second` passwords a second in each lane.
    #[must_use]
    pub fn new(per_second: u32) -> Self {
        let mut device_key = [0u8; 32];
        OsRng.fill_bytes(&mut device_key);
        let now = Instant::now();
        let state = State {
            names: HashMap::new(),
            untrusted: Bucket::new(per_second, now),
            trusted: Bucket::new(per_second, now),
        };
        Self {
            state: Mutex::new(state),
            device_key,
        }
    }

    /// Reserves a check of a password for `name`, presented with `device` (the token an
    /// earlier login on this device answered), or says why not.
    pub fn reserve(&self, name: &str, device: Option<&str>) -> Result<Attempt<'_>, Refusal> {
        accounts::validate_name(name).map_err(Refusal::BadName)?;
        let trusted = device.is_some_and(|token| self.is_device_of(name, token));
        self.reserve_at(name, trusted, Instant::now())?;
        Ok(Attempt {
            logins: self,
            name: name.to_string(),
            trusted,
        })
    }

    fn reserve_at(&self, name: &str, trusted: bool, now: Instant) -> Result<(), Refusal> {
        let mut state = self.lock();
        let failures = state.names.get(name).copied().unwrap_or_default();
        let lane = failures.lane(trusted);
        if let Some(left) = lane.wait_left(now) {
            return Err(Refusal::Wait(left));
        }
        state.bucket(trusted).take(now).map_err(Refusal::Busy)?;
        state.make_room(name, now);
        let failures = state.names.entry(name.into()).or_default();
        let lane = failures.lane_mut(trusted);
        lane.count = lane.count.saturating_add(1);
        lane.last = Some(now);
        Ok(())
    }

    /// A new device token for `name`, answered with a successful login.
    #[must_use]
    pub fn device_token(&self, name: &str) -> String {
        let mut nonce = [0u8; DEVICE_NONCE_BYTES];
        OsRng.fill_bytes(&mut nonce);
        let mac = self.device_mac(name, &nonce).finalize().into_bytes();
        format!(
            "{}{}",
            hex::encode(nonce),
            hex::encode(&mac[..DEVICE_MAC_BYTES])
        )
    }

    /// Whether `token` is a device token this process answered for `name`.
    fn is_device_of(&self, name: &str, token: &str) -> bool {
        let Ok(bytes) = hex::decode(token) else {
            return false;
        };
        if bytes.len() != DEVICE_NONCE_BYTES + DEVICE_MAC_BYTES {
            return false;
        }
        let (nonce, mac) = bytes.split_at(DEVICE_NONCE_BYTES);
        self.device_mac(name, nonce)
            .verify_truncated_left(mac)
            .is_ok()
    }

    fn device_mac(&self, name: &str, nonce: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.device_key)
            .expect("HMAC takes a key of any length");
        mac.update(b"truce login device v1\0");
        mac.update(name.as_bytes());
        mac.update(b"\0");
        mac.update(nonce);
        mac
    }

    /// How many names, and how many bytes of names, the throttle holds.
    pub fn remembered(&self) -> Remembered {
        let state = self.lock();
        Remembered {
            names: state.names.len(),
            name_bytes: state.names.keys().map(|name| name.len()).sum(),
        }
    }

    fn succeeded(&self, name: &str, trusted: bool) {
        let mut state = self.lock();
        let Some(failures) = state.names.get_mut(name) else {
            return;
        };
        // Only this lane: the person's success must not give a guesser free attempts.
        *failures.lane_mut(trusted) = Lane::default();
        if failures.untrusted.count == 0 && failures.trusted.count == 0 {
            state.names.remove(name);
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .expect("no thread panics holding the login throttle")
    }
}

impl Attempt<'_> {
    /// The password was right: the failures of this name on this lane are forgotten.
    pub fn succeeded(self) {
        self.logins.succeeded(&self.name, self.trusted);
    }
}

impl State {
    fn bucket(&mut self, trusted: bool) -> &mut Bucket {
        if trusted {
            &mut self.trusted
        } else {
            &mut self.untrusted
        }
    }

    /// Makes room for `name` if the table is full and does not hold it: first by
    /// forgetting idle names, then the name with the fewest failures.
    fn make_room(&mut self, name: &str, now: Instant) {
        if self.names.len() < NAMES_MAX || self.names.contains_key(name) {
            return;
        }
        self.names.retain(|_, f| !f.idle(now));
        if self.names.len() < NAMES_MAX {
            return;
        }
        let fewest = self
            .names
            .iter()
            .min_by_key(|(_, f)| {
                (
                    f.untrusted.count.saturating_add(f.trusted.count),
                    f.latest(),
                )
            })
            .map(|(name, _)| name.clone());
        if let Some(fewest) = fewest {
            self.names.remove(&fewest);
        }
    }
}

impl Failures {
    fn lane(&self, trusted: bool) -> Lane {
        if trusted {
            self.trusted
        } else {
            self.untrusted
        }
    }

    fn lane_mut(&mut self, trusted: bool) -> &mut Lane {
        if trusted {
            &mut self.trusted
        } else {
            &mut self.untrusted
        }
    }

    fn latest(&self) -> Option<Instant> {
        self.untrusted.last.max(self.trusted.last)
    }

    fn idle(&self, now: Instant) -> bool {
        self.latest()
            .is_none_or(|last| now.saturating_duration_since(last) >= FORGET_AFTER)
    }
}

impl Lane {
    /// How long this lane must still wait before its next attempt, if at all.
    fn wait_left(&self, now: Instant) -> Option<Duration> {
        let wait = wait_after(self.count)?;
        let since = now.saturating_duration_since(self.last?);
        wait.checked_sub(since).filter(|left| !left.is_zero())
    }
}

impl Bucket {
    fn new(per_second: u32, now: Instant) -> Self {
        Self {
            per_second: per_second.max(1),
            tokens: f64::from(per_second.max(1)),
            filled: now,
        }
    }

    /// Takes one check, or says how long until one is free.
    fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let rate = f64::from(self.per_second);
        let since = now.saturating_duration_since(self.filled).as_secs_f64();
        self.tokens = (self.tokens + since * rate).min(rate);
        self.filled = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / rate))
        }
    }
}

/// The wait before the attempt that follows `count` failures, if any.
fn wait_after(count: u32) -> Option<Duration> {
    let beyond = count.checked_sub(FREE_FAILURES)?;
    let doubled = FIRST_WAIT.saturating_mul(1u32.checked_shl(beyond).unwrap_or(u32::MAX));
    Some(doubled.min(LONGEST_WAIT))
}

/// A wait in whole seconds, rounded up, for a message.
#[must_use]
pub fn seconds(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A throttle whose node rate never refuses (these tests are about names).
    fn unlimited() -> Logins {
        Logins::new(u32::MAX)
    }

    #[test]
    fn the_first_failures_are_free_then_each_wait_doubles_up_to_the_ceiling() {
        assert_eq!(wait_after(4), None);
        assert_eq!(wait_after(5), Some(Duration::from_secs(1)));
        assert_eq!(wait_after(6), Some(Duration::from_secs(2)));
        assert_eq!(wait_after(12), Some(Duration::from_secs(128)));
        assert_eq!(wait_after(40), Some(LONGEST_WAIT));
    }

    #[test]
    fn a_burst_of_attempts_on_one_name_gets_only_the_free_checks() {
        let logins = unlimited();
        let now = Instant::now();
        let passed = (0..100)
            .filter(|_| logins.reserve_at("pk-liaison-1", false, now).is_ok())
            .count();
        assert_eq!(passed, FREE_FAILURES as usize);
        assert_eq!(
            logins.reserve_at("pk-liaison-1", false, now + Duration::from_millis(400)),
            Err(Refusal::Wait(Duration::from_millis(600)))
        );
        assert!(
            logins.reserve_at("af-liaison-1", false, now).is_ok(),
            "other names are not slowed"
        );
        let later = now + FIRST_WAIT;
        assert!(logins.reserve_at("pk-liaison-1", false, later).is_ok());
        assert!(matches!(
            logins.reserve_at("pk-liaison-1", false, later),
            Err(Refusal::Wait(_))
        ));
    }

    #[test]
    fn the_holder_of_a_device_token_logs_in_while_a_guesser_waits() {
        let logins = unlimited();
        let device = logins.device_token("pk-liaison-1");
        for _ in 0..FREE_FAILURES {
            let _ = logins.reserve("pk-liaison-1", None).unwrap();
        }
        assert!(matches!(
            logins.reserve("pk-liaison-1", None),
            Err(Refusal::Wait(_))
        ));
        let other_device = logins.device_token("af-liaison-1");
        for token in ["", "zz", &other_device, &"0".repeat(64)] {
            assert!(
                matches!(
                    logins.reserve("pk-liaison-1", Some(token)),
                    Err(Refusal::Wait(_))
                ),
                "{token:?} is not pk-liaison-1's device"
            );
        }
        logins
            .reserve("pk-liaison-1", Some(&device))
            .unwrap()
            .succeeded();
        assert!(
            matches!(logins.reserve("pk-liaison-1", None), Err(Refusal::Wait(_))),
            "the person's success gives the guesser nothing"
        );
    }

    #[test]
    fn a_success_forgets_its_lane() {
        let logins = unlimited();
        for _ in 0..FREE_FAILURES - 1 {
            let _ = logins.reserve("pk-liaison-1", None).unwrap();
        }
        logins.reserve("pk-liaison-1", None).unwrap().succeeded();
        assert_eq!(logins.remembered().names, 0);
    }

    #[test]
    fn the_node_checks_at_most_its_rate_in_each_lane() {
        let logins = Logins::new(3);
        let now = Instant::now();
        let names: Vec<String> = (0..10).map(|i| format!("name-{i}")).collect();
        let passed = |at: Instant| {
            names
                .iter()
                .filter(|name| logins.reserve_at(name, false, at).is_ok())
                .count()
        };
        assert_eq!(passed(now), 3);
        assert!(matches!(
            logins.reserve_at("name-x", false, now),
            Err(Refusal::Busy(_))
        ));
        assert!(
            logins.reserve_at("name-x", true, now).is_ok(),
            "the trusted lane has its own checks"
        );
        assert_eq!(passed(now + Duration::from_secs(1)), 3);
        assert_eq!(
            passed(now + Duration::from_mins(1)),
            3,
            "a second's worth at most"
        );
    }

    #[test]
    fn names_are_validated_before_anything_is_remembered() {
        let logins = unlimited();
        for name in ["", "A", &"a".repeat(65), &"x".repeat(500_000), "a b", "é"] {
            assert!(matches!(
                logins.reserve(name, None),
                Err(Refusal::BadName(_))
            ));
        }
        assert_eq!(
            logins.remembered(),
            Remembered {
                names: 0,
                name_bytes: 0
            }
        );
    }

    #[test]
    fn a_flood_of_names_leaves_the_throttle_at_its_bound_and_keeps_the_targeted_name() {
        let logins = unlimited();
        let now = Instant::now();
        for _ in 0..FREE_FAILURES {
            logins.reserve_at("pk-liaison-1", false, now).unwrap();
        }
        for i in 0..NAMES_MAX + 100 {
            let name = format!("{i:0>64}");
            logins.reserve_at(&name, false, now).unwrap();
        }
        let held = logins.remembered();
        assert_eq!(held.names, NAMES_MAX);
        assert!(held.name_bytes <= NAMES_MAX * NAME_BYTES_MAX, "{held:?}");
        assert!(matches!(
            logins.reserve_at("pk-liaison-1", false, now),
            Err(Refusal::Wait(_))
        ));
        let idle = now + FORGET_AFTER;
        logins.reserve_at("af-liaison-1", false, idle).unwrap();
        assert_eq!(
            logins.remembered().names,
            1,
            "idle names are forgotten when full"
        );
    }
}

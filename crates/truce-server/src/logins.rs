//! Failed logins per account name, so that a password cannot be guessed at the rate the
//! node checks passwords. The first few failures are free (people mistype); after them
//! each attempt on that name must wait twice as long as the last, up to a ceiling, and a
//! success forgets the failures. Waits rather than a lockout: a lockout would let anyone
//! lock a commissioner out by failing on purpose, while a wait only slows the guesser.
//!
//! Kept in memory (a restart forgets them, which costs a guesser a restart of the node per
//! few attempts), per name whether or not the account exists, so the answer tells nothing
//! about which names are accounts.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed before attempts must wait.
const FREE_FAILURES: u32 = 5;
/// The wait after the first failure beyond the free ones; each further one doubles it.
const FIRST_WAIT: Duration = Duration::from_secs(1);
const LONGEST_WAIT: Duration = Duration::from_mins(15);
/// Names whose last failure is older than this are forgotten when the table is pruned.
const FORGET_AFTER: Duration = Duration::from_hours(1);
/// The table is pruned when it holds this many names, so spraying names cannot fill memory.
const PRUNE_AT: usize = 10_000;

#[derive(Debug, Default)]
pub struct Logins {
    failures: Mutex<HashMap<String, Failures>>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Logins {
    /// `Err(wait)` when `name` has failed too often to try again before `wait` has passed.
    pub fn check(&self, name: &str) -> Result<(), Duration> {
        let failures = self.lock();
        let Some(f) = failures.get(name) else {
            return Ok(());
        };
        let left = wait_after(f.count).and_then(|wait| wait.checked_sub(f.last.elapsed()));
        match left {
            Some(left) if !left.is_zero() => Err(left),
            _ => Ok(()),
        }
    }

    pub fn failed(&self, name: &str) {
        let mut failures = self.lock();
        if failures.len() >= PRUNE_AT {
            failures.retain(|_, f| f.last.elapsed() < FORGET_AFTER);
        }
        let entry = failures.entry(name.to_string()).or_insert(Failures {
            count: 0,
            last: Instant::now(),
        });
        entry.count = entry.count.saturating_add(1);
        entry.last = Instant::now();
    }

    pub fn succeeded(&self, name: &str) {
        self.lock().remove(name);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        self.failures
            .lock()
            .expect("no thread panics holding the failures")
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

    #[test]
    fn the_first_failures_are_free_then_each_wait_doubles_up_to_the_ceiling() {
        assert_eq!(wait_after(4), None);
        assert_eq!(wait_after(5), Some(Duration::from_secs(1)));
        assert_eq!(wait_after(6), Some(Duration::from_secs(2)));
        assert_eq!(wait_after(12), Some(Duration::from_secs(128)));
        assert_eq!(wait_after(40), Some(LONGEST_WAIT));
    }

    #[test]
    fn a_name_failing_too_often_waits_and_a_success_forgets_it() {
        let logins = Logins::default();
        for _ in 0..FREE_FAILURES {
            assert!(logins.check("pk-liaison-1").is_ok());
            logins.failed("pk-liaison-1");
        }
        let wait = logins.check("pk-liaison-1").unwrap_err();
        assert!(wait <= FIRST_WAIT && wait > Duration::ZERO, "{wait:?}");
        assert!(
            logins.check("af-liaison-1").is_ok(),
            "other names are not slowed"
        );
        logins.succeeded("pk-liaison-1");
        assert!(logins.check("pk-liaison-1").is_ok());
    }
}

//! Proof of work for the public report form: a fairer defence than the caps alone, which
//! one person could fill to close the form for everyone (issue 17, finding 8).
//!
//! The node knows no one to block and keeps nothing identifying, so it makes each report
//! cost the sender some work instead, hashcash-style: the form carries a challenge, and
//! the sender finds a nonce such that SHA-256(`challenge:nonce`) starts with `bits` zero
//! bits. The work rises with the queue: none while fewer than a quarter of
//! `public_reports_pending_max` wait (so a browser without JavaScript files as before),
//! then from [`BITS_FIRST`] to [`BITS_LAST`] as the queue fills. `static/offline.js`
//! does the work in the browser when it is asked for.
//!
//! A challenge is `time.bits.random.mac`, MAC-ed under a key only this process holds (drawn
//! at start), so its bits cannot be lowered; good for [`VALID_MS`], and each challenge
//! that asked for work is taken once ([`SPENT_MAX`] remembered, until they expire).
//!
//! Trade-offs, written down: native code hashes far faster than a browser, so this slows
//! a determined flooder by a factor, it does not stop one; the caps stay the backstop.
//! A challenge from one process is refused by another (PostgreSQL deployments with
//! several API processes) and after a restart: the sender is shown the form again, with
//! the draft and a new challenge.

use std::collections::HashMap;
use std::sync::Mutex;

use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use crate::problem::Problem;

/// Leading zero bits asked for at a quarter of the pending cap, and at the cap: at 18 a
/// browser's `crypto.subtle` needs some seconds (2^18 hashes on average).
pub const BITS_FIRST: u32 = 12;
pub const BITS_LAST: u32 = 18;
/// How long a challenge may be used after it was issued.
pub const VALID_MS: i64 = 15 * 60 * 1_000;
/// The most spent challenges remembered; when full of unexpired ones, work is refused
/// until some expire.
pub const SPENT_MAX: usize = 10_000;
const NONCE_DIGITS_MAX: usize = 20;

/// The bits of work a report costs while `pending` reports wait under a cap of `max`.
#[must_use]
pub fn bits(pending: u64, max: u64) -> u32 {
    if max == 0 || pending.saturating_mul(4) < max {
        return 0;
    }
    let span = u64::from(BITS_LAST - BITS_FIRST);
    // A quarter full asks BITS_FIRST; full (or over) asks BITS_LAST.
    let over = (pending.min(max).saturating_mul(4) - max).saturating_mul(span) / (3 * max);
    BITS_FIRST + u32::try_from(over).unwrap_or(0)
}

/// The challenges this process issues and the ones already spent.
pub struct Work {
    key: [u8; 32],
    spent: Mutex<HashMap<[u8; 16], i64>>,
}

impl Default for Work {
    fn default() -> Self {
        let mut key = [0u8; 32];
        OsRng.fill_bytes(&mut key);
        Self {
            key,
            spent: Mutex::default(),
        }
    }
}

impl Work {
    /// A new challenge asking for `bits` of work, issued at `now_ms`.
    #[must_use]
    pub fn challenge(&self, bits: u32, now_ms: i64) -> String {
        let mut random = [0u8; 16];
        OsRng.fill_bytes(&mut random);
        let body = format!("{now_ms}.{bits}.{}", hex::encode(random));
        let mac = hex::encode(self.mac(&body).finalize().into_bytes());
        format!("{body}.{mac}")
    }

    /// Checks the work sent with a report (`challenge` and `nonce` as the form sent them),
    /// when `demanded` bits are asked for now: none asked, none checked (a draft kept
    /// offline for days still files). Spends the challenge.
    pub fn check(
        &self,
        challenge: &str,
        nonce: &str,
        demanded: u32,
        now_ms: i64,
    ) -> Result<(), Problem> {
        if demanded == 0 {
            return Ok(());
        }
        let wrong = |bits: u32| {
            refuse(format!(
                "the form's proof of work is missing or wrong: a nonce of up to {NONCE_DIGITS_MAX} digits whose SHA-256 with the challenge starts with {bits} zero bits (the form's script finds it)"
            ))
        };
        let digits_ok = !nonce.is_empty()
            && nonce.len() <= NONCE_DIGITS_MAX
            && nonce.bytes().all(|b| b.is_ascii_digit());
        if !digits_ok {
            return Err(wrong(demanded));
        }
        let (issued, bits, random) = self.verify(challenge, now_ms)?;
        if zero_bits(challenge, nonce) < bits {
            return Err(wrong(bits));
        }
        self.spend(random, issued + VALID_MS, now_ms)
    }

    /// The challenge's time, bits and random part, if this process issued it and it is
    /// still good.
    fn verify(&self, challenge: &str, now_ms: i64) -> Result<(i64, u32, [u8; 16]), Problem> {
        let stale = || {
            refuse(
                "the form is too old or from another server; please send it again from this page",
            )
        };
        let (body, mac) = challenge.rsplit_once('.').ok_or_else(stale)?;
        let mac = hex::decode(mac).map_err(|_| stale())?;
        self.mac(body).verify_slice(&mac).map_err(|_| stale())?;
        let mut parts = body.split('.');
        let issued: i64 = parts
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or_else(stale)?;
        let bits: u32 = parts
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or_else(stale)?;
        let random = parts.next().and_then(|p| hex::decode(p).ok());
        let random: [u8; 16] = random.and_then(|r| r.try_into().ok()).ok_or_else(stale)?;
        if now_ms > issued + VALID_MS || issued > now_ms {
            return Err(stale());
        }
        Ok((issued, bits, random))
    }

    fn spend(&self, random: [u8; 16], expires_ms: i64, now_ms: i64) -> Result<(), Problem> {
        let mut spent = self
            .spent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if spent.len() >= SPENT_MAX {
            spent.retain(|_, expires| *expires >= now_ms);
        }
        if spent.len() >= SPENT_MAX {
            return Err(Problem::unavailable(
                "too many reports are arriving; please try again in a few minutes",
            ));
        }
        if spent.insert(random, expires_ms).is_some() {
            return Err(refuse(
                "this form was sent already; please send it again from this page",
            ));
        }
        Ok(())
    }

    fn mac(&self, body: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key size");
        mac.update(body.as_bytes());
        mac
    }
}

/// The leading zero bits of SHA-256(`challenge:nonce`).
#[must_use]
pub fn zero_bits(challenge: &str, nonce: &str) -> u32 {
    let digest = Sha256::digest(format!("{challenge}:{nonce}").as_bytes());
    let mut bits = 0;
    for byte in digest {
        bits += byte.leading_zeros();
        if byte != 0 {
            break;
        }
    }
    bits
}

fn refuse(reason: impl std::fmt::Display) -> Problem {
    Problem::bad_request("work", format!("work: {reason}"))
}

//! Sealed testimony: what a witness said and consented to, on the record; who they are,
//! sealed. The log holds a testimony's pseudonym, the part of its statement that may be
//! shown, the witness's consent and the SHA-256 of the sealed part, never the sealed part
//! or its key. The key is split among custodians of several delegations under the
//! agreement's [`TestimonyPolicy`], so that no single delegation can open it; unsealing
//! is asked for and approved on the record, and a testimony can be destroyed.

use std::collections::BTreeMap;

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use serde::{Deserialize, Serialize};

use super::values::text;
use crate::envelope::is_sha256_hex;
use crate::names::{DelegationId, KeyName};
use crate::rejection::FieldError;

/// The most custodians one testimony's key is split among (the threshold scheme's
/// field, GF(256), has 255 share numbers).
pub const CUSTODIANS_MAX: usize = 64;
/// The longest an unsealing request may stay open, in hours (thirty days).
pub const REQUEST_HOURS_MAX: u32 = 30 * 24;

/// Who must approve before a sealed testimony may be opened: `threshold` custodians in
/// all, and at least `at_least[d]` of them from delegation `d`. The agreement states it;
/// no single delegation may be able to meet it alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestimonyPolicy {
    pub threshold: u32,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub at_least: BTreeMap<DelegationId, u32>,
    /// How long a request to unseal stays open for approvals before it lapses.
    pub request_hours: u32,
}

impl TestimonyPolicy {
    /// Checks the policy's own shape; `at` names it ("testimony" in the agreement).
    pub fn validate(&self, at: &str) -> Result<(), FieldError> {
        if self.threshold < 2 {
            return Err(FieldError::new(
                format!("{at}.threshold"),
                "must be at least 2: one custodian alone must never open a testimony",
            ));
        }
        if self.threshold as usize > CUSTODIANS_MAX {
            return Err(FieldError::new(
                format!("{at}.threshold"),
                format!("must be at most {CUSTODIANS_MAX}"),
            ));
        }
        for (delegation, min) in &self.at_least {
            if *min == 0 || *min > self.threshold {
                return Err(FieldError::new(
                    format!("{at}.at_least.{delegation}"),
                    format!("must be 1 to the threshold {}", self.threshold),
                ));
            }
        }
        if self.request_hours == 0 || self.request_hours > REQUEST_HOURS_MAX {
            return Err(FieldError::new(
                format!("{at}.request_hours"),
                format!("must be 1 to {REQUEST_HOURS_MAX}"),
            ));
        }
        Ok(())
    }

    /// Whether approvals by custodians of these delegations (one item per approval)
    /// meet the policy.
    #[must_use]
    pub fn is_met<'a>(&self, approvers: impl IntoIterator<Item = &'a DelegationId>) -> bool {
        let mut counts: BTreeMap<&DelegationId, u32> = BTreeMap::new();
        let mut total = 0u32;
        for delegation in approvers {
            *counts.entry(delegation).or_default() += 1;
            total += 1;
        }
        total >= self.threshold
            && self
                .at_least
                .iter()
                .all(|(d, min)| counts.get(d).copied().unwrap_or(0) >= *min)
    }

    /// The delegation whose own custodians alone could meet the policy, given how many
    /// custodians each delegation has, if there is one.
    #[must_use]
    pub fn met_by_one<'a>(
        &self,
        custodians: impl IntoIterator<Item = &'a DelegationId>,
    ) -> Option<DelegationId> {
        let mut counts: BTreeMap<&DelegationId, u32> = BTreeMap::new();
        for delegation in custodians {
            *counts.entry(delegation).or_default() += 1;
        }
        counts
            .into_iter()
            .find(|(delegation, count)| {
                let own = std::iter::repeat_n(*delegation, *count as usize);
                self.is_met(own)
            })
            .map(|(delegation, _)| delegation.clone())
    }
}

/// What the witness agreed may be done with what they said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    /// Their words may be quoted (without their identity).
    Quote,
    /// The testimony may be shared with the parties' delegations.
    ShareWithParties,
    /// A redacted statement may be published.
    PublishRedacted,
    /// None of these: the testimony informs the monitors only.
    Never,
}

impl Consent {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Quote => "quote",
            Self::ShareWithParties => "share_with_parties",
            Self::PublishRedacted => "publish_redacted",
            Self::Never => "never",
        }
    }
}

/// `custodian.registered`: a delegation's root names one of its officers a custodian of
/// sealed testimony, with the X25519 public key shares are encrypted to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustodianRegistered {
    /// The custodian's encryption key: 32 bytes of X25519 public key, base64.
    pub encryption_key: String,
    /// The officer's signing key, registered by the same root.
    pub key: KeyName,
}

/// A file held off the log, named by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedFile {
    pub bytes: u64,
    pub sha256: String,
}

/// One custodian's share of a testimony's key, encrypted to their key and held off the
/// log under `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Share {
    pub custodian: KeyName,
    /// The custodian's delegation, as the share was split for it (checked against their
    /// registration: a share split for another delegation would weaken the policy).
    pub delegation: DelegationId,
    /// The encryption key it was sealed to, as the custodian registered it.
    pub encryption_key: String,
    pub sha256: String,
}

/// `testimony.recorded`: a testimony taken, its sealed part held off the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestimonyRecorded {
    pub consent: Vec<Consent>,
    /// The incident it concerns, by log index.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<u64>,
    /// The policy it was sealed under: the agreement's.
    pub policy: TestimonyPolicy,
    /// How the record refers to the witness ("Witness K-7").
    pub pseudonym: String,
    /// The sealed part: identity, contact, the full statement, files.
    pub sealed: SealedFile,
    pub shares: Vec<Share>,
    /// The part of the statement that may be shown, if the witness consented to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
}

/// `testimony.unseal_requested`: who asks to open a testimony, why, and for which finding;
/// shares are released to `recipient`, a key the requester made for this request alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnsealRequested {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<u64>,
    pub reason: String,
    /// The requester's X25519 public key for this request, base64.
    pub recipient: String,
    pub testimony: u64,
}

/// `testimony.unseal_approved`: a custodian released their share to the requester,
/// re-encrypted to the request's recipient key and held off the log under `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnsealApproved {
    pub request: u64,
    pub sha256: String,
}

/// Why a testimony was destroyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DestroyReason {
    ConsentWithdrawn,
    Danger,
    Other,
}

impl DestroyReason {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConsentWithdrawn => "consent_withdrawn",
            Self::Danger => "danger",
            Self::Other => "other",
        }
    }
}

/// `testimony.destroyed`: the sealed part and every share are deleted wherever the node
/// holds them; the hash stays on the log as proof that the testimony existed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestimonyDestroyed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub reason: DestroyReason,
    pub testimony: u64,
}

/// Decodes a base64 X25519 public key, naming `at` if it is not 32 bytes.
pub fn encryption_key(value: &str, at: &str) -> Result<[u8; 32], FieldError> {
    BASE64
        .decode(value)
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .ok_or_else(|| FieldError::new(at, "must be a 32-byte X25519 public key in base64"))
}

fn sha256(value: &str, at: &str) -> Result<(), FieldError> {
    if is_sha256_hex(value) {
        Ok(())
    } else {
        Err(FieldError::new(
            at,
            "must be a SHA-256: 64 lowercase hex digits",
        ))
    }
}

impl CustodianRegistered {
    pub fn validate(&self) -> Result<(), FieldError> {
        encryption_key(&self.encryption_key, "encryption_key").map(|_| ())
    }
}

impl TestimonyRecorded {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.pseudonym, "pseudonym", 1, 100)?;
        self.validate_consent()?;
        sha256(&self.sealed.sha256, "sealed.sha256")?;
        if self.sealed.bytes == 0 {
            return Err(FieldError::new("sealed.bytes", "must be more than 0"));
        }
        self.policy.validate("policy")?;
        if self.shares.is_empty() || self.shares.len() > CUSTODIANS_MAX {
            return Err(FieldError::new(
                "shares",
                format!("must name 1 to {CUSTODIANS_MAX} custodians"),
            ));
        }
        for (i, share) in self.shares.iter().enumerate() {
            encryption_key(
                &share.encryption_key,
                &format!("shares[{i}].encryption_key"),
            )?;
            sha256(&share.sha256, &format!("shares[{i}].sha256"))?;
            if self.shares[..i]
                .iter()
                .any(|s| s.custodian == share.custodian)
            {
                return Err(FieldError::new(
                    format!("shares[{i}].custodian"),
                    format!("{} holds a share already", share.custodian),
                ));
            }
        }
        Ok(())
    }

    fn validate_consent(&self) -> Result<(), FieldError> {
        let consent = &self.consent;
        if consent.is_empty() {
            return Err(FieldError::new(
                "consent",
                "say what the witness agreed to (quote, share_with_parties, publish_redacted) or never",
            ));
        }
        if consent.contains(&Consent::Never) && consent.len() > 1 {
            return Err(FieldError::new("consent", "never stands alone"));
        }
        let mut sorted = consent.clone();
        sorted.dedup();
        if sorted.len() != consent.len() {
            return Err(FieldError::new("consent", "names a consent twice"));
        }
        match &self.statement {
            Some(_) if !consent.contains(&Consent::PublishRedacted) => Err(FieldError::new(
                "statement",
                "the witness did not consent to a redacted statement being published; keep it in the sealed part",
            )),
            Some(statement) => text(statement, "statement", 1, 5000),
            None => Ok(()),
        }
    }
}

impl UnsealRequested {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.reason, "reason", 10, 2000)?;
        encryption_key(&self.recipient, "recipient").map(|_| ())
    }
}

impl UnsealApproved {
    pub fn validate(&self) -> Result<(), FieldError> {
        sha256(&self.sha256, "sha256")
    }
}

impl TestimonyDestroyed {
    pub fn validate(&self) -> Result<(), FieldError> {
        self.note
            .as_ref()
            .map_or(Ok(()), |n| text(n, "note", 1, 2000))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(id: &str) -> DelegationId {
        DelegationId::parse(id).unwrap()
    }

    fn policy(threshold: u32, at_least: &[(&str, u32)]) -> TestimonyPolicy {
        TestimonyPolicy {
            threshold,
            at_least: at_least.iter().map(|(k, v)| (d(k), *v)).collect(),
            request_hours: 72,
        }
    }

    #[test]
    fn three_of_five_across_delegations() {
        let p = policy(3, &[]);
        let (jmt, tr, qa) = (d("jmt"), d("tr"), d("qa"));
        assert!(!p.is_met([&jmt, &tr]));
        assert!(p.is_met([&jmt, &tr, &qa]));
        assert_eq!(p.met_by_one([&jmt, &jmt, &tr, &tr, &qa]), None);
        assert_eq!(p.met_by_one([&jmt, &jmt, &jmt, &tr, &qa]), Some(jmt));
    }

    #[test]
    fn two_of_the_monitors_and_one_of_each_mediator() {
        let p = policy(4, &[("jmt", 2), ("tr", 1), ("qa", 1)]);
        let (jmt, tr, qa) = (d("jmt"), d("tr"), d("qa"));
        assert!(!p.is_met([&jmt, &jmt, &jmt, &tr]));
        assert!(p.is_met([&jmt, &jmt, &tr, &qa]));
        let many = vec![&jmt; 10];
        assert_eq!(p.met_by_one(many), None);
    }

    #[test]
    fn one_custodian_alone_is_refused() {
        let err = policy(1, &[]).validate("testimony").unwrap_err();
        assert_eq!(err.field, "testimony.threshold");
    }
}

//! The data key split by the policy's rules, and recovered from enough custodians' parts.
//!
//! Rule 0 is "`threshold` of all custodians"; rule `1 + i` is the `i`-th of the policy's
//! per-delegation minimums, in the policy's order. With one rule its part is the key; with
//! more, the key is split all-of-n into one part per rule.

use std::collections::BTreeMap;

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use truce_core::mechanism::TestimonyPolicy;
use truce_core::names::DelegationId;
use vsss_rs::Gf256;
use zeroize::{Zeroize, Zeroizing};

use crate::{Custodian, SealError};

/// What one custodian holds of one testimony's key, sealed to them: one part per rule
/// they fall under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    /// The SHA-256 of the sealed part it opens.
    pub sealed: String,
    pub custodian: String,
    pub delegation: DelegationId,
    pub parts: Vec<Part>,
}

/// A custodian's share of one rule's part (or, for a rule of one approval, the part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub rule: u8,
    /// The part itself rather than a share of it.
    pub whole: bool,
    /// Base64.
    pub share: String,
}

impl Drop for Part {
    fn drop(&mut self) {
        self.share.zeroize();
    }
}

/// One rule of a policy: how many approvals, from whom (`None`: anyone).
struct Rule<'a> {
    from: Option<&'a DelegationId>,
    needed: u32,
}

fn rules(policy: &TestimonyPolicy) -> Vec<Rule<'_>> {
    std::iter::once(Rule {
        from: None,
        needed: policy.threshold,
    })
    .chain(policy.at_least.iter().map(|(d, n)| Rule {
        from: Some(d),
        needed: *n,
    }))
    .collect()
}

impl Rule<'_> {
    fn covers(&self, delegation: &DelegationId) -> bool {
        self.from.is_none_or(|d| d == delegation)
    }

    fn describe(&self) -> String {
        match self.from {
            None => format!("{} approvals in all", self.needed),
            Some(d) => format!("{} of {d}", self.needed),
        }
    }
}

/// Each custodian's parts, in the order of `custodians`.
pub(crate) fn split<R: RngCore + CryptoRng>(
    key: &[u8; 32],
    custodians: &[Custodian],
    policy: &TestimonyPolicy,
    rng: &mut R,
) -> Result<Vec<Vec<Part>>, SealError> {
    if let Some(alone) = policy.met_by_one(custodians.iter().map(|c| &c.delegation)) {
        return Err(SealError::Policy(format!(
            "{alone}'s custodians alone could meet the policy"
        )));
    }
    let rules = rules(policy);
    let secrets: Vec<Zeroizing<Vec<u8>>> = if rules.len() == 1 {
        vec![Zeroizing::new(key.to_vec())]
    } else {
        let n = rules.len();
        Gf256::split_array(n, n, key, &mut *rng)
            .map_err(|e| SealError::Split(format!("{e:?}")))?
            .into_iter()
            .map(Zeroizing::new)
            .collect()
    };
    let mut parts: Vec<Vec<Part>> = vec![vec![]; custodians.len()];
    for (i, (rule, secret)) in rules.iter().zip(&secrets).enumerate() {
        let rule_no = u8::try_from(i).expect("a policy has few rules");
        let members: Vec<usize> = (0..custodians.len())
            .filter(|&c| rule.covers(&custodians[c].delegation))
            .collect();
        if (members.len() as u64) < u64::from(rule.needed) {
            return Err(SealError::Policy(format!(
                "{} custodians cannot meet {}",
                members.len(),
                rule.describe()
            )));
        }
        let shares: Vec<Zeroizing<Vec<u8>>> = if rule.needed == 1 {
            members.iter().map(|_| secret.clone()).collect()
        } else {
            Gf256::split_array(
                rule.needed as usize,
                members.len(),
                secret.as_slice(),
                &mut *rng,
            )
            .map_err(|e| SealError::Split(format!("{e:?}")))?
            .into_iter()
            .map(Zeroizing::new)
            .collect()
        };
        for (member, share) in members.iter().zip(shares) {
            parts[*member].push(Part {
                rule: rule_no,
                whole: rule.needed == 1,
                share: BASE64.encode(share.as_slice()),
            });
        }
    }
    Ok(parts)
}

/// The key from the parts of distinct custodians, if they meet `policy`.
pub(crate) fn recover(
    bundles: &[Bundle],
    policy: &TestimonyPolicy,
) -> Result<Zeroizing<[u8; 32]>, SealError> {
    let mut distinct: BTreeMap<&str, &Bundle> = BTreeMap::new();
    for bundle in bundles {
        distinct.insert(&bundle.custodian, bundle);
    }
    if !policy.is_met(distinct.values().map(|b| &b.delegation)) {
        let rules: Vec<String> = rules(policy).iter().map(Rule::describe).collect();
        return Err(SealError::NotEnough(format!(
            "{} custodians approved; the policy needs {}",
            distinct.len(),
            rules.join(", ")
        )));
    }
    let rules = rules(policy);
    let mut secrets = vec![];
    for (i, rule) in rules.iter().enumerate() {
        let parts: Vec<&Part> = distinct
            .values()
            .filter(|b| rule.covers(&b.delegation))
            .filter_map(|b| b.parts.iter().find(|p| usize::from(p.rule) == i))
            .collect();
        secrets.push(combine(&parts, rule)?);
    }
    let key = if secrets.len() == 1 {
        secrets.pop().expect("one secret")
    } else {
        let all: Vec<Vec<u8>> = secrets.iter().map(|s| s.to_vec()).collect();
        let combined = Gf256::combine_array(&all).map_err(|e| SealError::Split(format!("{e:?}")));
        for mut s in all {
            s.zeroize();
        }
        Zeroizing::new(combined?)
    };
    let key: [u8; 32] = key
        .as_slice()
        .try_into()
        .map_err(|_| SealError::Undecryptable)?;
    Ok(Zeroizing::new(key))
}

fn combine(parts: &[&Part], rule: &Rule<'_>) -> Result<Zeroizing<Vec<u8>>, SealError> {
    let decoded: Vec<Zeroizing<Vec<u8>>> = parts
        .iter()
        .map(|p| BASE64.decode(&p.share).map(Zeroizing::new))
        .collect::<Result<_, _>>()
        .map_err(|_| SealError::Undecryptable)?;
    // A rule of one approval hands out the part itself; for any other, a part claiming to
    // be whole is ignored, so one custodian cannot override the others' shares.
    let whole = parts.iter().zip(&decoded).find(|(p, _)| p.whole);
    if let (1, Some(whole)) = (rule.needed, whole) {
        return Ok(whole.1.clone());
    }
    if (decoded.len() as u64) < u64::from(rule.needed) {
        return Err(SealError::NotEnough(format!(
            "{} shares for {}",
            decoded.len(),
            rule.describe()
        )));
    }
    let shares: Vec<Vec<u8>> = decoded.iter().map(|s| s.to_vec()).collect();
    let combined = Gf256::combine_array(&shares).map_err(|e| SealError::Split(format!("{e:?}")));
    for mut s in shares {
        s.zeroize();
    }
    combined.map(Zeroizing::new)
}

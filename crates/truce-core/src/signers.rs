//! Which roles may sign which kinds of entry: the one table the admission rules, the desk
//! and the API ask, so that no caller re-encodes who may do what.
//!
//! Some kinds carry further conditions the state checks (a finding's signer must belong to
//! an eligible delegation; only a delegation's own root registers its keys; imports need a
//! role the agreement names); the table says only which roles may try at all.

use crate::keys::{KeyRecord, Role};
use crate::kinds;
use crate::rejection::{Rejection, RejectionCode, reject};

use Role::{Commissioner, Device, Liaison, Monitor, Root};

/// For each kind whose signers are fixed by role: the roles that may sign it, and what
/// signing it means, for refusals ("a liaison key cannot open incidents").
const SIGNERS: &[(&str, &[Role], &str)] = &[
    (kinds::KEY_REGISTERED, &[Root], "register keys"),
    (
        kinds::REPORT_SUBMITTED,
        &[Liaison, Monitor, Device],
        "file reports",
    ),
    (kinds::INCIDENT_OPENED, &[Monitor], "open incidents"),
    (
        kinds::REPORT_LINKED,
        &[Monitor],
        "link reports to incidents",
    ),
    (kinds::STATEMENT_FILED, &[Liaison], "file statements"),
    (
        kinds::INVESTIGATION_OPENED,
        &[Monitor],
        "open investigations",
    ),
    (
        kinds::INVESTIGATION_STEP,
        &[Monitor],
        "record investigation steps",
    ),
    (kinds::FINDING_PROPOSED, &[Monitor], "propose findings"),
    (
        kinds::FINDING_SIGNED,
        &[Commissioner, Monitor],
        "sign findings",
    ),
    (
        kinds::FINDING_FINALIZED,
        &[Commissioner, Monitor],
        "declare findings final",
    ),
    (
        kinds::MEASURE_UPDATED,
        &[Commissioner],
        "record measures' progress",
    ),
    (kinds::TALKS_ROUND, &[Commissioner], "record talks"),
    (
        kinds::COMMITMENT_MADE,
        &[Commissioner],
        "record commitments",
    ),
    (
        kinds::COMMITMENT_UPDATED,
        &[Commissioner],
        "record commitments",
    ),
    (
        kinds::EVIDENCE_PUBLISHED,
        &[Commissioner],
        "publish evidence",
    ),
    (kinds::ACTOR_REGISTERED, &[Monitor], "register actors"),
    (kinds::ACTOR_UPDATED, &[Monitor], "update actors"),
    (kinds::DESIGNATION_FILED, &[Liaison], "file designations"),
    (
        kinds::CROSSING_STATUS,
        &[Monitor, Commissioner, Liaison],
        "record crossings",
    ),
    (
        kinds::CROSSING_FLOW,
        &[Monitor, Commissioner, Liaison],
        "record crossings",
    ),
    (
        kinds::REPORT_PUBLISHED,
        &[Commissioner, Monitor],
        "publish situation reports",
    ),
    (kinds::SENSOR_REGISTERED, &[Monitor], "register sensors"),
    (
        kinds::SENSOR_STATUS,
        &[Monitor, Device],
        "record sensors' status",
    ),
    // A party's liaison records its own counts, which stand beside the mechanism's.
    (
        kinds::OBSERVATION_RECORDED,
        &[Monitor, Device, Liaison],
        "record observations",
    ),
    // A liaison may report the other party's restrictions, never its own (the state checks).
    (
        kinds::RESTRICTION_RECORDED,
        &[Monitor, Device, Liaison],
        "record restrictions on the monitors",
    ),
    (
        kinds::LIAISON_CONTACT,
        &[Monitor, Commissioner],
        "open liaison contacts",
    ),
    // Only the contacted party's own liaison (the state checks the delegation).
    (
        kinds::LIAISON_ACKNOWLEDGED,
        &[Liaison],
        "acknowledge liaison contacts",
    ),
    (
        kinds::LIAISON_OUTCOME,
        &[Monitor, Commissioner],
        "record liaison contacts' outcomes",
    ),
    (
        kinds::REPORT_VERIFIED,
        &[Monitor],
        "set reports' verification status",
    ),
    (
        kinds::CASUALTIES_RECONCILED,
        &[Monitor],
        "reconcile incidents' casualty figures",
    ),
    // Only a root of the officer's own delegation (the state checks).
    (
        kinds::CUSTODIAN_REGISTERED,
        &[Root],
        "register custodians of testimony",
    ),
    (kinds::TESTIMONY_RECORDED, &[Monitor], "record testimony"),
    (
        kinds::TESTIMONY_UNSEAL_REQUESTED,
        &[Monitor, Commissioner],
        "ask to unseal testimony",
    ),
    // Only a custodian the testimony's key was split among (the state checks).
    (
        kinds::TESTIMONY_UNSEAL_APPROVED,
        &[Monitor, Commissioner, Liaison],
        "approve the unsealing of testimony",
    ),
    (kinds::TESTIMONY_DESTROYED, &[Monitor], "destroy testimony"),
];

/// The roles that may sign entries of `kind`; empty for kinds the table does not fix by
/// role (the genesis, revocations, amendments, evidence access), whose rules are their own.
#[must_use]
pub fn roles_for(kind: &str) -> &'static [Role] {
    row(kind).map_or(&[], |(_, roles, _)| roles)
}

fn row(kind: &str) -> Option<&'static (&'static str, &'static [Role], &'static str)> {
    SIGNERS.iter().find(|(k, _, _)| *k == kind)
}

impl Role {
    /// Whether keys of this role may sign entries of `kind` (see [`roles_for`]).
    #[must_use]
    pub fn may_sign(self, kind: &str) -> bool {
        roles_for(kind).contains(&self)
    }
}

/// Refuses `author` unless its role may sign `kind`, naming the roles that may.
///
/// # Errors
/// `Unauthorized` on the field `author`.
pub fn require_signer(author: &KeyRecord, kind: &str) -> Result<(), Rejection> {
    let Some((_, roles, what)) = row(kind) else {
        // A kind missing from the table is refused, never let through: adding a kind
        // without saying who signs it must fail closed.
        let reason = format!("no role may sign {kind} by the signers table");
        return reject(RejectionCode::Unauthorized, "author", reason);
    };
    if roles.contains(&author.role) {
        return Ok(());
    }
    let allowed: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    let reason = format!(
        "a {} key cannot {what}; {} keys can",
        author.role.as_str(),
        allowed.join(" and ")
    );
    reject(RejectionCode::Unauthorized, "author", reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kinds whose signers the state decides by rules of their own rather than by role:
    /// the genesis and amendments (root keys under a quorum), revocations (a root or the key
    /// itself), and what any registered key may sign (notices, its own access to evidence).
    const OWN_RULES: &[&str] = &[
        kinds::GENESIS,
        kinds::KEY_REVOKED,
        kinds::NOTICE_PUBLISHED,
        kinds::AGREEMENT_AMENDED,
        kinds::EVIDENCE_ACCESSED,
    ];

    #[test]
    fn every_kind_in_the_table_is_known_and_listed_once() {
        for (i, (kind, roles, _)) in SIGNERS.iter().enumerate() {
            assert!(kinds::KNOWN.iter().any(|(k, _)| k == kind), "{kind}");
            assert!(!roles.is_empty(), "{kind}");
            assert!(
                SIGNERS[..i].iter().all(|(k, _, _)| k != kind),
                "{kind} twice"
            );
        }
    }

    #[test]
    fn every_known_kind_has_its_signers_in_the_table_or_rules_of_its_own() {
        for (kind, _) in kinds::KNOWN {
            let listed = row(kind).is_some();
            assert!(listed != OWN_RULES.contains(kind), "{kind}");
        }
    }

    #[test]
    fn the_desk_can_ask_without_knowing_the_rules() {
        assert!(Liaison.may_sign(kinds::STATEMENT_FILED));
        assert!(!Monitor.may_sign(kinds::STATEMENT_FILED));
        assert!(Device.may_sign(kinds::REPORT_SUBMITTED));
        assert!(!Commissioner.may_sign(kinds::REPORT_SUBMITTED));
        assert!(roles_for(kinds::GENESIS).is_empty());
    }
}

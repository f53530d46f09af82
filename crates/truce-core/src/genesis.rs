//! Entry 0: the mechanism's constitution.
//!
//! The genesis names the log (origin and log key), the delegations and their root keys,
//! the agreement's provisions, the graduated ladder of measures, the quorum rules, the
//! witnesses, and the SHA-256 of the reference border geometry. Every delegation's root key
//! signs it: the record starts from something all of them agreed to.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::keys::{Role, VerifierKey};
use crate::mechanism::TestimonyPolicy;
use crate::mechanism::publication::REPORT_LANGUAGES;
use crate::names::DelegationId;
use crate::rejection::FieldError;

/// Longest name or title in the agreement (a delegation's name, a provision's title), in
/// bytes, in any language.
pub const NAME_BYTES_MAX: usize = 300;
/// Longest provision text or measure description, in bytes, in any language.
pub const TEXT_BYTES_MAX: usize = 5_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    /// What the mechanism is called, e.g. "Pakistan–Afghanistan ceasefire 2025".
    pub title: String,
    /// The title in other languages of the web application, by tag (`ps`, `fa-AF`, ...).
    /// (Left out of the JSON when empty, so genesis entries written before it decode the
    /// same; likewise every `names` and `translations` below.)
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub titles: BTreeMap<String, String>,
    /// True when the log records an exercise rather than real events.
    pub exercise: bool,
    pub log: LogIdentity,
    pub delegations: Vec<Delegation>,
    pub provisions: Vec<Provision>,
    /// The graduated ladder of measures, mildest first.
    pub measures: Vec<MeasureStep>,
    pub quorum: Quorum,
    /// How long an accused party has to reply before a finding may become final.
    pub reply_window_hours: u32,
    /// SHA-256 (hex) of the agreed reference border geometry, or null until one is agreed.
    pub border_geometry_sha256: Option<String>,
    pub witnesses: Vec<Witness>,
    /// How many of the witnesses must cosign a checkpoint for clients to accept it.
    pub witness_quorum: u32,
    /// The agreement's threshold for a crossing's closure, if it names one. (Left out of
    /// the JSON when absent, so genesis entries written before it existed decode the same.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crossing_alert: Option<CrossingAlert>,
    /// The roles whose reports may carry a `provenance` (a dataset row imported): a claim
    /// on a row keeps every later report of it off the log, so only those the agreement
    /// trusts to import may make one. Monitors only when absent (and left out of the
    /// JSON then, so genesis entries written before it decode the same).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importers: Option<Vec<Role>>,
    /// Who must approve before sealed testimony may be opened. Without one, the log
    /// records no sealed testimony (and the field is left out of the JSON, so genesis
    /// entries written before it decode the same).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub testimony: Option<TestimonyPolicy>,
}

/// Who may import dataset rows when the agreement does not say.
pub const DEFAULT_IMPORTERS: &[Role] = &[Role::Monitor];

/// A crossing closed (or opened only to deport people) for longer than `closure_days` is
/// surfaced as an alert on `provision`. Readers compare with their own clock; the record
/// holds only the threshold and the statuses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossingAlert {
    pub closure_days: u32,
    /// The provision the closure concerns: an id of `provisions`.
    pub provision: String,
}

/// The longest closure threshold an agreement may name, in days.
pub const CLOSURE_DAYS_MAX: u32 = 366;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogIdentity {
    /// The checkpoint origin line.
    pub origin: String,
    /// The verifier key that signs checkpoints; its name is the origin.
    pub vkey: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DelegationKind {
    /// A party to the ceasefire.
    Party,
    /// A mediator or guarantor (e.g. Turkey, Qatar).
    Mediator,
    /// A monitoring delegation of a third country or an international organisation.
    Monitor,
    /// A non-voting observer: signs the genesis and may run a witness, but holds no
    /// officers' keys and is never eligible in a quorum.
    Observer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delegation {
    pub id: DelegationId,
    pub name: String,
    pub kind: DelegationKind,
    /// The delegation's root verifier key, which registers and revokes its officers.
    pub root_key: String,
    /// The name in other languages, by tag.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
}

impl Delegation {
    /// The name in the language tagged `lang`, else the name as written.
    #[must_use]
    pub fn name_in(&self, lang: &str) -> &str {
        self.names.get(lang).unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    pub id: String,
    pub title: String,
    pub text: String,
    /// The title and text in other languages, by tag.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, ProvisionText>,
}

/// A provision's title and text in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvisionText {
    pub title: String,
    pub text: String,
}

impl Provision {
    /// The title and text in the language tagged `lang`, else as written.
    #[must_use]
    pub fn in_language(&self, lang: &str) -> (&str, &str) {
        self.translations
            .get(lang)
            .map_or((&self.title, &self.text), |t| (&t.title, &t.text))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureStep {
    pub id: String,
    pub title: String,
    pub description: String,
    /// The title and description in other languages, by tag.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, MeasureText>,
}

/// A measure's title and description in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureText {
    pub title: String,
    pub description: String,
}

impl MeasureStep {
    /// The title and description in the language tagged `lang`, else as written.
    #[must_use]
    pub fn in_language(&self, lang: &str) -> (&str, &str) {
        self.translations
            .get(lang)
            .map_or((&self.title, &self.description), |t| {
                (&t.title, &t.description)
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quorum {
    /// Who must sign a finding for it to become final.
    pub finding: QuorumRule,
    /// Who must sign an amendment of the agreement.
    pub amendment: QuorumRule,
}

/// Signatures from at least `delegations_min` distinct delegations among `eligible`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuorumRule {
    pub eligible: Vec<DelegationId>,
    pub delegations_min: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Witness {
    /// The witness's C2SP tlog-cosignature verifier key (cosignature/v1, type 0x04).
    pub vkey: String,
    /// The delegation that runs it.
    pub delegation: DelegationId,
}

impl Genesis {
    /// Checks the constitution's internal consistency; `origin` is the envelope's origin.
    ///
    /// Returns the offending field (relative to the payload) and the reason.
    pub fn validate(&self, origin: &str) -> Result<(), FieldError> {
        self.validate_log(origin)?;
        validate_name("title", &self.title)?;
        validate_translations("titles", &self.titles, |at, title| validate_name(at, title))?;
        self.validate_delegations()?;
        validate_provisions(&self.provisions)?;
        validate_measures(&self.measures)?;
        self.validate_quorum("quorum.finding", &self.quorum.finding)?;
        self.validate_quorum("quorum.amendment", &self.quorum.amendment)?;
        self.validate_witnesses()?;
        self.validate_crossing_alert()?;
        self.validate_importers()?;
        self.validate_testimony()?;
        if let Some(sha) = &self.border_geometry_sha256
            && (sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(field("border_geometry_sha256", "must be 64 hex digits"));
        }
        Ok(())
    }

    fn validate_log(&self, origin: &str) -> Result<(), FieldError> {
        if self.log.origin != origin {
            return Err(field("log.origin", "must equal the envelope's origin"));
        }
        let key = VerifierKey::parse(&self.log.vkey).map_err(|e| field("log.vkey", &e))?;
        if key.name.as_str() != origin {
            return Err(field("log.vkey", "the log key's name must be the origin"));
        }
        Ok(())
    }

    fn validate_delegations(&self) -> Result<(), FieldError> {
        let parties = self.delegations_of(DelegationKind::Party).count();
        if parties < 2 {
            return Err(field(
                "delegations",
                "a ceasefire needs at least two parties",
            ));
        }
        validate_unique_ids(
            "delegations",
            self.delegations.iter().map(|d| d.id.as_str()),
        )?;
        let mut names = HashSet::new();
        for (i, delegation) in self.delegations.iter().enumerate() {
            let at = format!("delegations[{i}]");
            validate_name(&format!("{at}.name"), &delegation.name)?;
            validate_translations(&format!("{at}.names"), &delegation.names, |at, name| {
                validate_name(at, name)
            })?;
            let key = VerifierKey::parse(&delegation.root_key)
                .map_err(|e| field(&format!("delegations[{i}].root_key"), &e))?;
            if !names.insert(key.name) {
                let at = format!("delegations[{i}].root_key");
                return Err(field(&at, "two delegations share a root key name"));
            }
        }
        Ok(())
    }

    fn validate_quorum(&self, at: &str, rule: &QuorumRule) -> Result<(), FieldError> {
        validate_unique_ids(
            &format!("{at}.eligible"),
            rule.eligible.iter().map(DelegationId::as_str),
        )
        .map_err(|FieldError { field, reason }| {
            FieldError::new(field.trim_end_matches(".id"), reason)
        })?;
        for (i, id) in rule.eligible.iter().enumerate() {
            match self.delegation(id) {
                None => {
                    let reason = format!("no delegation has the id {id:?}");
                    return Err(field(&format!("{at}.eligible[{i}]"), &reason));
                }
                Some(d) if d.kind == DelegationKind::Observer => {
                    let reason = format!("{id:?} is an observer, and observers do not vote");
                    return Err(field(&format!("{at}.eligible[{i}]"), &reason));
                }
                Some(_) => {}
            }
        }
        let eligible = u32::try_from(rule.eligible.len()).unwrap_or(u32::MAX);
        if rule.delegations_min == 0 || rule.delegations_min > eligible {
            let reason = format!("must be between 1 and the {eligible} eligible delegations");
            return Err(field(&format!("{at}.delegations_min"), &reason));
        }
        Ok(())
    }

    fn validate_witnesses(&self) -> Result<(), FieldError> {
        let (mut keys, mut names) = (HashSet::new(), HashSet::new());
        for (i, witness) in self.witnesses.iter().enumerate() {
            let key = VerifierKey::parse_cosigner(&witness.vkey)
                .map_err(|e| field(&format!("witnesses[{i}].vkey"), &e))?;
            // tlog-policy: one key, one witness; a key listed twice would count twice.
            if !keys.insert(key.public_key.to_bytes()) || !names.insert(key.name.clone()) {
                let reason = "the same key or key name as an earlier witness";
                return Err(field(&format!("witnesses[{i}].vkey"), reason));
            }
            if self.delegation(&witness.delegation).is_none() {
                let at = format!("witnesses[{i}].delegation");
                return Err(field(&at, "no delegation has this id"));
            }
        }
        let witnesses = u32::try_from(self.witnesses.len()).unwrap_or(u32::MAX);
        if self.witness_quorum > witnesses {
            return Err(field("witness_quorum", "exceeds the number of witnesses"));
        }
        Ok(())
    }

    /// The closure alert's threshold must be sensible and its provision one of the
    /// agreement's (also checked when the agreement is amended).
    pub fn validate_crossing_alert(&self) -> Result<(), FieldError> {
        let Some(alert) = &self.crossing_alert else {
            return Ok(());
        };
        if !(1..=CLOSURE_DAYS_MAX).contains(&alert.closure_days) {
            let reason = format!("must be 1 to {CLOSURE_DAYS_MAX}");
            return Err(field("crossing_alert.closure_days", &reason));
        }
        if !self.provisions.iter().any(|p| p.id == alert.provision) {
            let reason = format!("the agreement has no provision {:?}", alert.provision);
            return Err(field("crossing_alert.provision", &reason));
        }
        Ok(())
    }

    /// The roles that may file imported reports (`importers`, else monitors).
    #[must_use]
    pub fn importers(&self) -> &[Role] {
        self.importers.as_deref().unwrap_or(DEFAULT_IMPORTERS)
    }

    /// The testimony policy's shape, and that each delegation it names may hold shares
    /// (any delegation but an observer, which holds no officers' keys).
    fn validate_testimony(&self) -> Result<(), FieldError> {
        let Some(policy) = &self.testimony else {
            return Ok(());
        };
        policy.validate("testimony")?;
        for id in policy.at_least.keys() {
            match self.delegation(id) {
                Some(d) if d.kind != DelegationKind::Observer => {}
                Some(_) => {
                    let reason = "an observer holds no officers' keys, so no custodians";
                    return Err(field(&format!("testimony.at_least.{id}"), reason));
                }
                None => {
                    let reason = format!("{id} is not a delegation of the agreement");
                    return Err(field(&format!("testimony.at_least.{id}"), &reason));
                }
            }
        }
        Ok(())
    }

    fn validate_importers(&self) -> Result<(), FieldError> {
        let Some(roles) = &self.importers else {
            return Ok(());
        };
        if roles.is_empty() {
            return Err(field(
                "importers",
                "names at least one role (leave it out for monitors only)",
            ));
        }
        for (i, role) in roles.iter().enumerate() {
            if !role.may_sign(crate::kinds::REPORT_SUBMITTED) {
                let reason = format!(
                    "a {} cannot file reports; liaisons, monitors and field devices can",
                    role.as_str()
                );
                return Err(field(&format!("importers[{i}]"), &reason));
            }
            if roles[..i].contains(role) {
                return Err(field(&format!("importers[{i}]"), "is named twice"));
            }
        }
        Ok(())
    }

    #[must_use]
    pub fn delegation(&self, id: &DelegationId) -> Option<&Delegation> {
        self.delegations.iter().find(|d| &d.id == id)
    }

    pub fn delegations_of(&self, kind: DelegationKind) -> impl Iterator<Item = &Delegation> {
        self.delegations.iter().filter(move |d| d.kind == kind)
    }
}

/// Checks provisions: unique ids, and every title and text (translations too) present and
/// of bounded length. Also used when the agreement is amended.
pub(crate) fn validate_provisions(provisions: &[Provision]) -> Result<(), FieldError> {
    validate_unique_ids("provisions", provisions.iter().map(|p| p.id.as_str()))?;
    for (i, provision) in provisions.iter().enumerate() {
        let at = format!("provisions[{i}]");
        validate_name(&format!("{at}.title"), &provision.title)?;
        validate_text(&format!("{at}.text"), &provision.text)?;
        validate_translations(
            &format!("{at}.translations"),
            &provision.translations,
            |at, t| {
                validate_name(&format!("{at}.title"), &t.title)?;
                validate_text(&format!("{at}.text"), &t.text)
            },
        )?;
    }
    Ok(())
}

/// Checks the ladder of measures as [`validate_provisions`] checks provisions.
pub(crate) fn validate_measures(measures: &[MeasureStep]) -> Result<(), FieldError> {
    validate_unique_ids("measures", measures.iter().map(|m| m.id.as_str()))?;
    for (i, measure) in measures.iter().enumerate() {
        let at = format!("measures[{i}]");
        validate_name(&format!("{at}.title"), &measure.title)?;
        validate_text(&format!("{at}.description"), &measure.description)?;
        validate_translations(
            &format!("{at}.translations"),
            &measure.translations,
            |at, t| {
                validate_name(&format!("{at}.title"), &t.title)?;
                validate_text(&format!("{at}.description"), &t.description)
            },
        )?;
    }
    Ok(())
}

/// Translations are keyed by one of the web application's language tags.
fn validate_translations<T>(
    at: &str,
    translations: &BTreeMap<String, T>,
    check: impl Fn(&str, &T) -> Result<(), FieldError>,
) -> Result<(), FieldError> {
    for (lang, translation) in translations {
        let at = format!("{at}.{lang}");
        if !REPORT_LANGUAGES.contains(&lang.as_str()) {
            let reason =
                format!("not a language of the web application: one of {REPORT_LANGUAGES:?}");
            return Err(field(&at, &reason));
        }
        check(&at, translation)?;
    }
    Ok(())
}

fn validate_name(at: &str, name: &str) -> Result<(), FieldError> {
    bounded_text(at, name, NAME_BYTES_MAX)
}

fn validate_text(at: &str, text: &str) -> Result<(), FieldError> {
    bounded_text(at, text, TEXT_BYTES_MAX)
}

fn bounded_text(at: &str, text: &str, bytes_max: usize) -> Result<(), FieldError> {
    if text.trim().is_empty() {
        return Err(field(at, "must not be empty"));
    }
    if text.len() > bytes_max {
        let reason = format!("is {} bytes; at most {bytes_max}", text.len());
        return Err(field(at, &reason));
    }
    Ok(())
}

pub(crate) fn validate_unique_ids<'a>(
    at: &str,
    ids: impl Iterator<Item = &'a str>,
) -> Result<(), FieldError> {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if id.is_empty() {
            return Err(field(&format!("{at}[{i}].id"), "must not be empty"));
        }
        if !seen.insert(id) {
            return Err(field(
                &format!("{at}[{i}].id"),
                &format!("{id:?} appears twice"),
            ));
        }
    }
    Ok(())
}

fn field(at: &str, reason: &str) -> FieldError {
    FieldError::new(at, reason)
}

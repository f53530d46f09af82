//! The agreement file: what the genesis holds, written by people in TOML.
//!
//! Its keys are the genesis's own (`delegations[1].root_key` names the same thing in the
//! file, in the draft's payload and in a refusal), plus what only the ceremony needs:
//! which delegation convenes (authors) the genesis, when it was adopted, and where the
//! agreed geometry is. `crates/truce-demo/agreement.toml` documents every key.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use truce_core::genesis::{
    CrossingAlert, Delegation, Genesis, LogIdentity, MeasureStep, Provision, Quorum, Witness,
};
use truce_core::{DelegationId, Role, Timestamp};

use crate::AgreementError;
use crate::ceremony::Draft;

/// Longest agreement file read, in bytes: a genesis is at most one 64 KiB entry, and the
/// file's comments may double it.
pub const AGREEMENT_BYTES_MAX: usize = 256 << 10;

/// An agreement as written: every key of the genesis, plus the ceremony's own.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementFile {
    pub title: String,
    #[serde(default)]
    pub titles: BTreeMap<String, String>,
    #[serde(default)]
    pub exercise: bool,
    pub log: LogIdentity,
    /// The delegation whose root key authors the genesis (the others co-sign it).
    pub convener: DelegationId,
    /// The time the genesis claims (RFC 3339, UTC); the drafting machine's clock if absent.
    #[serde(default)]
    pub adopted_at: Option<String>,
    pub delegations: Vec<Delegation>,
    pub provisions: Vec<Provision>,
    #[serde(default)]
    pub measures: Vec<MeasureStep>,
    pub quorum: Quorum,
    pub reply_window_hours: u32,
    #[serde(default)]
    pub crossing_alert: Option<CrossingAlert>,
    #[serde(default)]
    pub witnesses: Vec<Witness>,
    #[serde(default)]
    pub witness_quorum: u32,
    #[serde(default)]
    pub geometry: Option<GeometryRef>,
    /// The roles that may import dataset rows (monitors when absent).
    #[serde(default)]
    pub importers: Option<Vec<Role>>,
    /// Who must approve before sealed testimony may be opened (`[testimony]`).
    #[serde(default)]
    pub testimony: Option<truce_core::mechanism::TestimonyPolicy>,
}

/// The agreed reference geometry: a GeoJSON file (relative to the agreement file), or the
/// SHA-256 of one the node already has (built in, or put there by `truce geo import`).
/// With both, the file must have that hash.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeometryRef {
    #[serde(default)]
    pub file: Option<PathBuf>,
    #[serde(default)]
    pub sha256: Option<String>,
}

impl AgreementFile {
    /// Reads an agreement file's text. Syntax and shape only: [`Self::draft`] checks the
    /// constitution itself.
    pub fn parse(text: &str) -> Result<Self, AgreementError> {
        if text.len() > AGREEMENT_BYTES_MAX {
            let reason = format!("is {} bytes; at most {AGREEMENT_BYTES_MAX}", text.len());
            return Err(AgreementError::new("agreement", reason));
        }
        let deserializer = toml::Deserializer::new(text);
        serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let field = e.path().to_string();
            let field = if field == "." {
                "agreement".into()
            } else {
                field
            };
            AgreementError::new(field, one_line(e.into_inner().message()))
        })
    }

    /// The genesis this agreement constitutes, with the geometry's hash as resolved by the
    /// caller (from `geometry.file` or `geometry.sha256`). Not yet validated.
    #[must_use]
    pub fn genesis(&self, border_geometry_sha256: Option<String>) -> Genesis {
        Genesis {
            title: self.title.clone(),
            titles: self.titles.clone(),
            exercise: self.exercise,
            log: self.log.clone(),
            delegations: self.delegations.clone(),
            provisions: self.provisions.clone(),
            measures: self.measures.clone(),
            quorum: self.quorum.clone(),
            reply_window_hours: self.reply_window_hours,
            border_geometry_sha256,
            witnesses: self.witnesses.clone(),
            witness_quorum: self.witness_quorum,
            crossing_alert: self.crossing_alert.clone(),
            importers: self.importers.clone(),
            testimony: self.testimony.clone(),
        }
    }

    /// The exact genesis text to sign. `geometry_sha256` is the hash of `geometry.file`
    /// as the caller read it (None when the file names none); `now` stands in for a
    /// missing `adopted_at`.
    pub fn draft(
        &self,
        geometry_sha256: Option<String>,
        now: Timestamp,
    ) -> Result<Draft, AgreementError> {
        let sha256 = self.geometry_sha256(geometry_sha256)?;
        let time = match &self.adopted_at {
            Some(text) => Timestamp::parse(text.clone())
                .map_err(|reason| AgreementError::new("adopted_at", reason))?,
            None => now,
        };
        Draft::new(&self.genesis(sha256), &self.convener, time)
    }

    /// The hash the genesis records: the file's, the one written, or both when they agree.
    fn geometry_sha256(&self, of_file: Option<String>) -> Result<Option<String>, AgreementError> {
        let written = self.geometry.as_ref().and_then(|g| g.sha256.clone());
        match (written, of_file) {
            (Some(written), Some(read)) if !written.eq_ignore_ascii_case(&read) => {
                let reason =
                    format!("the file's SHA-256 is {read}, not the {written} written here");
                Err(AgreementError::new("geometry.sha256", reason))
            }
            (Some(written), _) => Ok(Some(written.to_ascii_lowercase())),
            (None, read) => Ok(read),
        }
    }
}

/// TOML's messages span lines (a source excerpt); a refusal is one line.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

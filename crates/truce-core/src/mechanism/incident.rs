//! Incidents: one event, the reports about it linked together by the monitors, and each
//! party's statements on it kept side by side.

use serde::{Deserialize, Serialize};

use super::values::{Range, Source, text};
use crate::names::DelegationId;
use crate::rejection::FieldError;

/// Reports one incident may link when opened, and sources one statement may cite.
pub const LINKS_MAX: usize = 64;

/// A monitor opens an incident from one or more reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentOpened {
    /// The parties the reports accuse (the parties whose reply is awaited).
    pub accused: Vec<DelegationId>,
    /// Log indexes of the reports about this incident.
    pub reports: Vec<u64>,
    pub summary: String,
    pub title: String,
}

/// A monitor links one more report to an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportLinked {
    pub incident: u64,
    pub report: u64,
}

/// What a party's statement does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    Accusation,
    Denial,
    Reply,
    Clarification,
}

impl StatementKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accusation => "accusation",
            Self::Denial => "denial",
            Self::Reply => "reply",
            Self::Clarification => "clarification",
        }
    }
}

/// A party's own figures, kept beside the mechanism's and never merged with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figures {
    pub injured: Range,
    pub killed: Range,
}

/// A party's statement on an incident, verbatim, in the party's own name only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub figures: Option<Figures>,
    /// The finding a reply answers: a party's right of reply. Only for `kind: reply`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<u64>,
    pub incident: u64,
    pub kind: StatementKind,
    /// The BCP 47 tag of the statement's language, as issued.
    pub lang: String,
    /// The party making the statement: it must be the signer's own delegation.
    pub party: DelegationId,
    pub sources: Vec<Source>,
    /// The statement as issued, verbatim.
    pub text: String,
}

impl IncidentOpened {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.title, "title", 1, 200)?;
        text(&self.summary, "summary", 0, 20_000)?;
        if self.reports.is_empty() || self.reports.len() > LINKS_MAX {
            return Err(FieldError::new(
                "reports",
                format!(
                    "must list 1 to {LINKS_MAX} reports (lists {})",
                    self.reports.len()
                ),
            ));
        }
        Ok(())
    }
}

impl Statement {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.text, "text", 1, 50_000)?;
        let reply = self.kind == StatementKind::Reply;
        if reply != self.finding.is_some() {
            let reason = if reply {
                "a reply names the finding it answers"
            } else {
                "only a reply answers a finding"
            };
            return Err(FieldError::new("finding", reason));
        }
        crate::kinds::validate_lang(&self.lang, "lang")?;
        if let Some(figures) = &self.figures {
            figures.killed.validate("figures.killed")?;
            figures.injured.validate("figures.injured")?;
        }
        if self.sources.len() > LINKS_MAX {
            return Err(FieldError::new(
                "sources",
                format!("at most {LINKS_MAX} sources"),
            ));
        }
        for (i, source) in self.sources.iter().enumerate() {
            source.validate(&format!("sources[{i}]"))?;
        }
        Ok(())
    }
}

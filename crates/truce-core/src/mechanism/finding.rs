//! Findings: the mechanism's determination, per provision, of what an investigation
//! established, and the commissioners' signatures that make it final.

use serde::{Deserialize, Serialize};

use super::values::text;
use crate::names::DelegationId;
use crate::rejection::FieldError;

/// Whether the provision was violated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Determination {
    Violation,
    NoViolation,
    Inconclusive,
}

/// To whom a violation is attributed, and how firmly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribution {
    Attributed,
    LargelyAttributed,
    NotAttributable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

/// A monitor proposes a finding on one provision; it is final only once signed under the
/// genesis quorum and after the accused parties' replies or the reply deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingProposed {
    /// For violations only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Attribution>,
    pub confidence: Confidence,
    pub determination: Determination,
    /// For violations: whether the mechanism assessed it deliberate or accidental.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<Intent>,
    pub investigation: u64,
    /// The party the violation is attributed to (`attributed` or `largely_attributed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<DelegationId>,
    pub provision: String,
    pub reasoning: String,
}

/// Whether a violation was assessed deliberate or accidental (or could not be told).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Deliberate,
    Accidental,
    Undetermined,
}

impl Intent {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deliberate => "deliberate",
            Self::Accidental => "accidental",
            Self::Undetermined => "undetermined",
        }
    }
}

/// A commissioner's (or an eligible monitor delegation's) vote on a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vote {
    Concur,
    Dissent,
}

impl Vote {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Concur => "concur",
            Self::Dissent => "dissent",
        }
    }
}

/// A signature on a finding, for or against; a dissent gives its reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingSigned {
    pub finding: u64,
    pub reasoning: String,
    pub vote: Vote,
}

/// Declares a finding final; admitted only under the quorum and after the right of reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingFinalized {
    pub finding: u64,
}

impl Determination {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Violation => "violation",
            Self::NoViolation => "no_violation",
            Self::Inconclusive => "inconclusive",
        }
    }
}

impl Attribution {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Attributed => "attributed",
            Self::LargelyAttributed => "largely_attributed",
            Self::NotAttributable => "not_attributable",
        }
    }
}

impl Confidence {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
        }
    }
}

impl FindingProposed {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.reasoning, "reasoning", 1, 50_000)?;
        text(&self.provision, "provision", 1, 100)?;
        let violation = self.determination == Determination::Violation;
        if violation != self.attribution.is_some() {
            let reason = if violation {
                "a violation says whether it is attributed, largely attributed or not attributable"
            } else {
                "only a violation is attributed"
            };
            return Err(FieldError::new("attribution", reason));
        }
        let names_party = matches!(
            self.attribution,
            Some(Attribution::Attributed | Attribution::LargelyAttributed)
        );
        if names_party != self.party.is_some() {
            let reason = if names_party {
                "an attributed violation names the party it is attributed to"
            } else {
                "only an attributed violation names a party"
            };
            return Err(FieldError::new("party", reason));
        }
        if self.intent.is_some() && !violation {
            let reason = "only a violation is assessed deliberate or accidental";
            return Err(FieldError::new("intent", reason));
        }
        Ok(())
    }

    /// The party a final finding of this kind puts under the ladder of measures.
    #[must_use]
    pub fn attributed_violator(&self) -> Option<&DelegationId> {
        if self.determination == Determination::Violation {
            self.party.as_ref()
        } else {
            None
        }
    }
}

impl FindingSigned {
    pub fn validate(&self) -> Result<(), FieldError> {
        let min = usize::from(self.vote == Vote::Dissent);
        text(&self.reasoning, "reasoning", min, 20_000).map_err(|e| {
            if min == 1 && self.reasoning.is_empty() {
                FieldError::new(e.field, "a dissent gives its reasons")
            } else {
                e
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposed(determination: &str, intent: &str) -> FindingProposed {
        let attributed = determination == "violation";
        serde_json::from_value(serde_json::json!({
            "investigation": 12, "provision": "ceasefire", "determination": determination,
            "attribution": attributed.then_some("attributed"), "party": attributed.then_some("pk"),
            "confidence": "medium", "reasoning": "r", "intent": intent,
        }))
        .unwrap()
    }

    #[test]
    fn only_a_violation_is_assessed_deliberate_or_accidental() {
        assert!(proposed("violation", "accidental").validate().is_ok());
        assert_eq!(
            proposed("no_violation", "deliberate")
                .validate()
                .unwrap_err()
                .field,
            "intent"
        );
    }
}

//! The neutral actor registry (armed groups and forces, under neutral names) and each
//! party's designations of them, kept side by side and never merged.
//!
//! The registry takes no side: monitors write it, and what a party calls an actor
//! ("terrorist organisation", "opponents of the Pakistani government") is that party's
//! designation, filed by its own liaison in its own name.

use serde::{Deserialize, Serialize};

use super::values::{slug_id, text};
use crate::names::DelegationId;
use crate::rejection::FieldError;
use crate::timestamp::Timestamp;

/// The most aliases one entry may carry.
pub const ALIASES_MAX: usize = 32;
/// The longest actor id, in bytes.
pub const ACTOR_ID_BYTES_MAX: usize = 64;

slug_id!(
    /// An actor's stable id in the registry (`ttp`): lowercase ASCII letters, digits and
    /// `-`, with at least one letter, so that it is never mistaken for a log index.
    ActorId,
    ACTOR_ID_BYTES_MAX,
    "an actor id"
);

/// What kind of actor the registry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A state's armed, police or border forces.
    StateForce,
    ArmedGroup,
    Militia,
    Other,
}

impl ActorKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::StateForce => "state_force",
            Self::ArmedGroup => "armed_group",
            Self::Militia => "militia",
            Self::Other => "other",
        }
    }
}

/// Another name of an actor: an acronym, or its name in another language or script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alias {
    /// The BCP 47 tag of the alias's language (`ur`, `ps`, `en`).
    pub lang: String,
    pub name: String,
}

/// A monitor registers an actor under a neutral name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorRegistered {
    pub aliases: Vec<Alias>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub id: ActorId,
    pub kind: ActorKind,
    /// The neutral name the record uses.
    pub name: String,
}

/// A monitor adds aliases to a registered actor or replaces its description. (Merging
/// two actors is not a thing the log records.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorUpdated {
    pub actor: ActorId,
    /// Aliases added to those the actor has.
    pub aliases: Vec<Alias>,
    /// The new description, if it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Why the entry is changed.
    pub note: String,
}

/// A party's designation of a registered actor, in its own words and its own name only.
///
/// A filing that names an earlier designation in `withdrawn` withdraws it: that one is
/// kept, marked withdrawn, and this filing is the party's designation from then on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesignationFiled {
    pub actor: ActorId,
    /// The designation as the party words it ("terrorist organisation").
    pub designation: String,
    /// The BCP 47 tag of the language of `designation` and `text`.
    pub lang: String,
    /// The designating party: it must be the signer's own delegation.
    pub party: DelegationId,
    /// Since when the party has so designated the actor, if it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Timestamp>,
    /// The designation (or law, statement) as issued, verbatim.
    pub text: String,
    /// The log index of an earlier designation of this actor by the same party that this
    /// filing withdraws.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<u64>,
}

impl ActorRegistered {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.name, "name", 1, 200)?;
        if let Some(description) = &self.description {
            text(description, "description", 1, 5_000)?;
        }
        validate_aliases(&self.aliases)
    }
}

impl ActorUpdated {
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.aliases.is_empty() && self.description.is_none() {
            return Err(FieldError::new(
                "aliases",
                "the update changes nothing: add aliases or give a new description",
            ));
        }
        if let Some(description) = &self.description {
            text(description, "description", 1, 5_000)?;
        }
        text(&self.note, "note", 0, 2_000)?;
        validate_aliases(&self.aliases)
    }
}

impl DesignationFiled {
    pub fn validate(&self) -> Result<(), FieldError> {
        text(&self.designation, "designation", 1, 200)?;
        text(&self.text, "text", 1, 50_000)?;
        crate::kinds::validate_lang(&self.lang, "lang")
    }
}

/// At most [`ALIASES_MAX`], each named and tagged, none repeated.
fn validate_aliases(aliases: &[Alias]) -> Result<(), FieldError> {
    if aliases.len() > ALIASES_MAX {
        return Err(FieldError::new(
            "aliases",
            format!("at most {ALIASES_MAX} aliases (lists {})", aliases.len()),
        ));
    }
    for (i, alias) in aliases.iter().enumerate() {
        text(&alias.name, &format!("aliases[{i}].name"), 1, 200)?;
        crate::kinds::validate_lang(&alias.lang, &format!("aliases[{i}].lang"))?;
        if aliases[..i].contains(alias) {
            return Err(FieldError::new(
                format!("aliases[{i}]"),
                format!("repeats the alias {:?} ({})", alias.name, alias.lang),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_actor_id_is_a_slug_with_a_letter() {
        assert!(ActorId::parse("ttp").is_ok());
        assert!(ActorId::parse("pk-army-11-corps").is_ok());
        for bad in ["", "42", "TTP", "t t p", "-ttp", "ttp-", &"a".repeat(65)] {
            assert!(ActorId::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_repeated_alias_is_refused_naming_it() {
        let alias = Alias {
            lang: "en".into(),
            name: "TTP".into(),
        };
        let actor = ActorRegistered {
            aliases: vec![alias.clone(), alias],
            description: None,
            id: ActorId::parse("ttp").unwrap(),
            kind: ActorKind::ArmedGroup,
            name: "Tehrik-i-Taliban Pakistan".into(),
        };
        assert_eq!(actor.validate().unwrap_err().field, "aliases[1]");
    }
}

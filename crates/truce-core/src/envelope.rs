//! The envelope every entry's JSON text follows (`docs/entries.md`, "The envelope").

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::canonical::{is_plainly_canonical, parse_canonical, to_canonical};
use crate::names::KeyName;
use crate::rejection::{Rejection, RejectionCode, reject};
use crate::timestamp::Timestamp;

/// The most attachments one entry may name.
pub const ATTACHMENTS_MAX: usize = 64;

/// The envelope: who says what, when, in which order, with which files.
///
/// Fields are in RFC 8785 order (sorted), which is also the order they appear in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// SHA-256 of each attached file (files are stored by hash, outside the log).
    pub attachments: Vec<Attachment>,
    /// The name of the key that signs the entry.
    pub author: KeyName,
    /// Who held the key when the entry was signed.
    pub custody: Custody,
    /// What the entry records, e.g. `key.registered`.
    pub kind: String,
    /// The log this entry is meant for; an entry cannot be replayed into another log.
    pub origin: String,
    /// The kind-specific content.
    pub payload: Value,
    /// The leaf hash (base64) of the author's previous entry; null for its first.
    pub prev: Option<String>,
    /// The author's own sequence number, from 1.
    pub seq: u64,
    /// When the author says it signed the entry.
    pub time: Timestamp,
    /// The version of the kind's payload schema.
    pub version: u32,
}

/// Who held the signing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Custody {
    /// The author signed with a key only they hold.
    Author,
    /// The server signed with the author's key, held for them encrypted (web users).
    Server,
}

/// Whether `text` names a file the way the record does: 64 lowercase hex digits of SHA-256.
#[must_use]
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A file attached to an entry, named by its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    pub bytes: u64,
    pub media_type: String,
    /// True if the author publishes the file with the entry; otherwise it is
    /// confidential until a commissioner publishes it (`evidence.published`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub public: bool,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
}

impl Envelope {
    /// Parses an entry's note text: canonical JSON followed by exactly one newline.
    pub fn from_text(text: &str) -> Result<Self, Rejection> {
        let Some(json) = text.strip_suffix('\n') else {
            return reject(RejectionCode::Malformed, "text", "must end with a newline");
        };
        if json.contains('\n') {
            return reject(
                RejectionCode::NotCanonical,
                "text",
                "must be one line of canonical JSON",
            );
        }
        // The common case: plainly canonical text decoded straight into the envelope, with
        // no `Value` tree in between. Anything else takes the general path, which also
        // words every error (a field's path, without a position in the text).
        if is_plainly_canonical(json)
            && let Ok(envelope) = serde_json::from_str::<Self>(json)
        {
            envelope.check()?;
            return Ok(envelope);
        }
        Self::from_value(parse_canonical(json)?)
    }

    /// Decodes and checks an envelope from a JSON value.
    pub fn from_value(value: Value) -> Result<Self, Rejection> {
        let envelope: Self = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." {
                "text".to_string()
            } else {
                path
            };
            Rejection::new(RejectionCode::Malformed, field, e.into_inner().to_string())
        })?;
        envelope.check()?;
        Ok(envelope)
    }

    /// The entry's note text: the canonical JSON and a newline.
    #[must_use]
    pub fn to_text(&self) -> String {
        let value = serde_json::to_value(self).expect("an envelope is plain JSON");
        let mut text = to_canonical(&value);
        text.push('\n');
        text
    }

    /// The previous-entry hash, decoded.
    #[must_use]
    pub fn prev_hash(&self) -> Option<[u8; 32]> {
        let prev = self.prev.as_ref()?;
        BASE64.decode(prev).ok()?.try_into().ok()
    }

    fn check(&self) -> Result<(), Rejection> {
        if self.seq == 0 {
            return reject(RejectionCode::Invalid, "seq", "sequence numbers start at 1");
        }
        match (&self.prev, self.seq) {
            (None, 1) => {}
            (Some(_), 1) => {
                return reject(
                    RejectionCode::Sequence,
                    "prev",
                    "must be null when seq is 1",
                );
            }
            (None, _) => {
                return reject(RejectionCode::Sequence, "prev", "must be set when seq > 1");
            }
            (Some(_), _) if self.prev_hash().is_none() => {
                return reject(RejectionCode::Malformed, "prev", "must be a base64 SHA-256");
            }
            (Some(_), _) => {}
        }
        if self.origin.is_empty() {
            return reject(RejectionCode::Malformed, "origin", "must not be empty");
        }
        self.check_attachments()
    }

    fn check_attachments(&self) -> Result<(), Rejection> {
        if self.attachments.len() > ATTACHMENTS_MAX {
            let reason = format!("at most {ATTACHMENTS_MAX} attachments");
            return reject(RejectionCode::Invalid, "attachments", reason);
        }
        for (i, attachment) in self.attachments.iter().enumerate() {
            let sha = &attachment.sha256;
            if self.attachments[..i].iter().any(|a| &a.sha256 == sha) {
                let at = format!("attachments[{i}].sha256");
                return reject(RejectionCode::Invalid, at, "names a file already attached");
            }
            if !is_sha256_hex(sha) {
                let at = format!("attachments[{i}].sha256");
                return reject(
                    RejectionCode::Malformed,
                    at,
                    "must be 64 lowercase hex digits",
                );
            }
            let media = &attachment.media_type;
            if media.is_empty() || media.len() > 127 || !media.contains('/') {
                let at = format!("attachments[{i}].media_type");
                return reject(
                    RejectionCode::Malformed,
                    at,
                    "must be a media type (type/subtype)",
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Envelope {
        Envelope {
            attachments: vec![],
            author: KeyName::parse("demo/pk/root").unwrap(),
            custody: Custody::Author,
            kind: "key.revoked".into(),
            origin: "truce.example/demo".into(),
            payload: serde_json::json!({"name": "demo/pk/liaison-1", "reason": "lost"}),
            prev: None,
            seq: 1,
            time: Timestamp::parse("2025-11-06T09:00:00Z").unwrap(),
            version: 1,
        }
    }

    #[test]
    fn an_envelope_round_trips_through_its_text() {
        let text = sample().to_text();
        assert_eq!(Envelope::from_text(&text).unwrap(), sample());
    }

    proptest::proptest! {
        /// Straight from the text or through a `Value`, an envelope decodes alike: the
        /// same envelope, or the same rejection naming the same field.
        #[test]
        fn both_decodings_agree(
            seq in 0u64..4,
            prev in proptest::option::of(proptest::sample::select(vec![
                BASE64.encode([7u8; 32]), "not base64".to_string(),
            ])),
            payload in proptest::sample::select(vec![
                serde_json::json!({"name": "demo/pk/liaison-1", "reason": "lost"}),
                serde_json::json!({"lat": 34.5, "lon": 71.25, "n": -3, "s": "\u{1}\"é"}),
                serde_json::json!([]),
            ]),
            edit in proptest::sample::select(vec![
                ("", ""), ("\"seq\":", "\"seq\":\"x\","), ("\"version\":1", "\"version\":1.5"),
                ("\"custody\":\"author\"", "\"custody\":\"nobody\""), ("{\"attachments\"", "{\"a\":1,\"attachments\""),
                ("\"time\":\"", "\"time\":\"x"), ("\"author\":\"", "\"author\":\" "),
            ]),
        ) {
            let envelope = Envelope { payload, prev, seq, ..sample() };
            let text = envelope.to_text().replacen(edit.0, edit.1, 1);
            let json = text.trim_end_matches('\n');
            let general = parse_canonical(json).and_then(Envelope::from_value);
            proptest::prop_assert_eq!(Envelope::from_text(&text), general);
        }
    }

    #[test]
    fn a_missing_field_is_named() {
        let err = Envelope::from_text("{\"kind\":\"x\"}\n").unwrap_err();
        assert!(err.reason.contains("missing field"), "{err}");
    }

    #[test]
    fn a_field_of_the_wrong_type_is_named_by_its_path() {
        let text = sample().to_text().replace("\"seq\":1", "\"seq\":\"one\"");
        let err = Envelope::from_text(&text).unwrap_err();
        assert_eq!(err.field, "seq", "{err}");
    }

    #[test]
    fn an_unknown_field_is_refused() {
        let text = sample()
            .to_text()
            .replace("{\"attachments\"", "{\"admin\":true,\"attachments\"");
        let err = Envelope::from_text(&text).unwrap_err();
        assert!(err.reason.contains("unknown field"), "{err}");
    }

    #[test]
    fn prev_must_be_null_for_the_first_entry_and_set_after() {
        let mut envelope = sample();
        envelope.prev = Some(BASE64.encode([0u8; 32]));
        assert_eq!(
            Envelope::from_text(&envelope.to_text()).unwrap_err().field,
            "prev"
        );
        envelope.seq = 2;
        assert!(Envelope::from_text(&envelope.to_text()).is_ok());
        envelope.prev = None;
        assert_eq!(
            Envelope::from_text(&envelope.to_text()).unwrap_err().field,
            "prev"
        );
    }

    #[test]
    fn a_bad_attachment_hash_is_named() {
        let mut envelope = sample();
        envelope.attachments.push(Attachment {
            bytes: 1,
            media_type: "image/jpeg".into(),
            public: false,
            sha256: "ABC".into(),
        });
        let err = Envelope::from_text(&envelope.to_text()).unwrap_err();
        assert_eq!(err.field, "attachments[0].sha256");
    }
}

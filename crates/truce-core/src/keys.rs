//! Keys and roles: who may sign what.

use base64::{Engine, engine::general_purpose::STANDARD as BASE64};
use serde::{Deserialize, Serialize};

use crate::genesis::DelegationKind;
use crate::names::{DelegationId, KeyName};

/// What a key's holder does in the mechanism (MISSION.md, "Who uses it").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A delegation's root key, named in the genesis; it registers and revokes officers.
    Root,
    /// A party's liaison officer: files allegations and statements, answers allegations.
    Liaison,
    /// A monitor: triages, investigates, drafts findings.
    Monitor,
    /// A commissioner of a mediator: signs findings and measures under the quorum.
    Commissioner,
    /// A field device that files on behalf of its delegation, possibly offline.
    Device,
}

impl Role {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Root => "root",
            Self::Liaison => "liaison",
            Self::Monitor => "monitor",
            Self::Commissioner => "commissioner",
            Self::Device => "device",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Root,
            Self::Liaison,
            Self::Monitor,
            Self::Commissioner,
            Self::Device,
        ]
        .into_iter()
        .find(|role| role.as_str() == text)
    }

    /// Whether a delegation of `kind` may register officers with this role.
    #[must_use]
    pub fn registrable_in(self, kind: DelegationKind) -> bool {
        match self {
            Self::Root => false,
            Self::Device => kind != DelegationKind::Observer,
            Self::Liaison => kind == DelegationKind::Party,
            Self::Monitor => kind == DelegationKind::Monitor,
            Self::Commissioner => kind == DelegationKind::Mediator,
        }
    }
}

/// A key as the record knows it: registered at some index, perhaps revoked at a later one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRecord {
    pub name: KeyName,
    pub vkey: String,
    pub key_id: u32,
    /// Decoded once here: decompressing the curve point costs a third of a verification.
    pub public_key: ed25519_dalek::VerifyingKey,
    pub role: Role,
    pub delegation: DelegationId,
    pub registered_at: u64,
    pub revoked_at: Option<u64>,
}

impl KeyRecord {
    /// A record for a key registered at `registered_at`; fails if `vkey` is not valid.
    pub fn new(
        vkey: &str,
        role: Role,
        delegation: DelegationId,
        registered_at: u64,
    ) -> Result<Self, String> {
        let key = VerifierKey::parse(vkey)?;
        Ok(Self::from_parsed(
            vkey,
            key,
            role,
            delegation,
            registered_at,
        ))
    }

    /// A record for a verifier key already parsed from `vkey`.
    #[must_use]
    pub fn from_parsed(
        vkey: &str,
        key: VerifierKey,
        role: Role,
        delegation: DelegationId,
        registered_at: u64,
    ) -> Self {
        Self {
            name: key.name,
            vkey: vkey.to_string(),
            key_id: key.key_id,
            public_key: key.public_key,
            role,
            delegation,
            registered_at,
            revoked_at: None,
        }
    }

    #[must_use]
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }
}

/// A parsed C2SP verifier key (`<name>+<hex key id>+<base64(0x01 || public key)>`) for an
/// Ed25519 key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierKey {
    pub name: KeyName,
    pub key_id: u32,
    pub public_key: ed25519_dalek::VerifyingKey,
}

impl VerifierKey {
    /// Parses and checks a verifier key: its format, its key id, that it is Ed25519, and
    /// that the public key is a sound point (not of small order).
    pub fn parse(vkey: &str) -> Result<Self, String> {
        let verifier = signed_note::StandardVerifier::new(vkey)
            .map_err(|e| format!("not a valid Ed25519 verifier key ({e})"))?;
        let (name, rest) = vkey.split_once('+').expect("checked by StandardVerifier");
        let (_, key64) = rest.split_once('+').expect("checked by StandardVerifier");
        let bytes = BASE64.decode(key64).map_err(|e| e.to_string())?;
        let public_key: [u8; 32] = bytes[1..]
            .try_into()
            .map_err(|_| "an Ed25519 public key is 32 bytes".to_string())?;
        let point = ed25519_dalek::VerifyingKey::from_bytes(&public_key)
            .map_err(|_| "the public key is not a valid curve point".to_string())?;
        if point.is_weak() {
            return Err("the public key is of small order and would accept forgeries".into());
        }
        let name = KeyName::parse(name)?;
        Ok(Self {
            name,
            key_id: signed_note::Verifier::key_id(&verifier),
            public_key: point,
        })
    }
}

/// The signature type byte of a C2SP cosignature/v1 (Ed25519) verifier key.
pub const COSIGNATURE_V1_TYPE: u8 = 0x04;

impl VerifierKey {
    /// Parses a witness's C2SP tlog-cosignature verifier key
    /// (`<name>+<hex key id>+<base64(0x04 || Ed25519 public key)>`): its format, that its
    /// type is cosignature/v1, that the key id is `SHA-256(name || "\n" || 0x04 || key)[:4]`,
    /// and that the public key is a sound point.
    pub fn parse_cosigner(vkey: &str) -> Result<Self, String> {
        let mut parts = vkey.splitn(3, '+');
        let (Some(name), Some(id), Some(key64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err("not a verifier key: expected <name>+<key id>+<base64 key>".into());
        };
        let bytes = BASE64
            .decode(key64)
            .map_err(|_| "the key is not base64".to_string())?;
        let Some((&COSIGNATURE_V1_TYPE, public_key)) = bytes.split_first() else {
            return Err("not a cosignature/v1 key (its type byte must be 0x04)".into());
        };
        let public_key: [u8; 32] = public_key
            .try_into()
            .map_err(|_| "an Ed25519 public key is 32 bytes".to_string())?;
        let point = ed25519_dalek::VerifyingKey::from_bytes(&public_key)
            .map_err(|_| "the public key is not a valid curve point".to_string())?;
        if point.is_weak() {
            return Err("the public key is of small order and would accept forgeries".into());
        }
        let name = KeyName::parse(name)?;
        let key_id = signed_note::key_id(name.as_str(), &bytes);
        if id.len() != 8 || u32::from_str_radix(id, 16).ok() != Some(key_id) {
            return Err("the key id does not match the key".into());
        }
        Ok(Self {
            name,
            key_id,
            public_key: point,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";

    #[test]
    fn the_c2sp_example_verifier_key_parses() {
        let key = VerifierKey::parse(EXAMPLE).unwrap();
        assert_eq!(key.name.as_str(), "example.com/foo");
        assert_eq!(key.key_id, 0x530d_903a);
    }

    #[test]
    fn a_verifier_key_with_a_wrong_id_is_refused() {
        let bad = EXAMPLE.replace("530d903a", "530d903b");
        assert!(VerifierKey::parse(&bad).is_err());
    }

    #[test]
    fn a_small_order_public_key_is_refused() {
        // The identity point (y = 1) has order 1.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let vkey = signed_note::new_ed25519_verifier_key(
            "weak",
            &ed25519_dalek::VerifyingKey::from_bytes(&identity).unwrap(),
        );
        let err = VerifierKey::parse(&vkey).unwrap_err();
        assert!(err.contains("small order"), "{err}");
    }

    #[test]
    fn roles_are_registrable_only_in_their_kind_of_delegation() {
        assert!(Role::Liaison.registrable_in(DelegationKind::Party));
        assert!(!Role::Liaison.registrable_in(DelegationKind::Mediator));
        assert!(Role::Commissioner.registrable_in(DelegationKind::Mediator));
        assert!(!Role::Root.registrable_in(DelegationKind::Party));
    }
}

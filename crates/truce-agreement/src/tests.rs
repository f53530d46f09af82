//! The ceremony end to end with fresh keys, and every refusal naming its field.

use std::fmt::Write as _;

use truce_core::Timestamp;
use truce_core::genesis::DelegationKind;
use truce_log::KeyPair;

use crate::{AgreementFile, Draft, SignatureLine};

const ORIGIN: &str = "ceasefire.example/2026";

struct Keys {
    log: KeyPair,
    roots: Vec<(&'static str, KeyPair)>,
}

fn keys() -> Keys {
    let root = |id| KeyPair::generate(&format!("{ORIGIN}/{id}/root")).unwrap();
    Keys {
        log: KeyPair::generate(ORIGIN).unwrap(),
        roots: ["north", "south", "guarantor", "team", "embassy"]
            .into_iter()
            .map(|id| (id, root(id)))
            .collect(),
    }
}

/// A small agreement between two parties, with a mediator, a monitoring team and an
/// observer; `extra` is appended as written.
fn agreement(keys: &Keys, extra: &str) -> String {
    let kinds = ["party", "party", "mediator", "monitor", "observer"];
    let mut text = format!(
        "title = \"North–South ceasefire\"\nconvener = \"guarantor\"\nreply_window_hours = 48\n\
         adopted_at = \"2026-03-01T12:00:00Z\"\n{extra}\n\
         [log]\norigin = \"{ORIGIN}\"\nvkey = \"{}\"\n",
        keys.log.vkey()
    );
    for ((id, key), kind) in keys.roots.iter().zip(kinds) {
        let _ = write!(
            text,
            "[[delegations]]\nid = \"{id}\"\nname = \"{id} delegation\"\nkind = \"{kind}\"\nroot_key = \"{}\"\n",
            key.vkey()
        );
    }
    text += "[quorum.finding]\neligible = [\"guarantor\", \"team\"]\ndelegations_min = 2\n\
             [quorum.amendment]\neligible = [\"north\", \"south\", \"guarantor\"]\ndelegations_min = 3\n\
             [[provisions]]\nid = \"ceasefire\"\ntitle = \"Cessation of hostilities\"\ntext = \"No fire across the line.\"\n\
             translations.ar = { title = \"وقف الأعمال العدائية\", text = \"لا إطلاق نار عبر الخط.\" }\n";
    text
}

fn now() -> Timestamp {
    Timestamp::parse("2026-03-02T00:00:00Z").unwrap()
}

fn draft(keys: &Keys) -> Draft {
    AgreementFile::parse(&agreement(keys, ""))
        .unwrap()
        .draft(None, now())
        .unwrap()
}

/// Each delegation's line as its `.sig` file carries it, read back as assembly reads it.
fn signed_by_all(keys: &Keys, draft: &Draft) -> Vec<(String, SignatureLine)> {
    keys.roots
        .iter()
        .map(|(id, key)| {
            let source = format!("{id}.sig");
            let file = draft.sign(key).unwrap().to_string();
            (
                source.clone(),
                SignatureLine::parse(&source, &file).unwrap(),
            )
        })
        .collect()
}

fn refusal(result: Result<impl std::fmt::Debug, crate::AgreementError>) -> (String, String) {
    let error = result.expect_err("refused");
    (error.field, error.reason)
}

#[test]
fn a_draft_signed_by_every_root_assembles_into_an_admissible_genesis() {
    let keys = keys();
    let draft = draft(&keys);
    assert_eq!(
        draft.genesis().delegations[4].kind,
        DelegationKind::Observer
    );
    assert_eq!(draft.sha256_hex().len(), 64);
    // The same agreement drafts the same text, whoever drafts it.
    let again = Draft::parse(draft.text()).unwrap();
    assert_eq!(again.sha256_hex(), draft.sha256_hex());

    let note = draft.assemble(&signed_by_all(&keys, &draft)).unwrap();
    let text = String::from_utf8(note).unwrap();
    let lines: Vec<&str> = text.lines().skip(2).collect();
    assert_eq!(lines.len(), 5, "{text}");
    assert!(
        lines[0].starts_with(&format!("— {ORIGIN}/guarantor/root ")),
        "the convener's signature comes first: {text}"
    );
}

#[test]
fn assembly_names_a_missing_delegation() {
    let keys = keys();
    let draft = draft(&keys);
    let mut signatures = signed_by_all(&keys, &draft);
    signatures.remove(1);
    let (field, reason) = refusal(draft.assemble(&signatures));
    assert_eq!(field, "signatures");
    assert!(
        reason.contains("delegation south has not signed"),
        "{reason}"
    );
}

#[test]
fn assembly_refuses_a_key_the_draft_does_not_name() {
    let keys = keys();
    let draft = draft(&keys);
    let mut signatures = signed_by_all(&keys, &draft);
    let stranger = KeyPair::generate(&format!("{ORIGIN}/stranger/root")).unwrap();
    let line = stranger.signature(draft.text().as_bytes());
    let file = format!(
        "— {} {}\n",
        line.name(),
        base64_of(line.id(), line.signature())
    );
    signatures.push((
        "stranger.sig".into(),
        SignatureLine::parse("stranger.sig", &file).unwrap(),
    ));
    let (field, reason) = refusal(draft.assemble(&signatures));
    assert_eq!(field, "stranger.sig");
    assert!(
        reason.contains("not a root key this draft names"),
        "{reason}"
    );
    // And `sign` will not make such a line in the first place.
    assert_eq!(refusal(draft.sign(&stranger)).0, "key");
}

#[test]
fn assembly_refuses_a_signature_over_another_text_naming_the_delegation() {
    let keys = keys();
    let draft = draft(&keys);
    let other = AgreementFile::parse(&agreement(&keys, "exercise = true"))
        .unwrap()
        .draft(None, now())
        .unwrap();
    let mut signatures = signed_by_all(&keys, &draft);
    signatures[0] = ("north.sig".into(), other.sign(&keys.roots[0].1).unwrap());
    let (field, reason) = refusal(draft.assemble(&signatures));
    assert_eq!(field, "north.sig");
    assert!(
        reason.contains("delegation north's signature does not verify"),
        "{reason}"
    );
}

#[test]
fn assembly_refuses_a_second_signature_by_the_same_root() {
    let keys = keys();
    let draft = draft(&keys);
    let mut signatures = signed_by_all(&keys, &draft);
    signatures.push(("north-again.sig".into(), signatures[0].1.clone()));
    let (field, reason) = refusal(draft.assemble(&signatures));
    assert_eq!(field, "north-again.sig");
    assert!(reason.contains("second signature"), "{reason}");
}

#[test]
fn a_bad_agreement_file_is_refused_naming_its_key() {
    let keys = keys();
    let valid = agreement(&keys, "");
    let cases = [
        ("colour = \"blue\"", "colour", "unknown field `colour`"),
        ("exercise = \"yes\"", "exercise", "invalid type"),
    ];
    for (extra, field, reason) in cases {
        let (got_field, got_reason) = refusal(AgreementFile::parse(&agreement(&keys, extra)));
        assert_eq!(got_field, field, "{extra}: {got_reason}");
        assert!(got_reason.contains(reason), "{extra}: {got_reason}");
    }
    let kind = valid.replacen("kind = \"party\"", "kind = \"belligerent\"", 1);
    assert_eq!(
        refusal(AgreementFile::parse(&kind)).0,
        "delegations[0].kind"
    );
}

#[test]
fn a_bad_constitution_is_refused_at_drafting_naming_its_key() {
    let keys = keys();
    let valid = agreement(&keys, "");
    let south = keys.roots[1].1.vkey();
    let cases = [
        (
            valid.replace(&south, "south+00000000+AAAA"),
            "delegations[1].root_key",
        ),
        (
            valid.replace("convener = \"guarantor\"", "convener = \"nobody\""),
            "convener",
        ),
        (
            valid.replace(
                "eligible = [\"guarantor\", \"team\"]",
                "eligible = [\"guarantor\", \"embassy\"]",
            ),
            "quorum.finding.eligible[1]",
        ),
        (
            valid.replace("translations.ar", "translations.xx"),
            "provisions[0].translations.xx",
        ),
        (
            valid.replace(
                "adopted_at = \"2026-03-01T12:00:00Z\"",
                "adopted_at = \"March\"",
            ),
            "adopted_at",
        ),
        (
            valid.replace(
                "kind = \"party\"\nroot_key",
                "kind = \"mediator\"\nroot_key",
            ),
            "delegations",
        ),
    ];
    for (text, field) in cases {
        let file = AgreementFile::parse(&text).unwrap();
        let (got, reason) = refusal(file.draft(None, now()));
        assert_eq!(got, field, "{reason}");
    }
}

#[test]
fn a_geometry_hash_written_must_match_the_file_read() {
    let keys = keys();
    let sha = "ab".repeat(32);
    let text = agreement(&keys, "") + &format!("[geometry]\nsha256 = \"{sha}\"\n");
    let file = AgreementFile::parse(&text).unwrap();
    let draft = file.draft(Some(sha.clone()), now()).unwrap();
    assert_eq!(
        draft.genesis().border_geometry_sha256.as_deref(),
        Some(sha.as_str())
    );
    let (field, _) = refusal(file.draft(Some("cd".repeat(32)), now()));
    assert_eq!(field, "geometry.sha256");
}

#[test]
fn a_signature_file_holds_exactly_one_line() {
    let keys = keys();
    let draft = draft(&keys);
    let line = draft.sign(&keys.roots[0].1).unwrap().to_string();
    assert!(SignatureLine::parse("a.sig", &line).is_ok());
    for bad in [
        format!("{line}{line}"),
        line.replace('—', "-"),
        "— name !!!\n".into(),
    ] {
        assert_eq!(refusal(SignatureLine::parse("a.sig", &bad)).0, "a.sig");
    }
}

fn base64_of(id: u32, signature: &[u8]) -> String {
    use base64::Engine;
    let mut bytes = id.to_be_bytes().to_vec();
    bytes.extend_from_slice(signature);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

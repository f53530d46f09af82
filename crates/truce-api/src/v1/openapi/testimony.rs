//! The OpenAPI description of sealed testimony (see [`crate::v1::testimony`]).

use serde_json::{Value, json};

use super::refs::{problem, reference};

/// The testimony paths, each with its operations.
pub(super) fn paths() -> Vec<(&'static str, Value)> {
    let ok = |schema: Value| json!({"description": "OK", "content": {"application/json": {"schema": schema}}});
    let index = json!([{"name": "index", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 0}}]);
    let sha256 = json!([{"name": "sha256", "in": "path", "required": true,
        "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}]);
    let signed = "Signed with the officer's own key: headers Truce-Key (its name), Truce-Time (Unix seconds, within 300 s of the node's clock) and Truce-Signature (base64 Ed25519 over \"truce signed request v1\\n<origin>\\n<METHOD> <path>\\n<time>\\n\"). `truce testimony` does it.";
    let unsigned =
        problem("The request is not signed by an active key, or too far from the node's clock");
    let gone =
        problem("The file belongs to a testimony destroyed on the record; the node kept no copy");
    vec![
        (
            "/api/v1/custodians",
            json!({"get": {"summary": "The agreement's policy for sealed testimony and every active custodian's encryption key", "tags": ["testimony"],
                "operationId": "getCustodians", "responses": {"200": ok(reference("Custodians"))}}}),
        ),
        (
            "/api/v1/testimonies",
            json!({"get": {"summary": "The newest testimonies' public parts (at most 200): pseudonym, consent, the statement that may be shown, the sealed part's SHA-256", "tags": ["testimony"],
                "operationId": "getTestimonies", "responses": {"200": ok(json!({"type": "object", "required": ["items"], "properties": {
                    "items": {"type": "array", "items": reference("Testimony")}, "next": {"type": "null"}}}))}}}),
        ),
        (
            "/api/v1/testimonies/{index}",
            json!({"get": {"summary": "One testimony: its public part, who holds its shares, the requests to unseal it with their approvals and status", "tags": ["testimony"],
                "operationId": "getTestimony", "parameters": index,
                "responses": {"200": ok(reference("TestimonyDetail")), "400": problem("Not a log index"), "404": problem("No testimony at this index")}}}),
        ),
        (
            "/api/v1/public-reports/{id}/sealed-contact",
            json!({"get": {"summary": "The sealed form of the way to reach a public reporter (the sealed part's SHA-256, the policy, each custodian's share), to record as a testimony. Monitors only", "description": signed,
                "tags": ["testimony"], "operationId": "getSealedContact",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": ok(reference("SealedContact")), "401": unsigned.clone(),
                    "403": problem("Not a monitor's key"), "404": problem("No such public report, or it left no sealed contact")}}}),
        ),
        (
            "/api/v1/sealed/{sha256}",
            json!({
            "get": {"summary": "A sealed file: a custodian's own share, a share released to the caller's request, or the sealed part once the approvals on the caller's request meet the policy. Anyone else gets 404, as for a file that does not exist", "description": signed,
                "tags": ["testimony"], "operationId": "getSealed", "parameters": sha256,
                "responses": {"200": {"description": "The file", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                    "400": problem("Not a SHA-256"), "401": unsigned, "404": problem("No such file that the caller may read"), "410": gone}},
            "put": {"summary": "Store a sealed part, a share or a released share under its SHA-256 (checked on arrival), before the entry that names it; one no entry names within an hour is deleted", "description": signed,
                "tags": ["testimony"], "operationId": "putSealed", "parameters": sha256,
                "requestBody": {"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": {"201": {"description": "Stored", "content": {"application/json": {"schema": {"type": "object",
                    "required": ["sha256", "bytes"], "properties": {"sha256": {"type": "string"}, "bytes": {"type": "integer"}}}}}},
                    "400": problem("Not a SHA-256, or the body was cut off"), "401": unsigned,
                    "403": problem("A device or root key does not seal testimony"), "410": gone,
                    "429": problem("This key stored its hour's share of sealed files (1,000)"),
                    "413": problem("Larger than limits.evidence_bytes_max"), "422": problem("The bytes do not hash to the name")}}
            }),
        ),
    ]
}

/// The testimony answers' schemas.
pub(super) fn schemas() -> Value {
    let string = json!({"type": "string"});
    let integer = json!({"type": "integer"});
    let nullable = |t: &str| json!({"type": [t, "null"]});
    let policy = json!({"type": "object", "required": ["threshold", "request_hours"], "properties": {
        "threshold": integer, "request_hours": integer,
        "at_least": {"type": "object", "additionalProperties": {"type": "integer"}}}});
    let custodian = json!({"type": "object", "required": ["index", "key", "delegation", "encryption_key", "registered_at"], "properties": {
        "index": integer, "key": string, "delegation": string, "encryption_key": string, "registered_at": string}});
    let testimony_fields = [
        "index",
        "pseudonym",
        "incident_idx",
        "statement",
        "consent",
        "sealed_sha256",
        "sealed_bytes",
        "policy",
        "recorded_by",
        "author",
        "recorded_at",
        "destroyed_idx",
        "destroyed_reason",
        "destroyed_note",
        "destroyed_at",
    ];
    let testimony = json!({"type": "object", "required": testimony_fields, "properties": {
        "index": integer, "pseudonym": string, "incident_idx": nullable("integer"), "statement": nullable("string"),
        "consent": {"type": "array", "items": {"enum": ["quote", "share_with_parties", "publish_redacted", "never"]}},
        "sealed_sha256": string, "sealed_bytes": integer, "policy": policy, "recorded_by": string, "author": string,
        "recorded_at": string, "destroyed_idx": nullable("integer"), "destroyed_reason": nullable("string"),
        "destroyed_note": nullable("string"), "destroyed_at": nullable("string")}});
    let share = json!({"type": "object", "required": ["testimony_idx", "custodian", "delegation", "sha256"], "properties": {
        "testimony_idx": integer, "custodian": string, "delegation": string, "sha256": string}});
    let approval = json!({"type": "object", "required": ["index", "request_idx", "custodian", "delegation", "sha256", "approved_at"], "properties": {
        "index": integer, "request_idx": integer, "custodian": string, "delegation": string, "sha256": string, "approved_at": string}});
    let request = json!({"type": "object", "required": ["index", "testimony_idx", "requester", "requester_delegation", "reason",
        "finding_idx", "recipient", "requested_at", "expires_at", "approvals", "status"], "properties": {
        "index": integer, "testimony_idx": integer, "requester": string, "requester_delegation": string, "reason": string,
        "finding_idx": nullable("integer"), "recipient": string, "requested_at": string, "expires_at": string,
        "approvals": {"type": "array", "items": approval}, "status": {"enum": ["open", "approved", "lapsed", "destroyed"]}}});
    let file = json!({"type": "object", "required": ["sha256", "bytes"], "properties": {"sha256": string, "bytes": integer}});
    let sealed_share = json!({"type": "object", "required": ["custodian", "encryption_key", "sha256"], "properties": {
        "custodian": string, "encryption_key": string, "sha256": string}});
    json!({
        "SealedContact": {"type": "object", "required": ["sealed", "policy", "shares"], "properties": {
            "sealed": file, "policy": policy, "shares": {"type": "array", "items": sealed_share}}},
        "Custodians": {"type": "object", "required": ["policy", "custodians"], "properties": {
            "policy": {"oneOf": [{"type": "null"}, policy]}, "custodians": {"type": "array", "items": custodian}}},
        "Testimony": testimony,
        "TestimonyDetail": {"allOf": [reference("Testimony"), {"type": "object", "required": ["shares", "requests"], "properties": {
            "shares": {"type": "array", "items": share}, "requests": {"type": "array", "items": request}}}]},
    })
}

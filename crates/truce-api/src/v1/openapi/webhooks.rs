//! The OpenAPI description of `/api/v1/webhooks` (see [`crate::v1::webhooks`]).

use serde_json::{Value, json};

use super::refs::{problem, reference};

/// The webhook paths, each with its operations.
pub(super) fn paths() -> Vec<(&'static str, Value)> {
    let secured = json!([{"token": []}]);
    let unauthorized = problem("No token, or an unknown or expired one");
    let forbidden = problem(
        "The caller is not a commissioner or a monitor (or, to delete, neither its maker nor a commissioner)",
    );
    let id = json!({"name": "id", "in": "path", "required": true,
        "schema": {"type": "string", "pattern": "^[0-9a-f]{24}$"}, "description": "the webhook's id"});
    let ok = |schema: Value| json!({"description": "OK", "content": {"application/json": {"schema": schema}}});
    let items = |name: &str| {
        json!({"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": reference(name)}}})
    };
    let status = json!({"name": "status", "in": "query", "required": false,
        "schema": {"type": "string", "enum": ["pending", "delivered", "failed"]}});
    vec![
        (
            "/api/v1/webhooks",
            json!({
            "get": {"summary": "The node's webhooks", "tags": ["alerts"], "operationId": "getWebhooks",
                "security": secured, "responses": {"200": ok(items("Webhook")), "401": unauthorized, "403": forbidden}},
            "post": {"summary": "Subscribe: entries of these kinds meeting every condition are posted to the URL, signed the Standard Webhooks way (webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>) with the secret answered once here; failed deliveries are retried with a growing wait",
                "tags": ["alerts"], "operationId": "createWebhook", "security": secured,
                "requestBody": {"required": true, "content": {"application/json": {"schema": reference("NewWebhook")}}},
                "responses": {"201": {"description": "Subscribed; deliveries start with the next entry logged",
                        "content": {"application/json": {"schema": reference("CreatedWebhook")}}},
                    "400": problem("A field is wrong; `field` names it"), "401": unauthorized, "403": forbidden,
                    "409": problem("The node keeps limits.webhooks_max webhooks already")}}}),
        ),
        (
            "/api/v1/webhooks/{id}",
            json!({
            "get": {"summary": "One webhook, with how many deliveries are pending, delivered and failed", "tags": ["alerts"],
                "operationId": "getWebhook", "security": secured, "parameters": [id],
                "responses": {"200": ok(reference("WebhookDetail")), "401": unauthorized, "403": forbidden,
                    "404": problem("No such webhook")}},
            "delete": {"summary": "Unsubscribe, forgetting its deliveries", "tags": ["alerts"], "operationId": "deleteWebhook",
                "security": secured, "parameters": [id],
                "responses": {"204": {"description": "Deleted"}, "401": unauthorized, "403": forbidden,
                    "404": problem("No such webhook")}}}),
        ),
        (
            "/api/v1/webhooks/{id}/deliveries",
            json!({
            "get": {"summary": "A webhook's deliveries, newest entry first, each with its attempts and last outcome",
                "tags": ["alerts"], "operationId": "getWebhookDeliveries", "security": secured, "parameters": [id, status],
                "responses": {"200": ok(items("Delivery")), "400": problem("status is not pending, delivered or failed"),
                    "401": unauthorized, "403": forbidden, "404": problem("No such webhook")}}}),
        ),
    ]
}

/// The webhook schemas.
pub(super) fn schemas() -> Value {
    let string = json!({"type": "string"});
    let time = json!({"type": ["string", "null"], "format": "date-time"});
    let nullable_integer = json!({"type": ["integer", "null"]});
    let condition = json!({"type": "object", "required": ["path"], "minProperties": 2, "maxProperties": 2,
        "description": "a JSON Pointer into the entry (/kind, /author, /payload/...) and one test",
        "properties": {"path": {"type": "string", "pattern": "^/"}, "equals": {}, "one_of": {"type": "array", "minItems": 1},
            "at_least": {"type": "number"}, "at_most": {"type": "number"}, "starts_with": string}});
    let kinds: Vec<&str> = truce_core::kinds::KNOWN.iter().map(|(k, _)| *k).collect();
    let new = json!({"url": {"type": "string", "format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://",
            "description": "where deliveries are posted: http:// or https://, no user name or password (422), a public address unless webhooks_private_networks (422)"},
        "kinds": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": kinds}, "description": "entry kinds, e.g. report.submitted"},
        "filter": {"type": ["array", "null"], "maxItems": 16, "items": condition, "description": "every condition must hold (none: every entry of the kinds)"},
        "description": {"type": ["string", "null"], "maxLength": 200}});
    let mut webhook = new.clone();
    for (name, schema) in [
        ("id", string.clone()),
        ("created_by", string.clone()),
        (
            "created_at",
            json!({"type": "string", "format": "date-time"}),
        ),
        (
            "next_index",
            json!({"type": "integer", "minimum": 0, "description": "the first entry not yet matched"}),
        ),
    ] {
        webhook[name] = schema;
    }
    let required = [
        "id",
        "url",
        "kinds",
        "filter",
        "description",
        "created_by",
        "created_at",
        "next_index",
    ];
    let object = |properties: &Value, required: &[&str]| json!({"type": "object", "required": required, "properties": properties});
    let mut created = webhook.clone();
    created["secret"] = json!({"type": "string", "pattern": "^whsec_", "description": "the signing secret, shown only now"});
    let mut detail = webhook.clone();
    detail["deliveries"] = json!({"type": "object", "required": ["pending", "delivered", "failed"],
        "additionalProperties": {"type": "integer"}});
    json!({
        "NewWebhook": {"type": "object", "required": ["url", "kinds"], "properties": new, "additionalProperties": false},
        "Webhook": object(&webhook, &required),
        "CreatedWebhook": object(&created, &[&required[..], &["secret"]].concat()),
        "WebhookDetail": object(&detail, &[&required[..], &["deliveries"]].concat()),
        "Delivery": object(&json!({"index": {"type": "integer"}, "kind": string, "status": {"enum": ["pending", "delivered", "failed"]},
            "attempts": {"type": "integer"}, "next_attempt_at": time, "last_attempt_at": time,
            "last_status": nullable_integer, "last_error": {"type": ["string", "null"]}, "delivered_at": time}),
            &["index", "kind", "status", "attempts", "next_attempt_at", "last_attempt_at", "last_status", "last_error", "delivered_at"]),
    })
}

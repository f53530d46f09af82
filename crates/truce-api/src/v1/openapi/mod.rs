//! `GET /api/v1/openapi.json`: the API described as OpenAPI 3.1, generated from the same
//! constants the handlers use: each list's parameters, and each row's fields from the
//! projection's column lists (see [`super::rows::schema`]). `tests/it/openapi.rs` calls
//! every operation and validates each answer against this description.

pub(crate) mod geometry;
pub(crate) mod refs;
pub(crate) mod testimony;
pub(crate) mod webhooks;

use std::sync::LazyLock;

use axum::Json;
use axum::extract::State;
use serde_json::{Map, Value, json};

use super::rows::{schema, table};
use super::workflow::{
    COMMITMENTS, CONTACTS, FINDINGS, INVESTIGATIONS, Listing, MEASURES, RESTRICTIONS, ROUNDS,
};
use crate::state::AppState;
use refs::{problem, reference};

/// What an operation answers with on success.
enum Answer {
    /// A component schema, as JSON.
    Json(&'static str),
    /// A page of items of a component schema (`items`, `next`).
    Page(&'static str),
    /// An array of a component schema.
    Array(&'static str),
    /// Text of a media type.
    Text(&'static str),
    /// A GeoJSON `FeatureCollection` (`application/geo+json`).
    GeoJson,
}

struct Operation {
    path: &'static str,
    summary: &'static str,
    tag: &'static str,
    /// Query parameters (`cursor` and `limit` included where they apply).
    query: Vec<&'static str>,
    answer: Answer,
}

fn op(
    path: &'static str,
    summary: &'static str,
    tag: &'static str,
    query: &[&'static str],
    answer: Answer,
) -> Operation {
    Operation {
        path,
        summary,
        tag,
        query: query.to_vec(),
        answer,
    }
}

fn listing_query(listing: &Listing) -> Vec<&'static str> {
    let mut names = vec!["cursor", "limit"];
    names.extend(listing.filters.iter().map(|(p, _)| *p));
    names
}

/// The node and the record itself.
fn operations() -> Vec<Operation> {
    use Answer::{Array, Json, Text};
    vec![
        op(
            "/healthz",
            "Health of this node and the size of its log",
            "node",
            &[],
            Json("Health"),
        ),
        op(
            "/metrics",
            "Prometheus metrics",
            "node",
            &[],
            Text("text/plain"),
        ),
        op(
            "/log/checkpoint",
            "The newest C2SP checkpoint signed by the log key that carries the genesis's witness quorum, with every witness cosignature the node holds for it",
            "record",
            &[],
            Text("text/plain"),
        ),
        op(
            "/log/vkey",
            "The log's C2SP verifier key",
            "record",
            &[],
            Text("text/plain"),
        ),
        op(
            "/api/v1/log/witnesses",
            "The witnesses the genesis names: what each last cosigned and the last error asking it; and how many entries the newest witnessed checkpoint lags the newest signed",
            "record",
            &[],
            Json("Witnesses"),
        ),
        op(
            "/api/v1/entries/{index}",
            "One entry: its signed note and decoded JSON",
            "record",
            &[],
            Json("Entry"),
        ),
        op(
            "/api/v1/entries/{index}/proof",
            "A C2SP tlog-proof of the entry's inclusion",
            "record",
            &["size"],
            Text("text/plain"),
        ),
        op(
            "/api/v1/keys",
            "Every key registered on the log, revoked ones included",
            "record",
            &[],
            Array("Key"),
        ),
        op(
            "/api/v1/keys/{name}",
            "One key and where its author chain stands",
            "record",
            &[],
            Json("KeyDetail"),
        ),
        op(
            "/api/v1/compliance",
            "Per party: allegations, findings, measures, denials of access, commitments; per provision: crossings closed past the agreement's threshold",
            "findings",
            &[],
            Json("Compliance"),
        ),
    ]
}

/// The agreement in force, the neutral actor registry and the parties' designations.
fn actor_operations() -> Vec<Operation> {
    use Answer::{Json, Page};
    vec![
        op(
            "/api/v1/agreement",
            "The agreement in force (provisions, ladder, reply window as last amended) and its amendments",
            "agreement",
            &[],
            Json("Agreement"),
        ),
        op(
            "/api/v1/actors",
            "The neutral registry of armed groups and forces",
            "actors",
            &listing_query(&super::actors::ACTORS),
            Page("Actor"),
        ),
        op(
            "/api/v1/actors/{key}",
            "One actor (by slug id or log index) with every party's designations side by side",
            "actors",
            &[],
            Json("ActorDetail"),
        ),
        op(
            "/api/v1/publications",
            "Situation reports entered on the log by their SHA-256 (find a file by its hash, or a period's publications)",
            "publications",
            &listing_query(&super::publications::PUBLICATIONS),
            Page("Publication"),
        ),
    ]
}

/// The mechanism's records, read from the projection.
fn mechanism_operations() -> Vec<Operation> {
    use Answer::{Json, Page};
    vec![
        op(
            "/api/v1/reports",
            "Reports (allegations), newest first",
            "allegations",
            super::reports::PARAMETERS,
            Page("Report"),
        ),
        op(
            "/api/v1/reports/{index}",
            "One report",
            "allegations",
            &[],
            Json("Report"),
        ),
        op(
            "/api/v1/incidents",
            "Incidents, newest first",
            "allegations",
            super::incidents::PARAMETERS,
            Page("Incident"),
        ),
        op(
            "/api/v1/incidents/{index}",
            "One incident: its reports, each party's statements side by side, investigations and findings",
            "allegations",
            &[],
            Json("IncidentDetail"),
        ),
        op(
            "/api/v1/investigations",
            "Investigations, newest first",
            "investigations",
            &listing_query(&INVESTIGATIONS),
            Page("Investigation"),
        ),
        op(
            "/api/v1/investigations/{index}",
            "One investigation with its steps and findings",
            "investigations",
            &[],
            Json("InvestigationDetail"),
        ),
        op(
            "/api/v1/findings",
            "Findings, newest first",
            "findings",
            &listing_query(&FINDINGS),
            Page("Finding"),
        ),
        op(
            "/api/v1/findings/{index}",
            "One finding with its votes, replies and measure",
            "findings",
            &[],
            Json("FindingDetail"),
        ),
        op(
            "/api/v1/measures",
            "Measures from the ladder, newest first",
            "findings",
            &listing_query(&MEASURES),
            Page("Measure"),
        ),
        op(
            "/api/v1/measures/{index}",
            "One measure",
            "findings",
            &[],
            Json("Measure"),
        ),
        op(
            "/api/v1/talks",
            "Rounds of talks, newest first",
            "talks",
            &listing_query(&ROUNDS),
            Page("TalksRound"),
        ),
        op(
            "/api/v1/talks/{index}",
            "One round with its commitments",
            "talks",
            &[],
            Json("TalksRoundDetail"),
        ),
        op(
            "/api/v1/commitments",
            "Commitments made at the talks, newest first",
            "talks",
            &listing_query(&COMMITMENTS),
            Page("Commitment"),
        ),
    ]
}

/// The border crossings: status, closure alerts and flows.
fn crossing_operations() -> Vec<Operation> {
    use Answer::Json;
    vec![
        op(
            "/api/v1/crossings",
            "Every crossing of the agreed gazetteer: current status, closure and its alert, latest flow and totals",
            "crossings",
            super::crossings::PARAMETERS,
            Json("Crossings"),
        ),
        op(
            "/api/v1/crossings/{id}",
            "One crossing: its status history newest first, its flows and their totals",
            "crossings",
            super::crossings::DETAIL_PARAMETERS,
            Json("CrossingDetail"),
        ),
    ]
}

/// Observations, their daily counts, and the sensors.
fn observation_operations() -> Vec<Operation> {
    use Answer::{Array, Json, Page, Text};
    vec![
        op(
            "/api/v1/observations",
            "Observations newest first: what a patrol, an observation post or a sensor saw or heard over a window, with totals and its place in the agreed geometry",
            "observations",
            super::observations::PARAMETERS,
            Page("Observation"),
        ),
        op(
            "/api/v1/observations/daily",
            "The daily counts a situation report leads with, for a UTC day (today by default) and optionally a province or border sector: per reporting delegation (the mechanism's first, each party's own beside it, never added together), by kind, against the day before, with the sensors down that day",
            "observations",
            super::observations::DAILY_PARAMETERS,
            Json("ObservationCounts"),
        ),
        op(
            "/api/v1/restrictions",
            "Restrictions on the monitors' movements (denial, delay, conditional passage, jamming, threat, fired upon, detention) newest first; party is the one that controlled the place",
            "observations",
            &listing_query(&RESTRICTIONS),
            Page("Restriction"),
        ),
        op(
            "/api/v1/liaison",
            "Liaison contacts newest first (hotline calls, messages, meetings, movement notices), each with the party's acknowledgement, the seconds it took, and the outcome",
            "observations",
            &listing_query(&CONTACTS),
            Page("LiaisonContact"),
        ),
        op(
            "/api/v1/exports/observations.csv",
            "Every observation, newest first, as CSV (window, place in the agreed geometry, totals, who recorded it), streamed",
            "exports",
            super::export::observations::PARAMETERS,
            Text("text/csv"),
        ),
        op(
            "/api/v1/sensors",
            "Every registered sensor with its current state",
            "observations",
            &[],
            Array("Sensor"),
        ),
    ]
}

/// The agreed geometry and where a point lies in it.
fn geo_operations() -> Vec<Operation> {
    use Answer::{GeoJson, Json};
    let shapes = [
        (
            "/api/v1/geo/border",
            "The border line (the Durand Line, the de facto border)",
        ),
        (
            "/api/v1/geo/provinces",
            "Both countries' provinces (admin-1), with their names",
        ),
        ("/api/v1/geo/countries", "Both countries' outlines"),
        ("/api/v1/geo/crossings", "The gazetteer of border crossings"),
    ];
    let mut operations = vec![op(
        "/api/v1/geo/locate",
        "Where a point lies: country, province, geodesic distance to the border line, nearest crossing",
        "geography",
        &["lat", "lon"],
        Json("Location"),
    )];
    operations.extend(
        shapes
            .into_iter()
            .map(|(path, summary)| op(path, summary, "geography", &["resolution"], GeoJson)),
    );
    let exports = [
        (
            "/api/v1/exports/reports.csv",
            "Every report matching the filters, oldest first, as CSV (Truce's columns), streamed",
            Answer::Text("text/csv"),
        ),
        (
            "/api/v1/exports/reports.hxl.csv",
            "As reports.csv, with an HXL hashtag row under the header",
            Answer::Text("text/csv"),
        ),
        (
            "/api/v1/exports/reports.acled.csv",
            "Every report in ACLED's columns and event-type labels",
            Answer::Text("text/csv"),
        ),
        (
            "/api/v1/exports/reports.ucdp.csv",
            "Every report in UCDP GED's columns (best/low/high, where_prec, date_prec)",
            Answer::Text("text/csv"),
        ),
        (
            "/api/v1/exports/reports.geojson",
            "Every report as a GeoJSON feature, one collection, streamed",
            GeoJson,
        ),
    ];
    operations.extend(exports.into_iter().map(|(path, summary, answer)| {
        op(path, summary, "exports", super::export::PARAMETERS, answer)
    }));
    operations.push(op(
        "/api/v1/geo/reports",
        "Reports as points for a map, newest first, with the report list's filters; `next` is the following page's cursor",
        "geography",
        super::reports::PARAMETERS,
        GeoJson,
    ));
    operations
}

/// The description, built once.
static DOCUMENT: LazyLock<Value> = LazyLock::new(document);

/// `GET /api/v1/openapi.json`, with this node's page limit and the enums of the geometry
/// its genesis agrees (countries, provinces, directions).
pub async fn serve(State(state): State<AppState>) -> Json<Value> {
    let mut document = DOCUMENT.clone();
    if let Ok(Some(geometry)) = super::geo::agreed(&state).await {
        geometry::follow(&mut document, geometry);
    }
    let most = state.config.limits.page_items_max;
    let items = document["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|p| p.values_mut());
    for get in items.filter_map(|item| item.get_mut("get")) {
        let parameters = get.get_mut("parameters").and_then(Value::as_array_mut);
        for parameter in parameters.into_iter().flatten() {
            if parameter["name"] == "limit" {
                parameter["schema"]["maximum"] = most.into();
            }
        }
    }
    Json(document)
}

fn document() -> Value {
    let mut paths = Map::new();
    for operation in operations()
        .into_iter()
        .chain(mechanism_operations())
        .chain(actor_operations())
        .chain(crossing_operations())
        .chain(observation_operations())
        .chain(geo_operations())
    {
        paths.insert(operation.path.into(), json!({"get": get(&operation)}));
    }
    paths.insert("/api/v1/entries".into(), json!({"post": submit()}));
    paths.insert(
        "/api/v1/entries/batch".into(),
        json!({"post": submit_batch()}),
    );
    paths.insert(
        "/api/v1/reports/provenance".into(),
        json!({"post": provenance()}),
    );
    paths.insert("/api/v1/evidence/{sha256}".into(), evidence_path());
    for (path, item) in session_paths()
        .into_iter()
        .chain(webhooks::paths())
        .chain(testimony::paths())
    {
        paths.insert(path.into(), item);
    }
    paths.insert("/api/v1/openapi.json".into(), json!({"get": {
        "summary": "This description", "tags": ["node"], "operationId": "openapi",
        "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}}));
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Truce",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The record of a ceasefire monitoring and verification mechanism. Every change is a signed entry on a transparency log (POST /api/v1/entries); the rest is read from the projection of that log. The log itself is also served as C2SP tlog-tiles under /log/tile/ (see c2sp.org/tlog-tiles), not described here.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}
        },
        "paths": paths,
        "components": {"schemas": schemas(), "securitySchemes": {
            "token": {"type": "http", "scheme": "bearer", "description": "a token from POST /api/v1/login or POST /api/v1/tokens"}}},
    })
}

fn get(operation: &Operation) -> Value {
    let mut parameters: Vec<Value> = operation
        .query
        .iter()
        .map(|name| query_parameter(name))
        .collect();
    let days = match operation.tag {
        // Flows are counted in whole days: their bounds are days, not instants.
        "crossings" => Some("a day, YYYY-MM-DD; flows overlapping from..to"),
        // A published report covers whole days.
        "publications" => {
            Some("a day, YYYY-MM-DD; the first (from) or last (to) day a report covers")
        }
        _ => None,
    };
    if let Some(description) = days {
        for parameter in &mut parameters {
            if parameter["name"] == "from" || parameter["name"] == "to" {
                parameter["schema"] = json!({"type": "string", "format": "date",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": description});
            }
        }
    }
    for segment in operation.path.split('/') {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            parameters.push(path_parameter(name));
        }
    }
    let (media, schema) = match &operation.answer {
        Answer::Json(name) => ("application/json", reference(name)),
        Answer::Page(name) => ("application/json", page(name)),
        Answer::Array(name) => (
            "application/json",
            json!({"type": "array", "items": reference(name)}),
        ),
        Answer::Text(media) => (*media, json!({"type": "string"})),
        Answer::GeoJson => ("application/geo+json", reference("FeatureCollection")),
    };
    let mut responses = Map::new();
    responses.insert(
        "200".into(),
        json!({"description": "OK", "content": {media: {"schema": schema}}}),
    );
    if !parameters.is_empty() {
        responses.insert(
            "400".into(),
            problem("A parameter is malformed or unknown; `field` names it"),
        );
    }
    if operation.query.contains(&"bbox") {
        responses.insert(
            "422".into(),
            problem("bbox is well-formed but its minimum is above its maximum"),
        );
    }
    if operation.tag == "geography" || operation.tag == "crossings" {
        responses.insert(
            "404".into(),
            problem("No border geometry is agreed in this log's genesis"),
        );
    }
    if operation.path.contains('{') {
        responses.insert(
            "404".into(),
            problem("Nothing of this kind at this index or name"),
        );
    }
    responses.insert(
        "503".into(),
        problem("The node could not answer in time; try again"),
    );
    json!({
        "summary": operation.summary,
        "tags": [operation.tag],
        "operationId": operation_id(operation.path),
        "parameters": parameters,
        "responses": responses,
    })
}

fn submit() -> Value {
    json!({
        "summary": "Append a signed entry (a C2SP signed note whose text is one line of canonical JSON)",
        "tags": ["record"], "operationId": "submitEntry",
        "requestBody": {"required": true, "content": {"text/plain": {"schema": {"type": "string", "minLength": 1,
            "description": "a C2SP signed note: one line of canonical JSON, a blank line, signature lines"}}}},
        "responses": {
            "201": {"description": "Appended and durable", "content": {"application/json": {"schema": reference("Receipt")}}},
            "400": problem("The note or its JSON is malformed"),
            "403": problem("The key is unknown, revoked, or not allowed to write this"),
            "409": problem("The entry conflicts with the log (sequence, duplicate, deadline)"),
            "413": problem("The entry is too large"),
            "415": problem("The body is not text/plain"),
            "422": problem("The payload is invalid; `field` names what and `detail` why"),
            "503": problem("The node cannot sequence now; submit the same note again"),
            "504": problem("Forwarded to the process that sequences, which did not answer: the entry may be on the log; look it up before submitting it again"),
        }
    })
}

fn submit_batch() -> Value {
    let result = json!({"oneOf": [reference("Receipt"), {"type": "object", "required": ["problem"],
        "properties": {"problem": reference("Problem")}}]});
    json!({
        "summary": "Append several signed entries in order (each admitted and acknowledged as if posted alone)",
        "tags": ["record"], "operationId": "submitEntries",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
            "required": ["notes"], "additionalProperties": false, "properties": {"notes": {"type": "array", "minItems": 1, "items": {"type": "string"},
            "description": "signed notes, at most submit_batch_entries_max"}}}}}},
        "responses": {
            "200": {"description": "Each note's receipt once durable, or the problem it was refused with, in order",
                "content": {"application/json": {"schema": {"type": "object", "required": ["appended", "results"],
                "properties": {"appended": {"type": "integer"}, "results": {"type": "array", "items": result}}}}}},
            "400": problem("The body is not a list of 1 to submit_batch_entries_max notes"),
            "413": problem("The body is larger than request_bytes_max"),
            "503": problem("The node could not answer in time, or (type not-sequencer) a request forwarded to a process that no longer sequences, refused whole"),
        }
    })
}

fn provenance() -> Value {
    json!({
        "summary": "Which rows of a dataset are already reports on the log (for an importer's dry run)",
        "tags": ["allegations"], "operationId": "reportProvenance",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object",
            "required": ["dataset", "rows"], "additionalProperties": false, "properties": {"dataset": {"type": "string", "pattern": SLUG_PATTERN, "description": "ucdp-ged, acled, ..."},
            "rows": {"type": "array", "maxItems": super::provenance::ROWS_MAX, "items": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,64}$"}}}}}}},
        "responses": {
            "200": {"description": "The rows asked about that are on the log, with their reports' indexes and the keys that filed them",
                "content": {"application/json": {"schema": {"type": "object", "required": ["dataset", "found"],
                "properties": {"dataset": {"type": "string"}, "found": {"type": "array", "items": {"type": "object",
                "required": ["row", "index", "author"], "properties": {"row": {"type": "string"}, "index": {"type": "integer"},
                "author": {"type": "string", "description": "the name of the key that filed the report"}}}}}}}}},
            "400": problem("The dataset or a row id is malformed; `field` names it"),
            "503": problem("The node could not answer in time; try again"),
        }
    })
}

/// Evidence files by SHA-256: upload (logged in) and download (as entitled).
fn evidence_path() -> Value {
    let sha256 = json!([{"name": "sha256", "in": "path", "required": true,
        "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}]);
    let unauthorized =
        problem("Not logged in (for a file that is not public, whether or not it exists)");
    json!({
        "get": {"summary": "A file some entry attaches: public ones to anyone; confidential ones to monitors, commissioners and the attaching delegation, after an evidence.accessed entry is on the log",
            "tags": ["evidence"], "operationId": "getEvidence",
            "parameters": [sha256[0].clone(), {"name": "purpose", "in": "query", "required": false, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "The file, with the media type it was attached with", "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
                "400": problem("Not a SHA-256"), "401": unauthorized,
                "404": problem("No file you may read with this hash is on the record, or it is not uploaded yet"),
                "503": problem("The access could not be recorded on the log; nothing was served")}},
        "put": {"summary": "Upload a file under its SHA-256 (checked on arrival). The token and the Content-Length are checked before the body is read (send Expect: 100-continue to learn of a refusal before sending); the body streams to storage and is kept only whole", "tags": ["evidence"], "operationId": "putEvidence",
            "security": [{"token": []}], "parameters": sha256,
            "requestBody": {"required": true, "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
            "responses": {"201": {"description": "Stored", "content": {"application/json": {"schema": {"type": "object",
                    "required": ["sha256", "bytes", "media_type"], "properties": {"sha256": {"type": "string"}, "bytes": {"type": "integer"}, "media_type": {"type": "string"}}}}}},
                "400": problem("Not a SHA-256, or no Content-Type, or the body was cut off"), "401": unauthorized,
                "413": problem("Larger than limits.evidence_bytes_max"),
                "422": problem("The bytes do not hash to the name, or differ in size from what an entry signed")}}
    })
}

/// Logging in, tokens, and the entries the server signs for a logged-in person.
fn session_paths() -> Vec<(&'static str, Value)> {
    let body = |properties: Value, required: &[&str]| {
        json!({"required": true, "content": {"application/json": {"schema": {
            "type": "object", "required": required, "properties": properties, "additionalProperties": false}}}})
    };
    let secured = json!([{"token": []}]);
    let unauthorized = problem("No token, or an unknown or expired one");
    let token_answer = json!({"description": "A token (shown once)", "content": {"application/json": {"schema": reference("Token")}}});
    vec![
        (
            "/api/v1/login",
            json!({"post": {"summary": "Log in: a bearer token for 12 hours", "tags": ["people"], "operationId": "login",
            "requestBody": body(json!({"name": {"type": "string", "pattern": "^[a-z0-9._-]{1,64}$"}, "password": {"type": "string", "maxLength": 1024},
                "device": {"type": "string", "maxLength": 128, "description": "the device token an earlier login from this device answered"}}), &["name", "password"]),
            "responses": {"201": token_answer, "400": problem("The body is not {name, password, device?}, or the name is not one an account can have; `field` says which"),
                "401": problem("The name or the password is wrong (the same answer for both)"),
                "429": problem("Too many failed logins for this name, or too many logins for the node: the detail says how long to wait")}}}),
        ),
        (
            "/api/v1/logout",
            json!({"post": {"summary": "The token stops working; with all=true, every token of the person", "tags": ["people"], "operationId": "logout",
            "security": secured, "parameters": [{"name": "all", "in": "query", "required": false, "schema": {"type": "boolean"}}],
            "responses": {"204": {"description": "Logged out"}, "400": problem("all is not true or false"), "401": unauthorized}}}),
        ),
        (
            "/api/v1/me",
            json!({"get": {"summary": "Who the token belongs to", "tags": ["people"], "operationId": "getMe",
            "security": secured, "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": reference("Person")}}},
                "401": unauthorized}}}),
        ),
        (
            "/api/v1/tokens",
            json!({"post": {"summary": "A further token for a script or device", "tags": ["people"], "operationId": "newToken",
            "security": secured,
            "requestBody": body(json!({"label": {"type": "string", "minLength": 1, "maxLength": 100}, "days": {"type": "integer", "minimum": 1, "maximum": 366},
                "password": {"type": "string", "maxLength": 1024, "description": "asked again: a session alone cannot mint long-lived tokens"},
                "device": {"type": "string", "maxLength": 128, "description": "the device token a login from this device answered"}}), &["label", "days", "password"]),
            "responses": {"201": token_answer, "400": problem("label or days is wrong; `field` says which"), "401": unauthorized,
                "429": problem("Too many failed password checks for this person, or for the node: the detail says how long to wait")}}}),
        ),
        (
            "/api/v1/people",
            json!({"post": {"summary": "An account for the holder of a registered key (the key is the authority)",
            "tags": ["people"], "operationId": "createPerson",
            "requestBody": body(json!({"name": {"type": "string", "pattern": "^[a-z0-9._-]{1,64}$"}, "password": {"type": "string", "minLength": 8, "maxLength": 1024},
                "skey": {"type": "string", "pattern": super::session::SKEY_PATTERN, "description": "the C2SP signer key of a key registered on the log"}}), &["name", "password", "skey"]),
            "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": reference("Person")}}},
                "400": problem("A field is malformed; `field` names it"),
                "422": problem("skey has the form of a signer key but is not one (its hash or algorithm)"),
                "403": problem("The key is not registered on the log, or revoked"),
                "409": problem("An account with this name or key exists")}}}),
        ),
        (
            "/api/v1/actions",
            json!({"post": {"summary": "The server signs an entry with the caller's key (custody: server) and submits it",
            "tags": ["people"], "operationId": "act", "security": secured,
            "requestBody": body(json!({"kind": {"type": "string"}, "payload": {"type": "object"},
                "attachments": {"type": "array", "items": {"type": "object", "required": ["sha256", "media_type", "bytes"], "additionalProperties": false,
                    "properties": {"sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "media_type": {"type": "string", "pattern": "^(?=[^/]*/)[\\x20-\\x7e]{1,127}$", "description": "type/subtype"},
                    "bytes": {"type": "integer", "minimum": 0}, "public": {"type": "boolean"}}}}}), &["kind", "payload"]),
            "responses": {"201": {"description": "Appended and durable", "content": {"application/json": {"schema": reference("Receipt")}}},
                "400": problem("The body or the payload is malformed"), "401": unauthorized,
                "403": problem("The caller's key may not write this"), "409": problem("The entry conflicts with the log"),
                "422": problem("The payload is invalid; `field` names what"), "503": problem("Try again")}}}),
        ),
    ]
}

fn operation_id(path: &str) -> String {
    let mut id = String::from("get");
    for part in path
        .trim_start_matches("/api/v1")
        .split(['/', '.', '{', '}'])
    {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            id.push(first.to_ascii_uppercase());
            id.extend(chars);
        }
    }
    id
}

fn query_parameter(name: &str) -> Value {
    let schema = match name {
        "limit" => json!({"type": "integer", "minimum": 1}),
        "cursor" | "size" | "incident" | "round" | "investigation" => index_schema(),
        "from" | "to" => {
            json!({"type": "string", "format": "date-time", "pattern": "Z$", "description": "RFC 3339 in UTC"})
        }
        "lat" => {
            return json!({"name": name, "in": "query", "required": true,
                "schema": {"type": "number", "minimum": -90, "maximum": 90, "description": "WGS 84 latitude, decimal degrees"}});
        }
        "lon" => {
            return json!({"name": name, "in": "query", "required": true,
                "schema": {"type": "number", "minimum": -180, "maximum": 180, "description": "WGS 84 longitude, decimal degrees"}});
        }
        "category" => {
            json!({"type": "string", "enum": ["voluntary_return", "deportation", "other"]})
        }
        "direction" => json!({"type": "string", "pattern": "^to_[a-z]{2}$",
            "description": "into the country with this ISO 3166-1 alpha-2 code (to_ and the code in lowercase); the enum lists the agreed geometry's"}),
        "day" => {
            json!({"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "a UTC day; an observation counts on the day its window ended"})
        }
        "sector" => json!({"type": "string", "pattern": SLUG_PATTERN,
            "description": "a border sector: the stretch of border around one crossing, by the crossing's gazetteer id"}),
        "sha256" => json!({"type": "string", "pattern": "^[0-9a-f]{64}$"}),
        "format" => json!({"type": "string", "enum": super::publications::FORMATS}),
        "language" => {
            json!({"type": "string", "enum": truce_core::mechanism::publication::REPORT_LANGUAGES})
        }
        "resolution" => json!({"type": "string", "enum": ["display", "full"],
            "description": "display (simplified for a slow link, the default) or full (the geometry computed with)"}),
        "country" => json!({"type": "string",
            "description": "where the report's point lies in the agreed geometry: a country's ISO 3166-1 alpha-2 code (either case), or none (outside every one); the enum lists the agreed geometry's"}),
        "province" => json!({"type": "string", "minLength": 1,
            "description": "a province of the agreed geometry, by ISO 3166-2 code or English name; the enum lists the agreed geometry's"}),
        "border_km_min" | "border_km_max" => json!({"type": "number", "minimum": 0,
            "description": "distance band: geodesic distance of the report's point from the border line, in km"}),
        "cross_border" => json!({"type": "string", "enum": ["true", "false"],
            "description": "true: reports of fire launched on one side of the line that landed on the other; false: reports with a launch point where both points are on one side, or either is outside both countries"}),
        "dataset" => json!({"type": "string", "pattern": SLUG_PATTERN,
            "description": "reports imported from this dataset (its slug in the report's provenance: ucdp-ged, acled)"}),
        "bbox" => json!({"type": "string", "pattern": BBOX_PATTERN,
            "description": "min_lon,min_lat,max_lon,max_lat (WGS 84; minimum not above maximum)"}),
        _ => json!({"type": "string"}),
    };
    json!({"name": name, "in": "query", "required": false, "schema": schema})
}

/// `min_lon,min_lat,max_lon,max_lat`: decimals without leading zeros or exponents, the
/// longitudes within ±180 and the latitudes within ±90 (what `listing::parse_bbox` takes;
/// a minimum above its maximum is refused as unprocessable, 422).
const BBOX_PATTERN: &str = concat!(
    r"^-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)",
    r",-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)",
    r",-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)",
    r",-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)$"
);

/// A slug (a dataset's, an actor's, a crossing's): 1 to 64 lowercase letters, digits and
/// inner hyphens, at least one letter.
const SLUG_PATTERN: &str = "^(?=[a-z0-9-]*[a-z])[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$";

/// A log index: what storage can hold (a signed 64-bit integer).
fn index_schema() -> Value {
    json!({"type": "integer", "minimum": 0, "maximum": i64::MAX})
}

fn path_parameter(name: &str) -> Value {
    let schema = if name == "index" {
        index_schema()
    } else if name == "key" {
        json!({"type": "string", "pattern": "^(0|[1-9][0-9]{0,17}|(?=[a-z0-9-]*[a-z])[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)$",
            "description": "an actor's slug id (e.g. ttp: lowercase letters, digits and inner hyphens, with at least one letter) or its log index"})
    } else if name == "id" {
        json!({"type": "string", "pattern": SLUG_PATTERN,
            "description": "a crossing's id in the gazetteer (e.g. torkham, chaman-spin-boldak)"})
    } else {
        let pattern = format!(
            "^[A-Za-z0-9._:/-]{{1,{}}}$",
            truce_core::names::KEY_NAME_BYTES_MAX
        );
        json!({"type": "string", "pattern": pattern,
            "description": "a key name (ASCII letters, digits and ._:/-); its slashes may be sent as they are"})
    };
    json!({"name": name, "in": "path", "required": true, "schema": schema})
}

fn page(name: &str) -> Value {
    json!({"type": "object", "required": ["items", "next"], "properties": {
        "items": {"type": "array", "items": reference(name)},
        "next": {"type": ["string", "null"], "description": "the cursor of the next page"}}})
}

/// `base` with more properties, all required.
fn extended(base: &str, extra: &Value) -> Value {
    let required: Vec<&String> = extra
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    json!({"allOf": [reference(base), {"type": "object", "required": required, "properties": extra}]})
}

fn array_of(name: &str) -> Value {
    json!({"type": "array", "items": reference(name)})
}

/// `GET /api/v1/log/witnesses`.
fn witnesses_schema() -> Value {
    let string = json!({"type": "string"});
    let nullable_integer = json!({"type": ["integer", "null"]});
    json!({"type": "object", "required": ["quorum", "signed_size", "witnessed_size", "lag_entries", "witnesses"], "properties": {
            "quorum": {"type": "integer", "description": "the genesis's witness_quorum"},
            "signed_size": {"type": "integer", "description": "the size of the newest checkpoint the log signed"},
            "witnessed_size": {"type": ["integer", "null"], "description": "the size of the newest checkpoint carrying the quorum of cosignatures (null: none yet)"},
            "lag_entries": {"type": "integer"},
            "witnesses": {"type": "array", "items": {"type": "object",
                "required": ["vkey", "delegation", "url", "cosigned_size", "cosigned_at", "last_error", "errors"], "properties": {
                "vkey": string, "delegation": string, "url": {"type": ["string", "null"]},
                "cosigned_size": nullable_integer, "cosigned_at": {"type": ["integer", "null"], "description": "the cosignature's time, POSIX seconds"},
                "last_error": {"type": ["string", "null"]}, "errors": {"type": "integer"}}}}}})
}

fn schemas() -> Value {
    let string = json!({"type": "string"});
    let nullable_integer = json!({"type": ["integer", "null"]});
    let counts = json!({"type": "object", "required": ["total", "by_status"], "properties": {
        "total": {"type": "integer"}, "by_status": {"type": "object", "additionalProperties": {"type": "integer"}}}});
    // Per provision, the crossings closed past the agreement's threshold.
    let provision_alerts = json!({"type": "array", "items": {"type": "object",
        "required": ["provision", "crossing_closure_days", "crossing_alerts"], "properties": {
        "provision": string, "crossing_closure_days": {"type": "integer"},
        "crossing_alerts": {"type": "array", "items": {"type": "object",
            "required": ["crossing", "name", "status", "closed_since", "closed_days"]}}}}});
    let mut schemas = json!({
        "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
            "type": string, "title": string, "status": {"type": "integer"}, "detail": string, "field": string}},
        "Health": {"type": "object", "required": ["status", "log_size", "backend"], "properties": {
            "status": string, "log_size": {"type": "integer"}, "backend": string}},
        "Receipt": {"type": "object", "required": ["index", "leaf_hash", "checkpoint"], "properties": {
            "index": {"type": "integer"}, "leaf_hash": string, "checkpoint": string}},
        "Entry": {"type": "object", "required": ["index", "leaf_hash", "logged_at", "note", "entry", "signatures"], "properties": {
            "index": {"type": "integer"}, "leaf_hash": string, "logged_at": string, "note": string,
            "entry": {"type": "object"},
            "signatures": {"type": "array", "items": {"type": "object", "properties": {"name": string, "key_id": string}}}}},
        "Key": {"type": "object", "required": ["name", "vkey", "key_id", "role", "delegation", "registered_at", "revoked_at"], "properties": {
            "name": string, "vkey": string, "key_id": string,
            "role": {"enum": ["root", "liaison", "monitor", "commissioner", "device"]},
            "delegation": string, "registered_at": {"type": "integer"}, "revoked_at": nullable_integer}},
        "KeyDetail": extended("Key", &json!({"seq": {"type": "integer"}, "last_leaf_hash": {"type": ["string", "null"]}})),
        "Report": {"type": "object", "required": ["index", "author", "delegation", "signed_at", "status", "report", "geography"], "properties": {
            "index": {"type": "integer"}, "author": string, "delegation": string, "signed_at": string, "status": string,
            "report": {"type": "object", "description": "the report.submitted payload as signed"},
            "geography": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/ReportGeography"}],
                "description": "where the report's points lie in the agreed geometry (null when the genesis agrees none)"}}},
        "Incident": {"type": "object", "required": ["index", "opened_by", "signed_at", "title", "summary", "accused", "status"], "properties": {
            "index": {"type": "integer"}, "opened_by": string, "signed_at": string, "title": string, "summary": string,
            "accused": {"type": "array", "items": string}, "status": string}},
        "Account": {"type": "object", "required": ["party", "statements"], "properties": {
            "party": string, "statements": {"type": "array", "items": {"type": "object", "required": ["index", "author", "kind", "text"]}}}},
        "IncidentDetail": extended("Incident", &json!({"reports": array_of("Report"), "accounts": array_of("Account"),
            "investigations": array_of("Investigation"), "findings": array_of("Finding"),
            "verifications": array_of("Verification"),
            "reconciliation": {"oneOf": [reference("Reconciliation"), {"type": "null"}]}})),
        "Verification": schema(table("report_verifications")),
        "Reconciliation": schema(table("casualty_reconciliations")),
        "Investigation": schema(table(INVESTIGATIONS.table)),
        "InvestigationStep": schema(table("investigation_steps")),
        "InvestigationDetail": extended("Investigation", &json!({"steps": array_of("InvestigationStep"), "findings": array_of("Finding")})),
        "Finding": {"allOf": [schema(table(FINDINGS.table)), {"type": "object", "required": ["reply_window_open"],
            "properties": {"reply_window_open": {"type": "boolean", "description": "by this server's clock"}}}]},
        "FindingVote": schema(table("finding_votes")),
        "Statement": schema(table("statements")),
        "FindingDetail": extended("Finding", &json!({"votes": array_of("FindingVote"), "replies": array_of("Statement"),
            "measure": {"oneOf": [reference("Measure"), {"type": "null"}]}})),
        "Measure": schema(table(MEASURES.table)),
        "TalksRound": schema(table(ROUNDS.table)),
        "Commitment": schema(table(COMMITMENTS.table)),
        "TalksRoundDetail": extended("TalksRound", &json!({"commitments": array_of("Commitment")})),
        "Compliance": compliance_schema(&provision_alerts, &counts),
    });
    let designations = json!({"type": "array", "items": reference("Designation")});
    schemas["Witnesses"] = witnesses_schema();
    schemas["Actor"] = schema(table(super::actors::ACTORS.table));
    schemas["Amendment"] = schema(table("amendments"));
    schemas["Publication"] = schema(table(super::publications::PUBLICATIONS.table));
    schemas["Agreement"] = json!({"type": "object",
        "required": ["title", "titles", "exercise", "origin", "delegations", "quorum", "provisions", "measures", "reply_window_hours", "amended_at", "amendments"],
        "properties": {"title": {"type": "string"}, "exercise": {"type": "boolean"}, "origin": {"type": "string"},
            "titles": {"type": "object", "description": "the title in other languages, by tag", "additionalProperties": {"type": "string"}},
            "delegations": {"type": "array", "items": {"type": "object", "required": ["id", "name", "names", "kind"],
                "properties": {"names": {"type": "object", "description": "the name in other languages of the web application, by tag", "additionalProperties": {"type": "string"}}}}},
            "quorum": {"type": "object"},
            "provisions": {"type": "array", "items": {"type": "object", "required": ["id", "title", "text"],
                "properties": {"translations": {"type": "object", "description": "the title and text in other languages, by tag"}}}},
            "measures": {"type": "array", "items": {"type": "object", "required": ["id", "title", "description"],
                "properties": {"translations": {"type": "object", "description": "the title and description in other languages, by tag"}}}},
            "reply_window_hours": {"type": "integer"}, "amended_at": {"type": ["integer", "null"]},
            "amendments": {"type": "array", "items": reference("Amendment")}}});
    schemas["Designation"] = schema(table("designations"));
    schemas["ActorDetail"] = extended(
        "Actor",
        &json!({"designations": {"type": "array", "items": {
        "type": "object", "required": ["party", "name", "current", "withdrawn"], "properties": {
            "party": {"type": "string"}, "name": {"type": ["string", "null"]},
            "current": designations, "withdrawn": designations}}}}),
    );
    for more in [
        people_schemas(),
        crossing_schemas(),
        observation_schemas(),
        geo_schemas(),
        webhooks::schemas(),
        testimony::schemas(),
    ] {
        for (name, schema) in more.as_object().into_iter().flatten() {
            schemas[name] = schema.clone();
        }
    }
    schemas
}

/// The compliance summary's schema: per party, each tally's total and split.
fn compliance_schema(provision_alerts: &Value, counts: &Value) -> Value {
    let string = json!({"type": "string"});
    let tallies = [
        "allegations_against",
        "allegations_made",
        "findings_attributed",
        "measures",
        "access_denials",
        "commitments",
        "restrictions",
    ];
    let mut properties = json!({"party": string, "name": string});
    for tally in tallies {
        properties[tally] = counts.clone();
    }
    properties["liaison"] = json!({"type": "object",
        "required": ["contacts", "acknowledged", "no_answer", "mean_response_s", "max_response_s"],
        "description": "how the party answered the mechanism's liaison contacts: counts, and seconds from contact to acknowledgement",
        "properties": {"contacts": {"type": "integer"}, "acknowledged": {"type": "integer"}, "no_answer": {"type": "integer"},
            "mean_response_s": {"type": ["integer", "null"]}, "max_response_s": {"type": ["integer", "null"]}}});
    let mut required = vec!["party", "name", "liaison"];
    required.extend(tallies);
    json!({"type": "object", "required": ["parties", "provisions"], "properties": {
        "provisions": provision_alerts,
        "parties": {"type": "array", "items": {"type": "object", "required": required, "properties": properties}}}})
}

/// The schemas of logging in: a token, and the person it belongs to.
fn people_schemas() -> Value {
    let string = json!({"type": "string"});
    json!({
        "Token": {"type": "object", "required": ["token", "expires_at"], "properties": {
            "token": string, "expires_at": {"type": ["string", "null"]}, "person": reference("Person"),
            "device": {"type": "string", "description": "a login's device token: sent as `device` with the next logins from this device, it lets them through while others guessing the name must wait"}}},
        "Person": {"type": "object", "required": ["name", "delegation", "role", "key"], "properties": {
            "name": string, "delegation": string, "role": string, "key": string, "custody": string}},
    })
}

/// The crossings answers' schemas.
fn crossing_schemas() -> Value {
    let nullable = |t: &str| json!({"type": [t, "null"]});
    let status = json!({"oneOf": [reference("CrossingStatus"), {"type": "null"}]});
    let alert = json!({"oneOf": [{"type": "null"}, {"type": "object",
        "required": ["provision", "threshold_days", "closed_since", "closed_days"], "properties": {
            "provision": {"type": "string"}, "threshold_days": {"type": "integer"},
            "closed_since": {"type": "string"}, "closed_days": {"type": "integer"}}}],
        "description": "set when the crossing has been closed (or open only to deport people) longer than the agreement's threshold, by this server's clock"});
    let count = json!({"type": "object", "required": ["low", "best", "high"], "properties": {
        "low": {"type": "integer"}, "best": {"type": "integer"}, "high": {"type": "integer"}}});
    let totals = json!({"type": "array", "description": "per delegation that reported them, direction and category; one delegation's figures are never added to another's",
        "items": {"type": "object", "required": ["reported_by", "direction", "category", "flows", "count"], "properties": {
            "reported_by": {"type": "string"}, "direction": {"type": "string"}, "category": {"type": "string"},
            "flows": {"type": "integer"}, "count": count}}});
    let crossing = json!({"type": "object",
        "required": ["id", "name", "lat", "lon", "status", "closed_since", "closed_days", "alert", "totals"],
        "properties": {"id": {"type": "string"}, "name": nullable("string"), "lat": nullable("number"), "lon": nullable("number"),
            "status": status, "closed_since": nullable("string"), "closed_days": nullable("integer"),
            "alert": alert, "totals": totals}});
    json!({
        "CrossingStatus": schema(table("crossing_statuses")),
        "CrossingFlow": schema(table("crossing_flows")),
        "Crossing": crossing,
        "Crossings": {"type": "object", "required": ["items", "closure_alert"], "properties": {
            "items": {"type": "array", "items": {"allOf": [reference("Crossing"), {"type": "object", "required": ["latest_flow"],
                "properties": {"latest_flow": {"oneOf": [reference("CrossingFlow"), {"type": "null"}]}}}]}},
            "closure_alert": {"type": ["object", "null"], "required": ["closure_days", "provision"],
                "description": "the agreement's threshold, as the genesis names it"}}},
        "CrossingDetail": extended("Crossing", &json!({"history": array_of("CrossingStatus"), "flows": array_of("CrossingFlow")})),
    })
}

/// The observations answers' schemas.
fn observation_schemas() -> Value {
    let integer = json!({"type": "integer"});
    let string = json!({"type": "string"});
    let nullable = |t: &str| json!({"type": [t, "null"]});
    let kinds = json!({"type": "array", "items": {"type": "object", "required": ["kind", "count"],
        "properties": {"kind": string, "count": integer}}});
    let delegation = json!({"type": "object",
        "required": ["delegation", "mechanism", "observations", "total", "explosions", "previous_total", "previous_explosions", "kinds"],
        "properties": {"delegation": string, "mechanism": {"type": "boolean", "description": "the mechanism's own counts (a monitoring delegation's); otherwise a party's"},
            "observations": integer, "total": integer, "explosions": integer,
            "previous_total": integer, "previous_explosions": integer, "kinds": kinds}});
    let down = json!({"type": "object", "required": ["sensor", "name", "kind", "since", "reason"], "properties": {
        "sensor": string, "name": nullable("string"), "kind": nullable("string"), "since": string, "reason": nullable("string")}});
    json!({
        "Observation": schema(table("observations")),
        "Restriction": schema(table("restrictions")),
        "LiaisonContact": schema(table("liaison_contacts")),
        "Sensor": extended_schema(schema(table("sensors")), &json!({
            "state": {"type": "string", "enum": ["up", "down"]}, "state_since": nullable("string"), "reason": nullable("string")})),
        "ObservationCounts": {"type": "object", "required": ["from", "to", "previous_from", "previous_to", "area", "delegations", "sensors_down"], "properties": {
            "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
            "previous_from": {"type": "string", "format": "date"}, "previous_to": {"type": "string", "format": "date"},
            "area": {"type": "object", "properties": {"province": string, "sector": string}},
            "delegations": {"type": "array", "items": delegation},
            "sensors_down": {"type": "array", "items": down}}},
    })
}

/// `base` with more required properties.
fn extended_schema(mut base: Value, extra: &Value) -> Value {
    for (name, property) in extra.as_object().into_iter().flatten() {
        base["properties"][name] = property.clone();
        if let Some(required) = base["required"].as_array_mut() {
            required.push(name.clone().into());
        }
    }
    base
}

/// The geography answers' schemas.
fn geo_schemas() -> Value {
    json!({
        "Location": {"type": "object", "required": ["country", "admin1", "admin1_code", "border_distance_km", "nearest_crossing"],
            "properties": {
                "country": {"type": ["string", "null"], "description": "ISO 3166-1 alpha-2; null outside every country of the geometry"},
                "admin1": {"type": ["string", "null"], "description": "the province's name"},
                "admin1_code": {"type": ["string", "null"], "description": "ISO 3166-2"},
                "border_distance_km": {"type": "number", "minimum": 0, "description": "geodesic (WGS 84) distance to the border line"},
                "nearest_crossing": {"type": ["object", "null"], "required": ["name", "distance_km"],
                    "properties": {"name": {"type": "string"}, "distance_km": {"type": "number", "minimum": 0}}}}},
        "ReportGeography": {"type": "object",
            "required": ["country", "admin1", "admin1_code", "border_distance_km", "nearest_crossing", "launch", "impact", "cross_border"],
            "properties": {
                "country": {"type": ["string", "null"], "description": "ISO 3166-1 alpha-2"},
                "admin1": {"type": ["string", "null"]}, "admin1_code": {"type": ["string", "null"]},
                "border_distance_km": {"type": "number", "minimum": 0},
                "nearest_crossing": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["id", "distance_km"],
                    "properties": {"id": {"type": "string"}, "distance_km": {"type": "number", "minimum": 0}}}]},
                "launch": {"$ref": "#/components/schemas/PointPlace"},
                "impact": {"$ref": "#/components/schemas/PointPlace"},
                "cross_border": {"type": ["boolean", "null"], "description": "null without a launch point"}}},
        "PointPlace": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["country", "admin1_code", "border_distance_km"],
            "properties": {"country": {"type": ["string", "null"]}, "admin1_code": {"type": ["string", "null"]},
                "border_distance_km": {"type": "number", "minimum": 0}}}]},
        "FeatureCollection": {"type": "object", "required": ["type", "features"], "description": "RFC 7946",
            "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array", "items": {
                "type": "object", "required": ["type", "geometry", "properties"],
                "properties": {"type": {"const": "Feature"}, "geometry": {"type": "object", "required": ["type"]},
                    "properties": {"type": ["object", "null"]}}}}}}
    })
}

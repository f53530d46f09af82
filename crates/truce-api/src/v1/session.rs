//! Logging in and out, tokens, and who the caller is.
//!
//! `POST /api/v1/login` with a name and password answers a bearer token; every request
//! that acts for a person carries it as `Authorization: Bearer <token>`. Wrong names and
//! wrong passwords get the same answer after the same work.

use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use serde_json::{Value, json};

use crate::accounts::{self, Caller, Issued};
use crate::problem::Problem;
use crate::state::AppState;

/// How long a login lasts.
const SESSION: Duration = Duration::from_hours(12);
/// The longest an API token may be asked to last.
const TOKEN_DAYS_MAX: u64 = 366;

/// The caller named by the request's bearer token, if it carries one. A token that is
/// unknown or expired is refused rather than treated as anonymous.
pub async fn bearer(state: &AppState, headers: &HeaderMap) -> Result<Option<Caller>, Problem> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| Problem::unauthorized("Authorization must be 'Bearer <token>'"))?;
    accounts::caller(&state.store, token.trim())
        .await
        .map_err(|e| Problem::internal(&e))?
        .map(Some)
        .ok_or_else(|| Problem::unauthorized("the token is unknown or has expired; log in again"))
}

/// The caller, who must be logged in.
pub async fn required(state: &AppState, headers: &HeaderMap) -> Result<Caller, Problem> {
    bearer(state, headers)
        .await?
        .ok_or_else(|| Problem::unauthorized("log in first (POST /api/v1/login) and send the token as 'Authorization: Bearer <token>'"))
}

/// Parses a JSON object body, naming what is wrong.
/// Refuses a member not in `fields`, naming it: a misspelt field is an error, never
/// silently ignored (the description says `additionalProperties: false`).
pub fn object(body: &Bytes, fields: &[&str]) -> Result<serde_json::Map<String, Value>, Problem> {
    let map = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Err(Problem::bad_request("body", "must be a JSON object")),
        Err(e) => return Err(Problem::bad_request("body", format!("is not JSON: {e}"))),
    };
    if let Some(unknown) = map.keys().find(|k| !fields.contains(&k.as_str())) {
        return Err(Problem::bad_request(
            unknown,
            format!(
                "{unknown}: is not a field of this body ({})",
                fields.join(", ")
            ),
        ));
    }
    Ok(map)
}

/// The members of `POST /api/v1/login`, `/tokens` and `/people` (the description's too).
pub const LOGIN_FIELDS: &[&str] = &["name", "password", "device"];
pub const TOKEN_FIELDS: &[&str] = &["label", "days", "password", "device"];
pub const PERSON_FIELDS: &[&str] = &["name", "password", "skey"];

/// A whole number as JSON Schema's `integer` has it: `30` or `30.0`, not `30.5`.
fn whole_number(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| {
        let number = value.as_f64().filter(|d| d.fract() == 0.0 && *d >= 0.0)?;
        format!("{number:.0}").parse().ok()
    })
}

/// A required string member of a JSON object.
pub fn string<'a>(
    body: &'a serde_json::Map<String, Value>,
    field: &str,
) -> Result<&'a str, Problem> {
    body.get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| Problem::bad_request(field, format!("{field} must be a string")))
}

fn issued(issued: &Issued) -> Value {
    let expires = time::OffsetDateTime::from_unix_timestamp(issued.expires_ms / 1_000)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        });
    json!({"token": issued.token, "expires_at": expires})
}

/// The optional `device` member: the device token an earlier login answered, which lets
/// its holder log in while others guessing the name must wait (`logins`).
fn device(body: &serde_json::Map<String, Value>) -> Result<Option<&str>, Problem> {
    match body.get("device") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(token)) if token.chars().count() <= 128 => Ok(Some(token)),
        Some(_) => Err(Problem::bad_request(
            "device",
            "device must be the device token an earlier login answered",
        )),
    }
}

/// `POST /api/v1/login` `{name, password, device?}`.
pub async fn login(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), Problem> {
    let body = object(&body, LOGIN_FIELDS)?;
    let (name, password) = (string(&body, "name")?, string(&body, "password")?);
    let logged_in = state
        .password_login(name, password, device(&body)?, "session", SESSION)
        .await?
        .ok_or_else(|| Problem::unauthorized("the name or the password is wrong"))?;
    let caller = accounts::caller(&state.store, &logged_in.issued.token)
        .await
        .map_err(|e| Problem::internal(&e))?
        .ok_or_else(|| Problem::internal(&"a token just issued is not found"))?;
    let mut answer = issued(&logged_in.issued);
    answer["person"] = json!(caller.person);
    answer["device"] = json!(logged_in.device);
    Ok((StatusCode::CREATED, Json(answer)))
}

/// `POST /api/v1/logout[?all=true]`: the token stops working; with `all`, every token of
/// the person does (API tokens included).
pub async fn logout(
    State(state): State<AppState>,
    Query(query): Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<StatusCode, Problem> {
    let caller = required(&state, &headers).await?;
    let all = match query.get("all").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            let detail = format!("all must be true or false (got {other:?})");
            return Err(Problem::bad_request("all", detail));
        }
    };
    let ended = if all {
        accounts::revoke_all(&state.store, &caller).await
    } else {
        accounts::revoke(&state.store, &caller).await
    };
    ended.map_err(|e| Problem::internal(&e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/me`: who the token belongs to, and how their entries are signed.
pub async fn me(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Value>, Problem> {
    let caller = required(&state, &headers).await?;
    let mut answer = json!(caller.person);
    answer["custody"] = json!("server");
    Ok(Json(answer))
}

/// `POST /api/v1/tokens` `{label, days, password, device?}`: a token for a script or a device.
/// The password is asked again: a session alone cannot mint long-lived tokens.
pub async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), Problem> {
    let caller = required(&state, &headers).await?;
    let body = object(&body, TOKEN_FIELDS)?;
    let label = string(&body, "label")?;
    if label.is_empty() || label.chars().count() > 100 {
        return Err(Problem::bad_request(
            "label",
            "label must be 1 to 100 characters",
        ));
    }
    // A whole number, as JSON Schema's `integer` has it (so `30.0` too).
    let days = body
        .get("days")
        .and_then(whole_number)
        .filter(|d| (1..=TOKEN_DAYS_MAX).contains(d))
        .ok_or_else(|| {
            Problem::bad_request(
                "days",
                format!("days must be a whole number from 1 to {TOKEN_DAYS_MAX}"),
            )
        })?;
    let password = string(&body, "password")?;
    let ttl = Duration::from_secs(days * 86_400);
    let logged_in = state
        .password_login(&caller.person.name, password, device(&body)?, label, ttl)
        .await?
        .ok_or_else(|| Problem::unauthorized("the password is wrong"))?;
    Ok((StatusCode::CREATED, Json(issued(&logged_in.issued))))
}

/// A C2SP signer key: one not of the described form is malformed (400); one of that form
/// whose parts do not make a key (its hash, its algorithm byte) is unprocessable (422).
fn signer_key(skey: &str) -> Result<truce_log::KeyPair, Problem> {
    truce_log::KeyPair::from_skey(skey).map_err(|e| {
        let detail = format!("skey is not a C2SP signer key: {e}");
        if has_skey_form(skey) {
            Problem::unprocessable("skey", detail)
        } else {
            Problem::bad_request("skey", detail)
        }
    })
}

/// The description's `skey` pattern: `PRIVATE+KEY+`, a name without `+` or spaces, `+`,
/// eight hex digits, `+`, then base64.
pub const SKEY_PATTERN: &str = r"^PRIVATE\+KEY\+[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$";

/// Whether `skey` matches [`SKEY_PATTERN`].
fn has_skey_form(skey: &str) -> bool {
    let name_char = |c: char| c != '+' && !c.is_whitespace() && c != '\u{feff}';
    let Some((name, rest)) = skey
        .strip_prefix("PRIVATE+KEY+")
        .and_then(|r| r.split_once('+'))
    else {
        return false;
    };
    let Some((hash, key)) = rest.split_once('+') else {
        return false;
    };
    let base64 = key.trim_end_matches('=');
    !name.is_empty()
        && name.chars().all(name_char)
        && hash.len() == 8
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && !base64.is_empty()
        && base64
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// `POST /api/v1/people` `{name, password, skey}`: an account for the holder of a key
/// the log has registered. Possession of the private key is the authority: only the
/// person the delegation's root registered it for has it. The server keeps the key
/// sealed under the password and signs with it only for that person's requests.
pub async fn create_person(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), Problem> {
    let body = object(&body, PERSON_FIELDS)?;
    let name = string(&body, "name")?;
    accounts::validate_name(name).map_err(|e| Problem::bad_request("name", format!("name {e}")))?;
    let password = string(&body, "password")?;
    if password.chars().count() < 8 {
        return Err(Problem::bad_request(
            "password",
            "password must be at least 8 characters",
        ));
    }
    accounts::validate_password(password)
        .map_err(|e| Problem::bad_request("password", format!("password {e}")))?;
    let key = signer_key(string(&body, "skey")?)?;
    let keys = state.store.keys().await?;
    let record = keys
        .iter()
        .find(|k| &k.name == key.name() && k.vkey == key.vkey())
        .filter(|k| k.revoked_at.is_none())
        .ok_or_else(|| {
            let mut problem = Problem::new(StatusCode::FORBIDDEN, "unregistered-key", "Key not registered",
                format!("{} is not a registered, unrevoked key of this log: its delegation's root registers it first", key.name()));
            problem.field = Some("skey".into());
            problem
        })?;
    let person = accounts::Person {
        name: name.to_string(),
        delegation: record.delegation.clone(),
        role: record.role,
        key: record.name.clone(),
    };
    if accounts::exists(&state.store, &person)
        .await
        .map_err(|e| Problem::internal(&e))?
    {
        let mut problem = Problem::new(
            StatusCode::CONFLICT,
            "account-exists",
            "Account exists",
            "an account with this name, or holding this key, exists already",
        );
        problem.field = Some("name".into());
        return Err(problem);
    }
    accounts::create(&state.store, &person, password, &key)
        .await
        .map_err(|e| Problem::internal(&e))?;
    Ok((StatusCode::CREATED, Json(json!(person))))
}

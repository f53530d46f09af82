//! `/api/v1/openapi.json` describes what the node answers: every documented operation is
//! called on the whole exercise, with real indexes and names, and each answer is
//! validated against the schema documented for its status code; every route the router
//! serves under `/api/v1/` is documented.

use crate::support::*;
use serde_json::{Value, json};

/// Validates `body` against `schema`, a schema inside the description.
fn validate(document: &Value, schema: &Value, body: &Value, what: &str) {
    let errors = errors(document, schema, body, what);
    assert!(errors.is_empty(), "{what}: {errors:?}\n{body}");
}

fn errors(document: &Value, schema: &Value, body: &Value, what: &str) -> Vec<String> {
    // Root the schema in the document so its `#/components/...` references resolve.
    let mut root = document.clone();
    root["$ref"] = json!("#/$defs/answer");
    root["$defs"] = json!({"answer": schema});
    root["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    let validator = jsonschema::validator_for(&root).unwrap_or_else(|e| panic!("{what}: {e}"));
    validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// A real value for each path parameter, from the lists.
async fn example_path(app: &TestApp, path: &str) -> String {
    if path == "/api/v1/geo/locate" {
        return format!("{path}?lat=34.1&lon=71.1"); // Torkham
    }
    if path == "/api/v1/actors/{key}" {
        let actors = app.get_json("/api/v1/actors").await;
        return format!(
            "/api/v1/actors/{}",
            actors["items"][0]["id"].as_str().unwrap()
        );
    }
    if path == "/api/v1/crossings/{id}" {
        return "/api/v1/crossings/chaman-spin-boldak".to_string();
    }
    if path == "/api/v1/keys/{name}" {
        let keys = app.get_json("/api/v1/keys").await;
        return format!("/api/v1/keys/{}", keys[0]["name"].as_str().unwrap());
    }
    let Some(list) = path
        .strip_suffix("/{index}")
        .or(path.strip_suffix("/{index}/proof"))
    else {
        return path.to_string();
    };
    let index = if list.ends_with("/entries") {
        0
    } else {
        app.get_json(list).await["items"][0]["index"]
            .as_u64()
            .unwrap()
    };
    path.replace("{index}", &index.to_string())
}

#[tokio::test]
async fn every_documented_answer_matches_its_schema() {
    let app = spawn_exercise().await;
    let document = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(document["openapi"], "3.1.0");
    let paths = document["paths"].as_object().unwrap().clone();
    let mut checked = 0;
    for (path, item) in &paths {
        let Some(get) = item.get("get") else { continue };
        let url = example_path(&app, path).await;
        let response = app.get(&url).await;
        let status = response.status().as_u16().to_string();
        let media = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let documented = &get["responses"][&status];
        assert!(
            documented.is_object(),
            "GET {url} answered {status}, which is not documented"
        );
        if [
            "application/json",
            "application/problem+json",
            "application/geo+json",
        ]
        .iter()
        .any(|m| media.starts_with(m))
        {
            let body: Value = response.json().await.unwrap();
            let media = media.split(';').next().unwrap();
            let schema = &documented["content"][media]["schema"];
            validate(&document, schema, &body, &format!("GET {url}"));
            checked += 1;
        }
    }
    assert!(checked >= 18, "only {checked} answers were checked");
}

#[tokio::test]
async fn bad_parameters_get_documented_problems_naming_the_field() {
    let app = spawn_exercise().await;
    let document = app.get_json("/api/v1/openapi.json").await;
    for url in [
        "/api/v1/findings?limit=0",
        "/api/v1/findings?cursor=minus-one",
        "/api/v1/reports?bbox=1,2,3",
        "/api/v1/reports?from=yesterday",
        "/api/v1/findings?nonsense=1",
        "/api/v1/findings/not-a-number",
        "/api/v1/crossings?from=25-10-2025",
        "/api/v1/crossings/torkham?category=refugees",
        "/api/v1/crossings/Torkham",
    ] {
        let response = app.get(url).await;
        assert_eq!(response.status(), 400, "{url}");
        let problem: Value = response.json().await.unwrap();
        assert!(problem["field"].is_string(), "{url}: {problem}");
        validate(
            &document,
            &json!({"$ref": "#/components/schemas/Problem"}),
            &problem,
            url,
        );
    }
}

#[tokio::test]
async fn every_api_route_is_documented() {
    let app = spawn_exercise().await;
    let document = app.get_json("/api/v1/openapi.json").await;
    let source = include_str!("../../../truce-api/src/routes.rs");
    // Every `.route(` call's path, also where rustfmt put it on the next line.
    let paths: Vec<String> = source
        .split(".route(")
        .skip(1)
        .map(|call| call.split('"').nth(1).unwrap().replace("{*name}", "{name}"))
        .filter(|path| path.starts_with("/api/v1/"))
        .collect();
    assert!(
        paths.len() >= 30,
        "found only {} API routes: {paths:?}",
        paths.len()
    );
    for path in paths {
        assert!(
            document["paths"].get(&path).is_some(),
            "{path} is not in the OpenAPI description"
        );
    }
}

#[tokio::test]
async fn the_check_itself_catches_an_answer_that_does_not_match() {
    let app = spawn_exercise().await;
    let document = app.get_json("/api/v1/openapi.json").await;
    let mut measure = app.get_json("/api/v1/measures").await["items"][0].clone();
    let schema = json!({"$ref": "#/components/schemas/Measure"});
    assert!(errors(&document, &schema, &measure, "measure").is_empty());
    measure["ordinal"] = json!("first");
    assert!(!errors(&document, &schema, &measure, "measure").is_empty());
    measure.as_object_mut().unwrap().remove("ordinal");
    assert!(!errors(&document, &schema, &measure, "measure").is_empty());
}

#[tokio::test]
async fn errors_the_router_answers_itself_are_problem_json_too() {
    let app = spawn_demo().await;
    let invalid_utf8 = app.get("/api/v1/findings/%ff").await;
    assert_problem(&invalid_utf8, 400);
    let too_big = app
        .client
        .post(app.url("/api/v1/login"))
        .body(vec![b'x'; 2 << 20])
        .send()
        .await
        .unwrap();
    assert_problem(&too_big, 413);
    let wrong_method = app
        .client
        .delete(app.url("/api/v1/findings"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), 405);
    assert!(wrong_method.headers().contains_key("allow"));
    let problem: Value = wrong_method.json().await.unwrap();
    assert_eq!(problem["status"], 405);
}

fn assert_problem(response: &reqwest::Response, status: u16) {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
}

//! `GET /incidents/{index}`: one incident as the record tells it. The timeline of its
//! entries, the parties' competing accounts side by side with the mechanism's findings,
//! and the evidence by hash. Every step names its log index, with a "verify on the record"
//! button (`static/verify.js`) that checks the entry's inclusion proof and the checkpoint's
//! signature in the browser against the log key the genesis names; without JavaScript the
//! same step links to its proof file for `truce verify`.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::Value;
use truce_store::read::workflow::StepRow;

use super::Chrome;
use super::json::{items, minute, text};
use super::lang::Lang;
use super::names::Names;
use crate::api;
use crate::app::AppState;
use crate::problem::Problem;

#[derive(Template)]
#[template(path = "incident.html")]
pub struct Incident {
    pub lang: Lang,
    pub languages: &'static [Lang],
    pub css: &'static str,
    pub script: &'static str,
    pub log_size: u64,
    /// The checkpoint key the genesis names: what the browser verifies against.
    pub log_vkey: String,
    /// The genesis's witnesses (cosigner verifier keys, space-separated) and how many of
    /// them must have cosigned the checkpoint the browser checks against.
    pub witnesses: String,
    pub witness_quorum: u32,
    pub index: i64,
    pub title: String,
    pub summary: String,
    pub status: String,
    pub accused: Vec<String>,
    pub timeline: Vec<Step>,
    pub accounts: Vec<Account>,
    pub findings: Vec<Finding>,
    pub evidence: Vec<Evidence>,
}

impl Chrome for Incident {}

/// One entry of the record about the incident.
pub struct Step {
    pub index: i64,
    pub at: String,
    /// A message id: `step-report`, `step-statement`...
    pub what: &'static str,
    pub text: String,
    pub author: String,
    /// The author as the entry holds it: its key name, or its delegation where the page
    /// names only that (an incident's opener); empty where the page shows none.
    pub key: String,
    /// What the page says the entry holds: a JSON Pointer into its payload and the value
    /// there, which "verify on the record" compares with the verified entry itself.
    pub field: &'static str,
    pub claim: String,
}

/// One party's statements, in its own words and with its own figures.
pub struct Account {
    pub party: String,
    pub statements: Vec<Statement>,
}

pub struct Statement {
    pub index: i64,
    pub kind: String,
    pub lang: String,
    pub text: String,
    pub killed: Option<String>,
    pub injured: Option<String>,
    pub sources: Vec<String>,
}

/// The mechanism's account: a finding per provision.
pub struct Finding {
    pub index: i64,
    pub provision: String,
    pub determination: String,
    pub party: String,
    pub confidence: String,
    pub reasoning: String,
    pub status: String,
    pub reply_due: String,
}

/// A file attached to one of the incident's entries, by its SHA-256.
pub struct Evidence {
    pub index: i64,
    pub sha256: String,
    pub media_type: String,
    pub bytes: u64,
    pub public: bool,
}

/// `GET /incidents/{index}?lang=`.
pub async fn page(
    State(state): State<AppState>,
    Path(index): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let asked = query.get("lang").map(String::as_str);
    let lang = Lang::negotiate(asked, &headers);
    let incident = api::incidents::get(State(state.clone()), Path(index))
        .await?
        .0;
    let page = Incident::read(&state, lang, &incident).await?;
    let html = page.render().map_err(|e| Problem::internal(&e))?;
    super::page(html, asked, lang)
}

impl Incident {
    async fn read(state: &AppState, lang: Lang, incident: &Value) -> Result<Incident, Problem> {
        let genesis = api::compliance::genesis(state)
            .await?
            .ok_or_else(|| Problem::not_found("the log has no genesis yet"))?;
        let names = Names::read(state, lang).await?;
        let party = |id: &str| names.delegation(id);
        let steps = investigation_steps(state, incident).await?;
        let mut timeline = timeline(lang, incident, &steps);
        timeline.sort_by_key(|s| s.index);
        let evidence = evidence(state, &timeline).await?;
        Ok(Incident {
            lang,
            languages: &Lang::ALL,
            css: super::assets::CSS.path(),
            script: super::assets::VERIFY.path(),
            log_size: state.store.head().await?.size,
            log_vkey: genesis.log.vkey.clone(),
            witnesses: genesis
                .witnesses
                .iter()
                .map(|w| w.vkey.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            witness_quorum: genesis.witness_quorum,
            index: incident["index"].as_i64().unwrap_or(0),
            title: text(&incident["title"]),
            summary: text(&incident["summary"]),
            status: text(&incident["status"]),
            accused: items(&incident["accused"])
                .map(|p| party(p.as_str().unwrap_or_default()))
                .collect(),
            accounts: items(&incident["accounts"])
                .map(|a| Account {
                    party: party(a["party"].as_str().unwrap_or_default()),
                    statements: items(&a["statements"]).map(statement).collect(),
                })
                .collect(),
            findings: items(&incident["findings"])
                .map(|f| finding(lang, f, &names))
                .collect(),
            timeline,
            evidence,
        })
    }

    fn record(&self) -> String {
        super::lang::record_size(self.lang, self.log_size)
    }
}

/// The steps of each of the incident's investigations (the incident lists only their heads).
async fn investigation_steps(state: &AppState, incident: &Value) -> Result<Vec<StepRow>, Problem> {
    let mut steps = vec![];
    for investigation in items(&incident["investigations"]) {
        let index = api::entries::parse_index("index", &investigation["index"].to_string())?;
        steps.extend(state.store.children("investigation_idx", index).await?);
    }
    Ok(steps)
}

fn timeline(lang: Lang, incident: &Value, steps: &[StepRow]) -> Vec<Step> {
    let step = |what, entry: &Value, (field, claim): (&'static str, String), author: &Value| Step {
        index: entry["index"].as_i64().unwrap_or(0),
        at: minute(lang, &entry["signed_at"]),
        what,
        text: claim.clone(),
        author: short_name(author.as_str().unwrap_or_default()),
        key: text(author),
        field,
        claim,
    };
    let mut timeline = vec![step(
        "step-incident-opened",
        incident,
        ("/title", text(&incident["title"])),
        &incident["opened_by"],
    )];
    for report in items(&incident["reports"]) {
        let title = ("/title", text(&report["report"]["title"]));
        timeline.push(step("step-report", report, title, &report["author"]));
    }
    for account in items(&incident["accounts"]) {
        for statement in items(&account["statements"]) {
            let kind = if statement["kind"] == "reply" {
                "step-reply"
            } else {
                "step-statement"
            };
            timeline.push(step(
                kind,
                statement,
                ("/text", text(&statement["text"])),
                &statement["author"],
            ));
        }
    }
    for investigation in items(&incident["investigations"]) {
        let mandate = ("/mandate", text(&investigation["mandate"]));
        let what = "step-investigation-opened";
        timeline.push(step(what, investigation, mandate, &investigation["author"]));
    }
    for s in steps {
        timeline.push(Step {
            index: i64::try_from(s.index).unwrap_or(i64::MAX),
            at: super::dates::minute(lang, &s.occurred_at),
            what: "step-investigation-step",
            text: s.text.clone(),
            author: short_name(&s.author),
            key: s.author.clone(),
            field: "/text",
            claim: s.text.clone(),
        });
    }
    for finding in items(&incident["findings"]) {
        let author = &finding["proposed_by"];
        let reasoning = ("/reasoning", text(&finding["reasoning"]));
        let mut proposed = step("step-finding-proposed", finding, reasoning, author);
        proposed.text = format!("{}: {}", text(&finding["provision"]), proposed.text);
        timeline.push(proposed);
        if let Some(last) = finding["final_idx"].as_i64() {
            let determination = text(&finding["determination"]);
            timeline.push(Step {
                index: last,
                at: String::new(),
                what: "step-finding-final",
                text: lang.status(&determination),
                author: String::new(),
                key: String::new(),
                field: "/finding",
                claim: finding["index"].to_string(),
            });
        }
    }
    timeline
}

/// The files attached to the timeline's entries, read from the entries themselves.
async fn evidence(state: &AppState, timeline: &[Step]) -> Result<Vec<Evidence>, Problem> {
    let mut found = vec![];
    for step in timeline {
        let index = api::entries::parse_index("index", &step.index.to_string())?;
        let stored = api::entries::stored(state, index).await?;
        for file in &api::entries::parsed(&stored)?.envelope().attachments {
            found.push(Evidence {
                index: step.index,
                sha256: file.sha256.clone(),
                media_type: file.media_type.clone(),
                bytes: file.bytes,
                public: file.public,
            });
        }
    }
    Ok(found)
}

fn statement(s: &Value) -> Statement {
    Statement {
        index: s["index"].as_i64().unwrap_or(0),
        kind: text(&s["kind"]),
        lang: text(&s["lang"]),
        text: text(&s["text"]),
        killed: range(&s["figures"]["killed"]),
        injured: range(&s["figures"]["injured"]),
        sources: items(&s["sources"]).map(|src| text(&src["name"])).collect(),
    }
}

fn finding(lang: Lang, f: &Value, names: &Names) -> Finding {
    Finding {
        index: f["index"].as_i64().unwrap_or(0),
        provision: names.provision(f["provision"].as_str().unwrap_or_default()),
        determination: text(&f["determination"]),
        party: names.delegation(f["party"].as_str().unwrap_or_default()),
        confidence: text(&f["confidence"]),
        reasoning: text(&f["reasoning"]),
        status: text(&f["status"]),
        reply_due: minute(lang, &f["reply_due"]),
    }
}

/// A low–best–high range as `best (low–high)`, or nothing when the party gave none.
fn range(value: &Value) -> Option<String> {
    let (low, best, high) = (
        value["low"].as_u64()?,
        value["best"].as_u64()?,
        value["high"].as_u64()?,
    );
    Some(if low == high {
        best.to_string()
    } else {
        format!("{best} ({low}–{high})")
    })
}

/// An author is a key name: its last two parts (`jmt/monitor-2`) say who.
fn short_name(name: &str) -> String {
    let mut parts = name.rsplit('/');
    match (parts.next(), parts.next()) {
        (Some(key), Some(delegation)) => format!("{delegation}/{key}"),
        _ => name.to_string(),
    }
}

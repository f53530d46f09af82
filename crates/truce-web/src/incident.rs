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
use truce_core::mechanism::values::Range;
use truce_store::read::findings::FindingRow;
use truce_store::read::incidents::{AccountStatement, IncidentView};
use truce_store::read::verification::VerificationRow;
use truce_store::read::workflow::StepRow;

use super::Chrome;
use super::lang::Lang;
use super::names::Names;
use truce_api::problem::Problem;
use truce_api::state::AppState;
use truce_api::v1 as api;

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
    pub index: u64,
    pub title: String,
    pub summary: String,
    pub status: String,
    pub accused: Vec<String>,
    pub timeline: Vec<Step>,
    pub accounts: Vec<Account>,
    pub findings: Vec<Finding>,
    pub evidence: Vec<Evidence>,
    /// Each report's verification status in force, with the rule applied.
    pub verifications: Vec<Verified>,
    /// Each claimant's casualty figures (its latest that gave any), as low–best–high.
    pub claims: Vec<Claim>,
    /// The mechanism's corroborated ranges and why they differ, if it reconciled them.
    pub reconciliation: Option<Reconciled>,
    /// Sealed testimonies about the incident: what the record shows of them.
    pub testimonies: Vec<Testimony>,
}

/// A sealed testimony as every delegation sees it: never who the witness is.
pub struct Testimony {
    pub index: u64,
    pub pseudonym: String,
    /// What the witness consented to, in the page's language.
    pub consent: String,
    /// The part of the statement the witness agreed may be shown.
    pub statement: Option<String>,
    pub destroyed: bool,
}

impl Chrome for Incident {}

/// A report's verification status in force.
pub struct Verified {
    pub report: u64,
    pub status: String,
    pub rule: String,
}

/// One claimant's casualty figures.
pub struct Claim {
    pub claimant: String,
    pub killed: String,
    pub injured: String,
}

/// The mechanism's corroborated ranges.
pub struct Reconciled {
    pub killed: String,
    pub injured: String,
    pub explanation: String,
}

/// One entry of the record about the incident.
pub struct Step {
    pub index: u64,
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
    pub index: u64,
    pub kind: String,
    pub lang: String,
    pub text: String,
    pub killed: Option<String>,
    pub injured: Option<String>,
    pub sources: Vec<String>,
}

/// The mechanism's account: a finding per provision.
pub struct Finding {
    pub index: u64,
    pub provision: String,
    pub determination: String,
    pub party: String,
    pub confidence: String,
    pub reasoning: String,
    pub status: String,
    pub reply_due: String,
    /// `deliberate`, `accidental` or `undetermined`, for a violation that says.
    pub intent: Option<String>,
}

/// A file attached to one of the incident's entries, by its SHA-256.
pub struct Evidence {
    pub index: u64,
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
    let index = api::entries::parse_index("index", &index)?;
    let incident = api::incidents::incident(&state, index).await?;
    let page = Incident::read(&state, lang, &incident).await?;
    let html = page.render().map_err(|e| Problem::internal(&e))?;
    super::page(html, asked, lang)
}

impl Incident {
    async fn read(
        state: &AppState,
        lang: Lang,
        incident: &IncidentView,
    ) -> Result<Incident, Problem> {
        let genesis = state
            .genesis()
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
            index: incident.incident.index,
            title: incident.incident.title.clone(),
            summary: incident.incident.summary.clone(),
            status: incident.incident.status.clone(),
            accused: incident.incident.accused.iter().map(|p| party(p)).collect(),
            accounts: incident
                .accounts
                .iter()
                .map(|a| Account {
                    party: party(&a.party),
                    statements: a.statements.iter().map(|s| statement(lang, s)).collect(),
                })
                .collect(),
            findings: incident
                .findings
                .iter()
                .map(|f| finding(lang, &f.finding, &names))
                .collect(),
            timeline,
            evidence,
            verifications: verifications(incident),
            claims: claims(lang, incident, &party),
            reconciliation: incident.reconciliation.as_ref().map(|r| Reconciled {
                killed: lang.range(r.killed_low, r.killed_best, r.killed_high),
                injured: lang.range(r.injured_low, r.injured_best, r.injured_high),
                explanation: r.explanation.clone(),
            }),
            testimonies: testimonies(state, lang, incident.incident.index).await?,
        })
    }

    fn record(&self) -> String {
        super::lang::record_size(self.lang, self.log_size)
    }
}

/// The steps of each of the incident's investigations (the incident lists only their heads).
/// The latest status of each report that has one, by report.
async fn testimonies(
    state: &AppState,
    lang: Lang,
    incident: u64,
) -> Result<Vec<Testimony>, Problem> {
    let rows = state.store.incident_testimonies(incident).await?;
    Ok(rows
        .into_iter()
        .map(|t| Testimony {
            index: t.index,
            consent: t
                .consent
                .iter()
                .map(|c| lang.t_or(&format!("consent-{c}"), c))
                .collect::<Vec<_>>()
                .join(", "),
            statement: t.statement.filter(|_| t.destroyed_idx.is_none()),
            destroyed: t.destroyed_idx.is_some(),
            pseudonym: t.pseudonym,
        })
        .collect())
}

fn verifications(incident: &IncidentView) -> Vec<Verified> {
    let mut latest: std::collections::BTreeMap<u64, &VerificationRow> =
        std::collections::BTreeMap::new();
    for v in &incident.verifications {
        latest.insert(v.report_idx, v);
    }
    latest
        .into_values()
        .map(|v| Verified {
            report: v.report_idx,
            status: v.status.clone(),
            rule: v.rule.clone(),
        })
        .collect()
}

/// Each party's latest figures from its statements, as claimed.
fn claims(lang: Lang, incident: &IncidentView, party: &dyn Fn(&str) -> String) -> Vec<Claim> {
    incident
        .accounts
        .iter()
        .filter_map(|a| {
            let figures = a.statements.iter().rev().find_map(|s| s.figures)?;
            Some(Claim {
                claimant: party(&a.party),
                killed: range(lang, figures.killed),
                injured: range(lang, figures.injured),
            })
        })
        .collect()
}

async fn investigation_steps(
    state: &AppState,
    incident: &IncidentView,
) -> Result<Vec<StepRow>, Problem> {
    let mut steps = vec![];
    for investigation in &incident.investigations {
        let index = investigation.index;
        steps.extend(state.store.children("investigation_idx", index).await?);
    }
    Ok(steps)
}

/// One entry of the timeline: `what` it is, the entry's `index`, when it was signed, who
/// signed it, and the field of its payload the page shows.
fn step(
    lang: Lang,
    what: &'static str,
    (index, signed_at): (u64, &str),
    (field, claim): (&'static str, &str),
    author: &str,
) -> Step {
    Step {
        index,
        at: super::dates::minute(lang, signed_at),
        what,
        text: claim.to_string(),
        author: short_name(author),
        key: author.to_string(),
        field,
        claim: claim.to_string(),
    }
}

fn timeline(lang: Lang, view: &IncidentView, steps: &[StepRow]) -> Vec<Step> {
    let incident = &view.incident;
    let mut timeline = vec![step(
        lang,
        "step-incident-opened",
        (incident.index, &incident.signed_at),
        ("/title", &incident.title),
        &incident.opened_by,
    )];
    for r in &view.reports {
        let title = ("/title", r.report.title.as_str());
        timeline.push(step(
            lang,
            "step-report",
            (r.index, &r.signed_at),
            title,
            &r.author,
        ));
    }
    for statement in view.accounts.iter().flat_map(|a| &a.statements) {
        let what = if statement.kind == "reply" {
            "step-reply"
        } else {
            "step-statement"
        };
        let at = (statement.index, statement.signed_at.as_str());
        let text = ("/text", statement.text.as_str());
        timeline.push(step(lang, what, at, text, &statement.author));
    }
    for i in &view.investigations {
        let mandate = ("/mandate", i.mandate.as_str());
        let what = "step-investigation-opened";
        timeline.push(step(
            lang,
            what,
            (i.index, &i.signed_at),
            mandate,
            &i.author,
        ));
    }
    for s in steps {
        let text = ("/text", s.text.as_str());
        let what = "step-investigation-step";
        timeline.push(step(lang, what, (s.index, &s.occurred_at), text, &s.author));
    }
    for f in view.findings.iter().map(|f| &f.finding) {
        let reasoning = ("/reasoning", f.reasoning.as_str());
        let at = (f.index, f.signed_at.as_str());
        let mut proposed = step(lang, "step-finding-proposed", at, reasoning, &f.proposed_by);
        proposed.text = format!("{}: {}", f.provision, proposed.text);
        timeline.push(proposed);
        if let Some(last) = f.final_idx {
            timeline.push(Step {
                index: last,
                at: String::new(),
                what: "step-finding-final",
                text: lang.status(&f.determination),
                author: String::new(),
                key: String::new(),
                field: "/finding",
                claim: f.index.to_string(),
            });
        }
    }
    timeline
}

/// The files attached to the timeline's entries, read from the entries themselves.
async fn evidence(state: &AppState, timeline: &[Step]) -> Result<Vec<Evidence>, Problem> {
    let mut found = vec![];
    for step in timeline {
        let stored = api::entries::stored(state, step.index).await?;
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

fn statement(lang: Lang, s: &AccountStatement) -> Statement {
    Statement {
        index: s.index,
        kind: s.kind.clone(),
        lang: s.lang.clone(),
        text: s.text.clone(),
        killed: s.figures.map(|f| range(lang, f.killed)),
        injured: s.figures.map(|f| range(lang, f.injured)),
        sources: s.sources.iter().map(|src| src.name.clone()).collect(),
    }
}

fn finding(lang: Lang, f: &FindingRow, names: &Names) -> Finding {
    Finding {
        index: f.index,
        provision: names.provision(&f.provision),
        determination: f.determination.clone(),
        party: names.delegation(f.party.as_deref().unwrap_or_default()),
        confidence: f.confidence.clone(),
        reasoning: f.reasoning.clone(),
        status: f.status.clone(),
        reply_due: super::dates::minute(lang, &f.reply_due),
        intent: f.intent.clone(),
    }
}

fn range(lang: Lang, range: Range) -> String {
    let n = i64::from;
    lang.range(n(range.low), n(range.best), n(range.high))
}

/// An author is a key name: its last two parts (`jmt/monitor-2`) say who.
fn short_name(name: &str) -> String {
    let mut parts = name.rsplit('/');
    match (parts.next(), parts.next()) {
        (Some(key), Some(delegation)) => format!("{delegation}/{key}"),
        _ => name.to_string(),
    }
}

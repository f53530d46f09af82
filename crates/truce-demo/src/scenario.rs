//! The exercise played through the workflow: the seed article's events as reports and
//! statements by each side with their own figures, investigations (one with denials of
//! access), findings at each stage, a measure from the ladder, the talks, the TTP in
//! the actor registry with each side's designation of it, and the crossings' closure and
//! the deportations through Spin Boldak, and a week of the monitors' observations.
//!
//! What the seed article (DW, November 2025) reports is attributed to whoever said it.
//! Everything else is exercise data and says so in its text: the monitors, the
//! investigation steps, the two fictional incidents and every finding. No real
//! mechanism has made these findings.

use std::collections::HashMap;

use serde_json::{Value, json};
use truce_core::Timestamp;
use truce_core::kinds::{
    ACTOR_REGISTERED, COMMITMENT_MADE, COMMITMENT_UPDATED, DESIGNATION_FILED, FINDING_FINALIZED,
    FINDING_PROPOSED, FINDING_SIGNED, INCIDENT_OPENED, INVESTIGATION_OPENED, INVESTIGATION_STEP,
    MEASURE_UPDATED, REPORT_SUBMITTED, STATEMENT_FILED, TALKS_ROUND,
};
use truce_log::Author;

use crate::Exercise;

mod crossings;
mod observations;
pub mod testimony;

const DW: &str = "Deutsche Welle, 2 November 2025";

/// Builds the scenario's notes, tracking each entry's index and each author's chain.
struct Play<'a> {
    exercise: &'a Exercise,
    authors: HashMap<&'static str, Author>,
    notes: Vec<Vec<u8>>,
    next_index: u64,
    /// Entries later parts of the scenario refer to, by name (`"mortar-incident"`).
    named: HashMap<&'static str, u64>,
}

impl Play<'_> {
    /// Signs `payload` as the officer `who` (`"af/liaison-1"`) and returns its index.
    fn write(&mut self, who: &'static str, kind: &str, payload: Value, time: &Timestamp) -> u64 {
        let exercise = self.exercise;
        let author = self
            .authors
            .entry(who)
            .or_insert_with(|| Author::new(exercise.officer(who).clone(), &exercise.origin));
        self.notes.push(author.write(kind, payload, time.clone()));
        self.next_index += 1;
        self.next_index - 1
    }
}

fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).expect("valid exercise time")
}

fn range(low: u32, best: u32, high: u32) -> Value {
    json!({"low": low, "best": best, "high": high})
}

struct ReportText<'a> {
    title: &'a str,
    summary: &'a str,
    event: (&'a str, &'a str),
    place: (&'a str, f64, f64),
    occurred: (&'a str, &'a str),
    killed: Value,
    accused: &'a str,
    provisions: &'a [&'a str],
    source: (&'a str, &'a str, u8),
}

fn report(r: &ReportText<'_>) -> Value {
    json!({
        "accused": r.accused,
        "actors": [],
        "casualties": {"children_killed": null, "civilians_killed": null, "women_killed": null,
            "injured": range(0, 0, 0), "killed": r.killed},
        "event_type": r.event.0,
        "location": {"impact": null, "launch": null, "place": r.place.0,
            "point": {"lat": r.place.1, "lon": r.place.2}, "precision": 3},
        "occurred": {"end": null, "precision": r.occurred.1, "start": r.occurred.0},
        "provisions": r.provisions,
        "sources": [{"credibility": r.source.2, "name": r.source.0, "reliability": r.source.1}],
        "sub_event_type": r.event.1,
        "summary": r.summary,
        "title": r.title,
    })
}

fn statement(incident: u64, party: &str, kind: &str, text: &str, killed: Option<Value>) -> Value {
    let figures = killed.map(|k| json!({"injured": range(0, 0, 0), "killed": k}));
    json!({"figures": figures, "incident": incident, "kind": kind, "lang": "en",
        "party": party, "sources": [], "text": text})
}

impl Exercise {
    /// The workflow entries that follow [`Exercise::entries`] (which are entries 0 to 8).
    /// Entries that start or meet a deadline are dated `now`, as the log requires; the
    /// rest are dated in late 2025.
    #[must_use]
    pub fn scenario(&self, now: &Timestamp) -> Vec<Vec<u8>> {
        self.scenario_and_authors(now).0
    }

    /// [`Exercise::scenario`], and each officer who wrote in it as they stand after it
    /// (`"af/liaison-1"` → its chain), so that more entries can follow theirs.
    #[must_use]
    pub fn scenario_and_authors(
        &self,
        now: &Timestamp,
    ) -> (Vec<Vec<u8>>, HashMap<&'static str, Author>) {
        let mut play = Play {
            exercise: self,
            authors: HashMap::new(),
            notes: vec![],
            next_index: self.entries_count(),
            named: HashMap::new(),
        };
        reported_events(&mut play);
        let records = fictional_workflow(&mut play);
        findings(&mut play, now, records);
        talks(&mut play);
        designations(&mut play);
        crossings::crossings(&mut play);
        observations::observations(&mut play);
        testimony::testimony(&mut play);
        (play.notes, play.authors)
    }

    /// How many entries [`Exercise::entries`] makes.
    #[must_use]
    pub fn entries_count(&self) -> u64 {
        // The genesis, each officer's registration, and the lost tablet's revocation.
        2 + self.officers.len() as u64
    }
}

/// The events as the seed article reports them: reports, incidents, each side's account.
fn reported_events(play: &mut Play<'_>) {
    let strikes = play.write(
        "af/liaison-1",
        REPORT_SUBMITTED,
        report(&ReportText {
            title: "Air strikes in eastern Afghanistan",
            summary: "At least 46 people, including women and children, were killed in attacks with fighter jets and drones, according to the Taliban.",
            event: ("explosions_remote_violence", "air_drone_strike"),
            place: ("Paktika province", 32.6, 68.7),
            occurred: ("2024-12-24T00:00:00Z", "weeks"),
            killed: range(46, 46, 46),
            accused: "pk",
            provisions: &["sovereignty"],
            source: ("Taliban authorities, as reported by DW", "F", 6),
        }),
        &at("2025-11-01T09:00:00Z"),
    );
    let kabul = play.write(
        "af/liaison-1",
        REPORT_SUBMITTED,
        report(&ReportText {
            title: "Explosions in Kabul",
            summary: "The Taliban said the Pakistani army had bombed several targets, including inside the city of Kabul.",
            event: ("explosions_remote_violence", "air_drone_strike"),
            place: ("Kabul", 34.53, 69.17),
            occurred: ("2025-10-09T00:00:00Z", "day"),
            killed: range(0, 0, 0),
            accused: "pk",
            provisions: &["sovereignty"],
            source: ("Taliban authorities, as reported by DW", "F", 6),
        }),
        &at("2025-11-01T09:30:00Z"),
    );
    let clashes = play.write(
        "jmt/monitor-1",
        REPORT_SUBMITTED,
        report(&ReportText {
            title: "Cross-border clashes",
            summary: "More than 70 people were killed and hundreds injured in the conflict between the Taliban fighters and the Pakistani military by the time Turkey and Qatar brokered a ceasefire (DW).",
            event: ("battles", "armed_clash"),
            place: ("Durand Line (several places)", 33.9, 70.1),
            occurred: ("2025-10-11T00:00:00Z", "weeks"),
            killed: range(71, 71, 200),
            accused: "af",
            provisions: &["ceasefire"],
            source: (DW, "B", 2),
        }),
        &at("2025-11-02T10:00:00Z"),
    );
    accounts(play, [strikes, kabul, clashes]);
}

/// The incidents the monitors open on those reports, and each side's account of them.
fn accounts(play: &mut Play<'_>, [strikes, kabul, clashes]: [u64; 3]) {
    let opened = |reports: &[u64], accused: &[&str], title: &str, summary: &str| json!({"accused": accused, "reports": reports, "summary": summary, "title": title});
    let strikes_incident = play.write(
        "jmt/monitor-1",
        INCIDENT_OPENED,
        opened(
            &[strikes],
            &["pk"],
            "Air strikes, December 2024",
            "Before the agreement: recorded for context, not for findings.",
        ),
        &at("2025-11-02T11:00:00Z"),
    );
    let kabul_incident = play.write(
        "jmt/monitor-1",
        INCIDENT_OPENED,
        opened(
            &[kabul],
            &["pk"],
            "Explosions in Kabul, 9 October 2025",
            "Before the agreement: recorded for context, not for findings.",
        ),
        &at("2025-11-02T11:05:00Z"),
    );
    let clash_incident = play.write(
        "jmt/monitor-1",
        INCIDENT_OPENED,
        opened(
            &[clashes],
            &["af", "pk"],
            "Cross-border clashes, October 2025",
            "Each side blames the other; before the agreement.",
        ),
        &at("2025-11-02T11:10:00Z"),
    );
    let accusations = [
        (
            strikes_incident,
            "af",
            "accusation",
            "At least 46 people, including women and children, were killed in attacks with fighter jets and drones (the Taliban, as reported by DW).",
            Some(range(46, 46, 46)),
        ),
        (
            strikes_incident,
            "pk",
            "clarification",
            "Exercise text: Pakistan's own statement is not in the seed article. DW reports that Pakistan has been conducting cross-border air strikes on suspected TTP hideouts in eastern Afghanistan.",
            None,
        ),
        (
            kabul_incident,
            "af",
            "accusation",
            "The Pakistani army bombed several targets, including inside the city (the Taliban, as reported by DW).",
            None,
        ),
        (
            kabul_incident,
            "pk",
            "clarification",
            "Exercise text: Pakistan's statement on the Kabul explosions is not in the seed article.",
            None,
        ),
        (
            clash_incident,
            "pk",
            "accusation",
            "Exercise text: Islamabad accuses Kabul of protecting the Tehrik-i-Taliban Pakistan (TTP), as DW reports.",
            None,
        ),
        (
            clash_incident,
            "af",
            "denial",
            "The Taliban rulers in Kabul deny protecting the TTP and insist its fighters are opponents of the Pakistani government (as reported by DW).",
            None,
        ),
    ];
    for (i, (incident, party, kind, text, killed)) in accusations.into_iter().enumerate() {
        let who = if party == "af" {
            "af/liaison-1"
        } else {
            "pk/liaison-1"
        };
        let time = at(&format!("2025-11-03T{:02}:00:00Z", 9 + i));
        play.write(
            who,
            STATEMENT_FILED,
            statement(incident, party, kind, text, killed),
            &time,
        );
    }
}

/// Two fictional incidents after the agreement, and the parties' denials.
fn fictional_workflow(play: &mut Play<'_>) -> [u64; 3] {
    let fiction = |title: &str, place: (&'static str, f64, f64), accused: &'static str| {
        report(&ReportText {
            title,
            summary: "EXERCISE (fictional event): made up to show the workflow; it did not happen.",
            event: (
                "explosions_remote_violence",
                "shelling_artillery_missile_attack",
            ),
            place,
            occurred: ("2025-11-10T03:00:00Z", "day"),
            killed: range(0, 1, 2),
            accused,
            provisions: &["ceasefire"],
            source: ("Exercise: JMT field team", "B", 2),
        })
    };
    let mortar = play.write(
        "jmt/monitor-1",
        REPORT_SUBMITTED,
        {
            // Fired from the Afghan side (Barmal, Paktika), 7 km across the line.
            let mut report = fiction(
                "EXERCISE: mortar fire near Angoor Adda",
                ("Angoor Adda", 32.50, 69.32),
                "af",
            );
            report["location"]["launch"] = json!({"lat": 32.53, "lon": 69.25});
            report
        },
        &at("2025-11-10T08:00:00Z"),
    );
    let drone = play.write(
        "jmt/monitor-2",
        REPORT_SUBMITTED,
        fiction(
            "EXERCISE: drone strike near Spin Boldak",
            ("Spin Boldak", 31.0, 66.4),
            "pk",
        ),
        &at("2025-11-11T08:00:00Z"),
    );
    let opened = |report: u64, accused: &str, title: &str| {
        json!({"accused": [accused], "reports": [report], "title": title,
            "summary": "EXERCISE (fictional event): this incident did not happen."})
    };
    let mortar_incident = play.write(
        "jmt/monitor-1",
        INCIDENT_OPENED,
        opened(mortar, "af", "EXERCISE: mortar fire near Angoor Adda"),
        &at("2025-11-10T09:00:00Z"),
    );
    let drone_incident = play.write(
        "jmt/monitor-2",
        INCIDENT_OPENED,
        opened(drone, "pk", "EXERCISE: drone strike near Spin Boldak"),
        &at("2025-11-11T09:00:00Z"),
    );
    play.write(
        "af/liaison-1",
        STATEMENT_FILED,
        statement(
            mortar_incident,
            "af",
            "denial",
            "EXERCISE: our forces did not fire.",
            None,
        ),
        &at("2025-11-10T12:00:00Z"),
    );
    play.write(
        "pk/liaison-1",
        STATEMENT_FILED,
        statement(
            drone_incident,
            "pk",
            "denial",
            "EXERCISE: no Pakistani aircraft flew that night.",
            None,
        ),
        &at("2025-11-11T12:00:00Z"),
    );

    play.named.extend([
        ("mortar-report", mortar),
        ("drone-report", drone),
        ("mortar-incident", mortar_incident),
    ]);
    investigations(play, mortar_incident, drone_incident)
}

/// The monitors' investigations of the fictional incidents, with denials of access.
fn investigations(play: &mut Play<'_>, mortar_incident: u64, drone_incident: u64) -> [u64; 3] {
    let mortar_investigation = play.write("jmt/monitor-1", INVESTIGATION_OPENED, json!({
        "incident": mortar_incident,
        "mandate": "EXERCISE: establish where the rounds were fired from and whether the ceasefire was broken.",
        "monitors": [format!("{}/jmt/monitor-1", play.exercise.origin), format!("{}/jmt/monitor-2", play.exercise.origin)],
        "tasks": ["Visit the impact site", "Examine munition remnants", "Visit the suspected firing position"],
    }), &at("2025-11-12T08:00:00Z"));
    let steps = [
        (
            "site_visit",
            None,
            None,
            "EXERCISE: three craters measured; fins of 82 mm mortar rounds recovered.",
        ),
        (
            "task_done",
            None,
            Some(0),
            "EXERCISE: impact site documented (photographs by hash in the evidence store).",
        ),
        (
            "task_done",
            None,
            Some(1),
            "EXERCISE: crater orientation points north-west, across the line.",
        ),
        (
            "access_denied",
            Some("af"),
            None,
            "EXERCISE: the team was turned back at a checkpoint short of the suspected firing position.",
        ),
        (
            "closed",
            None,
            None,
            "EXERCISE: fact-finding closed; the firing position could not be visited.",
        ),
    ];
    for (i, (kind, party, task, text)) in steps.into_iter().enumerate() {
        let mut step = json!({"investigation": mortar_investigation, "kind": kind,
            "occurred": format!("2025-11-{:02}T10:00:00Z", 13 + i), "text": text});
        if let Some(party) = party {
            step["party"] = json!(party);
        }
        if let Some(task) = task {
            step["task"] = json!(task);
        }
        if kind == "site_visit" {
            step["place"] = json!({"lat": 32.50, "lon": 69.32});
        }
        play.write(
            "jmt/monitor-1",
            INVESTIGATION_STEP,
            step,
            &at(&format!("2025-11-{:02}T18:00:00Z", 13 + i)),
        );
    }
    let drone_investigation = play.write(
        "jmt/monitor-2",
        INVESTIGATION_OPENED,
        json!({
            "incident": drone_incident,
            "mandate": "EXERCISE: establish whether an aircraft crossed the line.",
            "monitors": [format!("{}/jmt/monitor-2", play.exercise.origin)],
            "tasks": ["Interview witnesses", "Request flight records"],
        }),
        &at("2025-11-12T09:00:00Z"),
    );
    play.write(
        "jmt/monitor-2",
        INVESTIGATION_STEP,
        json!({"investigation": drone_investigation,
        "kind": "access_denied", "party": "pk", "occurred": "2025-11-14T10:00:00Z",
        "text": "EXERCISE: flight records were requested and refused."}),
        &at("2025-11-14T18:00:00Z"),
    );

    [mortar_incident, mortar_investigation, drone_investigation]
}

/// Findings at each stage: final with a measure, inside the reply window, unsigned.
fn findings(
    play: &mut Play<'_>,
    now: &Timestamp,
    [mortar_incident, mortar_investigation, drone_investigation]: [u64; 3],
) {
    // A finding made final: quorum met (one dissent recorded) after the accused replied.
    let mortar_finding = play.write("jmt/monitor-1", FINDING_PROPOSED, json!({
        "investigation": mortar_investigation, "provision": "ceasefire",
        "determination": "violation", "attribution": "largely_attributed", "party": "af",
        "confidence": "medium", "intent": "deliberate",
        "reasoning": "EXERCISE: crater orientation and remnants point to fire from across the line; the firing position could not be visited because access was denied."}), now);
    play.write(
        "af/liaison-1",
        STATEMENT_FILED,
        json!({"figures": null, "finding": mortar_finding,
        "incident": mortar_incident, "kind": "reply", "lang": "en", "party": "af", "sources": [],
        "text": "EXERCISE: we reject the finding; the team did not visit the position it names."}),
        now,
    );
    play.write(
        "tr/commissioner-1",
        FINDING_SIGNED,
        json!({"finding": mortar_finding, "vote": "concur", "reasoning": ""}),
        now,
    );
    play.write(
        "qa/commissioner-1",
        FINDING_SIGNED,
        json!({"finding": mortar_finding, "vote": "concur", "reasoning": ""}),
        now,
    );
    play.write("jmt/monitor-2", FINDING_SIGNED, json!({"finding": mortar_finding, "vote": "dissent",
        "reasoning": "EXERCISE: without the firing position, attribution should be 'not attributable'."}), now);
    let measure = play.write(
        "tr/commissioner-1",
        FINDING_FINALIZED,
        json!({"finding": mortar_finding}),
        now,
    );
    play.write(
        "tr/commissioner-1",
        MEASURE_UPDATED,
        json!({"measure": measure, "status": "in_progress",
        "note": "EXERCISE: formal notice delivered to the delegation in Kabul."}),
        now,
    );

    // A finding signed by the quorum but still inside the accused party's reply window.
    let drone_finding = play.write("jmt/monitor-2", FINDING_PROPOSED, json!({
        "investigation": drone_investigation, "provision": "ceasefire",
        "determination": "violation", "attribution": "attributed", "party": "pk",
        "confidence": "low",
        "reasoning": "EXERCISE: witnesses describe an aircraft from the east; flight records were refused."}), now);
    play.write(
        "qa/commissioner-1",
        FINDING_SIGNED,
        json!({"finding": drone_finding, "vote": "concur", "reasoning": ""}),
        now,
    );
    play.write(
        "tr/commissioner-1",
        FINDING_SIGNED,
        json!({"finding": drone_finding, "vote": "concur", "reasoning": ""}),
        now,
    );
    // A finding just proposed, awaiting signatures.
    play.write("jmt/monitor-1", FINDING_PROPOSED, json!({
        "investigation": mortar_investigation, "provision": "access",
        "determination": "violation", "attribution": "attributed", "party": "af",
        "confidence": "high",
        "reasoning": "EXERCISE: the team was turned back at a checkpoint (step recorded on the log)."}), now);
}

/// The talks as the seed article reports them, and the commitments made.
fn talks(play: &mut Play<'_>) {
    let doha = play.write(
        "qa/commissioner-1",
        TALKS_ROUND,
        json!({
        "title": "Ceasefire talks", "place": "Doha",
        "starts": "2025-10-18T00:00:00Z", "ends": "2025-10-19T23:59:59Z",
        "participants": ["pk", "af", "qa", "tr"],
        "summary": "Turkey and Qatar brokered a ceasefire (DW)."}),
        &at("2025-11-03T08:00:00Z"),
    );
    let istanbul = play.write("tr/commissioner-1", TALKS_ROUND, json!({
        "title": "Follow-up talks", "place": "Istanbul",
        "starts": "2025-10-25T00:00:00Z", "ends": "2025-10-30T23:59:59Z",
        "participants": ["pk", "af", "qa", "tr"],
        "summary": "Turkey said a monitoring mechanism would be set up to secure peace and punish violations of the agreement (DW)."}), &at("2025-11-03T08:10:00Z"));
    for owner in ["pk", "af"] {
        play.write(
            "qa/commissioner-1",
            COMMITMENT_MADE,
            json!({"round": doha, "owner": owner,
            "text": "Observe the ceasefire (as reported by DW)."}),
            &at("2025-11-03T08:20:00Z"),
        );
    }
    let mechanism = play.write(
        "tr/commissioner-1",
        COMMITMENT_MADE,
        json!({"round": istanbul, "owner": "tr",
        "text": "Set up a monitoring mechanism (Turkey's statement, as reported by DW).",
        "due": "2025-11-06T00:00:00Z"}),
        &at("2025-11-03T08:30:00Z"),
    );
    play.write(
        "tr/commissioner-1",
        COMMITMENT_MADE,
        json!({"round": istanbul, "owner": "qa",
        "text": "Convene the next round in Istanbul on 6 November (DW).",
        "due": "2025-11-06T00:00:00Z"}),
        &at("2025-11-03T08:40:00Z"),
    );
    play.write(
        "tr/commissioner-1",
        COMMITMENT_UPDATED,
        json!({"commitment": mechanism, "status": "met",
        "note": "EXERCISE: this log is that mechanism's record."}),
        &at("2025-11-05T09:00:00Z"),
    );
    play.write(
        "qa/commissioner-1",
        TALKS_ROUND,
        json!({
        "title": "Third round", "place": "Istanbul",
        "starts": "2025-11-06T00:00:00Z",
        "participants": ["pk", "af", "qa", "tr"],
        "summary": "Scheduled for 6 November in Istanbul (DW, before the round met). Its outcome is not in the seed article."}),
        &at("2025-11-07T08:00:00Z"),
    );
}

/// The TTP in the neutral registry, and each side's designation of it as DW reports it.
/// (Appended after the workflow, so the indexes of the entries before stay as they were.)
fn designations(play: &mut Play<'_>) {
    play.write(
        "jmt/monitor-1",
        ACTOR_REGISTERED,
        json!({
            "id": "ttp",
            "name": "Tehrik-i-Taliban Pakistan",
            "kind": "armed_group",
            "aliases": [
                {"lang": "en", "name": "TTP"},
                {"lang": "en", "name": "Pakistani Taliban"},
                {"lang": "ur", "name": "تحریک طالبان پاکستان"},
            ],
            "description": "A militant group, an offshoot of the Taliban in Pakistan (DW)."
        }),
        &at("2025-11-04T09:00:00Z"),
    );
    play.write(
        "pk/liaison-1",
        DESIGNATION_FILED,
        json!({
            "actor": "ttp", "party": "pk", "lang": "en",
            "designation": "Exercise wording: terrorist organisation",
            "text": "Exercise text: Pakistan's designation and its ban of the TTP are not worded in the seed article. DW reports that Islamabad accuses Kabul of providing protection to the militant group Tehrik-i-Taliban Pakistan (TTP), and that Pakistan has been conducting cross-border air strikes on suspected TTP hideouts in eastern Afghanistan."
        }),
        &at("2025-11-04T10:00:00Z"),
    );
    play.write(
        "af/liaison-1",
        DESIGNATION_FILED,
        json!({
            "actor": "ttp", "party": "af", "lang": "en",
            "designation": "opponents of the Pakistani government",
            "text": "The Taliban regime insists that the TTP fighters are opponents of the Pakistani government and have nothing to do with them (as reported by DW). The Afghan political analyst Ahmad Saeed told DW that the Taliban \"will not label the TTP, whose fighters fought against the Americans and the Republic of Afghanistan, as terrorists\"."
        }),
        &at("2025-11-04T11:00:00Z"),
    );
}

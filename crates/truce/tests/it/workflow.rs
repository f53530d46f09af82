//! The workflow verbs (`truce report file`, `truce finding sign`, ...) against a real node:
//! the whole workflow through them with `--json`, and bad input refused with exit code 2,
//! the field named, and nothing appended.

use std::path::Path;
use std::process::Output;

use crate::support::*;
use serde_json::Value;

/// A node with the demo, and the directory holding its officers' keys.
struct Node {
    server: Server,
    dir: tempfile::TempDir,
}

impl Node {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let server = Server::start(dir.path(), &[]);
        Self { server, dir }
    }

    fn keys(&self) -> &Path {
        self.dir.path()
    }

    /// `truce ARGS --json` against this node.
    fn truce(&self, args: &[&str]) -> Output {
        truce()
            .args(args)
            .arg("--json")
            .env("TRUCE_SERVER", self.server.url())
            .output()
            .unwrap()
    }

    /// `truce NOUN VERB --key <demo key> ARGS --json`.
    fn sign(&self, noun_verb: &str, key: &str, args: &[&str]) -> Output {
        let key = self.keys().join(format!("demo-keys/{key}.key"));
        let mut all: Vec<&str> = noun_verb.split(' ').collect();
        all.extend(["--key", key.to_str().unwrap()]);
        all.extend_from_slice(args);
        self.truce(&all)
    }

    /// Appends through a verb and returns the new entry's index.
    fn append(&self, noun_verb: &str, key: &str, args: &[&str]) -> String {
        let answer = json_of(&self.sign(noun_verb, key, args));
        answer["index"].as_u64().unwrap().to_string()
    }

    async fn size(&self) -> u64 {
        let url = format!("{}/log/checkpoint", self.server.url());
        let text = reqwest::get(url).await.unwrap().text().await.unwrap();
        text.lines().nth(1).unwrap().parse().unwrap()
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The JSON a command printed, after checking it succeeded.
fn json_of(output: &Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).unwrap()
}

const REPORT: &[&str] = &[
    "--title",
    "EXERCISE: shelling near Chaman",
    "--summary",
    "EXERCISE: shells landed near the crossing.",
    "--event-type",
    "explosions_remote_violence",
    "--sub-event-type",
    "shelling_artillery_missile_attack",
    "--lat",
    "30.92",
    "--lon",
    "66.45",
    "--place",
    "Chaman",
    "--location-precision",
    "2",
    "--occurred",
    "2025-11-20T22:00:00Z",
    "--occurred-precision",
    "day",
    "--killed",
    "1,2,4",
    "--injured",
    "3",
    "--accused",
    "pk",
    "--provision",
    "ceasefire",
    "--source",
    "C3:EXERCISE: residents, by telephone",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workflow_runs_through_the_verbs_from_a_report_to_a_measure() {
    let node = Node::start();
    let report = node.append("report file", "af-liaison-1", REPORT);
    let shown = json_of(&node.truce(&["report", "show", &report]));
    assert_eq!(shown["report"]["casualties"]["killed"]["best"], 2);
    assert_eq!(shown["report"]["sources"][0]["reliability"], "C");

    let incident = node.append(
        "incident open",
        "jmt-monitor-1",
        &[
            "--title",
            "EXERCISE: Chaman",
            "--report",
            &report,
            "--accused",
            "pk",
        ],
    );
    node.append(
        "statement file",
        "pk-liaison-1",
        &[
            "--incident",
            &incident,
            "--kind",
            "denial",
            "--text",
            "EXERCISE: no such shelling.",
            "--killed",
            "0",
            "--injured",
            "0",
        ],
    );
    let shown = json_of(&node.truce(&["incident", "show", &incident]));
    let text = shown.to_string();
    assert!(text.contains("EXERCISE: no such shelling."), "{text}");

    let finding = investigate(&node, &incident);
    decide(&node, &incident, &finding);
}

/// Opens an investigation, records a denial of access, and proposes a finding against pk.
fn investigate(node: &Node, incident: &str) -> String {
    let investigation = node.append(
        "investigation open",
        "jmt-monitor-1",
        &[
            "--incident",
            incident,
            "--mandate",
            "EXERCISE: who fired?",
            "--task",
            "Visit the crossing",
        ],
    );
    node.append(
        "investigation step",
        "jmt-monitor-1",
        &[
            "--investigation",
            &investigation,
            "--kind",
            "access_denied",
            "--party",
            "pk",
            "--text",
            "EXERCISE: turned back.",
        ],
    );
    let shown = json_of(&node.truce(&["investigation", "show", &investigation]));
    assert_eq!(shown["steps"][0]["party"], "pk", "{shown}");
    node.append(
        "finding propose",
        "jmt-monitor-1",
        &[
            "--investigation",
            &investigation,
            "--provision",
            "access",
            "--determination",
            "violation",
            "--attribution",
            "attributed",
            "--party",
            "pk",
            "--confidence",
            "high",
            "--reasoning",
            "EXERCISE: access was denied.",
        ],
    )
}

/// The accused replies, the quorum signs (one dissent), the finding becomes final, and
/// the measure it creates is updated.
fn decide(node: &Node, incident: &str, finding: &str) {
    node.append(
        "statement file",
        "pk-liaison-1",
        &[
            "--incident",
            incident,
            "--kind",
            "reply",
            "--finding",
            finding,
            "--text",
            "EXERCISE: we reject it.",
        ],
    );
    node.append(
        "finding sign",
        "tr-commissioner-1",
        &["--finding", finding, "--vote", "concur"],
    );
    node.append(
        "finding sign",
        "qa-commissioner-1",
        &["--finding", finding, "--vote", "concur"],
    );
    node.append(
        "finding sign",
        "jmt-monitor-2",
        &[
            "--finding",
            finding,
            "--vote",
            "dissent",
            "--reasoning",
            "EXERCISE: not enough.",
        ],
    );
    let measure = node.append(
        "finding finalize",
        "tr-commissioner-1",
        &["--finding", finding],
    );
    let shown = json_of(&node.truce(&["finding", "show", finding]));
    assert_eq!(shown["status"], "final", "{shown}");
    node.append(
        "measure update",
        "tr-commissioner-1",
        &[
            "--measure",
            &measure,
            "--status",
            "in_progress",
            "--note",
            "EXERCISE: notice sent.",
        ],
    );
    let listed = json_of(&node.truce(&["measure", "list", "party=pk"]));
    assert_eq!(listed["items"][0]["status"], "in_progress", "{listed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn talks_and_commitments_are_recorded_through_the_verbs() {
    let node = Node::start();
    let round = node.append(
        "talks round",
        "tr-commissioner-1",
        &[
            "--title",
            "EXERCISE: third round",
            "--place",
            "Istanbul",
            "--starts",
            "2025-11-06T09:00:00Z",
            "--participant",
            "pk",
            "--participant",
            "af",
        ],
    );
    let commitment = node.append(
        "commitment make",
        "tr-commissioner-1",
        &[
            "--round",
            &round,
            "--owner",
            "pk",
            "--text",
            "EXERCISE: share the patrol schedule.",
            "--due",
            "2025-12-01T00:00:00Z",
        ],
    );
    node.append(
        "commitment update",
        "tr-commissioner-1",
        &["--commitment", &commitment, "--status", "met"],
    );
    let listed = json_of(&node.truce(&["commitment", "list", &format!("round={round}")]));
    assert_eq!(listed["items"][0]["status"], "met", "{listed}");
    let shown = json_of(&node.truce(&["talks", "show", &round]));
    assert_eq!(shown["place"], "Istanbul", "{shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_exits_2_naming_the_field_and_appends_nothing() {
    let node = Node::start();
    let incident =
        json_of(&node.truce(&["incident", "list", "limit=1"]))["items"][0]["index"].to_string();
    let finding = json_of(&node.truce(&["finding", "list", "status=awaiting_signatures"]))["items"]
        [0]["index"]
        .to_string();
    let with = |flag: &str, value: &str| -> Vec<String> {
        let mut args: Vec<String> = REPORT.iter().map(ToString::to_string).collect();
        let at = args.iter().position(|a| a == flag).unwrap();
        args[at + 1] = value.to_string();
        args
    };
    let cases: Vec<(&str, &str, Vec<String>, &str)> = vec![
        (
            "report file",
            "af-liaison-1",
            with("--killed", "5,2,9"),
            "payload.casualties.killed.low",
        ),
        (
            "report file",
            "af-liaison-1",
            with("--lat", "95"),
            "payload.location.point.lat",
        ),
        (
            "report file",
            "af-liaison-1",
            with("--lon", "-181"),
            "payload.location.point.lon",
        ),
        (
            "report file",
            "af-liaison-1",
            with("--sub-event-type", "armed_clash"),
            "payload.sub_event_type",
        ),
        (
            "statement file",
            "af-liaison-1",
            strings(&[
                "--incident",
                &incident,
                "--kind",
                "denial",
                "--party",
                "pk",
                "--text",
                "EXERCISE",
            ]),
            "payload.party",
        ),
        (
            "finding sign",
            "qa-commissioner-1",
            strings(&["--finding", &finding, "--vote", "dissent"]),
            "payload.reasoning",
        ),
        (
            "incident open",
            "af-liaison-1",
            strings(&["--title", "EXERCISE", "--report", "22"]),
            "author",
        ),
    ];
    let before = node.size().await;
    for (verb, key, args, field) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = node.sign(verb, key, &args);
        let context = format!("{verb} {args:?}: {}", stderr(&output));
        assert_eq!(output.status.code(), Some(2), "{context}");
        assert!(
            stderr(&output).contains(&format!("field {field}:")),
            "{context}"
        );
        let problem: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(problem["field"], field, "{context}");
    }
    assert_eq!(
        node.size().await,
        before,
        "a refused entry appended nothing"
    );
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(ToString::to_string).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_exit_2_before_anything_is_sent_and_an_unreachable_node_exits_3() {
    let node = Node::start();
    let before = node.size().await;
    let not_json = node.sign("report file", "af-liaison-1", &["--payload", "{not json"]);
    assert_eq!(not_json.status.code(), Some(2), "{}", stderr(&not_json));
    assert!(
        stderr(&not_json).contains("--payload"),
        "{}",
        stderr(&not_json)
    );
    let bad_range = node.sign(
        "statement file",
        "af-liaison-1",
        &["--payload", "{}", "--killed", "many", "--injured", "0"],
    );
    assert_eq!(bad_range.status.code(), Some(2), "{}", stderr(&bad_range));
    assert!(
        stderr(&bad_range).contains("--killed"),
        "{}",
        stderr(&bad_range)
    );
    let bad_filter = node.truce(&["report", "list", "colour=red"]);
    assert_eq!(bad_filter.status.code(), Some(2), "{}", stderr(&bad_filter));
    assert!(
        stderr(&bad_filter).contains("field colour:"),
        "{}",
        stderr(&bad_filter)
    );
    assert_eq!(node.size().await, before);

    let unreachable = truce()
        .args(["finding", "list", "--server", "http://127.0.0.1:1"])
        .output()
        .unwrap();
    assert_eq!(
        unreachable.status.code(),
        Some(3),
        "{}",
        stderr(&unreachable)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payload_gives_what_the_flags_do_not_and_submit_refusals_also_exit_2() {
    let node = Node::start();
    let payload = r#"{"actors":[{"name":"EXERCISE: a militia","party":null,"side":"perpetrator"}],"title":"replaced by the flag"}"#;
    let mut args = REPORT.to_vec();
    args.extend(["--payload", payload]);
    let report = node.append("report file", "jmt-monitor-2", &args);
    let shown = json_of(&node.truce(&["report", "show", &report]));
    assert_eq!(shown["report"]["actors"][0]["name"], "EXERCISE: a militia");
    assert_eq!(shown["report"]["title"], "EXERCISE: shelling near Chaman");

    let key = node.keys().join("demo-keys/af-liaison-1.key");
    let submit = node.truce(&[
        "submit",
        "--key",
        key.to_str().unwrap(),
        "--kind",
        "notice.published",
        "--payload",
        r#"{"lang":"en","text":"x","title":""}"#,
    ]);
    assert_eq!(submit.status.code(), Some(2), "{}", stderr(&submit));
    assert!(
        stderr(&submit).contains("field payload.title:"),
        "{}",
        stderr(&submit)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_json_a_verb_prints_one_line_per_record() {
    let node = Node::start();
    let output = truce()
        .args(["finding", "list", "status=final"])
        .env("TRUCE_SERVER", node.server.url())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("final") && text.contains("ceasefire: violation af"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crossings_statuses_and_flows_are_recorded_and_read_through_the_verbs() {
    let node = Node::start();
    node.append(
        "crossing status",
        "pk-liaison-1",
        &[
            "--crossing",
            "torkham",
            "--status",
            "open",
            "--since",
            "2025-11-20T06:00:00Z",
            "--source",
            "EXERCISE: Pakistan's border authorities",
        ],
    );
    let flow = [
        "--crossing",
        "torkham",
        "--start",
        "2025-11-22",
        "--end",
        "2025-11-23",
        "--direction",
        "to_af",
        "--category",
        "voluntary_return",
        "--count",
        "1200,1500,1800",
        "--precision",
        "estimate",
        "--source",
        "EXERCISE: JMT count at the gate",
    ];
    node.append("crossing flow", "jmt-monitor-1", &flow);
    let torkham =
        json_of(&node.truce(&["crossing", "show", "torkham", "category=voluntary_return"]));
    assert_eq!(torkham["status"]["status"], "open", "{torkham}");
    assert_eq!(torkham["status"]["reported_by"], "pk");
    assert_eq!(
        torkham["alert"],
        Value::Null,
        "a reopened crossing raises no alert"
    );
    assert_eq!(torkham["flows"][0]["count_best"], 1500);
    assert_eq!(torkham["flows"][0]["days"], 2);

    let output = truce()
        .args(["crossing", "list"])
        .env("TRUCE_SERVER", node.server.url())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    let chaman = text
        .lines()
        .find(|l| l.starts_with("chaman-spin-boldak"))
        .unwrap();
    assert!(
        chaman.contains("deportations_only")
            && chaman.contains("closed since 2025-10-12T00:00:00Z")
            && chaman.contains("ALERT on humanitarian (over 14 days)"),
        "{text}"
    );
    assert!(
        !text
            .lines()
            .any(|l| l.starts_with("torkham") && l.contains("ALERT"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crossing_verbs_refuse_bad_input_naming_the_field_and_append_nothing() {
    let node = Node::start();
    let flow = |crossing: &str, start: &str, end: &str| {
        strings(&[
            "--crossing",
            crossing,
            "--start",
            start,
            "--end",
            end,
            "--direction",
            "to_af",
            "--category",
            "deportation",
            "--count",
            "8000",
            "--precision",
            "rounded",
            "--source",
            "EXERCISE",
        ])
    };
    let cases = [
        (flow("torkham", "2025-10-26", "2025-10-25"), "payload.end"),
        (
            flow("Torkham", "2025-10-25", "2025-10-26"),
            "payload.crossing",
        ),
    ];
    let before = node.size().await;
    for (args, field) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = node.sign("crossing flow", "af-liaison-1", &args);
        let context = format!("{args:?}: {}", stderr(&output));
        assert_eq!(output.status.code(), Some(2), "{context}");
        let problem: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(problem["field"], field, "{context}");
    }
    let usage = node.sign(
        "crossing status",
        "jmt-monitor-1",
        &[
            "--crossing",
            "torkham",
            "--status",
            "half_open",
            "--since",
            "2025-10-12T00:00:00Z",
            "--source",
            "x",
        ],
    );
    assert_eq!(usage.status.code(), Some(2), "{}", stderr(&usage));
    assert!(stderr(&usage).contains("--status"), "{}", stderr(&usage));
    let unknown = node.truce(&["crossing", "show", "nowhere"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", stderr(&unknown));
    assert_eq!(
        node.size().await,
        before,
        "a refused entry appended nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sensors_and_observations_are_recorded_and_counted_through_the_verbs() {
    let node = Node::start();
    node.append(
        "sensor register",
        "jmt-monitor-1",
        &[
            "--id",
            "cam-ghulam-khan-1",
            "--kind",
            "fixed_camera",
            "--name",
            "EXERCISE: Ghulam Khan camera",
            "--lat",
            "33.15",
            "--lon",
            "70.03",
        ],
    );
    node.append(
        "sensor status",
        "jmt-monitor-2",
        &[
            "--sensor",
            "cam-ghulam-khan-1",
            "--state",
            "down",
            "--since",
            "2025-11-12T01:00:00Z",
            "--reason",
            "EXERCISE: lens obstructed",
        ],
    );
    let window = [
        "--start",
        "2025-11-11T18:00:00Z",
        "--end",
        "2025-11-12T06:00:00Z",
    ];
    let mut args = vec![
        "--platform",
        "observation_post",
        "--place",
        "EXERCISE: post near Ghulam Khan",
        "--lat",
        "33.16",
        "--lon",
        "70.04",
    ];
    args.extend(window);
    args.extend([
        "--count",
        "kind=impact,count=5,perception=heard,bearing=250,distance=1000-2000",
        "--count",
        "kind=burst_of_fire,count=3,perception=heard,weapon=heavy_machine_gun,from=af",
    ]);
    node.append("observation record", "jmt-monitor-1", &args);

    let daily = json_of(&node.truce(&[
        "observation",
        "daily",
        "day=2025-11-12",
        "sector=ghulam-khan",
    ]));
    assert_eq!(daily["delegations"][0]["delegation"], "jmt", "{daily}");
    assert_eq!(daily["delegations"][0]["total"], 8);
    assert_eq!(daily["delegations"][0]["explosions"], 5);
    assert_eq!(daily["sensors_down"][0]["sensor"], "cam-ghulam-khan-1");
    let sensors = json_of(&node.truce(&["sensor", "list"]));
    let camera = sensors
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "cam-ghulam-khan-1")
        .unwrap();
    assert_eq!(camera["state"], "down");

    let output = truce()
        .args(["observation", "daily", "day=2025-11-10"])
        .env("TRUCE_SERVER", node.server.url())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "jmt    mechanism  39 violations observed, including 16 explosions (6 the day before)"
        ),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn observation_verbs_refuse_bad_input_naming_the_field_and_append_nothing() {
    let node = Node::start();
    let observed = |count: &str, start: &str, end: &str| {
        strings(&[
            "--platform",
            "patrol",
            "--place",
            "EXERCISE: patrol",
            "--lat",
            "34.12",
            "--lon",
            "71.1",
            "--start",
            start,
            "--end",
            end,
            "--count",
            count,
        ])
    };
    let impact = "kind=impact,count=2,perception=heard";
    let cases = [
        (
            observed(
                "kind=impact,count=-3,perception=heard",
                "2025-11-11T18:00:00Z",
                "2025-11-12T06:00:00Z",
            ),
            "jmt-monitor-1",
            "payload.counts[0].count",
        ),
        (
            observed(impact, "2025-11-12T06:00:00Z", "2025-11-11T18:00:00Z"),
            "jmt-monitor-1",
            "payload.end",
        ),
        (
            observed(
                "kind=impact,count=2,perception=heard,from=jmt",
                "2025-11-11T18:00:00Z",
                "2025-11-12T06:00:00Z",
            ),
            "jmt-monitor-1",
            "payload.counts[0].from_side",
        ),
        (
            observed(impact, "2025-11-11T18:00:00Z", "2025-11-12T06:00:00Z"),
            "tr-commissioner-1",
            "author",
        ),
    ];
    let before = node.size().await;
    for (args, key, field) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = node.sign("observation record", key, &args);
        let context = format!("{args:?}: {}", stderr(&output));
        assert_eq!(output.status.code(), Some(2), "{context}");
        let problem: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(problem["field"], field, "{context}");
    }
    let usage = node.sign(
        "observation record",
        "jmt-monitor-1",
        &observed(
            "kind=impact,count=2",
            "2025-11-11T18:00:00Z",
            "2025-11-12T06:00:00Z",
        )
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>(),
    );
    assert_eq!(usage.status.code(), Some(2), "{}", stderr(&usage));
    assert!(stderr(&usage).contains("perception"), "{}", stderr(&usage));
    assert_eq!(
        node.size().await,
        before,
        "a refused entry appended nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restrictions_are_recorded_through_the_verbs_and_a_liaisons_own_is_refused() {
    let node = Node::start();
    let delay = [
        "--movement",
        "investigation",
        "--kind",
        "delay",
        "--minutes",
        "90",
        "--at",
        "2025-11-12T08:00:00Z",
        "--controlled-by",
        "af",
        "--place",
        "EXERCISE: Spin Boldak bridge",
        "--reason-given",
        "EXERCISE: the commander is away",
        "--notified",
        "--outcome",
        "EXERCISE: passed",
        "--provision",
        "access",
    ];
    node.append("restriction record", "jmt-monitor-1", &delay);
    let listed = json_of(&node.truce(&["restriction", "list", "party=af", "kind=delay"]));
    assert_eq!(listed["items"][0]["delay_minutes"], 90, "{listed}");
    assert_eq!(listed["items"][0]["notified"], 1);

    let before = node.size().await;
    let own = [
        "--movement",
        "patrol",
        "--kind",
        "denial",
        "--at",
        "2025-11-12T08:00:00Z",
        "--controlled-by",
        "pk",
        "--place",
        "EXERCISE: Torkham gate",
        "--outcome",
        "EXERCISE: turned back",
    ];
    let output = node.sign("restriction record", "pk-liaison-1", &own);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let problem: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(problem["field"], "payload.controlled_by", "{problem}");
    assert_eq!(
        node.size().await,
        before,
        "a refused entry appended nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn liaison_contacts_are_opened_acknowledged_and_closed_through_the_verbs() {
    let node = Node::start();
    let contact = node.append(
        "liaison contact",
        "jmt-monitor-1",
        &[
            "--party",
            "af",
            "--channel",
            "movement_notice",
            "--subject",
            "EXERCISE: tomorrow's patrol",
            "--route",
            "EXERCISE: Torkham to Landi Kotal",
            "--start",
            "2026-01-01T08:00:00Z",
            "--end",
            "2026-01-01T12:00:00Z",
        ],
    );
    let wrong = node.sign(
        "liaison acknowledge",
        "pk-liaison-1",
        &["--contact", &contact],
    );
    assert_eq!(wrong.status.code(), Some(2), "{}", stderr(&wrong));
    let problem: Value = serde_json::from_slice(&wrong.stdout).unwrap();
    assert_eq!(
        problem["field"], "author",
        "an acknowledgement by another party's key: {problem}"
    );
    node.append(
        "liaison acknowledge",
        "af-liaison-1",
        &["--contact", &contact],
    );
    node.append(
        "liaison outcome",
        "jmt-monitor-1",
        &["--contact", &contact, "--outcome", "clarified"],
    );
    let listed = json_of(&node.truce(&["liaison", "list", "party=af", "channel=movement_notice"]));
    let item = &listed["items"][0];
    assert_eq!(
        item["route"], "EXERCISE: Torkham to Landi Kotal",
        "{listed}"
    );
    assert_eq!(item["outcome"], "clarified");
    assert!(item["response_s"].as_i64().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_and_reconciliation_are_recorded_through_the_verbs() {
    let node = Node::start();
    let report = node.append("report file", "af-liaison-1", REPORT);
    let incident = node.append(
        "incident open",
        "jmt-monitor-1",
        &[
            "--report",
            &report,
            "--accused",
            "pk",
            "--title",
            "EXERCISE: verbs test",
        ],
    );
    node.append(
        "verification set",
        "jmt-monitor-1",
        &[
            "--report",
            &report,
            "--status",
            "under_review",
            "--rule",
            "EXERCISE: one source so far",
        ],
    );
    let refused = node.sign(
        "verification set",
        "jmt-monitor-1",
        &[
            "--report",
            &report,
            "--status",
            "corroborated",
            "--rule",
            "EXERCISE: two sources",
        ],
    );
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let problem: Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(problem["field"], "payload.corroborating", "{problem}");
    node.append(
        "reconciliation record",
        "jmt-monitor-1",
        &[
            "--incident",
            &incident,
            "--killed",
            "1,2,2",
            "--injured",
            "0",
            "--explanation",
            "EXERCISE: the clinic's register",
        ],
    );
    let shown = json_of(&node.truce(&["incident", "show", &incident]));
    assert_eq!(
        shown["verifications"][0]["status"], "under_review",
        "{shown}"
    );
    assert_eq!(shown["reconciliation"]["killed_best"], 2);
}

//! `truce import ucdp|acled` against a real `truce serve` on port 0: a file is imported
//! once (a second import adds nothing), a dry run submits nothing, a fatal error imports
//! nothing, bad rows are named by line, and what the mechanism then reports through its
//! API equals what is computed here, independently, from the same CSV file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::*;
use serde_json::Value;

const MONITOR_KEY: &str = "demo-keys/jmt-monitor-1.key";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/import")
        .join(name)
}

/// `truce import DATASET FILE` as the exercise's first monitor, plus `extra` flags.
fn import(server: &Server, dir: &Path, dataset: &str, file: &Path, extra: &[&str]) -> Output {
    truce()
        .args(["import", dataset])
        .arg(file)
        .arg("--key")
        .arg(dir.join(MONITOR_KEY))
        .args(extra)
        .env("TRUCE_SERVER", server.url())
        .output()
        .unwrap()
}

/// A GET answered 200, its body as text (these tests are synchronous, like the commands).
fn get_text(url: &str) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let response = reqwest::get(url).await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        response.text().await.unwrap()
    })
}

fn get_json(url: &str) -> Value {
    serde_json::from_str(&get_text(url)).unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn log_size(server: &Server) -> u64 {
    let health: Value = get_json(&format!("{}/healthz", server.url()));
    health["log_size"].as_u64().unwrap()
}

/// Every report imported from `dataset`, through the report list, a page at a time.
fn imported_reports(server: &Server, dataset: &str) -> Vec<Value> {
    let mut items = vec![];
    let mut cursor = String::new();
    loop {
        let url = format!(
            "{}/api/v1/reports?dataset={dataset}&limit=1000{cursor}",
            server.url()
        );
        let page = get_json(&url);
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => return items,
        }
    }
}

/// What the mechanism reports of a UCDP import: reports per year and deaths (best
/// estimate) per year, from the API's items.
fn figures_from_api(items: &[Value]) -> BTreeMap<String, (u64, u64)> {
    let mut figures = BTreeMap::new();
    for item in items {
        let report = &item["report"];
        let year = report["occurred"]["start"].as_str().unwrap()[..4].to_string();
        let best = report["casualties"]["killed"]["best"].as_u64().unwrap();
        let entry = figures.entry(year).or_insert((0, 0));
        entry.0 += 1;
        entry.1 += best;
    }
    figures
}

/// The same figures computed from the CSV file alone: rows per `year`, sum of `best`
/// (the HXL line, whose `year` cell is a tag, is not a row).
fn figures_from_csv(file: &Path) -> BTreeMap<String, (u64, u64)> {
    let mut reader = csv::Reader::from_path(file).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (year, best) = (column("year"), column("best"));
    let mut figures = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        if record[year].starts_with('#') {
            continue;
        }
        let entry = figures.entry(record[year].to_string()).or_insert((0, 0));
        entry.0 += 1;
        entry.1 += record[best].parse::<u64>().unwrap();
    }
    figures
}

#[test]
fn a_ucdp_file_is_imported_once_and_the_figures_reported_match_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let file = fixture("ucdp-ged.csv");
    let before = log_size(&server);

    let dry = import(&server, dir.path(), "ucdp", &file, &["--dry-run"]);
    assert!(dry.status.success(), "{dry:?}");
    assert!(stdout(&dry).contains("5 rows would be imported as new reports (1 with a range adjusted); 0 are already on the log; 0 refused"), "{}", stdout(&dry));
    assert!(stdout(&dry).contains("line 6: high: 1 is less than best 2: recorded as 2"));
    assert_eq!(log_size(&server), before, "a dry run submits nothing");

    let first = import(&server, dir.path(), "ucdp", &file, &[]);
    assert!(first.status.success(), "{first:?}");
    assert!(
        stdout(&first).contains("imported 5 new reports"),
        "{}",
        stdout(&first)
    );
    assert_eq!(log_size(&server), before + 5);

    let second = import(&server, dir.path(), "ucdp", &file, &[]);
    assert!(second.status.success(), "{second:?}");
    assert!(stdout(&second).contains("imported 0 new reports; 5 rows were already on the log"));
    assert_eq!(
        log_size(&server),
        before + 5,
        "a second import adds nothing"
    );
    let dry = import(&server, dir.path(), "ucdp", &file, &["--dry-run"]);
    assert!(stdout(&dry).contains("0 rows would be imported as new reports"));
    // An auditor replays the log under the same rules, the provenance rule among them.
    let audit = run(&["verify", &server.url()]);
    assert!(audit.status.success(), "{audit:?}");
    assert!(stdout(&audit).contains(&format!("verified {} entries", before + 5)));

    let items = imported_reports(&server, "ucdp-ged");
    assert_eq!(figures_from_api(&items), figures_from_csv(&file));
    // Outside both countries of the agreed geometry: imported all the same, located as none.
    let outside = get_json(&format!(
        "{}/api/v1/reports?dataset=ucdp-ged&country=none",
        server.url()
    ));
    let outside = outside["items"].as_array().unwrap();
    assert_eq!(outside.len(), 1);
    assert_eq!(outside[0]["report"]["provenance"]["row"], "900004");
    assert!(outside[0]["geography"]["country"].is_null());
    let civilians = items
        .iter()
        .find(|i| i["report"]["provenance"]["row"] == "900002")
        .unwrap();
    assert_eq!(
        civilians["report"]["event_type"],
        "violence_against_civilians"
    );
    assert_eq!(
        civilians["report"]["casualties"]["civilians_killed"]["best"],
        7
    );
    assert_eq!(
        civilians["report"]["occurred"]["end"],
        "2021-04-01T00:00:00Z"
    );
}

#[test]
fn the_exports_carry_the_rows_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let file = fixture("ucdp-ged.csv");
    assert!(
        import(&server, dir.path(), "ucdp", &file, &[])
            .status
            .success()
    );
    let url = format!(
        "{}/api/v1/exports/reports.ucdp.csv?dataset=ucdp-ged",
        server.url()
    );
    let text = get_text(&url);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    let first = rows
        .iter()
        .find(|r| &r[column("dataset_row")] == "900001")
        .unwrap();
    assert_eq!(&first[column("dataset")], "ucdp-ged");
    for (name, value) in [
        ("type_of_violence", "1"),
        ("where_prec", "1"),
        ("date_prec", "1"),
        ("low", "4"),
        ("best", "4"),
        ("high", "6"),
        ("date_start", "2021-03-04"),
    ] {
        assert_eq!(&first[column(name)], value, "{name}");
    }
    // Each row's type of violence reads back as the file had it, non-state (2) included.
    let mut fixture_rows = csv::Reader::from_path(&file).unwrap();
    let fixture_header = fixture_rows.headers().unwrap().clone();
    let at = |name: &str| fixture_header.iter().position(|h| h == name).unwrap();
    let mut compared = 0;
    for row in fixture_rows.records().map(Result::unwrap) {
        if let Some(exported) = rows
            .iter()
            .find(|r| r[column("dataset_row")] == row[at("id")])
        {
            assert_eq!(
                &exported[column("type_of_violence")],
                &row[at("type_of_violence")],
                "row {}",
                &row[at("id")]
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 5);
}

#[test]
fn a_file_with_a_fatal_error_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let before = log_size(&server);
    let output = import(
        &server,
        dir.path(),
        "ucdp",
        &fixture("ucdp-ged-no-best.csv"),
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("lacks the UCDP GED column(s) best"),
        "{stderr}"
    );
    assert!(stderr.contains("Nothing was imported"));
    // An ACLED file given as UCDP GED: the wrong header is fatal too.
    let output = import(&server, dir.path(), "ucdp", &fixture("acled.csv"), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(log_size(&server), before);
}

#[test]
fn bad_rows_are_named_by_line_and_column_and_the_good_ones_imported() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let before = log_size(&server);
    let output = import(
        &server,
        dir.path(),
        "ucdp",
        &fixture("ucdp-ged-bad-rows.csv"),
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let out = stdout(&output);
    for line in [
        "line 3: type_of_violence: 4 is not 1",
        "line 4: latitude: 134 is not between -90 and 90",
        "line 5: date_start: \"2021-02-30\" is not a date",
        "line 6: best: \"many\" is not a whole number",
        "line 7: id: 900001 is also the id of line 2",
        "line 8: date_end: is before date_start",
        "line 12: row: has 3 fields; the header has 50",
        // Refused by the log alone (dated after it was signed): the good row after it in
        // the same batch is signed again and imported.
        "line 9: payload.occurred.start: the log refused row 900018: is after the time the report was signed",
    ] {
        assert!(out.contains(line), "{line:?} not in:\n{out}");
    }
    assert!(out.contains("imported 2 new reports"), "{out}");
    assert!(out.contains("; 8 refused"), "{out}");
    assert_eq!(log_size(&server), before + 2);
}

#[test]
fn an_acled_file_is_imported_with_its_labels_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let file = fixture("acled.csv");
    let output = import(&server, dir.path(), "acled", &file, &[]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "one row is refused: {output:?}"
    );
    let out = stdout(&output);
    assert!(out.contains("line 4: sub_event_type: \"Air/drone strike\" is not an ACLED sub-event type of \"Battles\""), "{out}");
    assert!(out.contains("imported 3 new reports"), "{out}");
    let items = imported_reports(&server, "acled");
    let strike = items
        .iter()
        .find(|i| i["report"]["provenance"]["row"] == "TST1002")
        .unwrap();
    let report = &strike["report"];
    assert_eq!(report["sub_event_type"], "air_drone_strike");
    assert_eq!(report["occurred"]["start"], "2025-10-14T00:00:00Z");
    assert_eq!(report["occurred"]["precision"], "days");
    assert_eq!(report["location"]["precision"], 4);
    let export = get_text(&format!(
        "{}/api/v1/exports/reports.acled.csv?dataset=acled",
        server.url()
    ));
    assert!(
        export.contains("Explosions/Remote violence,Air/drone strike"),
        "{export}"
    );
    let json = import(
        &server,
        dir.path(),
        "acled",
        &file,
        &["--dry-run", "--json"],
    );
    let json: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        (
            json["new"].as_u64(),
            json["on_log"].as_array().map(Vec::len)
        ),
        (Some(0), Some(3))
    );
    assert_eq!(json["refused"][0]["line"], 4);
    assert_eq!(json["refused"][0]["field"], "sub_event_type");
    let again = import(&server, dir.path(), "acled", &file, &["--dry-run"]);
    assert!(
        stdout(&again).contains(
            "0 rows would be imported as new reports (0 with a range adjusted); 3 are already on the log; 1 refused"
        )
    );
    // Another monitor importing the same file: the rows are claimed by the first one's
    // key, which is reported as a conflict, row by row.
    let other = truce()
        .args(["import", "acled"])
        .arg(&file)
        .arg("--key")
        .arg(dir.path().join("demo-keys/jmt-monitor-2.key"))
        .args(["--dry-run", "--json"])
        .env("TRUCE_SERVER", server.url())
        .output()
        .unwrap();
    let other: Value = serde_json::from_slice(&other.stdout).unwrap();
    let conflicts = other["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 3, "{other}");
    let author = conflicts[0]["author"].as_str().unwrap();
    assert!(author.ends_with("/jmt/monitor-1"), "{author}");
    assert_eq!(other["on_log"].as_array().map(Vec::len), Some(0));
}

/// The real UCDP GED file of Pakistan (CC BY 4.0, not in the repository): `TRUCE_UCDP_GED_FILE`,
/// or `../shared/data/ucdp/ged-pakistan.csv` beside the repository.
fn real_ucdp_file() -> Option<PathBuf> {
    let path = std::env::var_os("TRUCE_UCDP_GED_FILE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ucdp/ged-pakistan.csv"),
        PathBuf::from,
    );
    path.exists().then_some(path)
}

#[test]
fn the_real_ucdp_file_is_imported_whole_and_the_figures_reported_match_it() {
    let Some(file) = real_ucdp_file() else {
        eprintln!(
            "SKIPPED: the real UCDP GED file is absent (set TRUCE_UCDP_GED_FILE, or put it at \
             ../shared/data/ucdp/ged-pakistan.csv beside the repository)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let before = log_size(&server);
    let output = import(
        &server,
        dir.path(),
        "ucdp",
        &file,
        &["--dataset-version", "21.1"],
    );
    assert!(output.status.success(), "{output:?}");
    let expected = figures_from_csv(&file);
    let rows: u64 = expected.values().map(|(n, _)| n).sum();
    assert_eq!(rows, 6_416, "the file's rows");
    assert_eq!(log_size(&server), before + rows);
    assert_eq!(
        figures_from_api(&imported_reports(&server, "ucdp-ged")),
        expected
    );
    let again = import(&server, dir.path(), "ucdp", &file, &[]);
    assert!(stdout(&again).contains("imported 0 new reports; 6416 rows were already on the log"));
    assert_eq!(log_size(&server), before + rows);
}

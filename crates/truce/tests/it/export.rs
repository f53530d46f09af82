//! `truce export reports`: a demo node's reports written to a file in each format, with
//! filters; a refused export leaves no file behind.

use std::process::Output;

use crate::support::*;

fn export(server: &Server, args: &[&str]) -> Output {
    truce()
        .args(["export", "reports"])
        .args(args)
        .env("TRUCE_SERVER", server.url())
        .output()
        .unwrap()
}

#[test]
fn reports_are_exported_to_a_file_in_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    for format in ["csv", "hxl", "acled", "ucdp", "geojson"] {
        let file = dir.path().join(format!("out.{format}"));
        let output = export(&server, &["--format", format, "-o", file.to_str().unwrap()]);
        assert!(output.status.success(), "{format}: {output:?}");
        let text = std::fs::read_to_string(&file).unwrap();
        match format {
            "geojson" => assert!(text.starts_with(r#"{"type":"FeatureCollection""#)),
            "acled" => assert!(text.starts_with("event_id_cnty,")),
            "ucdp" => assert!(text.starts_with("id,year,")),
            _ => assert!(text.starts_with("index,"), "{format}"),
        }
    }
    let all = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    let file = dir.path().join("pk.csv");
    let filtered = ["--filter", "country=PK", "-o", file.to_str().unwrap()];
    assert!(export(&server, &filtered).status.success());
    let pk = std::fs::read_to_string(&file).unwrap();
    assert!(pk.lines().count() < all.lines().count());
}

#[test]
fn a_refused_export_exits_2_naming_the_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let file = dir.path().join("out.csv");
    let output = export(
        &server,
        &["--filter", "country=IN", "-o", file.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("country"));
    assert!(!file.exists());
    let output = export(
        &server,
        &["--filter", "country", "-o", file.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(2));
}

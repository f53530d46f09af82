//! `truce report daily|period`: a demo node's situation report written as PDF (typeset
//! here) and as HTML; a refused date leaves no file behind.

use std::process::Output;

use crate::support::*;

fn report(server: &Server, args: &[&str]) -> Output {
    truce()
        .arg("report")
        .args(args)
        .env("TRUCE_SERVER", server.url())
        .output()
        .unwrap()
}

/// The PDF's text, its runs of white space as one space: the bidi isolation marks Fluent
/// puts around placeables come out as spaces.
fn pdf_text(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_daily_report_is_written_as_pdf_holding_its_words_and_as_a_right_to_left_page() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let pdf = dir.path().join("day.pdf");
    let args = [
        "daily",
        "--date",
        "2025-10-12",
        "--lang",
        "en",
        "-o",
        pdf.to_str().unwrap(),
    ];
    let output = report(&server, &args);
    assert!(output.status.success(), "{output:?}");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_text(&bytes);
    for expected in [
        "Situation report for 2025-10-12",
        "Alleged violations by accused party",
        "Border crossings: status and flows of people",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not in the PDF: {text}"
        );
    }

    let ur = dir.path().join("period-ur.pdf");
    let args = [
        "period",
        "--from",
        "2025-10-09",
        "--to",
        "2025-11-14",
        "--lang",
        "ur",
    ];
    let output = report(
        &server,
        &[&args[..], &["-o", ur.to_str().unwrap()]].concat(),
    );
    assert!(output.status.success(), "{output:?}");
    let bytes = std::fs::read(&ur).unwrap();
    assert!(
        bytes.windows(16).any(|w| w == b"NotoNastaliqUrdu"),
        "Nastaliq not embedded"
    );

    let html = dir.path().join("day.html");
    let args = [
        "daily",
        "--date",
        "2025-10-12",
        "--lang",
        "ps",
        "--format",
        "html",
    ];
    let output = report(
        &server,
        &[&args[..], &["-o", html.to_str().unwrap()]].concat(),
    );
    assert!(output.status.success(), "{output:?}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains(r#"<html lang="ps" dir="rtl">"#));
    // Whole offline: the stylesheets inside with the Naskh font as data, no script, and
    // links that lead back to the node.
    assert!(page.contains("<style>") && !page.contains(r#"rel="stylesheet""#));
    assert!(
        page.contains("src: url(data:font/ttf;base64,"),
        "no font inside"
    );
    assert!(!page.contains("<script"));
    let node = format!(r#"href="{}/"#, server.url());
    assert!(page.contains(&node), "links are not absolute");
}

#[test]
fn a_refused_date_exits_2_naming_the_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let file = dir.path().join("day.pdf");
    let output = report(
        &server,
        &[
            "daily",
            "--date",
            "2025-02-30",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("date"));
    assert!(!file.exists());
}

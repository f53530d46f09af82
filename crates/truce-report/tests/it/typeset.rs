//! Typesetting small report documents of the shape the node serves: the PDF is a PDF,
//! carries the report's words, and a bad document is refused with the reason.

use serde_json::{Value, json};

/// A document with one section and one chart, in `lang`.
fn document(lang: &str, dir: &str, title: &str, heading: &str, cell: &str) -> Value {
    let chart = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 20\">\
        <rect x=\"0\" y=\"0\" width=\"60\" height=\"10\" fill=\"#1f5f8b\"/></svg>";
    json!({
        "lang": lang,
        "dir": dir,
        "title": title,
        "previous_line": "Compared with 2025-10-11.",
        "record_line": "Read from the public record at 42 entries.",
        "none": "None in this period.",
        "map_title": "Map",
        "map_svg": null,
        "sections": [
            {"id": "allegations", "heading": heading, "note": null, "chart_svg": chart,
             "head": ["Party", "This period", "Previous period", "Change"],
             "rows": [[cell, "3", "1", "+2"]]},
            {"id": "denials", "heading": "Denials", "note": "A note.", "chart_svg": null,
             "head": ["Date"], "rows": []}
        ],
        "data": {}
    })
}

fn text_of(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf).expect("the PDF's text")
}

#[test]
fn an_english_report_is_a_pdf_holding_its_words_and_figures() {
    let doc = document(
        "en",
        "ltr",
        "Situation report for 2025-10-12",
        "Alleged violations",
        "Pakistan",
    );
    let pdf = truce_report::pdf(&doc.to_string()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = text_of(&pdf);
    for expected in [
        "Situation report for 2025-10-12",
        "Alleged violations",
        "Pakistan",
        "None in this period.",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text:?}");
    }
}

#[test]
fn a_pashto_and_an_urdu_report_embed_their_fonts() {
    for (lang, family) in [("ps", "NotoNaskhArabic"), ("ur", "NotoNastaliqUrdu")] {
        let doc = document(lang, "rtl", "د حالاتو راپور", "ادعا شوې سرغړونې", "پاکستان");
        let pdf = truce_report::pdf(&doc.to_string()).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let embedded = pdf.windows(family.len()).any(|w| w == family.as_bytes());
        assert!(embedded, "{family} is not embedded in the {lang} PDF");
    }
}

#[test]
fn a_document_without_its_language_is_refused_naming_it() {
    let mut doc = document("en", "ltr", "t", "h", "c");
    doc.as_object_mut().unwrap().remove("lang");
    let error = truce_report::pdf(&doc.to_string()).unwrap_err();
    assert_eq!(error.to_string(), "the report document has no lang");
    assert!(truce_report::pdf("not json").is_err());
}

//! Situation reports as PDF: the JSON document a node serves for a report
//! (`/reports/daily/YYYY-MM-DD.json`, words already in the report's language, the map and
//! charts as SVG) typeset by Typst with the fonts of `truce-fonts` embedded, so Pashto,
//! Dari and Arabic are shaped in Naskh and Urdu in Nastaliq, right to left.
//!
//! Typst is heavy to compile, so it lives in this crate alone: the CLI links it, the
//! server never does. This crate reads no files and no network: the document and the
//! fonts are all it typesets from.

use std::sync::LazyLock;

use typst::foundations::{Dict, IntoValue, Str};
use typst_as_lib::TypstEngine;
use typst_as_lib::TypstTemplateMainFile;
use typst_layout::PagedDocument;

const TEMPLATE: &str = include_str!("../templates/report.typ");

/// Why a report could not be typeset.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("the report document is not JSON: {0}")]
    NotJson(#[from] serde_json::Error),
    #[error("the report document has no {0}")]
    Missing(&'static str),
    #[error("typesetting failed: {0}")]
    Typeset(String),
}

/// The engine, with the template and the fonts parsed once per process.
static ENGINE: LazyLock<TypstEngine<TypstTemplateMainFile>> = LazyLock::new(|| {
    TypstEngine::builder()
        .main_file(TEMPLATE)
        .fonts(truce_fonts::ALL.map(|font| font.bytes))
        .build()
});

/// Typesets `document` (a report's JSON document, as the node serves it) as PDF.
pub fn pdf(document: &str) -> Result<Vec<u8>, ReportError> {
    let parsed: serde_json::Value = serde_json::from_str(document)?;
    let lang = parsed["lang"]
        .as_str()
        .ok_or(ReportError::Missing("lang"))?;
    for field in ["title", "dir", "sections"] {
        if parsed.get(field).is_none() {
            return Err(ReportError::Missing(field));
        }
    }
    let (language, region) = typst_language(lang);
    let mut inputs = Dict::new();
    inputs.insert("report".into(), Str::from(document).into_value());
    inputs.insert("lang".into(), Str::from(language).into_value());
    inputs.insert("region".into(), region.map(Str::from).into_value());
    inputs.insert(
        "font".into(),
        Str::from(truce_fonts::family_for(lang)).into_value(),
    );
    let typeset: PagedDocument = ENGINE
        .compile_with_input(inputs)
        .output
        .map_err(|e| ReportError::Typeset(e.to_string()))?;
    typst_pdf::pdf(&typeset, &typst_pdf::PdfOptions::default()).map_err(|errors| {
        let messages: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        ReportError::Typeset(messages.join("; "))
    })
}

/// Typst's language and region for a BCP 47 tag: Typst takes ISO 639 codes only, so
/// Dari (`fa-AF`) is Persian in the Afghan region.
fn typst_language(tag: &str) -> (&str, Option<&str>) {
    match tag.split_once('-') {
        Some((language, region)) => (language, Some(region)),
        None => (tag, None),
    }
}

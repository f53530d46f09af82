//! A published situation report, entered on the log by its SHA-256 so that no one can
//! quietly change it afterwards: anyone holding a copy hashes it and finds the entry.
//! The file itself stays outside the log (on the mechanism's site, in mail, in print);
//! the entry says which period, language and format it is, and its hash.

use serde::{Deserialize, Serialize};

use super::values::text;
use crate::rejection::FieldError;
use crate::timestamp::Day;

/// The languages a situation report is written in: the web application's six tags.
pub const REPORT_LANGUAGES: &[&str] = &["en", "ps", "fa-AF", "ur", "tr", "ar"];
/// The longest period one report covers, in days: a year and its leap day.
pub const PUBLISHED_PERIOD_DAYS_MAX: i64 = 366;

/// The days a report covers, both included; a daily report is `from == to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportPeriod {
    pub from: Day,
    pub to: Day,
}

impl ReportPeriod {
    /// Days covered, both ends included.
    #[must_use]
    pub fn days(&self) -> i64 {
        (self.to.date() - self.from.date()).whole_days() + 1
    }
}

/// How the published file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    Pdf,
    Html,
    Json,
}

impl ReportFormat {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Html => "html",
            Self::Json => "json",
        }
    }
}

/// `report.published`: the mechanism published this file as its report of `period`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportPublished {
    pub format: ReportFormat,
    /// One of [`REPORT_LANGUAGES`].
    pub language: String,
    pub period: ReportPeriod,
    /// SHA-256 of the file's bytes, 64 lowercase hex digits.
    pub sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Where the file was published (https only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl ReportPublished {
    pub fn validate(&self) -> Result<(), FieldError> {
        let days = self.period.days();
        if days < 1 {
            return Err(FieldError::new(
                "period.to",
                format!("{} is before from {}", self.period.to, self.period.from),
            ));
        }
        if days > PUBLISHED_PERIOD_DAYS_MAX {
            return Err(FieldError::new(
                "period.to",
                format!(
                    "a report covers at most {PUBLISHED_PERIOD_DAYS_MAX} days (this one {days})"
                ),
            ));
        }
        if !REPORT_LANGUAGES.contains(&self.language.as_str()) {
            return Err(FieldError::new(
                "language",
                format!(
                    "must be one of {} (got {:?})",
                    REPORT_LANGUAGES.join(", "),
                    self.language
                ),
            ));
        }
        if !crate::envelope::is_sha256_hex(&self.sha256) {
            return Err(FieldError::new("sha256", "must be 64 lowercase hex digits"));
        }
        if let Some(title) = &self.title {
            text(title, "title", 1, 300)?;
        }
        if let Some(url) = &self.url {
            validate_url(url)?;
        }
        Ok(())
    }
}

fn validate_url(url: &str) -> Result<(), FieldError> {
    text(url, "url", 9, 2_000)?;
    let host = url.strip_prefix("https://").unwrap_or("");
    if host.is_empty() || host.starts_with('/') || url.chars().any(char::is_whitespace) {
        return Err(FieldError::new(
            "url",
            format!("must be an https:// address without spaces (got {url:?})"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published() -> ReportPublished {
        ReportPublished {
            format: ReportFormat::Pdf,
            language: "fa-AF".into(),
            period: ReportPeriod {
                from: Day::parse("2025-10-12").unwrap(),
                to: Day::parse("2025-10-12").unwrap(),
            },
            sha256: "ab".repeat(32),
            title: None,
            url: Some("https://example.org/reports/2025-10-12.pdf".into()),
        }
    }

    fn refused_field(p: &ReportPublished) -> String {
        p.validate().unwrap_err().field
    }

    #[test]
    fn a_daily_pdf_in_dari_is_valid() {
        published().validate().unwrap();
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut p = published();
        p.period.to = Day::parse("2025-10-11").unwrap();
        assert_eq!(refused_field(&p), "period.to");
        let mut p = published();
        p.period.to = Day::parse("2026-10-13").unwrap();
        assert_eq!(refused_field(&p), "period.to");
        let mut p = published();
        p.language = "fr".into();
        assert_eq!(refused_field(&p), "language");
        let mut p = published();
        p.sha256 = "AB".repeat(32);
        assert_eq!(refused_field(&p), "sha256");
        let mut p = published();
        p.url = Some("http://example.org/x.pdf".into());
        assert_eq!(refused_field(&p), "url");
        let mut p = published();
        p.title = Some(String::new());
        assert_eq!(refused_field(&p), "title");
    }
}

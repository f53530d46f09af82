//! The page's language: `?lang=` (then remembered in the `lang` cookie), else the cookie,
//! else the first supported language of `Accept-Language`, else English. Messages come
//! from the Fluent files in `locales/<tag>/main.ftl`, embedded at build time.
//!
//! Dari is tagged `fa-AF` (Persian as written in Afghanistan): it is the tag browsers send
//! and fonts, spell-checkers and screen readers know; `prs` and `fa` are accepted for it.

use std::borrow::Cow;
use std::collections::HashMap;

use axum::http::HeaderMap;
use axum::http::header;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // The bidi isolation marks Fluent puts around placeables stay: right-to-left
        // sentences holding numbers and Latin names need them.
    };
}

/// The name of the cookie that remembers a chosen language.
pub const COOKIE: &str = "lang";

/// A language the pages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ps,
    Prs,
    Ur,
    Tr,
    Ar,
}

impl Lang {
    pub const ALL: [Lang; 6] = [Lang::En, Lang::Ps, Lang::Prs, Lang::Ur, Lang::Tr, Lang::Ar];

    /// The BCP 47 tag: `lang=`, `?lang=`, the cookie and the locale folder.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ps => "ps",
            Self::Prs => "fa-AF",
            Self::Ur => "ur",
            Self::Tr => "tr",
            Self::Ar => "ar",
        }
    }

    /// The language's name in itself, for the switcher.
    #[must_use]
    pub fn endonym(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Ps => "پښتو",
            Self::Prs => "دری",
            Self::Ur => "اردو",
            Self::Tr => "Türkçe",
            Self::Ar => "العربية",
        }
    }

    #[must_use]
    pub fn is_rtl(self) -> bool {
        matches!(self, Self::Ps | Self::Prs | Self::Ur | Self::Ar)
    }

    #[must_use]
    pub fn dir(self) -> &'static str {
        if self.is_rtl() { "rtl" } else { "ltr" }
    }

    /// The language a tag names (`ps`, `fa-AF`, `ur-PK`, `prs`...), ignoring case and region
    /// except that any Persian is taken as Dari, the Persian of Afghanistan.
    #[must_use]
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Some(match primary.as_str() {
            "en" => Self::En,
            "ps" | "pbt" | "pbu" => Self::Ps,
            "fa" | "prs" => Self::Prs,
            "ur" => Self::Ur,
            "tr" => Self::Tr,
            "ar" => Self::Ar,
            _ => return None,
        })
    }

    /// The language of a request whose query named `asked` (if any), from its headers.
    #[must_use]
    pub fn negotiate(asked: Option<&str>, headers: &HeaderMap) -> Lang {
        asked
            .and_then(Lang::from_tag)
            .or_else(|| cookie(headers).and_then(Lang::from_tag))
            .or_else(|| accept_language(headers))
            .unwrap_or(Lang::En)
    }

    /// The message `id` in this language.
    #[must_use]
    pub fn t(self, id: &str) -> String {
        LOCALES.lookup(&self.id(), id)
    }

    /// The message `id` with its arguments.
    #[must_use]
    pub fn t_with(self, id: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), value.clone()))
            .collect();
        // The only digits in a message are its numbers: written in the language's digits.
        super::numbers::digits(self.tag(), &LOCALES.lookup_with_args(&self.id(), id, &args))
    }

    /// A status, kind or role in this language's words (`status-<value>` in the message
    /// files), or the value itself when the files do not name it.
    #[must_use]
    pub fn status(self, value: &str) -> String {
        self.t_or(&format!("status-{value}"), value)
    }

    /// The name of the country with ISO 3166-1 code `code` in this language (CLDR's).
    #[must_use]
    pub fn country(self, code: &str) -> String {
        truce_api::countries::name(self.tag(), code)
    }

    /// A flow's direction (`to_th`) as words: "into Thailand".
    #[must_use]
    pub fn direction(self, direction: &str) -> String {
        match truce_core::mechanism::Direction::parse(direction) {
            Ok(direction) => {
                let country = self.country(&direction.country_code());
                self.t_with("direction-into", &[("country", country.into())])
            }
            Err(_) => direction.to_string(),
        }
    }

    /// `text`'s digits in this language's digits.
    #[must_use]
    pub fn digits(self, text: &str) -> String {
        super::numbers::digits(self.tag(), text)
    }

    /// The webfont stylesheet a page in this language links, if its script needs one.
    #[must_use]
    pub fn fonts_css(self) -> Option<&'static str> {
        self.is_rtl().then(|| super::fonts::CSS.0.as_str())
    }

    /// A whole number in this language's digits and grouping.
    #[must_use]
    #[allow(clippy::trivially_copy_pass_by_ref)] // askama passes arguments by reference
    pub fn number(self, n: &i64) -> String {
        super::numbers::number(self.tag(), *n)
    }

    /// A count known within bounds (`numbers::range`).
    #[must_use]
    pub fn range(self, low: i64, best: i64, high: i64) -> String {
        super::numbers::range(self.tag(), low, best, high)
    }

    /// The message `id` if there is one, else `fallback` (a status the files do not name).
    #[must_use]
    pub fn t_or(self, id: &str, fallback: &str) -> String {
        LOCALES
            .try_lookup(&self.id(), id)
            .unwrap_or_else(|| fallback.to_string())
    }

    fn id(self) -> LanguageIdentifier {
        self.tag().parse().expect("a valid language tag")
    }
}

/// The footer's sentence on how many entries the record holds.
pub fn record_size(lang: Lang, entries: u64) -> String {
    lang.t_with("footer-record", &[("entries", entries.into())])
}

/// The value of the `lang` cookie, if any.
fn cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim())
}

/// The supported language the `Accept-Language` header prefers most (RFC 9110 §12.5.4).
fn accept_language(headers: &HeaderMap) -> Option<Lang> {
    let header = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    let mut ranges: Vec<(f32, usize, Lang)> = header
        .split(',')
        .enumerate()
        .filter_map(|(order, range)| {
            let mut parts = range.split(';');
            let lang = Lang::from_tag(parts.next()?)?;
            let quality = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (quality > 0.0).then_some((quality.min(1.0), order, lang))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.first().map(|(_, _, lang)| *lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(name: header::HeaderName, value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn the_query_wins_then_the_cookie_then_accept_language() {
        let accept = headers(header::ACCEPT_LANGUAGE, "de, ur-PK;q=0.8, en;q=0.5");
        assert_eq!(Lang::negotiate(None, &accept), Lang::Ur);
        assert_eq!(Lang::negotiate(Some("tr"), &accept), Lang::Tr);
        let cookie = headers(header::COOKIE, "a=b; lang=fa-AF");
        assert_eq!(Lang::negotiate(None, &cookie), Lang::Prs);
        assert_eq!(Lang::negotiate(Some("xx"), &HeaderMap::new()), Lang::En);
        let zero = headers(header::ACCEPT_LANGUAGE, "ps;q=0, ar;q=0.1");
        assert_eq!(Lang::negotiate(None, &zero), Lang::Ar);
    }

    /// The message ids a Fluent file defines.
    fn ids(file: &str) -> std::collections::BTreeSet<&str> {
        file.lines()
            .filter(|line| !line.starts_with([' ', '#', '-']))
            .filter_map(|line| line.split_once(" ="))
            .map(|(id, _)| id.trim())
            .collect()
    }

    #[test]
    fn every_language_defines_every_message_english_does_and_no_other() {
        let files = [
            ("ps", include_str!("../locales/ps/main.ftl")),
            ("fa-AF", include_str!("../locales/fa-AF/main.ftl")),
            ("ur", include_str!("../locales/ur/main.ftl")),
            ("tr", include_str!("../locales/tr/main.ftl")),
            ("ar", include_str!("../locales/ar/main.ftl")),
        ];
        let english = ids(include_str!("../locales/en/main.ftl"));
        assert!(english.len() > 10);
        for (tag, file) in files {
            assert_eq!(ids(file), english, "{tag}");
            assert!(Lang::from_tag(tag).is_some());
        }
    }
}

//! Dates as each page's language writes them, through ICU4X and CLDR's data: Dari and
//! Pashto pages give the Solar Hijri date (their locales' calendar) with the Gregorian date
//! beside it; the others the Gregorian date in their own words and digits. The record's
//! times are UTC, so only the day (and, for times, the hour and minute) are shown.

use icu::calendar::Date;
use icu::datetime::DateTimeFormatter;
use icu::datetime::fieldsets::YMD;
use icu::locale::Locale;

use super::lang::Lang;

/// A day `YYYY-MM-DD...` (an RFC 3339 time or a date) in the page's language; the text as
/// given when it is not a date.
#[must_use]
pub fn day(lang: Lang, text: &str) -> String {
    let Some(date) = iso_date(text) else {
        return text.to_string();
    };
    let gregorian = format(&format!("{}-u-ca-gregory", lang.tag()), date, &text[..10]);
    if matches!(lang, Lang::Ps | Lang::Prs) {
        let solar_hijri = format(&format!("{}-u-ca-persian", lang.tag()), date, &text[..10]);
        format!("{solar_hijri} ({gregorian})")
    } else {
        gregorian
    }
}

/// An RFC 3339 time as its day in the page's language and its UTC hour and minute.
#[must_use]
pub fn minute(lang: Lang, text: &str) -> String {
    match text.get(11..16) {
        Some(time) if iso_date(text).is_some() => format!("{}, {time} UTC", day(lang, text)),
        _ => day(lang, text),
    }
}

fn iso_date(text: &str) -> Option<Date<icu::calendar::Iso>> {
    let year = text.get(0..4)?.parse().ok()?;
    let month = text.get(5..7)?.parse().ok()?;
    let day = text.get(8..10)?.parse().ok()?;
    (text.get(4..5) == Some("-") && text.get(7..8) == Some("-"))
        .then(|| Date::try_new_iso(year, month, day).ok())
        .flatten()
}

/// The date in locale `tag`'s words; `iso` (the date as the record wrote it) if CLDR's
/// data cannot format it.
fn format(tag: &str, date: Date<icu::calendar::Iso>, iso: &str) -> String {
    let locale: Locale = tag
        .parse()
        .expect("a supported language with a calendar keyword");
    match DateTimeFormatter::try_new(locale.into(), YMD::long()) {
        Ok(formatter) => formatter.format(&date).to_string(),
        Err(_) => iso.to_string(),
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dari_and_pashto_give_the_solar_hijri_date_beside_the_gregorian() {
        // 12 October 2025 is 20 Mizan 1404 in the Solar Hijri calendar.
        let dari = day(Lang::Prs, "2025-10-12T00:00:00Z");
        assert!(dari.starts_with("۲۰ میزان ۱۴۰۴"), "{dari}");
        assert!(
            dari.contains("۲۰۲۵"),
            "the Gregorian year in Dari digits: {dari}"
        );
        let pashto = day(Lang::Ps, "2025-10-12");
        assert!(
            pashto.contains("۱۴۰۴") && pashto.contains("۲۰۲۵"),
            "{pashto}"
        );
    }

    #[test]
    fn other_languages_give_the_gregorian_date_in_their_words() {
        assert_eq!(day(Lang::En, "2025-10-12"), "October 12, 2025");
        assert_eq!(day(Lang::Tr, "2025-10-12"), "12 Ekim 2025");
        assert!(day(Lang::Ur, "2025-10-12").contains("اکتوبر"));
        assert_eq!(
            minute(Lang::En, "2025-10-12T08:05:00Z"),
            "October 12, 2025, 08:05 UTC"
        );
    }

    #[test]
    fn what_is_not_a_date_is_shown_as_given() {
        assert_eq!(day(Lang::Prs, ""), "");
        assert_eq!(day(Lang::En, "soon"), "soon");
        assert_eq!(day(Lang::En, "2025-13-40"), "2025-13-40");
    }
}

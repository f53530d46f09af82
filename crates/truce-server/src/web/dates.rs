//! Dates and numbers as each page's language writes them, through ICU4X and CLDR's data: Dari and
//! Pashto pages give the Solar Hijri date (their locales' calendar) with the Gregorian date
//! beside it; the others the Gregorian date in their own words and digits. The record's
//! times are UTC, so only the day (and, for times, the hour and minute) are shown.

use icu::calendar::Date;
use icu::datetime::DateTimeFormatter;
use icu::datetime::fieldsets::YMD;
use icu::decimal::DecimalFormatter;
use icu::decimal::input::Decimal;
use icu::decimal::options::DecimalFormatterOptions;
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
/// A whole number in the language's digits and grouping (`۱٬۲۳۴` in Dari and Pashto).
#[must_use]
pub fn number(lang: Lang, n: i64) -> String {
    let locale: Locale = lang.tag().parse().expect("a supported language");
    match DecimalFormatter::try_new(locale.into(), DecimalFormatterOptions::default()) {
        Ok(formatter) => formatter.format(&Decimal::from(n)).to_string(),
        Err(_) => n.to_string(),
    }
}

/// A count known only within bounds, as every page and report writes it: `low–best–high`
/// in the language's digits, or the one number when all three agree, isolated left to
/// right (U+2066 ... U+2069) so that it keeps its order inside right-to-left text.
#[must_use]
pub fn range(lang: Lang, low: i64, best: i64, high: i64) -> String {
    let text = if low == best && best == high {
        number(lang, best)
    } else {
        let [low, best, high] = [low, best, high].map(|n| number(lang, n));
        format!("{low}\u{2013}{best}\u{2013}{high}")
    };
    format!("\u{2066}{text}\u{2069}")
}

/// `text` with its ASCII digits written in the language's digits: for messages whose only
/// digits are the numbers put into them.
#[must_use]
pub fn digits(lang: Lang, text: &str) -> String {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return text.to_string();
    }
    let zero = number(lang, 0).chars().next().unwrap_or('0');
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => char::from_u32(u32::from(zero) + d).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_is_one_isolated_run_in_the_language_digits() {
        assert_eq!(range(Lang::En, 3, 3, 3), "\u{2066}3\u{2069}");
        assert_eq!(
            range(Lang::En, 40, 46, 1_200),
            "\u{2066}40\u{2013}46\u{2013}1,200\u{2069}"
        );
        assert_eq!(
            range(Lang::Prs, 1, 2, 3),
            "\u{2066}۱\u{2013}۲\u{2013}۳\u{2069}"
        );
    }

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
    fn numbers_use_each_languages_digits() {
        assert_eq!(number(Lang::Prs, 1234), "۱٬۲۳۴");
        assert_eq!(number(Lang::Ps, 7), "۷");
        assert_eq!(number(Lang::En, 1234), "1,234");
        assert_eq!(digits(Lang::Ps, "412 ورځې"), "۴۱۲ ورځې");
        assert_eq!(digits(Lang::Tr, "412 gün"), "412 gün");
    }

    #[test]
    fn what_is_not_a_date_is_shown_as_given() {
        assert_eq!(day(Lang::Prs, ""), "");
        assert_eq!(day(Lang::En, "soon"), "soon");
        assert_eq!(day(Lang::En, "2025-13-40"), "2025-13-40");
    }
}

//! Numbers as each page's language writes them, through ICU4X and CLDR's data: its digits
//! and grouping (`۱٬۲۳۴` in Dari and Pashto), and a count known only within bounds. By the
//! language's BCP 47 tag, so that messages and dates can use them.

use icu::decimal::DecimalFormatter;
use icu::decimal::input::Decimal;
use icu::decimal::options::DecimalFormatterOptions;
use icu::locale::Locale;

/// A whole number in the language's digits and grouping (`۱٬۲۳۴` in Dari and Pashto).
#[must_use]
pub fn number(tag: &str, n: i64) -> String {
    let locale: Locale = tag.parse().expect("a supported language");
    match DecimalFormatter::try_new(locale.into(), DecimalFormatterOptions::default()) {
        Ok(formatter) => formatter.format(&Decimal::from(n)).to_string(),
        Err(_) => n.to_string(),
    }
}

/// A count known only within bounds, as every page and report writes it: `low–best–high`
/// in the language's digits, or the one number when all three agree, isolated left to
/// right (U+2066 ... U+2069) so that it keeps its order inside right-to-left text.
#[must_use]
pub fn range(tag: &str, low: i64, best: i64, high: i64) -> String {
    let text = if low == best && best == high {
        number(tag, best)
    } else {
        let [low, best, high] = [low, best, high].map(|n| number(tag, n));
        format!("{low}\u{2013}{best}\u{2013}{high}")
    };
    format!("\u{2066}{text}\u{2069}")
}

/// `text` with its ASCII digits written in the language's digits: for messages whose only
/// digits are the numbers put into them.
#[must_use]
pub fn digits(tag: &str, text: &str) -> String {
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return text.to_string();
    }
    let zero = number(tag, 0).chars().next().unwrap_or('0');
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
        assert_eq!(range("en", 3, 3, 3), "\u{2066}3\u{2069}");
        assert_eq!(
            range("en", 40, 46, 1_200),
            "\u{2066}40\u{2013}46\u{2013}1,200\u{2069}"
        );
        assert_eq!(
            range("fa-AF", 1, 2, 3),
            "\u{2066}۱\u{2013}۲\u{2013}۳\u{2069}"
        );
    }

    #[test]
    fn numbers_use_each_languages_digits() {
        assert_eq!(number("fa-AF", 1234), "۱٬۲۳۴");
        assert_eq!(number("ps", 7), "۷");
        assert_eq!(number("en", 1234), "1,234");
        assert_eq!(digits("ps", "412 ورځې"), "۴۱۲ ورځې");
        assert_eq!(digits("tr", "412 gün"), "412 gün");
    }
}

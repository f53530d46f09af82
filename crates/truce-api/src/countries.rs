//! Countries' names in any language, from Unicode CLDR (through ICU4X's compiled
//! data): a geometry may name any state, so no country name is one of our messages.

use icu::locale::Locale;
use icu::locale::subtags::Region;
use icu_experimental::displaynames::DisplayNamesOptions;
use icu_experimental::displaynames::multi::RegionDisplayNames;

/// The name of the country with ISO 3166-1 alpha-2 `code` in the language tagged `tag`
/// (BCP 47: `en`, `ps`, `fa-AF`...); the code itself
/// where CLDR has no name for it. (The names are compiled in: loading them for a call
/// borrows static data.)
#[must_use]
pub fn name(tag: &str, code: &str) -> String {
    let region = Region::try_from_str(code).ok();
    let locale: Option<Locale> = tag.parse().ok();
    let names = locale.and_then(|locale| {
        RegionDisplayNames::try_new((&locale).into(), DisplayNamesOptions::default()).ok()
    });
    region
        .zip(names)
        .and_then(|(region, names)| names.of(region).map(str::to_string))
        .unwrap_or_else(|| code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_web_language_names_any_country() {
        assert_eq!(name("en", "TH"), "Thailand");
        assert_eq!(name("tr", "KH"), "Kamboçya");
        for tag in ["en", "ps", "fa-AF", "ur", "ar", "tr"] {
            for code in ["AF", "PK", "TH", "KH"] {
                assert_ne!(name(tag, code), code, "{tag} {code}");
            }
        }
        assert_eq!(name("ur", "PK"), "پاکستان");
        assert_eq!(name("en", "XX"), "XX");
    }
}

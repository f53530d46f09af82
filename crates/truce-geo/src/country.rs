//! Countries by ISO 3166-1 alpha-2 code, as a geometry names them, with the codes other
//! datasets file them under: ISO 3166-1 numeric (ACLED's `iso`) from the `celes` crate, and
//! Gleditsch–Ward state numbers (UCDP's `country_id`) from `data/gleditsch-ward.csv`.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use serde::{Serialize, Serializer};

/// A country, by its ISO 3166-1 alpha-2 code. Only codes ISO assigns are accepted: a
/// geometry, a filter or an entry naming "XX" is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country(&'static str);

impl Country {
    /// The country whose ISO 3166-1 alpha-2 code is `code` (two capital letters).
    pub fn parse(code: &str) -> Result<Self, String> {
        let upper = code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase());
        let iso = upper
            .then(|| celes::Country::from_alpha2(code).ok())
            .flatten();
        iso.map(|iso| Self(iso.alpha2)).ok_or_else(|| {
            format!("must be an ISO 3166-1 alpha-2 country code such as \"TH\", got {code:?}")
        })
    }

    /// ISO 3166-1 alpha-2 code, e.g. "TH".
    #[must_use]
    pub fn code(self) -> &'static str {
        self.0
    }

    fn iso(self) -> celes::Country {
        celes::Country::from_alpha2(self.0).expect("parsed from ISO 3166-1")
    }

    /// ISO 3166-1 numeric code, e.g. 764 for Thailand.
    #[must_use]
    pub fn numeric(self) -> u16 {
        u16::try_from(self.iso().value).expect("ISO 3166-1 numeric codes have three digits")
    }

    /// ISO 3166-1 alpha-3 code, e.g. "THA".
    #[must_use]
    pub fn alpha3(self) -> &'static str {
        self.iso().alpha3
    }

    /// The Gleditsch–Ward number of the independent state, e.g. 800 for Thailand; `None`
    /// for a territory that is not a state in their list.
    #[must_use]
    pub fn gleditsch_ward(self) -> Option<u16> {
        GLEDITSCH_WARD.get(self.0).copied()
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

/// The state list of Gleditsch and Ward (1999, "A Revised List of Independent States since
/// the Congress of Vienna", International Interactions 25(4)), keyed by ISO 3166-1 alpha-2,
/// as the `countrycode` package (0.6.0, columns `iso2c` and `gwn`) carries it; see the README.
const GLEDITSCH_WARD_CSV: &str = include_str!("../data/gleditsch-ward.csv");

static GLEDITSCH_WARD: LazyLock<HashMap<&'static str, u16>> = LazyLock::new(|| {
    GLEDITSCH_WARD_CSV
        .lines()
        .skip(1)
        .map(|line| {
            let mut fields = line.split(',');
            let code = fields.next().expect("an ISO code");
            let number = fields.next().and_then(|n| n.parse().ok());
            (code, number.expect("a Gleditsch–Ward number"))
        })
        .collect()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_assigned_codes_in_capitals_are_countries() {
        assert_eq!(Country::parse("TH").unwrap().code(), "TH");
        for bad in ["XX", "th", "T", "THA", "", "ZZ"] {
            assert!(Country::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_country_has_its_iso_numeric_and_gleditsch_ward_codes() {
        let thailand = Country::parse("TH").unwrap();
        assert_eq!((thailand.numeric(), thailand.alpha3()), (764, "THA"));
        assert_eq!(thailand.gleditsch_ward(), Some(800));
        assert_eq!(Country::parse("KH").unwrap().gleditsch_ward(), Some(811));
        // A territory is no state in the list.
        assert_eq!(Country::parse("GL").unwrap().gleditsch_ward(), None);
    }

    #[test]
    fn every_row_of_the_state_list_is_an_iso_country() {
        let rows = GLEDITSCH_WARD_CSV.lines().skip(1);
        for row in rows {
            let code = row.split(',').next().unwrap();
            assert!(Country::parse(code).is_ok(), "{row}");
        }
        assert!(GLEDITSCH_WARD.len() > 170);
    }
}

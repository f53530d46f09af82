//! First-level divisions (provinces) of a geometry's countries.

use crate::Country;
use geo::MultiPolygon;

/// A province (admin-1 division) with its names and area.
#[derive(Debug, Clone)]
pub struct Province {
    pub(crate) iso_3166_2: String,
    pub(crate) country: Country,
    pub(crate) name: String,
    pub(crate) name_ps: Option<String>,
    pub(crate) name_fa: Option<String>,
    pub(crate) name_ur: Option<String>,
    pub(crate) name_ar: Option<String>,
    pub(crate) name_tr: Option<String>,
    pub(crate) area: MultiPolygon,
}

impl Province {
    /// ISO 3166-2 code, e.g. "AF-KAB".
    #[must_use]
    pub fn iso_3166_2(&self) -> &str {
        &self.iso_3166_2
    }

    #[must_use]
    pub fn country(&self) -> Country {
        self.country
    }

    /// English name (Natural Earth's `name_en` in the reference geometry).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Pashto name; the reference geometry has none (no openly licensed, registry-installable
    /// source of Pashto province names was found; see the crate README).
    #[must_use]
    pub fn name_ps(&self) -> Option<&str> {
        self.name_ps.as_deref()
    }

    /// Dari (Persian) name.
    #[must_use]
    pub fn name_fa(&self) -> Option<&str> {
        self.name_fa.as_deref()
    }

    /// Urdu name.
    #[must_use]
    pub fn name_ur(&self) -> Option<&str> {
        self.name_ur.as_deref()
    }

    /// Arabic name.
    #[must_use]
    pub fn name_ar(&self) -> Option<&str> {
        self.name_ar.as_deref()
    }

    /// Turkish name.
    #[must_use]
    pub fn name_tr(&self) -> Option<&str> {
        self.name_tr.as_deref()
    }

    /// The province's area at full resolution (longitude/latitude).
    #[must_use]
    pub fn area(&self) -> &MultiPolygon {
        &self.area
    }
}

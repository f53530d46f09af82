//! The fonts Truce embeds, as bytes: Noto Sans (Latin, for English and Turkish), Noto
//! Naskh Arabic (Pashto, Dari, Arabic) and Noto Nastaliq Urdu (Urdu), each subsetted to
//! the scripts Truce writes with every OpenType layout feature kept (`fonts/subset.sh`),
//! under the SIL Open Font License 1.1 (`fonts/OFL.txt`).
//!
//! The PDF reports (`truce-report`) embed them; the web application can serve the same
//! bytes as webfonts for the languages that need them. This crate only holds the files:
//! it never parses, shapes or serves them.

/// One embedded font file.
#[derive(Debug, Clone, Copy)]
pub struct Font {
    /// The family name the font declares, by which documents ask for it.
    pub family: &'static str,
    pub bold: bool,
    /// A file name to serve it under (`.ttf`).
    pub file: &'static str,
    pub bytes: &'static [u8],
}

macro_rules! font {
    ($family:literal, $bold:literal, $file:literal) => {
        Font {
            family: $family,
            bold: $bold,
            file: $file,
            bytes: include_bytes!(concat!("../fonts/", $file)),
        }
    };
}

pub const SANS: &str = "Noto Sans";
pub const NASKH: &str = "Noto Naskh Arabic";
pub const NASTALIQ: &str = "Noto Nastaliq Urdu";

/// Every embedded font.
pub const ALL: [Font; 5] = [
    font!("Noto Sans", false, "NotoSans-Regular.subset.ttf"),
    font!("Noto Sans", true, "NotoSans-Bold.subset.ttf"),
    font!(
        "Noto Naskh Arabic",
        false,
        "NotoNaskhArabic-Regular.subset.ttf"
    ),
    font!("Noto Naskh Arabic", true, "NotoNaskhArabic-Bold.subset.ttf"),
    font!(
        "Noto Nastaliq Urdu",
        false,
        "NotoNastaliqUrdu-Regular.subset.ttf"
    ),
];

/// The licence the fonts are distributed under, to serve or ship beside them.
pub const LICENSE: &str = include_str!("../fonts/OFL.txt");

/// The family a language's text is set in: Nastaliq for Urdu, Naskh for the other
/// Arabic-script languages, Noto Sans otherwise.
#[must_use]
pub fn family_for(lang: &str) -> &'static str {
    match lang.split('-').next().unwrap_or(lang) {
        "ur" => NASTALIQ,
        "ps" | "fa" | "prs" | "ar" => NASKH,
        _ => SANS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_font_is_a_truetype_file() {
        for font in ALL {
            assert_eq!(&font.bytes[..4], &[0, 1, 0, 0], "{}", font.file);
        }
    }

    #[test]
    fn urdu_is_nastaliq_and_dari_is_naskh() {
        assert_eq!(family_for("ur"), NASTALIQ);
        assert_eq!(family_for("fa-AF"), NASKH);
        assert_eq!(family_for("tr"), SANS);
    }
}

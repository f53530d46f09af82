//! Webfonts for the right-to-left languages, served by the binary from `truce-fonts` (the
//! same subsetted Noto files the PDF reports embed, OFL): Noto Naskh Arabic for Pashto,
//! Dari and Arabic, Noto Nastaliq Urdu for Urdu. Only pages in those languages link the
//! font stylesheet (`/static/fonts.<hash>.css`), so English and Turkish readers on a slow
//! link download no font; each file is fingerprinted and cached for a year.

use std::fmt::Write as _;
use std::sync::LazyLock;

use sha2::{Digest, Sha256};
use truce_fonts::{Font, NASKH, NASTALIQ};

/// A font file as served: its fingerprinted path and the font.
pub struct Served {
    pub path: String,
    pub font: &'static Font,
}

/// The right-to-left scripts' fonts, each at `/static/<file stem>.<hash>.ttf`.
pub static FILES: LazyLock<Vec<Served>> = LazyLock::new(|| {
    truce_fonts::ALL
        .iter()
        .filter(|f| f.family == NASKH || f.family == NASTALIQ)
        .map(|font| {
            let stem = font.file.trim_end_matches(".ttf");
            Served {
                path: format!("/static/{stem}.{}.ttf", fingerprint(font.bytes)),
                font,
            }
        })
        .collect()
});

/// The stylesheet declaring them and setting each language's text in its script's font.
pub static CSS: LazyLock<(String, String)> = LazyLock::new(|| {
    let mut css = String::from("/* Webfonts for the right-to-left languages (SIL OFL 1.1). */\n");
    for served in FILES.iter() {
        let _ = writeln!(
            css,
            "@font-face {{ font-family: \"{}\"; src: url({}) format(\"truetype\"); font-weight: {}; font-display: swap; }}",
            served.font.family,
            served.path,
            if served.font.bold { 700 } else { 400 }
        );
    }
    let _ = write!(
        css,
        ":lang(ps) body, :lang(fa) body, :lang(ar) body {{ font-family: \"{NASKH}\", system-ui, sans-serif; }}\n\
         :lang(ur) body {{ font-family: \"{NASTALIQ}\", \"{NASKH}\", system-ui, sans-serif; }}\n"
    );
    let path = format!("/static/fonts.{}.css", fingerprint(css.as_bytes()));
    (path, css)
});

fn fingerprint(bytes: &[u8]) -> String {
    hex::encode(&Sha256::digest(bytes)[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_names_every_served_font_and_each_rtl_language() {
        let (path, css) = &*CSS;
        assert!(
            path.starts_with("/static/fonts.") && path.len() == "/static/fonts.".len() + 16 + 4
        );
        assert_eq!(FILES.len(), 3, "Naskh regular and bold, Nastaliq regular");
        for served in FILES.iter() {
            assert!(css.contains(&served.path), "{}", served.path);
        }
        for lang in ["ps", "fa", "ar", "ur"] {
            assert!(css.contains(&format!(":lang({lang}) body")), "{lang}");
        }
    }
}

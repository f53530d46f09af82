//! Charts drawn on the server as inline SVG: no script, no stylesheet of their own, a few
//! kilobytes, readable on any browser and drawable by the PDF renderer. Hand-built rather
//! than plotted: a bar chart is a few rectangles, and a plotting library's SVG would be
//! larger and need its own fonts.
//!
//! - [`trend`]: the dashboard's allegations per month against each party.
//! - [`compared`]: the situation report's period against the one before.

mod compared;
mod trend;

pub use compared::{Pair, compared};
pub use trend::{Trend, months_ending, trend};

/// Text made safe inside SVG (XML) elements and attributes.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

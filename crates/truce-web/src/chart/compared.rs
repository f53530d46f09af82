//! A grouped bar chart comparing a period with the one before (the situation report's),
//! as a standalone SVG with presentation attributes only, so the PDF draws it too.

use std::fmt::Write;

use super::escape;

/// Canvas width in SVG user units; the height follows the number of rows.
const WIDTH: i64 = 600;
/// Where bars start, and how far the longest reaches (room is left for its number).
const LEFT: i64 = 8;
const SPAN: i64 = WIDTH - LEFT - 48;
/// A row: its label on a line of its own, then the two bars.
const ROW_HEIGHT: i64 = 46;
const LABEL_HEIGHT: i64 = 16;
const BAR_HEIGHT: i64 = 12;
const TOP: i64 = 28;
/// The most rows one chart draws (the table beside it lists them all).
const ROWS_MAX: usize = 24;
const CURRENT: &str = "#1f5f8b";
const PREVIOUS: &str = "#a9c4d8";

/// One row of a chart: its label, the period's count, the previous period's.
pub struct Pair<'a> {
    pub label: &'a str,
    pub current: i64,
    pub previous: i64,
}

/// A horizontal grouped bar chart: per row its label, then the period's bar above the
/// previous period's, each with its number, and a legend naming the two periods.
#[must_use]
pub fn compared(title: &str, bars: &[Pair], current: &str, previous: &str) -> String {
    let bars = &bars[..bars.len().min(ROWS_MAX)];
    let rows = i64::try_from(bars.len()).unwrap_or(0);
    let height = TOP + rows * ROW_HEIGHT + 4;
    let max = bars
        .iter()
        .map(|b| b.current.max(b.previous))
        .max()
        .unwrap_or(0)
        .max(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
         font-family=\"Noto Sans, Noto Naskh Arabic, sans-serif\" font-size=\"13\"><title>{}</title>",
        escape(title)
    );
    legend(&mut svg, current, previous);
    for (row, bar) in (0..rows).zip(bars) {
        let y = TOP + row * ROW_HEIGHT;
        let _ = write!(
            svg,
            "<text x=\"{LEFT}\" y=\"{}\" fill=\"#222\">{}</text>",
            y + LABEL_HEIGHT - 4,
            escape(bar.label)
        );
        let pairs = [
            (0, bar.current, CURRENT),
            (BAR_HEIGHT, bar.previous, PREVIOUS),
        ];
        for (offset, value, fill) in pairs {
            let length = value * SPAN / max;
            let top = y + LABEL_HEIGHT + offset;
            // A zero draws no bar (a zero-width rectangle is invalid SVG), only its number.
            if length > 0 {
                let _ = write!(
                    svg,
                    "<rect x=\"{LEFT}\" y=\"{top}\" width=\"{length}\" height=\"{BAR_HEIGHT}\" fill=\"{fill}\"/>"
                );
            }
            let _ = write!(
                svg,
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#222\">{value}</text>",
                LEFT + length + 4,
                top + BAR_HEIGHT - 2
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn legend(svg: &mut String, current: &str, previous: &str) {
    for (x, fill, text) in [(LEFT, CURRENT, current), (LEFT + 220, PREVIOUS, previous)] {
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{fill}\"/>\
             <text x=\"{}\" y=\"15\" fill=\"#222\">{}</text>",
            x + 16,
            escape(text)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_bars_scale_to_the_largest_count() {
        let bars = [
            Pair {
                label: "<b>pk</b>",
                current: 4,
                previous: 2,
            },
            Pair {
                label: "af",
                current: 0,
                previous: 1,
            },
        ];
        let svg = compared("t & t", &bars, "now", "before");
        assert!(svg.contains("&lt;b&gt;pk&lt;/b&gt;") && !svg.contains("<b>"));
        assert!(svg.contains("<title>t &amp; t</title>"));
        let full = format!("width=\"{SPAN}\"");
        assert!(svg.contains(&full), "the largest bar spans the chart");
        assert!(
            svg.contains(&format!("width=\"{}\"", SPAN / 2)),
            "half the largest"
        );
        assert!(!svg.contains("width=\"0\""), "a zero count draws no bar");
    }
}

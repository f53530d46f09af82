//! The crossings as the seed article reports them: the border closed since the clashes
//! of 11–12 October 2025, opened only to deport Afghan migrants, and the 8,000 people the
//! Taliban authorities say were deported through Spin Boldak over a weekend.

use serde_json::json;
use truce_core::kinds::{CROSSING_FLOW, CROSSING_STATUS};

use super::{Play, at};

const ARTICLE: &str =
    "DW (Deutsche Welle), 'Pakistani Taliban complicate Afghanistan ceasefire push'";

/// A closed status for every crossing of the reference gazetteer, then Torkham and
/// Chaman–Spin Boldak opened only for deportations, then the weekend's deportations.
/// (Appended last, so the indexes of the entries before stay as they were.)
pub(super) fn crossings(play: &mut Play<'_>) {
    let closed_source = format!(
        "{ARTICLE}, about 30 October 2025: the border has been closed for more than two weeks"
    );
    let gazetteer = truce_geo::Geometry::reference().crossings();
    for (i, crossing) in gazetteer.iter().enumerate() {
        play.write(
            "jmt/monitor-1",
            CROSSING_STATUS,
            json!({"crossing": crossing.id, "status": "closed", "since": "2025-10-12T00:00:00Z",
                "source": closed_source,
                "note": "Closed after the clashes of 11–12 October 2025. The article speaks of the border, not of each crossing: the exercise applies it to every crossing of the gazetteer."}),
            &at(&format!("2025-11-04T12:{i:02}:00Z")),
        );
    }
    let deportations_source =
        format!("{ARTICLE}: the border 'is only being opened to deport Afghan migrants'");
    for (crossing, minute) in [("torkham", 30), ("chaman-spin-boldak", 31)] {
        play.write(
            "jmt/monitor-1",
            CROSSING_STATUS,
            json!({"crossing": crossing, "status": "deportations_only", "since": "2025-10-25T00:00:00Z",
                "source": deportations_source,
                "note": "EXERCISE: the day is the exercise's (the weekend of the deportations through Spin Boldak); the article gives none, and names no crossing but Spin Boldak."}),
            &at(&format!("2025-11-04T12:{minute}:00Z")),
        );
    }
    play.write(
        "af/liaison-1",
        CROSSING_FLOW,
        json!({"crossing": "chaman-spin-boldak", "start": "2025-10-25", "end": "2025-10-26",
            "direction": "to_af", "category": "deportation",
            "count": {"low": 8000, "best": 8000, "high": 8000}, "precision": "rounded",
            "source": format!("Taliban authorities, as reported by {ARTICLE}"),
            "note": "As reported: 8,000 Afghan migrants were deported to Kandahar province via the Spin Boldak border crossing over the weekend (the article dates from about 30 October 2025; the weekend is read as 25–26 October)."}),
        &at("2025-11-04T13:00:00Z"),
    );
}

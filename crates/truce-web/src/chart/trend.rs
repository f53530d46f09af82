//! The dashboard's trend: allegations per month against each party.

use truce_store::read::compliance::MonthCount;

use crate::lang::Lang;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
/// Room for the month labels below and the count labels at the start.
const BOTTOM: f64 = 28.0;
const START: f64 = 36.0;
const TOP: f64 = 10.0;

pub struct Trend {
    pub width: f64,
    pub height: f64,
    pub bars: Vec<Bar>,
    pub months: Vec<Tick>,
    pub counts: Vec<Tick>,
    /// Each party's name and its colour slot (`s0`, `s1`...).
    pub legend: Vec<(String, String)>,
    pub baseline: f64,
}

pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub slot: String,
    pub title: String,
}

pub struct Tick {
    pub at: f64,
    pub label: String,
}

/// The chart of `counts` (`(YYYY-MM, party, n)`) over `months` (oldest first) for
/// `parties` (id, name); `None` when there is nothing to draw.
#[must_use]
pub fn trend(
    lang: Lang,
    months: &[String],
    parties: &[(String, String)],
    counts: &[MonthCount],
) -> Option<Trend> {
    if months.is_empty() || parties.is_empty() || counts.is_empty() {
        return None;
    }
    let count = |month: &str, party: &str| {
        counts
            .iter()
            .find(|c| c.month == month && c.key == party)
            .map_or(0, |c| c.count)
    };
    let max = counts.iter().map(|c| c.count).max().unwrap_or(1).max(1);
    let plot_w = WIDTH - START;
    let plot_h = HEIGHT - BOTTOM - TOP;
    let group = plot_w / months.len() as f64;
    let bar = group * 0.8 / parties.len() as f64;
    let scale = |n: i64| n as f64 / max as f64 * plot_h;
    let mut bars = vec![];
    for (i, month) in months.iter().enumerate() {
        for (j, (id, name)) in parties.iter().enumerate() {
            let n = count(month, id);
            let h = scale(n);
            bars.push(Bar {
                x: round(START + group * i as f64 + group * 0.1 + bar * j as f64),
                y: round(TOP + plot_h - h),
                w: round(bar),
                h: round(h),
                slot: format!("s{j}"),
                title: format!("{name}, {}: {}", lang.digits(month), lang.number(&n)),
            });
        }
    }
    Some(Trend {
        width: WIDTH,
        height: HEIGHT,
        bars,
        months: months
            .iter()
            .enumerate()
            .map(|(i, m)| Tick {
                at: round(START + group * (i as f64 + 0.5)),
                label: lang.digits(m.get(2..).unwrap_or(m)),
            })
            .collect(),
        counts: [0, max / 2, max]
            .iter()
            .map(|n| Tick {
                at: round(TOP + plot_h - scale(*n)),
                label: lang.number(n),
            })
            .collect(),
        legend: parties
            .iter()
            .enumerate()
            .map(|(j, (_, name))| (name.clone(), format!("s{j}")))
            .collect(),
        baseline: TOP + plot_h,
    })
}

/// The `months` months ending with `last` (`YYYY-MM`), oldest first.
#[must_use]
pub fn months_ending(last: &str, months: i64) -> Vec<String> {
    let (Some(year), Some(month)) = (
        last.get(0..4).and_then(|y| y.parse::<i64>().ok()),
        last.get(5..7).and_then(|m| m.parse::<i64>().ok()),
    ) else {
        return vec![];
    };
    let end = year * 12 + month - 1;
    (end - months + 1..=end)
        .map(|m| format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1))
        .collect()
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_ending_crosses_the_year() {
        assert_eq!(
            months_ending("2025-02", 3),
            ["2024-12", "2025-01", "2025-02"]
        );
        assert!(months_ending("soon", 3).is_empty());
    }

    #[test]
    fn the_tallest_bar_is_the_largest_count_and_an_empty_month_has_none() {
        let months = months_ending("2025-11", 2);
        let parties = [
            ("af".to_string(), "Afghanistan".to_string()),
            ("pk".into(), "Pakistan".into()),
        ];
        let count = |key: &str, count| MonthCount {
            month: "2025-11".into(),
            key: key.into(),
            count,
        };
        let counts = [count("pk", 4), count("af", 2)];
        let chart = trend(Lang::En, &months, &parties, &counts).unwrap();
        assert_eq!(chart.bars.len(), 4);
        let tallest = chart
            .bars
            .iter()
            .max_by(|a, b| a.h.total_cmp(&b.h))
            .unwrap();
        assert_eq!(tallest.title, "Pakistan, 2025-11: 4");
        assert!(
            chart
                .bars
                .iter()
                .filter(|b| b.title.contains("2025-10"))
                .all(|b| b.h == 0.0)
        );
        assert!(trend(Lang::En, &months, &parties, &[]).is_none());
    }
}

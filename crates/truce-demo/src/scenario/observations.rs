//! EXERCISE DATA, all of it: the monitoring team's sensors and a week of its observations
//! along the border (5–11 November 2025), one camera down for a day, each party's own
//! counts beside the mechanism's, two restrictions on the monitors (a delay, a denial), and
//! the liaison channel: a call answered in 12 minutes, a message never answered, and a
//! movement notified to both parties. The seed article reports no such figures; no real
//! mechanism recorded these. They exist so that the daily report has something to lead
//! with ("N violations observed, including M explosions (K the day before)").

use serde_json::{Value, json};
use truce_core::kinds::{
    CASUALTIES_RECONCILED, LIAISON_ACKNOWLEDGED, LIAISON_CONTACT, LIAISON_OUTCOME,
    OBSERVATION_RECORDED, REPORT_VERIFIED, RESTRICTION_RECORDED, SENSOR_REGISTERED, SENSOR_STATUS,
    STATEMENT_FILED,
};

use super::{Play, at};

/// The exercise's week, by day of November 2025.
const DAYS: [u32; 7] = [5, 6, 7, 8, 9, 10, 11];
/// The night watch at the post above Torkham, by day: impacts, outgoing rounds, bursts
/// of fire.
const TORKHAM_NIGHTS: [(i64, i64, i64); 7] = [
    (3, 1, 4),
    (5, 2, 6),
    (2, 0, 3),
    (7, 3, 8),
    (4, 1, 5),
    (9, 4, 10),
    (6, 2, 7),
];
/// The day patrol near Chaman, by day: undetermined explosions and shots fired.
const CHAMAN_PATROLS: [(i64, i64); 7] = [(1, 6), (0, 4), (2, 9), (0, 2), (1, 5), (3, 11), (2, 8)];

/// Appended after the crossings, so the indexes of every entry before stay as they were.
pub(super) fn observations(play: &mut Play<'_>) {
    sensors(play);
    for (i, day) in DAYS.iter().enumerate() {
        torkham_night(play, *day, TORKHAM_NIGHTS[i]);
        chaman_patrol(play, *day, CHAMAN_PATROLS[i]);
        if *day != 8 {
            chaman_camera(play, *day);
        }
    }
    party_counts(play);
    restrictions(play);
    liaison(play);
    how_sure(play);
}

fn sensors(play: &mut Play<'_>) {
    let sensors = [
        (
            "cam-torkham-1",
            "fixed_camera",
            "Torkham camera 1, on the ridge north of the gate",
            Some((34.121, 71.102)),
        ),
        (
            "cam-chaman-1",
            "fixed_camera",
            "Chaman camera 1, at the observation post east of the gate",
            Some((30.93, 66.46)),
        ),
        ("drone-jmt-1", "drone", "The team's drone", None),
    ];
    for (i, (id, kind, name, position)) in sensors.into_iter().enumerate() {
        let position = position.map(|(lat, lon)| json!({"lat": lat, "lon": lon}));
        play.write(
            "jmt/monitor-1",
            SENSOR_REGISTERED,
            json!({"id": id, "kind": kind, "name": name, "position": position,
                "note": "EXERCISE: a sensor of the exercise's monitoring team."}),
            &at(&format!("2025-11-04T15:{i:02}:00Z")),
        );
    }
    play.write(
        "jmt/monitor-2",
        SENSOR_STATUS,
        json!({"sensor": "cam-chaman-1", "state": "down", "since": "2025-11-08T02:10:00Z",
            "reason": "EXERCISE: power cut at the observation post"}),
        &at("2025-11-08T07:00:00Z"),
    );
    play.write(
        "jmt/monitor-2",
        SENSOR_STATUS,
        json!({"sensor": "cam-chaman-1", "state": "up", "since": "2025-11-09T09:40:00Z",
            "reason": "EXERCISE: power restored"}),
        &at("2025-11-09T10:00:00Z"),
    );
}

fn line(kind: &str, count: i64, perception: &str, more: &Value) -> Option<Value> {
    (count > 0).then(|| {
        let mut line = json!({"kind": kind, "count": count, "perception": perception});
        for (key, value) in more.as_object().into_iter().flatten() {
            line[key] = value.clone();
        }
        line
    })
}

/// The night watch: 18:00 the evening before to 06:00, counted on the morning it ends.
fn torkham_night(play: &mut Play<'_>, day: u32, (impacts, outgoing, bursts): (i64, i64, i64)) {
    let counts: Vec<Value> = [
        line(
            "impact",
            impacts,
            "heard",
            &json!({"bearing_deg": 300, "distance": {"min_m": 2000, "max_m": 4000}}),
        ),
        line(
            "outgoing_round",
            outgoing,
            "seen_and_heard",
            &json!({"weapon": "mortar", "bearing_deg": 120}),
        ),
        line(
            "burst_of_fire",
            bursts,
            "heard",
            &json!({"weapon": "heavy_machine_gun"}),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    play.write(
        "jmt/monitor-1",
        OBSERVATION_RECORDED,
        json!({"platform": "observation_post", "place": "EXERCISE: observation post 3, above Torkham",
            "position": {"lat": 34.121, "lon": 71.102},
            "start": format!("2025-11-{:02}T18:00:00Z", day - 1), "end": format!("2025-11-{day:02}T06:00:00Z"),
            "counts": counts}),
        &at(&format!("2025-11-{day:02}T07:00:00Z")),
    );
}

fn chaman_patrol(play: &mut Play<'_>, day: u32, (explosions, shots): (i64, i64)) {
    let counts: Vec<Value> = [
        line("undetermined_explosion", explosions, "heard", &json!({})),
        line(
            "shots_fired",
            shots,
            "heard",
            &json!({"weapon": "small_arms"}),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    play.write(
        "jmt/monitor-2",
        OBSERVATION_RECORDED,
        json!({"platform": "patrol", "place": "EXERCISE: patrol route east of the Chaman gate",
            "position": {"lat": 30.93, "lon": 66.47},
            "start": format!("2025-11-{day:02}T08:00:00Z"), "end": format!("2025-11-{day:02}T14:00:00Z"),
            "counts": counts}),
        &at(&format!("2025-11-{day:02}T15:00:00Z")),
    );
}

/// The Chaman camera's flares each night it is up.
fn chaman_camera(play: &mut Play<'_>, day: u32) {
    play.write(
        "jmt/monitor-2",
        OBSERVATION_RECORDED,
        json!({"platform": "sensor", "sensor": "cam-chaman-1", "place": "EXERCISE: Chaman camera 1",
            "position": {"lat": 30.93, "lon": 66.46},
            "start": format!("2025-11-{day:02}T16:00:00Z"), "end": format!("2025-11-{day:02}T22:00:00Z"),
            "counts": [{"kind": "illumination", "count": 1 + i64::from(day % 3), "perception": "seen"}]}),
        &at(&format!("2025-11-{day:02}T23:00:00Z")),
    );
}

/// Each party's own counts for the exercise's busiest day, each blaming the other side:
/// they stand beside the mechanism's and are never added to them.
fn party_counts(play: &mut Play<'_>) {
    let parties = [
        ("pk/liaison-1", "af", 34.10, 71.12, 21),
        ("af/liaison-1", "pk", 34.11, 71.06, 17),
    ];
    for (i, (who, other, lat, lon, impacts)) in parties.into_iter().enumerate() {
        play.write(
            who,
            OBSERVATION_RECORDED,
            json!({"platform": "observation_post", "place": "EXERCISE: the party's own post near Torkham",
                "position": {"lat": lat, "lon": lon},
                "start": "2025-11-09T18:00:00Z", "end": "2025-11-10T06:00:00Z",
                "counts": [{"kind": "impact", "count": impacts, "perception": "heard", "from_side": other}],
                "note": "EXERCISE: the party's own count, as its liaison filed it."}),
            &at(&format!("2025-11-10T08:{i:02}:00Z")),
        );
    }
}

/// A patrol delayed 43 minutes at a checkpoint on one side, a visit denied on the other:
/// both notified beforehand, both counted against the access provision.
fn restrictions(play: &mut Play<'_>) {
    play.write(
        "jmt/monitor-1",
        RESTRICTION_RECORDED,
        json!({"movement": "patrol", "kind": "delay", "delay_minutes": 43,
            "at": "2025-11-07T09:10:00Z", "controlled_by": "pk",
            "place": "EXERCISE: checkpoint on the Landi Kotal road",
            "position": {"lat": 34.1, "lon": 71.15},
            "reason_given": "EXERCISE: Orders from headquarters; wait here for clearance.",
            "notified": true, "outcome": "EXERCISE: passed after 43 minutes", "provision": "access"}),
        &at("2025-11-07T11:00:00Z"),
    );
    play.write(
        "jmt/monitor-2",
        RESTRICTION_RECORDED,
        json!({"movement": "visit", "kind": "denial",
            "at": "2025-11-09T07:30:00Z", "controlled_by": "af",
            "place": "EXERCISE: road to the Wesh market, Spin Boldak",
            "position": {"lat": 30.97, "lon": 66.42},
            "reason_given": "EXERCISE: The area is closed for a security operation. Come back another day.",
            "notified": true, "outcome": "EXERCISE: the team turned back", "provision": "access"}),
        &at("2025-11-09T09:00:00Z"),
    );
}

/// The liaison channel over the week: the delay raised on the hotline and clarified, the
/// denial raised by message and never answered, and the next day's patrol notified to
/// both parties, each acknowledging with its own liaison key.
fn liaison(play: &mut Play<'_>) {
    let call = play.write(
        "jmt/monitor-1",
        LIAISON_CONTACT,
        json!({"party": "pk", "channel": "hotline_call",
            "subject": "EXERCISE: the patrol held at the Landi Kotal road checkpoint"}),
        &at("2025-11-07T09:20:00Z"),
    );
    play.write(
        "pk/liaison-1",
        LIAISON_ACKNOWLEDGED,
        json!({"contact": call, "note": "EXERCISE: the checkpoint has been told to let the patrol through."}),
        &at("2025-11-07T09:32:00Z"),
    );
    play.write(
        "jmt/monitor-1",
        LIAISON_OUTCOME,
        json!({"contact": call, "outcome": "clarified"}),
        &at("2025-11-07T10:00:00Z"),
    );
    let message = play.write(
        "jmt/monitor-2",
        LIAISON_CONTACT,
        json!({"party": "af", "channel": "message",
            "subject": "EXERCISE: the visit to the Wesh market denied on the Spin Boldak road"}),
        &at("2025-11-09T07:45:00Z"),
    );
    play.write(
        "jmt/monitor-2",
        LIAISON_OUTCOME,
        json!({"contact": message, "outcome": "no_answer",
            "note": "EXERCISE: no acknowledgement after 24 hours."}),
        &at("2025-11-10T08:00:00Z"),
    );
    let movement = json!({"route": "EXERCISE: Chaman gate to the Wesh market and back",
        "start": "2025-11-10T08:00:00Z", "end": "2025-11-10T14:00:00Z"});
    for (i, (party, answered)) in [("pk", "16:40"), ("af", "18:30")].into_iter().enumerate() {
        let notice = play.write(
            "jmt/monitor-2",
            LIAISON_CONTACT,
            json!({"party": party, "channel": "movement_notice", "movement": movement,
                "subject": "EXERCISE: the patrol near Chaman on 10 November"}),
            &at(&format!("2025-11-09T16:0{i}:00Z")),
        );
        let liaison = if party == "pk" {
            "pk/liaison-1"
        } else {
            "af/liaison-1"
        };
        play.write(
            liaison,
            LIAISON_ACKNOWLEDGED,
            json!({"contact": notice}),
            &at(&format!("2025-11-09T{answered}:00Z")),
        );
    }
}

/// How sure the monitors are about the fictional mortar incident: its report verified by
/// a site visit, the drone report under review, Pakistan's own casualty figures for the
/// mortar fire, and the mechanism's corroborated range with why the figures differ.
fn how_sure(play: &mut Play<'_>) {
    let (mortar, drone) = (play.named["mortar-report"], play.named["drone-report"]);
    let incident = play.named["mortar-incident"];
    play.write(
        "jmt/monitor-1",
        REPORT_VERIFIED,
        json!({"report": mortar, "status": "verified",
            "rule": "EXERCISE: seen by the team at the site (craters, remnants) on its visit"}),
        &at("2025-11-12T10:00:00Z"),
    );
    play.write(
        "jmt/monitor-2",
        REPORT_VERIFIED,
        json!({"report": drone, "status": "under_review",
            "rule": "EXERCISE: one source so far; corroborated needs two independent credible sources"}),
        &at("2025-11-12T10:05:00Z"),
    );
    play.write(
        "pk/liaison-1",
        STATEMENT_FILED,
        json!({"incident": incident, "party": "pk", "kind": "accusation", "lang": "en",
            "text": "EXERCISE: three of our soldiers were killed and five wounded by the mortar fire.",
            "sources": [],
            "figures": {"killed": {"low": 3, "best": 3, "high": 3}, "injured": {"low": 5, "best": 5, "high": 5}}}),
        &at("2025-11-12T11:00:00Z"),
    );
    play.write(
        "jmt/monitor-1",
        CASUALTIES_RECONCILED,
        json!({"incident": incident,
            "killed": {"low": 1, "best": 2, "high": 3}, "injured": {"low": 2, "best": 4, "high": 5},
            "explanation": "EXERCISE: the hospital in Wana confirmed two deaths and four wounded; a third death is reported by Pakistan only and could not be confirmed; Afghanistan denies the fire and gives no figures."}),
        &at("2025-11-12T15:00:00Z"),
    );
}

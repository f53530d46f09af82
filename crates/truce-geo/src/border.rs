//! Geodesic distance from a point to the border line, fast.
//!
//! The line is cut into pieces of at most `PIECE_KM_MAX`, and each piece's chord in
//! Earth-centred coordinates goes into an R-tree. The chord distance from the point to a piece
//! is a lower bound (less the piece's tiny sagitta) of the geodesic distance to it, so pieces
//! are visited nearest chord first and the search stops as soon as no remaining piece can be
//! nearer than the best geodesic distance found. On each visited piece the nearest point is
//! taken where the chord projection falls, and its geodesic distance is computed exactly.

use crate::earth::{ecef, geodesic_m, lerp};
use geo::{Coord, MultiLineString};
use rstar::primitives::{GeomWithData, Line};
use rstar::{PointDistance, RTree};

/// Pieces this short keep chord and curve within centimetres of each other, and the chord
/// projection within metres of the geodesic foot.
const PIECE_KM_MAX: f64 = 2.0;
/// Rough kilometres per degree, only to decide how many pieces a segment needs.
const KM_PER_DEGREE: f64 = 111.3;

/// A piece of the border line between two longitude/latitude points.
#[derive(Clone, Copy)]
struct Piece {
    start: Coord,
    end: Coord,
}

impl Piece {
    /// The point at fraction `t`, exactly an end point at 0 and 1 so that neighbours agree.
    fn at(self, t: f64) -> Coord {
        match t {
            0.0 => self.start,
            1.0 => self.end,
            _ => lerp(self.start, self.end, t),
        }
    }
}

type Chord = GeomWithData<Line<[f64; 3]>, Piece>;

pub struct BorderIndex {
    tree: RTree<Chord>,
    /// The largest distance between a piece's chord and its curve, plus a margin: what the
    /// chord lower bound must be lowered by to stay a lower bound.
    slack_m: f64,
}

impl BorderIndex {
    pub fn new(lines: &MultiLineString) -> Self {
        let pieces: Vec<Piece> = lines
            .iter()
            .flat_map(geo::LineString::lines)
            .flat_map(|l| split(l.start, l.end))
            .collect();
        let slack_m = pieces.iter().map(sagitta_m).fold(0.0, f64::max) * 2.0 + 0.5;
        let chords = pieces
            .into_iter()
            .map(|piece| GeomWithData::new(Line::new(ecef(piece.start), ecef(piece.end)), piece));
        Self {
            tree: RTree::bulk_load(chords.collect()),
            slack_m,
        }
    }

    /// Geodesic distance in metres from `point` to the nearest point of the line.
    pub fn distance_m(&self, point: Coord) -> f64 {
        let query = ecef(point);
        let Some(nearest) = self.tree.nearest_neighbor(&query) else {
            return f64::INFINITY;
        };
        let first_foot = nearest.data.at(projection(nearest.geom(), query));
        let mut best_m = geodesic_m(point, first_foot);
        // Any piece that could be nearer has a chord distance below `best_m + slack_m`; such
        // pieces are few (usually the neighbours sharing the nearest vertex, skipped here).
        let radius_m = best_m + self.slack_m;
        for chord in self.tree.locate_within_distance(query, radius_m * radius_m) {
            let foot = chord.data.at(projection(chord.geom(), query));
            if foot != first_foot {
                best_m = best_m.min(geodesic_m(point, foot));
            }
        }
        best_m
    }

    /// The nearest point of the line (by chord distance), for tests and diagnostics.
    pub fn nearest_point(&self, point: Coord) -> Option<Coord> {
        let query = ecef(point);
        let chord = self.tree.nearest_neighbor(&query)?;
        Some(chord.data.at(projection(chord.geom(), query)))
    }
}

#[allow(
    clippy::cast_sign_loss,
    reason = "the count is at least 1.0 before the cast"
)]
fn split(start: Coord, end: Coord) -> Vec<Piece> {
    let length_km =
        ((end.x - start.x) * start.y.to_radians().cos()).hypot(end.y - start.y) * KM_PER_DEGREE;
    let count = (length_km / PIECE_KM_MAX).ceil().max(1.0) as usize;
    let at = |i: usize| match i {
        0 => start,
        i if i == count => end,
        i => lerp(start, end, i as f64 / count as f64),
    };
    (0..count)
        .map(|i| Piece {
            start: at(i),
            end: at(i + 1),
        })
        .collect()
}

/// The chord-to-curve distance at the piece's middle, where it is largest.
fn sagitta_m(piece: &Piece) -> f64 {
    let middle = ecef(lerp(piece.start, piece.end, 0.5));
    Line::new(ecef(piece.start), ecef(piece.end))
        .distance_2(&middle)
        .sqrt()
}

/// Where the perpendicular from `query` falls on the chord, as a fraction of its length.
fn projection(chord: &Line<[f64; 3]>, query: [f64; 3]) -> f64 {
    let (a, b) = (chord.from, chord.to);
    let along = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    let length_2 = along[0].powi(2) + along[1].powi(2) + along[2].powi(2);
    if length_2 == 0.0 {
        return 0.0;
    }
    let dot =
        (query[0] - a[0]) * along[0] + (query[1] - a[1]) * along[1] + (query[2] - a[2]) * along[2];
    (dot / length_2).clamp(0.0, 1.0)
}

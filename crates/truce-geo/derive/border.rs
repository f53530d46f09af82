//! The border line: the parts of Afghanistan's OSM outline that lie on Pakistan's OSM outline.
//!
//! The two outlines were simplified separately to 100 m, so their shared vertices do not all
//! coincide; a vertex of Afghanistan's outline counts as "on the border" when it lies within
//! `ON_BORDER_TOLERANCE_KM` of Pakistan's outline, and short stretches that stray further are
//! bridged so that the line has no holes a point could slip through.

use geo::{Coord, LineString, MultiLineString, MultiPolygon};
use rstar::RTree;
use rstar::primitives::Line;

/// Twice the sources' stated resolution (100 m).
const ON_BORDER_TOLERANCE_KM: f64 = 0.2;
/// Stretches of at most this many vertices off Pakistan's outline, between two stretches on
/// it, are kept in the line.
const GAP_VERTICES_MAX: usize = 8;
/// Kilometres per degree of latitude (mean), enough for a tolerance test.
const KM_PER_DEGREE: f64 = 111.2;
/// The planar frame's reference latitude: the middle of the border's latitude range.
const FRAME_LATITUDE_DEGREES: f64 = 33.5;

pub fn shared_boundary(af: &MultiPolygon, pk: &MultiPolygon) -> MultiLineString {
    let pk_edges = edge_tree(pk);
    let mut lines = Vec::new();
    for polygon in af {
        let ring = &polygon.exterior().0;
        let mut on: Vec<bool> = ring.iter().map(|c| near(&pk_edges, *c)).collect();
        bridge_gaps(&mut on);
        lines.extend(runs(ring, &on));
    }
    MultiLineString::new(lines)
}

fn planar(c: Coord) -> [f64; 2] {
    [c.x * FRAME_LATITUDE_DEGREES.to_radians().cos(), c.y]
}

fn edge_tree(area: &MultiPolygon) -> RTree<Line<[f64; 2]>> {
    let mut edges = Vec::new();
    for polygon in area {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            edges.extend(
                ring.lines()
                    .map(|l| Line::new(planar(l.start), planar(l.end))),
            );
        }
    }
    RTree::bulk_load(edges)
}

fn near(edges: &RTree<Line<[f64; 2]>>, c: Coord) -> bool {
    let tolerance_degrees = ON_BORDER_TOLERANCE_KM / KM_PER_DEGREE;
    edges
        .locate_within_distance(planar(c), tolerance_degrees * tolerance_degrees)
        .next()
        .is_some()
}

/// Marks short off-border stretches enclosed by on-border vertices as on the border.
fn bridge_gaps(on: &mut [bool]) {
    let mut index = 0;
    while index < on.len() {
        if on[index] {
            index += 1;
            continue;
        }
        let start = index;
        while index < on.len() && !on[index] {
            index += 1;
        }
        let enclosed = start > 0 && index < on.len();
        if enclosed && index - start <= GAP_VERTICES_MAX {
            on[start..index].fill(true);
        }
    }
}

/// The maximal stretches of on-border vertices, joined across the ring's closing vertex.
fn runs(ring: &[Coord], on: &[bool]) -> Vec<LineString> {
    // A closed ring repeats its first vertex last; start the walk at an off-border vertex so
    // that no stretch is cut in two by the ring's seam.
    let count = ring.len().saturating_sub(1);
    let Some(start) = (0..count).find(|&i| !on[i]) else {
        return vec![LineString::new(ring.to_vec())];
    };
    let mut lines = Vec::new();
    let mut current = Vec::new();
    for step in 1..=count {
        let i = (start + step) % count;
        if on[i] {
            current.push(ring[i]);
        } else if current.len() >= 2 {
            lines.push(LineString::new(std::mem::take(&mut current)));
        } else {
            current.clear();
        }
    }
    lines
}

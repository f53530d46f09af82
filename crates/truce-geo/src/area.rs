//! Point-in-polygon in well under a microsecond for polygons of thousands of vertices.
//!
//! The edges of every ring are bucketed by horizontal bands of latitude; a point is tested by
//! casting a ray east and counting the crossings of only the edges in its band (even-odd rule,
//! which also handles holes and multi-part areas).

use geo::{BoundingRect, Coord, MultiPolygon, Rect};

/// About this many edges per band on average keeps each test to a few dozen edges.
const EDGES_PER_BAND: usize = 4;
const BANDS_MAX: usize = 8192;

pub struct AreaIndex {
    bounds: Rect,
    edges: Vec<(Coord, Coord)>,
    band_height: f64,
    band_count: usize,
    /// Band `i`'s edges are `band_edges[band_start[i]..band_start[i + 1]]`.
    band_start: Vec<u32>,
    band_edges: Vec<u32>,
}

impl AreaIndex {
    /// Indexes an area; `None` when it has no vertex.
    pub fn new(area: &MultiPolygon) -> Option<Self> {
        let bounds = area.bounding_rect()?;
        let edges = edges(area);
        let band_count = (edges.len() / EDGES_PER_BAND).clamp(1, BANDS_MAX);
        let band_height = (bounds.height() / band_count as f64).max(f64::MIN_POSITIVE);
        let mut index = Self {
            bounds,
            edges,
            band_height,
            band_count,
            band_start: Vec::new(),
            band_edges: Vec::new(),
        };
        index.fill_bands();
        Some(index)
    }

    pub fn bounds(&self) -> Rect {
        self.bounds
    }

    pub fn contains(&self, point: Coord) -> bool {
        if !in_rect(self.bounds, point) {
            return false;
        }
        let band = self.band_of(point.y);
        let (start, end) = (
            self.band_start[band] as usize,
            self.band_start[band + 1] as usize,
        );
        let mut inside = false;
        for &edge in &self.band_edges[start..end] {
            let (a, b) = self.edges[edge as usize];
            if (a.y > point.y) != (b.y > point.y) {
                let crossing_x = a.x + (point.y - a.y) * (b.x - a.x) / (b.y - a.y);
                if crossing_x > point.x {
                    inside = !inside;
                }
            }
        }
        inside
    }

    /// Squared distance to the nearest edge in a frame where longitude is scaled by
    /// `x_scale` (the cosine of the point's latitude): a ranking, not a measurement.
    pub fn scaled_distance_2(&self, point: Coord, x_scale: f64) -> f64 {
        self.edges
            .iter()
            .map(|&(a, b)| {
                segment_distance_2(scale(point, x_scale), scale(a, x_scale), scale(b, x_scale))
            })
            .fold(f64::INFINITY, f64::min)
    }

    #[allow(
        clippy::cast_sign_loss,
        reason = "the band number is clamped to 0.. before the cast"
    )]
    fn band_of(&self, y: f64) -> usize {
        let band = ((y - self.bounds.min().y) / self.band_height)
            .floor()
            .max(0.0) as usize;
        band.min(self.band_count - 1)
    }

    fn fill_bands(&mut self) {
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); self.band_count];
        for (number, (a, b)) in self.edges.iter().enumerate() {
            let (low, high) = (self.band_of(a.y.min(b.y)), self.band_of(a.y.max(b.y)));
            for band in &mut members[low..=high] {
                band.push(number as u32);
            }
        }
        self.band_start = Vec::with_capacity(self.band_count + 1);
        self.band_start.push(0);
        for band in members {
            self.band_edges.extend(band);
            self.band_start.push(self.band_edges.len() as u32);
        }
    }
}

fn edges(area: &MultiPolygon) -> Vec<(Coord, Coord)> {
    let rings = area
        .iter()
        .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()));
    rings
        .flat_map(|ring| ring.lines().map(|line| (line.start, line.end)))
        .collect()
}

fn in_rect(rect: Rect, point: Coord) -> bool {
    let (min, max) = (rect.min(), rect.max());
    point.x >= min.x && point.x <= max.x && point.y >= min.y && point.y <= max.y
}

fn scale(coord: Coord, x_scale: f64) -> Coord {
    Coord {
        x: coord.x * x_scale,
        y: coord.y,
    }
}

fn segment_distance_2(p: Coord, a: Coord, b: Coord) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let length_2 = dx * dx + dy * dy;
    let t = if length_2 > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / length_2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (a.x + t * dx - p.x, a.y + t * dy - p.y);
    ex * ex + ey * ey
}

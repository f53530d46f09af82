//! The dashboard's map, drawn on the server as SVG from the agreed geometry at display
//! resolution: country outlines, provinces, the border line, then the crossings and the
//! newest reports on top. An equirectangular projection scaled by the cosine of the middle
//! latitude; whole units of a 1000-wide canvas (about 2 km) and relative path steps keep
//! the drawing small. The base layers are projected once per geometry.

use std::sync::{Arc, Mutex};

use truce_geo::{Country, Geometry, Province, Resolution};

use super::lang::Lang;

/// The canvas width, in SVG user units.
const WIDTH: f64 = 1000.0;

/// Lines or rings of (lon, lat) points.
type Lines = Vec<Vec<(f64, f64)>>;

/// The layers that depend on the geometry only.
pub struct BaseMap {
    pub width: i64,
    pub height: i64,
    pub countries: Vec<Shape>,
    pub provinces: Vec<ProvinceShape>,
    /// The border line's path.
    pub border: String,
    /// Where the border's label goes: the middle point of its longest line.
    pub border_label: Point,
    projection: Projection,
}

/// A point on the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    pub x: i64,
    pub y: i64,
}

pub struct Shape {
    pub code: &'static str,
    /// Neighbours in the file's order take turns among `TONES` fills.
    pub tone: usize,
    pub d: String,
}

/// The fills countries take turns in (in the standalone SVG; the page's stylesheet has its own).
const TONES: [&str; 3] = ["#efe9dc", "#e3ece2", "#e4e7f0"];

pub struct ProvinceShape {
    province: &'static Province,
    pub d: String,
}

impl ProvinceShape {
    /// The province's name in `lang`, or its English name where the geometry has none.
    #[must_use]
    #[allow(clippy::trivially_copy_pass_by_ref)] // askama passes arguments by reference
    pub fn name(&self, lang: &Lang) -> &str {
        let p = self.province;
        match *lang {
            Lang::En => None,
            Lang::Ps => p.name_ps(),
            Lang::Prs => p.name_fa(),
            Lang::Ur => p.name_ur(),
            Lang::Tr => p.name_tr(),
            Lang::Ar => p.name_ar(),
        }
        .unwrap_or(p.name())
    }
}

/// (lon, lat) to canvas units.
#[derive(Clone, Copy)]
struct Projection {
    min_lon: f64,
    max_lat: f64,
    /// Units per degree of latitude; longitude degrees are this times cos(middle latitude).
    scale: f64,
    cos_lat: f64,
}

impl Projection {
    fn point(self, lon: f64, lat: f64) -> (i64, i64) {
        let x = (lon - self.min_lon) * self.scale * self.cos_lat;
        let y = (self.max_lat - lat) * self.scale;
        (x.round() as i64, y.round() as i64)
    }
}

impl BaseMap {
    /// The base map of `geometry`, projected once and kept (one geometry is agreed per log).
    pub fn of(geometry: &'static Geometry) -> Arc<BaseMap> {
        static MAPS: Mutex<Vec<(&'static str, Arc<BaseMap>)>> = Mutex::new(vec![]);
        let mut maps = MAPS.lock().expect("base maps lock");
        if let Some((_, map)) = maps.iter().find(|(sha, _)| *sha == geometry.sha256()) {
            return map.clone();
        }
        let map = Arc::new(BaseMap::draw(geometry));
        maps.push((geometry.sha256(), map.clone()));
        map
    }

    fn draw(geometry: &'static Geometry) -> BaseMap {
        let outlines: Vec<(Country, Lines)> = geometry
            .countries()
            .map(|c| (c, geometry.outline_rings(c, Resolution::Display)))
            .collect();
        let all = outlines
            .iter()
            .flat_map(|(_, rings)| rings.iter().flatten());
        let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) = (180.0, -180.0, 90.0, -90.0);
        for &(lon, lat) in all {
            min_lon = f64::min(min_lon, lon);
            max_lon = f64::max(max_lon, lon);
            min_lat = f64::min(min_lat, lat);
            max_lat = f64::max(max_lat, lat);
        }
        if min_lon >= max_lon || min_lat >= max_lat {
            (min_lon, max_lon, min_lat, max_lat) = (-180.0, 180.0, -85.0, 85.0);
        }
        let cos_lat = f64::cos(f64::to_radians(f64::midpoint(min_lat, max_lat)));
        let scale = WIDTH / ((max_lon - min_lon) * cos_lat);
        let projection = Projection {
            min_lon,
            max_lat,
            scale,
            cos_lat,
        };
        let countries = outlines
            .iter()
            .enumerate()
            .map(|(tone, (country, rings))| Shape {
                code: country.code(),
                tone: tone % TONES.len(),
                d: path(projection, rings, true),
            })
            .collect();
        let provinces = geometry
            .provinces()
            .iter()
            .map(|province| ProvinceShape {
                province,
                d: path(
                    projection,
                    &Geometry::province_rings(province, Resolution::Display),
                    true,
                ),
            })
            .collect();
        let lines = geometry.border_lines(Resolution::Display);
        let border_label = lines
            .iter()
            .max_by_key(|line| line.len())
            .and_then(|line| line.get(line.len() / 2))
            .map_or((0, 0), |&(lon, lat)| projection.point(lon, lat));
        let border_label = Point {
            x: border_label.0,
            y: border_label.1,
        };
        let (_, height) = projection.point(min_lon, min_lat);
        BaseMap {
            width: WIDTH as i64,
            height,
            countries,
            provinces,
            border: path(projection, &lines, false),
            border_label,
            projection,
        }
    }

    /// Where (lon, lat) lies on the canvas, if it lies on it.
    #[must_use]
    pub fn point(&self, lon: f64, lat: f64) -> Option<Point> {
        let (x, y) = self.projection.point(lon, lat);
        ((0..=self.width).contains(&x) && (0..=self.height).contains(&y)).then_some(Point { x, y })
    }
}

impl BaseMap {
    /// The map as one standalone SVG document with its colours as presentation attributes
    /// (no stylesheet), so that the same drawing goes inline into a page and into a PDF:
    /// the base layers, then `dots` (report locations) and `crossings` (point, status).
    #[must_use]
    pub fn standalone(&self, title: &str, dots: &[Point], crossings: &[(Point, String)]) -> String {
        use std::fmt::Write;
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\"><title>{}</title>",
            self.width,
            self.height,
            super::chart::escape(title)
        );
        for c in &self.countries {
            let fill = TONES[c.tone];
            let _ = write!(
                svg,
                "<path d=\"{}\" fill=\"{fill}\" stroke=\"#8a8a8a\" stroke-width=\"1\"/>",
                c.d
            );
        }
        for p in &self.provinces {
            let _ = write!(
                svg,
                "<path d=\"{}\" fill=\"none\" stroke=\"#b5b5b5\" stroke-width=\"0.6\"/>",
                p.d
            );
        }
        let _ = write!(
            svg,
            "<path d=\"{}\" fill=\"none\" stroke=\"#7a1f1f\" stroke-width=\"2.5\" stroke-dasharray=\"8 4\"/>",
            self.border
        );
        for d in dots {
            let _ = write!(
                svg,
                "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#c0392b\" fill-opacity=\"0.7\" stroke=\"#fff\" stroke-width=\"1\"/>",
                d.x, d.y
            );
        }
        for (at, status) in crossings {
            let fill = match status.as_str() {
                "open" => "#2e7d32",
                "restricted" => "#f9a825",
                "closed" | "deportations_only" => "#b71c1c",
                _ => "#757575",
            };
            let _ = write!(
                svg,
                "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" transform=\"rotate(45 {} {})\" fill=\"{fill}\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
                at.x - 6,
                at.y - 6,
                at.x,
                at.y
            );
        }
        svg.push_str("</svg>");
        svg
    }
}

/// An SVG path of `lines` (closed if `rings`): an absolute move, then relative steps,
/// dropping the steps that round to nothing.
fn path(projection: Projection, lines: &[Vec<(f64, f64)>], rings: bool) -> String {
    let mut d = String::new();
    for line in lines {
        let mut points = line.iter().map(|&(lon, lat)| projection.point(lon, lat));
        let Some(start) = points.next() else {
            continue;
        };
        d.push('M');
        push_numbers(&mut d, &[start.0, start.1]);
        let mut at = start;
        let mut steps = vec![];
        for point in points {
            let step = (point.0 - at.0, point.1 - at.1);
            if step != (0, 0) {
                steps.extend([step.0, step.1]);
                at = point;
            }
        }
        if !steps.is_empty() {
            d.push('l');
            push_numbers(&mut d, &steps);
        }
        if rings {
            d.push('z');
        }
    }
    d
}

/// Numbers separated by a space, or by nothing before a minus sign.
fn push_numbers(d: &mut String, numbers: &[i64]) {
    for (i, n) in numbers.iter().enumerate() {
        if i > 0 && *n >= 0 {
            d.push(' ');
        }
        d.push_str(&n.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_and_drop_empty_steps() {
        let projection = Projection {
            min_lon: 0.0,
            max_lat: 10.0,
            scale: 1.0,
            cos_lat: 1.0,
        };
        let ring = vec![
            (0.0, 10.0),
            (2.0, 10.0),
            (2.2, 10.0),
            (2.0, 7.0),
            (0.0, 10.0),
        ];
        assert_eq!(path(projection, &[ring], true), "M0 0l2 0 0 3-2-3z");
        let line = vec![(1.0, 9.0), (1.1, 9.0)];
        assert_eq!(path(projection, &[line], false), "M1 1");
    }

    #[test]
    fn the_reference_map_is_small_and_holds_every_province() {
        let geometry = Geometry::reference();
        let map = BaseMap::of(geometry);
        assert_eq!(map.provinces.len(), geometry.provinces().len());
        assert!(map.height > 500 && map.height < 2000, "{}", map.height);
        let bytes: usize = map.countries.iter().map(|s| s.d.len()).sum::<usize>()
            + map.provinces.iter().map(|s| s.d.len()).sum::<usize>()
            + map.border.len();
        assert!(bytes < 100_000, "{bytes} bytes of paths");
        // Torkham, on the line, lies on the canvas.
        assert!(map.point(71.09, 34.11).is_some());
        assert!(map.point(0.0, 0.0).is_none());
    }
}

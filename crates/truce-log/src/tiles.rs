//! C2SP tlog-tiles resources: tile paths and entry bundles.

use tlog_tiles::Tile;

use crate::{TILE_HEIGHT, TILE_WIDTH};

/// A tile resource under the log prefix: `tile/<L>/<N>[.p/<W>]` or
/// `tile/entries/<N>[.p/<W>]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TilePath {
    /// The tile level, or `None` for an entry bundle.
    pub level: Option<u8>,
    pub index: u64,
    /// 1 to 256; 256 is a full tile.
    pub width: u32,
}

impl TilePath {
    #[must_use]
    pub fn hashes(level: u8, index: u64, width: u32) -> Self {
        Self {
            level: Some(level),
            index,
            width,
        }
    }

    #[must_use]
    pub fn entries(index: u64, width: u32) -> Self {
        Self {
            level: None,
            index,
            width,
        }
    }

    /// Parses a path relative to the log prefix (`tile/0/x001/234.p/7`).
    pub fn parse(path: &str) -> Result<Self, String> {
        let bad = || format!("{path:?} is not a C2SP tile path");
        let rest = path.strip_prefix("tile/").ok_or_else(bad)?;
        // A width of 0 or 256 is not a partial tile; the Go-derived parser would panic on 0.
        if let Some((_, width)) = rest.rsplit_once(".p/")
            && matches!(width.parse::<u32>(), Ok(0 | 256..))
        {
            return Err(bad());
        }
        // Tile::new asserts a level below 64 rather than returning an error.
        let level = rest.split('/').next().unwrap_or_default();
        if level != "entries" && !matches!(level.parse::<u8>(), Ok(0..=63)) {
            return Err(bad());
        }
        // tlog_tiles parses the Go form `tile/<H>/<L or data>/<N>`; C2SP omits H = 8.
        let go_path = match rest.strip_prefix("entries/") {
            Some(n) => format!("tile/{TILE_HEIGHT}/data/{n}"),
            None => format!("tile/{TILE_HEIGHT}/{rest}"),
        };
        let tile = Tile::from_path(&go_path).map_err(|_| bad())?;
        // A tile past the largest tree u64 can count would wrap in `span` (to tile 0's).
        let fits = tile
            .level_index()
            .checked_mul(TILE_WIDTH)
            .and_then(|start| start.checked_add(TILE_WIDTH));
        if fits.is_none() {
            return Err(format!("{path:?} is past any log's end"));
        }
        Ok(Self {
            level: (!tile.is_data()).then(|| tile.level()),
            index: tile.level_index(),
            width: tile.width(),
        })
    }

    /// The path relative to the log prefix.
    #[must_use]
    pub fn path(&self) -> String {
        let go = self.tile().path();
        let rest = go
            .strip_prefix(&format!("tile/{TILE_HEIGHT}/"))
            .expect("tlog_tiles paths start with tile/<H>/");
        match rest.strip_prefix("data/") {
            Some(n) => format!("tile/entries/{n}"),
            None => format!("tile/{rest}"),
        }
    }

    #[must_use]
    pub fn is_full(&self) -> bool {
        u64::from(self.width) == TILE_WIDTH
    }

    /// The `tlog_tiles` description of this tile.
    #[must_use]
    pub fn tile(&self) -> Tile {
        Tile::new(
            TILE_HEIGHT,
            self.level.unwrap_or(0),
            self.index,
            self.width,
            self.level.is_none(),
        )
    }

    /// The first and one-past-last position covered, counted in hashes of this tile's level.
    #[must_use]
    pub fn span(&self) -> (u64, u64) {
        let start = self.index * TILE_WIDTH;
        (start, start + u64::from(self.width))
    }

    /// Whether a tree of `size` leaves has every hash this tile holds.
    #[must_use]
    pub fn exists_in(&self, size: u64) -> bool {
        let level = u32::from(self.level.unwrap_or(0));
        let available = size
            .checked_shr(level * u32::from(TILE_HEIGHT))
            .unwrap_or(0);
        self.span().1 <= available
    }
}

/// The tiles and entry bundles a tree of `new_size` leaves has that one of `old_size` did
/// not (each new full tile, and the partial tile at each level's edge), lowest level
/// first: what a static copy of the log must add before it serves the new checkpoint.
#[must_use]
pub fn new_tiles(old_size: u64, new_size: u64) -> Vec<TilePath> {
    let mut paths = vec![];
    for tile in Tile::new_tiles(TILE_HEIGHT, old_size, new_size) {
        let hashes = TilePath::hashes(tile.level(), tile.level_index(), tile.width());
        paths.push(hashes);
        if tile.level() == 0 {
            paths.push(TilePath::entries(tile.level_index(), tile.width()));
        }
    }
    paths
}

/// Encodes entries as an entry bundle: each one prefixed with its big-endian u16 length.
///
/// # Panics
/// If an entry is longer than 65,535 bytes; the log never admits one.
#[must_use]
pub fn encode_bundle<'a>(entries: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut bundle = Vec::new();
    for entry in entries {
        let len = u16::try_from(entry.len()).expect("entries are at most 65535 bytes");
        bundle.extend_from_slice(&len.to_be_bytes());
        bundle.extend_from_slice(entry);
    }
    bundle
}

/// Splits an entry bundle into its entries.
pub fn decode_bundle(mut data: &[u8]) -> Result<Vec<&[u8]>, String> {
    let mut entries = Vec::new();
    while !data.is_empty() {
        let Some((len, rest)) = data.split_first_chunk::<2>() else {
            return Err("truncated length prefix".into());
        };
        let len = usize::from(u16::from_be_bytes(*len));
        if rest.len() < len {
            return Err(format!("entry {} is truncated", entries.len()));
        }
        let (entry, rest) = rest.split_at(len);
        entries.push(entry);
        data = rest;
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grown_tree_adds_each_new_tile_and_the_partial_edges() {
        let paths =
            |old, new| -> Vec<String> { new_tiles(old, new).iter().map(TilePath::path).collect() };
        assert_eq!(paths(0, 3), ["tile/0/000.p/3", "tile/entries/000.p/3"]);
        assert_eq!(paths(3, 3), Vec::<String>::new());
        // Crossing a tile's end: the full tile, the next partial one, and level 1's first.
        assert_eq!(
            paths(200, 300),
            [
                "tile/0/000",
                "tile/entries/000",
                "tile/0/001.p/44",
                "tile/entries/001.p/44",
                "tile/1/000.p/1",
            ]
        );
        // Every tile a tree of 70,000 leaves serves, each exactly once.
        let all = paths(0, 70_000);
        let unique: std::collections::HashSet<_> = all.iter().collect();
        assert_eq!(unique.len(), all.len());
        assert!(all.contains(&"tile/2/000.p/1".to_string()), "{all:?}");
        for path in new_tiles(0, 70_000) {
            assert!(path.exists_in(70_000), "{}", path.path());
        }
    }

    #[test]
    fn c2sp_paths_round_trip() {
        for path in [
            "tile/0/000",
            "tile/0/x001/x234/067.p/1",
            "tile/2/001.p/17",
            "tile/entries/x001/234",
            "tile/entries/000.p/255",
        ] {
            assert_eq!(TilePath::parse(path).unwrap().path(), path);
        }
    }

    #[test]
    fn malformed_paths_are_refused() {
        for path in [
            "tile/0/1",
            "tile/0/000.p/0",
            "tile/0/000.p/256",
            "tile/0/000.p/01",
            "tile/64/000",
            "tile/entries/000.p/",
            "tile/0/x000/001",
            "tiles/0/000",
        ] {
            assert!(TilePath::parse(path).is_err(), "{path} should be refused");
        }
    }

    #[test]
    fn the_spec_example_of_a_tree_of_70000_has_the_tiles_it_lists() {
        // c2sp.org/tlog-tiles: "a tree of size 70,000 will be represented by 273 full level
        // 0 tiles, one partial level 0 tile of width 112, one full level 1 tile, one
        // partial level 1 tile of width 17, and one partial level 2 tile of width 1."
        let size = 70_000;
        assert!(TilePath::hashes(0, 272, 256).exists_in(size));
        assert!(!TilePath::hashes(0, 273, 256).exists_in(size));
        assert!(TilePath::hashes(0, 273, 112).exists_in(size));
        assert!(!TilePath::hashes(0, 273, 113).exists_in(size));
        assert!(TilePath::hashes(1, 0, 256).exists_in(size));
        assert!(TilePath::hashes(1, 1, 17).exists_in(size));
        assert!(TilePath::hashes(2, 0, 1).exists_in(size));
        assert!(!TilePath::hashes(2, 0, 2).exists_in(size));
    }

    #[test]
    fn bundles_round_trip() {
        let entries: Vec<&[u8]> = vec![b"a", b"", &[7u8; 300]];
        let bundle = encode_bundle(entries.iter().copied());
        assert_eq!(decode_bundle(&bundle).unwrap(), entries);
        assert!(decode_bundle(&bundle[..bundle.len() - 1]).is_err());
    }
}

//! The geometry a log's genesis agrees: the reference geometry built into this binary, or
//! one prepared with `truce geo import` into the data directory, chosen by the SHA-256 the
//! genesis records. The sequencer annotates reports with it, a rebuild replays with it,
//! and the API locates points in it and serves it. A node never computes with a geometry
//! the parties did not agree to, and refuses a genesis naming one it does not have, since
//! it could not annotate the reports that follow.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use sha2::{Digest, Sha256};
use truce_core::Genesis;
use truce_geo::Geometry;

/// Where an imported geometry is kept in the data directory (`truce geo import`).
pub const IMPORTED_GEOMETRY_FILE: &str = "geometry.geojson";

/// The agreed geometry, once the log has a genesis: shared by the sequencer, which
/// settles it when the genesis is admitted (or found on start), and the API.
#[derive(Clone)]
pub struct AgreedGeometry {
    data_dir: PathBuf,
    /// `None` until settled; then the genesis's choice.
    settled: Arc<RwLock<Option<Agreed>>>,
    /// The imported geometry once loaded, by SHA-256: loaded once per node.
    imported: Arc<Mutex<Option<&'static Geometry>>>,
}

/// What a genesis agrees about geometry.
#[derive(Debug, Clone, Copy)]
pub enum Agreed {
    NoGeometry,
    Geometry(&'static Geometry),
}

impl Agreed {
    #[must_use]
    pub fn geometry(self) -> Option<&'static Geometry> {
        match self {
            Self::NoGeometry => None,
            Self::Geometry(geometry) => Some(geometry),
        }
    }
}

impl AgreedGeometry {
    #[must_use]
    pub fn new(data_dir: &Path) -> Self {
        Self {
            data_dir: data_dir.to_path_buf(),
            settled: Arc::default(),
            imported: Arc::default(),
        }
    }

    /// The geometry `genesis` names, in force from now on: on start and on reloading the
    /// log's state, whose genesis is durable.
    pub fn settle(&self, genesis: &Genesis) -> Result<Agreed, String> {
        let agreed = self.agreed(genesis)?;
        self.set(agreed);
        Ok(agreed)
    }

    /// What `genesis` agrees, without putting it in force (the sequencer does once the
    /// batch holding the genesis is durable).
    pub fn agreed(&self, genesis: &Genesis) -> Result<Agreed, String> {
        Ok(match self.resolve(genesis)? {
            Some(geometry) => Agreed::Geometry(geometry),
            None => Agreed::NoGeometry,
        })
    }

    pub fn set(&self, agreed: Agreed) {
        *self.settled.write().expect("agreed geometry lock") = Some(agreed);
    }

    /// Back to "no genesis yet" (a reloaded log that has none).
    pub fn clear(&self) {
        *self.settled.write().expect("agreed geometry lock") = None;
    }

    /// The geometry `genesis` names, loaded once per node.
    pub fn resolve(&self, genesis: &Genesis) -> Result<Option<&'static Geometry>, String> {
        let sha = genesis
            .border_geometry_sha256
            .as_deref()
            .map(str::to_ascii_lowercase);
        let mut imported = self.imported.lock().expect("imported geometry lock");
        if let Some(geometry) = *imported
            && Some(geometry.sha256()) == sha.as_deref()
        {
            return Ok(Some(geometry));
        }
        let geometry = resolve(&self.data_dir, sha.as_deref())?;
        if let Some(geometry) = geometry
            && !std::ptr::eq(geometry, Geometry::reference())
        {
            *imported = Some(geometry);
        }
        Ok(geometry)
    }

    /// `None` before the log has a genesis; then what it agreed.
    #[must_use]
    pub fn get(&self) -> Option<Agreed> {
        *self.settled.read().expect("agreed geometry lock")
    }
}

/// The geometry whose SHA-256 is `sha` (none for none): the built-in reference, or the
/// imported file in `data_dir` if its bytes hash to `sha`.
pub fn resolve(data_dir: &Path, sha: Option<&str>) -> Result<Option<&'static Geometry>, String> {
    let Some(sha) = sha.map(str::to_ascii_lowercase) else {
        return Ok(None);
    };
    if sha == truce_geo::REFERENCE_SHA256 {
        return Ok(Some(Geometry::reference()));
    }
    // The reason names no path of this machine: it may reach a client.
    let missing = |why: &str| {
        format!(
            "the genesis names border geometry {sha}, which this node does not have ({why}): \
             prepare it with `truce geo import FILE --data DIR`"
        )
    };
    let path = data_dir.join(IMPORTED_GEOMETRY_FILE);
    let bytes = std::fs::read(&path).map_err(|e| {
        tracing::warn!(path = %path.display(), error = %e, "no imported geometry");
        missing("no imported geometry in the data directory")
    })?;
    // Hashed before it is parsed: a genesis naming another geometry costs a hash, not a
    // parse of the whole file.
    let found = hex::encode(Sha256::digest(&bytes));
    if found != sha {
        return Err(missing(&format!("the imported geometry is {found}")));
    }
    let geometry = Geometry::from_geojson(&bytes).map_err(|e| missing(&e.to_string()))?;
    // Kept for the process's life: a node (or a rebuild) loads it once and computes with
    // it until it stops.
    Ok(Some(Box::leak(Box::new(geometry))))
}

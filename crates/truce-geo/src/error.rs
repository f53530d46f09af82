//! The one error type of the crate: each variant names the input field and the reason, so that
//! the HTTP edge can pass `detail` through and the CLI can print it as is.

/// Why a coordinate or a geometry file was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeoError {
    /// A latitude or longitude that is not a number or lies outside its range.
    #[error("{field}: {reason}")]
    InvalidCoordinate { field: &'static str, reason: String },
    /// The bytes are not a GeoJSON `FeatureCollection`.
    #[error("not valid JSON of the expected shape: {0}")]
    Json(String),
    /// A feature is present but one of its fields is missing or wrong.
    #[error("{feature}: {field}: {reason}")]
    InvalidFeature {
        feature: String,
        field: String,
        reason: String,
    },
    /// A required part of the geometry is absent.
    #[error("missing {0}")]
    Missing(String),
    /// The input is larger than the limit the crate accepts.
    #[error("input of {bytes} bytes exceeds the limit of {limit} bytes")]
    TooLarge { bytes: usize, limit: usize },
}

impl GeoError {
    pub(crate) fn feature(feature: &str, field: &str, reason: impl Into<String>) -> Self {
        Self::InvalidFeature {
            feature: feature.to_owned(),
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    /// The name of the offending field (`lat`, `lon`, a feature's property), when there is one.
    #[must_use]
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::InvalidCoordinate { field, .. } => Some(field),
            Self::InvalidFeature { field, .. } => Some(field),
            _ => None,
        }
    }
}

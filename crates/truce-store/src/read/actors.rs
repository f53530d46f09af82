//! The neutral actor registry and every party's designations of an actor, each in its
//! own words (`actors`, `designations`).

use serde::Serialize;
use truce_core::mechanism::Alias;

use super::{Conditions, FromRow, Values};
use crate::projection::actors::{ACTORS, DESIGNATIONS};
use crate::projection::{Arg, Table};
use crate::{Store, StoreError};

/// An actor registered under a neutral name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActorRow {
    pub index: u64,
    pub id: String,
    pub name: String,
    pub kind: String,
    /// Other names, in the order they were given.
    pub aliases: Vec<Alias>,
    pub description: Option<String>,
    /// The delegation that registered it, and the key that signed.
    pub registered_by: String,
    pub author: String,
    pub signed_at: String,
    /// The entry that last changed it (its registration at first).
    pub updated_idx: u64,
}

impl FromRow for ActorRow {
    const TABLE: &'static Table = &ACTORS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            id: v.text()?,
            name: v.text()?,
            kind: v.text()?,
            aliases: v.json()?,
            description: v.opt_text()?,
            registered_by: v.text()?,
            author: v.text()?,
            signed_at: v.text()?,
            updated_idx: v.index()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

/// A party's designation of an actor (`designations`), current or withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DesignationRow {
    pub index: u64,
    pub actor_idx: u64,
    pub actor: String,
    pub party: String,
    pub author: String,
    pub signed_at: String,
    pub designation: String,
    pub lang: String,
    pub text: String,
    pub since: Option<String>,
    /// The earlier designation this one withdraws, and the later one that withdrew it.
    pub withdraws_idx: Option<u64>,
    pub withdrawn_by_idx: Option<u64>,
    pub status: String,
}

impl FromRow for DesignationRow {
    const TABLE: &'static Table = &DESIGNATIONS;

    fn from_row(v: &mut Values) -> Result<Self, StoreError> {
        Ok(Self {
            index: v.index()?,
            actor_idx: v.index()?,
            actor: v.text()?,
            party: v.text()?,
            author: v.text()?,
            signed_at: v.text()?,
            designation: v.text()?,
            lang: v.text()?,
            text: v.text()?,
            since: v.opt_text()?,
            withdraws_idx: v.opt_index()?,
            withdrawn_by_idx: v.opt_index()?,
            status: v.text()?,
        })
    }

    fn index(&self) -> u64 {
        self.index
    }
}

impl Store {
    /// The actor registered under `id`, if one is.
    pub async fn actor_by_id(&self, id: &str) -> Result<Option<ActorRow>, StoreError> {
        let mut c = Conditions::default();
        c.and("id =", Arg::Text(id.into()));
        Ok(self.select(&c, "").await?.pop())
    }
}

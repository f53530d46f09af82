//! The agreement's names in the page's language: delegations, provisions and measures in
//! force, as the agreement gives them in that language, else as written (a page in Urdu
//! names the parties and provisions in Urdu when the agreement does).

use std::collections::{BTreeMap, HashMap};

use truce_core::DelegationKind;

use super::lang::Lang;
use truce_api::problem::Problem;
use truce_api::state::AppState;
use truce_api::v1 as api;

/// Names by id, in one language; an unknown id is shown as itself.
#[derive(Debug, Default)]
pub(crate) struct Names {
    /// The parties, in the agreement's order: (id, name).
    parties: Vec<(String, String)>,
    delegations: BTreeMap<String, String>,
    provisions: Vec<(String, String)>,
    measures: HashMap<String, String>,
}

impl Names {
    /// The agreement's names in `lang` (none before the log has its genesis).
    pub(crate) async fn read(state: &AppState, lang: Lang) -> Result<Self, Problem> {
        let Some(genesis) = state.genesis().await? else {
            return Ok(Self::default());
        };
        let (provisions, measures) = api::agreement::in_force(state).await?.unwrap_or_default();
        let tag = lang.tag();
        let named = |d: &truce_core::Delegation| (d.id.to_string(), d.name_in(tag).to_string());
        Ok(Self {
            parties: genesis
                .delegations_of(DelegationKind::Party)
                .map(named)
                .collect(),
            delegations: genesis.delegations.iter().map(named).collect(),
            provisions: provisions
                .iter()
                .map(|p| (p.id.clone(), p.in_language(tag).0.to_string()))
                .collect(),
            measures: measures
                .iter()
                .map(|m| (m.id.clone(), m.in_language(tag).0.to_string()))
                .collect(),
        })
    }

    /// The parties, in the agreement's order: (id, name).
    pub(crate) fn parties(&self) -> &[(String, String)] {
        &self.parties
    }

    /// The provisions in force, in order: (id, title).
    pub(crate) fn provisions(&self) -> &[(String, String)] {
        &self.provisions
    }

    /// Every delegation's name by id.
    pub(crate) fn delegations(&self) -> &BTreeMap<String, String> {
        &self.delegations
    }

    pub(crate) fn delegation(&self, id: &str) -> String {
        self.delegations
            .get(id)
            .map_or(id, String::as_str)
            .to_string()
    }

    pub(crate) fn provision(&self, id: &str) -> String {
        let title = self
            .provisions
            .iter()
            .find(|(p, _)| p == id)
            .map(|(_, t)| t.as_str());
        title.unwrap_or(id).to_string()
    }

    pub(crate) fn measure(&self, id: &str) -> String {
        self.measures.get(id).map_or(id, String::as_str).to_string()
    }
}

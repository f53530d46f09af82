//! Admission rules of the neutral actor registry and of the parties' designations.
//!
//! Monitors keep the registry; each party's liaison files that party's designations, in
//! its own name only, and withdraws only its own. No rule compares one party's
//! designation with another's: they stand side by side.

use super::records::{Record, RecordKind};
use super::{Effect, LogState};
use crate::keys::KeyRecord;
use crate::kinds;
use crate::mechanism::{ActorId, ActorRegistered, ActorUpdated, Alias, DesignationFiled};
use crate::rejection::{Rejection, RejectionCode, reject};
use crate::signers::require_signer;

impl LogState {
    pub(super) fn admit_actor(
        &self,
        author: &KeyRecord,
        actor: &ActorRegistered,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::ACTOR_REGISTERED)?;
        if let Some(at) = self.actors.get(&actor.id) {
            let reason = format!(
                "entry {at} registered the actor {}; an id is never reused (add aliases with actor.updated)",
                actor.id
            );
            return reject(RejectionCode::Conflict, "payload.id", reason);
        }
        let record = Record::Actor {
            id: actor.id.clone(),
            aliases: actor.aliases.clone(),
        };
        Ok(Effect::Records(vec![(None, record)]))
    }

    pub(super) fn admit_actor_update(
        &self,
        author: &KeyRecord,
        update: &ActorUpdated,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::ACTOR_UPDATED)?;
        let (at, aliases) = self.registered_actor(&update.actor)?;
        let mut aliases = aliases.to_vec();
        for (i, alias) in update.aliases.iter().enumerate() {
            if aliases.contains(alias) {
                let reason = format!(
                    "{:?} ({}) is already an alias of {}",
                    alias.name, alias.lang, update.actor
                );
                return reject(
                    RejectionCode::Conflict,
                    format!("payload.aliases[{i}]"),
                    reason,
                );
            }
            aliases.push(alias.clone());
        }
        let record = Record::Actor {
            id: update.actor.clone(),
            aliases,
        };
        Ok(Effect::Records(vec![(Some(at), record)]))
    }

    pub(super) fn admit_designation(
        &self,
        author: &KeyRecord,
        designation: &DesignationFiled,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::DESIGNATION_FILED)?;
        if designation.party != author.delegation {
            let reason = format!(
                "{} speaks for {}, not in the name of {}",
                author.name, author.delegation, designation.party
            );
            return reject(RejectionCode::Unauthorized, "payload.party", reason);
        }
        self.require_party(&designation.party, "payload.party")?;
        let (actor, _) = self.registered_actor(&designation.actor)?;
        let mut records = vec![(
            None,
            Record::Designation {
                actor,
                party: designation.party.clone(),
                withdrawn_at: None,
            },
        )];
        if let Some(earlier) = designation.withdrawn {
            let withdrawn = self.withdrawable(earlier, actor, designation)?;
            records.push((Some(earlier), withdrawn));
        }
        Ok(Effect::Records(records))
    }

    /// The designation at `earlier`, withdrawn by this entry: it must be the same
    /// party's, of the same actor, and not withdrawn already.
    fn withdrawable(
        &self,
        earlier: u64,
        actor: u64,
        filing: &DesignationFiled,
    ) -> Result<Record, Rejection> {
        let field = "payload.withdrawn";
        let Record::Designation {
            actor: of,
            party,
            withdrawn_at,
        } = self.record_of(earlier, RecordKind::Designation, field)?
        else {
            unreachable!("record_of checked the kind")
        };
        if *party != filing.party {
            let reason =
                format!("designation {earlier} is {party}'s; a party withdraws only its own");
            return reject(RejectionCode::Unauthorized, field, reason);
        }
        if *of != actor {
            let reason = format!(
                "designation {earlier} is of the actor registered at entry {of}, not of {}",
                filing.actor
            );
            return reject(RejectionCode::Invalid, field, reason);
        }
        if let Some(at) = withdrawn_at {
            let reason = format!("designation {earlier} was withdrawn at entry {at}");
            return reject(RejectionCode::Conflict, field, reason);
        }
        Ok(Record::Designation {
            actor,
            party: party.clone(),
            withdrawn_at: Some(self.size),
        })
    }

    /// The index and aliases of the actor registered as `id`.
    fn registered_actor(&self, id: &ActorId) -> Result<(u64, &[Alias]), Rejection> {
        let found = self.actors.get(id).and_then(|at| {
            let Some(Record::Actor { aliases, .. }) = self.records.get(at) else {
                return None;
            };
            Some((*at, aliases.as_slice()))
        });
        found.map_or_else(
            || {
                reject(
                    RejectionCode::Invalid,
                    "payload.actor",
                    format!(
                        "no actor {id} is registered; monitors register actors with actor.registered"
                    ),
                )
            },
            Ok,
        )
    }
}

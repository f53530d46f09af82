//! The actor registry and the parties' designations in the projection: one row per
//! actor, and one per designation, each party's kept as filed and never merged.

use truce_core::KeyRecord;
use truce_core::mechanism::{ActorRegistered, ActorUpdated, Alias, DesignationFiled};
use truce_core::state::Record;
use truce_log::SignedEntry;

use super::{Arg, Column, Table, Write, index, text};

pub const ACTORS: Table = Table {
    name: "actors",
    columns: &[
        ("idx", Column::Int),
        ("id", Column::Text),
        ("name", Column::Text),
        ("kind", Column::Text),
        ("aliases", Column::Text),
        ("description", Column::Text),
        ("registered_by", Column::Text),
        ("author", Column::Text),
        ("signed_at", Column::Text),
        ("updated_idx", Column::Int),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM actors",
};

pub const DESIGNATIONS: Table = Table {
    name: "designations",
    columns: &[
        ("idx", Column::Int),
        ("actor_idx", Column::Int),
        ("actor", Column::Text),
        ("party", Column::Text),
        ("author", Column::Text),
        ("signed_at", Column::Text),
        ("designation", Column::Text),
        ("lang", Column::Text),
        ("text", Column::Text),
        ("since", Column::Text),
        ("withdraws_idx", Column::Int),
        ("withdrawn_by_idx", Column::Int),
        ("status", Column::Text),
    ],
    order_by: "idx",
    delete_all: "DELETE FROM designations",
};

const INSERT_ACTOR: &str = "INSERT INTO actors \
    (idx, id, name, kind, aliases, description, registered_by, author, signed_at, updated_idx) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const UPDATE_ALIASES: &str = "UPDATE actors SET aliases = $2, updated_idx = $3 WHERE idx = $1";
const UPDATE_DESCRIPTION: &str = "UPDATE actors SET description = $2 WHERE idx = $1";
const INSERT_DESIGNATION: &str = "INSERT INTO designations (idx, actor_idx, actor, party, author, \
    signed_at, designation, lang, text, since, withdraws_idx, withdrawn_by_idx, status) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
const WITHDRAW: &str =
    "UPDATE designations SET status = 'withdrawn', withdrawn_by_idx = $2 WHERE idx = $1";

/// The aliases as a JSON array of `{lang, name}`, in the order they were given.
fn aliases(list: &[Alias]) -> Arg {
    text(serde_json::to_string(list).expect("aliases serialize"))
}

pub fn registered(
    at: u64,
    entry: &SignedEntry,
    actor: &ActorRegistered,
    signer: &KeyRecord,
) -> Vec<Write> {
    let row = vec![
        index(at),
        text(actor.id.as_str()),
        text(actor.name.clone()),
        text(actor.kind.as_str()),
        aliases(&actor.aliases),
        Arg::opt_text(actor.description.as_deref()),
        text(signer.delegation.as_str()),
        text(entry.envelope().author.as_str()),
        text(entry.envelope().time.as_str()),
        index(at),
    ];
    vec![Write {
        sql: INSERT_ACTOR,
        args: row,
    }]
}

/// Rewrites the actor's aliases from its record state, and its description if given.
pub fn updated(at: u64, update: &ActorUpdated, changes: &[(u64, Record)]) -> Vec<Write> {
    let mut writes = vec![];
    for (actor, record) in changes {
        let Record::Actor { aliases: all, .. } = record else {
            continue;
        };
        writes.push(Write {
            sql: UPDATE_ALIASES,
            args: vec![index(*actor), aliases(all), index(at)],
        });
        if let Some(description) = &update.description {
            writes.push(Write {
                sql: UPDATE_DESCRIPTION,
                args: vec![index(*actor), text(description.clone())],
            });
        }
    }
    writes
}

/// The designation's row, and the earlier one it withdraws marked so.
pub fn filed(
    at: u64,
    entry: &SignedEntry,
    designation: &DesignationFiled,
    changes: &[(u64, Record)],
) -> Vec<Write> {
    let mut writes = vec![];
    for (i, record) in changes {
        let Record::Designation {
            actor,
            withdrawn_at,
            ..
        } = record
        else {
            continue;
        };
        if *i == at {
            writes.push(Write {
                sql: INSERT_DESIGNATION,
                args: row(at, *actor, entry, designation),
            });
        } else if let Some(by) = withdrawn_at {
            writes.push(Write {
                sql: WITHDRAW,
                args: vec![index(*i), index(*by)],
            });
        }
    }
    writes
}

fn row(at: u64, actor: u64, entry: &SignedEntry, designation: &DesignationFiled) -> Vec<Arg> {
    let envelope = entry.envelope();
    vec![
        index(at),
        index(actor),
        text(designation.actor.as_str()),
        text(designation.party.as_str()),
        text(envelope.author.as_str()),
        text(envelope.time.as_str()),
        text(designation.designation.clone()),
        text(designation.lang.clone()),
        text(designation.text.clone()),
        Arg::opt_text(
            designation
                .since
                .as_ref()
                .map(truce_core::Timestamp::as_str),
        ),
        designation.withdrawn.map_or(Arg::NullInt, index),
        Arg::NullInt,
        text("current"),
    ]
}

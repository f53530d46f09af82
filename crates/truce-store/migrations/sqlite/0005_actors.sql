-- Projection: the neutral actor registry, and each party's designations of its actors,
-- kept side by side (aliases are a JSON array of {lang, name}).
CREATE TABLE actors (
    idx INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL,
    description TEXT,
    registered_by TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    updated_idx INTEGER NOT NULL
) STRICT;
CREATE INDEX actors_kind ON actors (kind, idx);

CREATE TABLE designations (
    idx INTEGER PRIMARY KEY,
    actor_idx INTEGER NOT NULL,
    actor TEXT NOT NULL,
    party TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    designation TEXT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    since TEXT,
    withdraws_idx INTEGER,
    withdrawn_by_idx INTEGER,
    status TEXT NOT NULL
) STRICT;
CREATE INDEX designations_actor ON designations (actor_idx, party, idx);

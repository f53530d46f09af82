-- Projection: the neutral actor registry, and each party's designations of its actors,
-- kept side by side (aliases are a JSON array of {lang, name}).
CREATE TABLE actors (
    idx BIGINT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    aliases TEXT NOT NULL,
    description TEXT,
    registered_by TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    updated_idx BIGINT NOT NULL
);
CREATE INDEX actors_kind ON actors (kind, idx);

CREATE TABLE designations (
    idx BIGINT PRIMARY KEY,
    actor_idx BIGINT NOT NULL,
    actor TEXT NOT NULL,
    party TEXT NOT NULL,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    designation TEXT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    since TEXT,
    withdraws_idx BIGINT,
    withdrawn_by_idx BIGINT,
    status TEXT NOT NULL
);
CREATE INDEX designations_actor ON designations (actor_idx, party, idx);

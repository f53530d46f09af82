-- People who use the web application or the API, and their tokens. Neither log nor
-- projection: operational data of this node. Each person's signing key is held sealed
-- (ChaCha20-Poly1305) under a key derived from their password, and again under each of
-- their tokens, so the server at rest cannot sign for anyone; tokens are stored hashed.
CREATE TABLE people (
    name TEXT PRIMARY KEY,
    delegation TEXT NOT NULL,
    role TEXT NOT NULL,
    key_name TEXT NOT NULL UNIQUE,
    password_phc TEXT NOT NULL,
    sealed_key TEXT NOT NULL,
    created_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    person TEXT NOT NULL REFERENCES people (name),
    label TEXT NOT NULL,
    sealed_key TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    expires_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX tokens_person ON tokens (person);

-- Projection: the agreement's amendments, each with the keys that signed it and the
-- provisions, ladder and reply window it put in force.
CREATE TABLE amendments (
    idx INTEGER PRIMARY KEY,
    author TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    signatures TEXT NOT NULL,
    reason TEXT NOT NULL,
    reply_window_hours INTEGER NOT NULL,
    provisions TEXT NOT NULL,
    measures TEXT NOT NULL
) STRICT;

-- Alerts (issue 6): webhooks that commissioners and monitors subscribe, and each delivery
-- with its attempts. Neither log nor projection: operational data of this node, like
-- `people` and `public_reports`; a rebuild leaves them alone. Written by
-- truce-server's `webhooks` module. Kept in step with migrations/postgres.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    -- JSON: the entry kinds subscribed to, and the conditions an entry must meet.
    kinds TEXT NOT NULL,
    filter TEXT NOT NULL,
    -- Standard Webhooks signing secret, `whsec_<base64>`: the node needs it to sign.
    secret TEXT NOT NULL,
    description TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    -- The first log index not yet matched against this webhook: the delivery task's
    -- cursor, moved in the same transaction as the deliveries it queues.
    next_index INTEGER NOT NULL
) STRICT;

-- One row per (webhook, entry) that matched: queued, then delivered or given up on after
-- the last attempt. The attempts are counted and the last outcome kept.
CREATE TABLE webhook_deliveries (
    webhook_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_ms INTEGER NOT NULL,
    last_attempt_ms INTEGER,
    last_status INTEGER,
    last_error TEXT,
    delivered_ms INTEGER,
    PRIMARY KEY (webhook_id, idx)
) STRICT;
-- The delivery task picks what is due.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_ms);

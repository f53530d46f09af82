-- Reports from the public (issue 5: the anonymous report form at `/report`). Neither log
-- nor projection: operational data of this node, like `people`. Nothing identifying is
-- kept: no address, no browser, no cookie; `contact` only when the reporter chose to
-- leave one. A monitor either files one as a `report.submitted` entry of their own
-- (signed with their key, on the log: `filed_index`) or dismisses it with a reason; who
-- did so and when is kept here. Kept in step with migrations/postgres.
CREATE TABLE public_reports (
    id TEXT PRIMARY KEY,
    received_ms INTEGER NOT NULL,
    lang TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    place TEXT NOT NULL,
    lat REAL,
    lon REAL,
    account TEXT NOT NULL,
    killed INTEGER,
    injured INTEGER,
    contact TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'filed', 'dismissed')),
    handled_by TEXT,
    handled_ms INTEGER,
    filed_index INTEGER,
    dismissal TEXT
) STRICT;
-- The caps count pending reports and the last hour's; the desk lists pending ones in order.
CREATE INDEX public_reports_status ON public_reports (status, received_ms);
CREATE INDEX public_reports_received ON public_reports (received_ms);

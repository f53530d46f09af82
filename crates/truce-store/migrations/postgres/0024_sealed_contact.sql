-- Operational (issue 20): a way to reach a public reporter, sealed to the custodians of
-- testimony as the node received it (JSON: the sealed part's SHA-256 and size, the policy,
-- each custodian's share by SHA-256), instead of the contact in clear. `contact` stays for
-- nodes whose agreement names no custodians.
ALTER TABLE public_reports ADD COLUMN contact_sealed TEXT;

-- medscribe schema: the channel of each audited access (issue 16): api, console or ops-cli. Rows written before
-- this migration came from the API only.

ALTER TABLE audit_events ADD COLUMN channel text NOT NULL DEFAULT 'api';

-- medscribe schema v2: the API's audit trail of PHI access (issue 7). Append-only: rows are inserted, never
-- updated or deleted (a trigger refuses both, whoever the caller). No PHI in it: ids, who, what, when, where.

CREATE TABLE audit_events (
    event_id      bigserial PRIMARY KEY,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    actor_sub     text NOT NULL,
    actor_tenant  text NOT NULL,
    actor_role    text NOT NULL,
    action        text NOT NULL,
    recording_id  text,
    target_tenant text,
    outcome       text NOT NULL,
    source_ip     text,
    user_agent    text,
    request_id    text
);

CREATE INDEX audit_events_recording_idx ON audit_events (recording_id, occurred_at);

CREATE INDEX audit_events_actor_idx ON audit_events (actor_tenant, actor_sub, occurred_at);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

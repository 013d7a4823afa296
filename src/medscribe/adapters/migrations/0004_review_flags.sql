-- medscribe schema: the draft's "Needs review" items, one row each, so a reviewer's queue can be queried
-- without opening PDFs. Replaced as a whole per recording by PersistResults (idempotent).

CREATE TABLE review_flags (
    recording_id text NOT NULL REFERENCES recordings (recording_id) ON DELETE CASCADE,
    flag_id      integer NOT NULL,
    kind         text NOT NULL,
    subject      text NOT NULL,
    message      text NOT NULL,
    score        double precision,
    entity_id    integer,
    begin_offset integer,
    end_offset   integer,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (recording_id, flag_id)
);

CREATE INDEX review_flags_kind_idx ON review_flags (kind);

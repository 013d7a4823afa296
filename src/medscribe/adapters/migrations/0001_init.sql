-- medscribe schema v1. One statement per ';' at a line end (the RDS Data API runs one statement per call).
-- Every table is keyed on recording_id; re-running the pipeline for a recording upserts, never duplicates.

CREATE TABLE recordings (
    recording_id         text PRIMARY KEY,
    tenant               text NOT NULL,
    status               text NOT NULL CHECK (status IN ('RECEIVED', 'VALIDATED', 'TRANSCRIBING', 'TRANSCRIBED', 'FAILED', 'COMPLETED')),
    bucket               text,
    audio_key            text,
    media_format         text,
    duration_seconds     double precision,
    sample_rate_hz       integer,
    channels             integer,
    size_bytes           bigint,
    transcription_type   text,
    identify_phi         boolean,
    entity_count         integer,
    dropped_entity_count integer,
    min_score            double precision,
    model_version        text,
    error_name           text,
    error_message        text,
    received_at          timestamptz,
    completed_at         timestamptz,
    failed_at            timestamptz,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);

CREATE INDEX recordings_tenant_status_idx ON recordings (tenant, status, updated_at);

CREATE TABLE transcriptions (
    recording_id   text PRIMARY KEY REFERENCES recordings (recording_id) ON DELETE CASCADE,
    job_name       text NOT NULL,
    transcript_key text NOT NULL,
    text_key       text NOT NULL,
    text           text NOT NULL,
    char_count     integer NOT NULL,
    word_count     integer NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE entities (
    recording_id    text NOT NULL REFERENCES recordings (recording_id) ON DELETE CASCADE,
    entity_id       integer NOT NULL,
    category        text NOT NULL,
    type            text NOT NULL,
    text            text NOT NULL,
    score           double precision NOT NULL,
    begin_offset    integer NOT NULL,
    end_offset      integer NOT NULL,
    negated         boolean NOT NULL,
    attributes      jsonb NOT NULL,
    traits          jsonb NOT NULL,
    rxnorm_concepts jsonb,
    PRIMARY KEY (recording_id, entity_id)
);

CREATE INDEX entities_category_type_idx ON entities (category, type);

CREATE TABLE documents (
    recording_id text NOT NULL REFERENCES recordings (recording_id) ON DELETE CASCADE,
    kind         text NOT NULL,
    s3_key       text NOT NULL,
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    pages        integer NOT NULL,
    size_bytes   bigint NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (recording_id, kind)
);

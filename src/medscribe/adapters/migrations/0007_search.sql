-- medscribe schema: search over what was said (full text) and what was found (entities).
-- Transcripts: a generated tsvector with both the English configuration (stems: "wheezing" finds "wheeze")
-- and the 'simple' configuration (every token as said: drug names such as "metformin" are never stemmed
-- away), GIN-indexed. Entities: normalised (lower-case, trimmed) names per category for exact filters.
-- Recording details: date of service per tenant. Everything is keyed and filtered by tenant first.

ALTER TABLE transcriptions ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', text), 'A') || setweight(to_tsvector('simple', text), 'B')) STORED;

CREATE INDEX transcriptions_search_idx ON transcriptions USING gin (search_vector);

CREATE INDEX entities_normalised_name_idx ON entities (category, (lower(btrim(text))), recording_id);

CREATE INDEX recording_details_tenant_date_idx ON recording_details (tenant, date_of_service);

CREATE INDEX recordings_tenant_updated_idx ON recordings (tenant, updated_at DESC);

-- A search is audited like any PHI read; its terms are PHI, so the row keeps only PHI-free detail (the filter
-- names, a keyed digest of the terms, the hit count): see medscribe.api.search.
ALTER TABLE audit_events ADD COLUMN detail jsonb;

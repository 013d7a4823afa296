-- medscribe schema: the optional request fields of a recording (clinician, patient reference, date of service,
-- original file name). They are PHI-bearing and reach the PDF only through this table: never through ids, S3
-- keys, logs, events or the execution input. Written by the API at POST /recordings (before any recordings row
-- exists, hence no foreign key); read by RenderPdf.

CREATE TABLE recording_details (
    recording_id       text PRIMARY KEY,
    tenant             text NOT NULL,
    clinician_name     text,
    patient_reference  text,
    date_of_service    date,
    transcription_type text,
    original_filename  text,
    received_at        timestamptz NOT NULL DEFAULT now()
);

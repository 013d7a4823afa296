"""The results tables: recordings, transcriptions, entities and documents, written in one transaction; a
failure; the final COMPLETED status."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aws_lambda_powertools import Logger

from medscribe.adapters.database.sql import Tables
from medscribe.adapters.search_sql import search as search_recordings
from medscribe.logic.entities import is_negated
from medscribe.models import DocumentRendered
from medscribe.ports import SearchHit, SearchQuery

logger = Logger(child=True)  # a child of the handler's powertools Logger (same service)

SUMMARY_KIND = "summary_pdf"

SQL_UPSERT_COMPLETED = """
INSERT INTO recordings (
    recording_id, tenant, status, bucket, audio_key, media_format, duration_seconds, sample_rate_hz, channels,
    size_bytes, transcription_type, identify_phi, entity_count, dropped_entity_count, min_score, model_version,
    error_name, error_message, received_at, completed_at, failed_at, created_at, updated_at
) VALUES (
    :recording_id, :tenant, 'TRANSCRIBED', :bucket, :audio_key, :media_format, :duration_seconds, :sample_rate_hz,
    :channels, :size_bytes, :transcription_type, :identify_phi, :entity_count, :dropped_entity_count, :min_score,
    :model_version, NULL, NULL, CAST(:received_at AS timestamptz), NULL, NULL,
    CAST(:at AS timestamptz), CAST(:at AS timestamptz)
)
ON CONFLICT (recording_id) DO UPDATE SET
    tenant = EXCLUDED.tenant, status = 'TRANSCRIBED', bucket = EXCLUDED.bucket, audio_key = EXCLUDED.audio_key,
    media_format = EXCLUDED.media_format, duration_seconds = EXCLUDED.duration_seconds,
    sample_rate_hz = EXCLUDED.sample_rate_hz, channels = EXCLUDED.channels, size_bytes = EXCLUDED.size_bytes,
    transcription_type = EXCLUDED.transcription_type, identify_phi = EXCLUDED.identify_phi,
    entity_count = EXCLUDED.entity_count, dropped_entity_count = EXCLUDED.dropped_entity_count,
    min_score = EXCLUDED.min_score, model_version = EXCLUDED.model_version, error_name = NULL,
    error_message = NULL, received_at = EXCLUDED.received_at, completed_at = NULL,
    failed_at = NULL, updated_at = EXCLUDED.updated_at
"""

SQL_UPSERT_TRANSCRIPTION = """
INSERT INTO transcriptions (
    recording_id, job_name, transcript_key, text_key, text, char_count, word_count, created_at, updated_at
) VALUES (
    :recording_id, :job_name, :transcript_key, :text_key, :text, :char_count, :word_count,
    CAST(:at AS timestamptz), CAST(:at AS timestamptz)
)
ON CONFLICT (recording_id) DO UPDATE SET
    job_name = EXCLUDED.job_name, transcript_key = EXCLUDED.transcript_key, text_key = EXCLUDED.text_key,
    text = EXCLUDED.text, char_count = EXCLUDED.char_count, word_count = EXCLUDED.word_count,
    updated_at = EXCLUDED.updated_at
"""

SQL_DELETE_ENTITIES = "DELETE FROM entities WHERE recording_id = :recording_id"

SQL_INSERT_ENTITY = """
INSERT INTO entities (
    recording_id, entity_id, category, type, text, score, begin_offset, end_offset, negated, attributes, traits,
    rxnorm_concepts
) VALUES (
    :recording_id, :entity_id, :category, :type, :text, :score, :begin_offset, :end_offset, :negated,
    CAST(:attributes AS jsonb), CAST(:traits AS jsonb), CAST(:rxnorm_concepts AS jsonb)
)
"""

SQL_UPSERT_DOCUMENT = """
INSERT INTO documents (recording_id, kind, s3_key, sha256, pages, size_bytes, created_at, updated_at)
VALUES (:recording_id, :kind, :s3_key, :sha256, :pages, :size_bytes, CAST(:at AS timestamptz), CAST(:at AS timestamptz))
ON CONFLICT (recording_id, kind) DO UPDATE SET
    s3_key = EXCLUDED.s3_key, sha256 = EXCLUDED.sha256, pages = EXCLUDED.pages, size_bytes = EXCLUDED.size_bytes,
    updated_at = EXCLUDED.updated_at
"""

SQL_RECORD_FAILURE = """
INSERT INTO recordings (recording_id, tenant, status, error_name, error_message, failed_at, created_at, updated_at)
VALUES (
    :recording_id, :tenant, 'FAILED', :error_name, :error_message, CAST(:at AS timestamptz),
    CAST(:at AS timestamptz), CAST(:at AS timestamptz)
)
ON CONFLICT (recording_id) DO UPDATE SET
    status = 'FAILED', error_name = EXCLUDED.error_name, error_message = EXCLUDED.error_message,
    failed_at = EXCLUDED.failed_at, updated_at = EXCLUDED.updated_at
WHERE recordings.status <> 'COMPLETED'
RETURNING recording_id
"""

# The final status, written by PublishCompletion only after the completion event is out (docs/consistency.md).
SQL_MARK_COMPLETED = """
UPDATE recordings SET status = 'COMPLETED', completed_at = CAST(:at AS timestamptz),
    updated_at = CAST(:at AS timestamptz), error_name = NULL, error_message = NULL, failed_at = NULL
WHERE recording_id = :recording_id
"""


def _entity_row(recording_id: str, entity: dict[str, Any], min_score: float) -> dict[str, Any]:
    return {
        "recording_id": recording_id,
        "entity_id": int(entity["Id"]),
        "category": entity["Category"],
        "type": entity["Type"],
        "text": entity["Text"],
        "score": float(entity["Score"]),
        "begin_offset": int(entity["BeginOffset"]),
        "end_offset": int(entity["EndOffset"]),
        "negated": is_negated(entity, min_score),
        "attributes": entity.get("Attributes", []),
        "traits": entity.get("Traits", []),
        "rxnorm_concepts": entity.get("RxNormConcepts"),
    }


class ResultsTables(Tables):
    def save_results(
        self,
        *,
        state: DocumentRendered,
        transcript_text: str,
        kept_entities: list[dict[str, Any]],
        dropped_count: int,
        at: datetime,
    ) -> int:
        rec, audio = state.recording, state.audio
        rid = rec.recording_id
        rows = [_entity_row(rid, e, state.filtered.min_score) for e in kept_entities]
        with self._transaction() as s:
            s.execute(
                SQL_UPSERT_COMPLETED,
                {
                    "recording_id": rid,
                    "tenant": rec.tenant,
                    "bucket": rec.bucket,
                    "audio_key": rec.audio_key,
                    "media_format": audio.media_format,
                    "duration_seconds": float(audio.duration_seconds),
                    "sample_rate_hz": audio.sample_rate_hz,
                    "channels": audio.channels,
                    "size_bytes": audio.size_bytes,
                    "transcription_type": rec.transcription_type,
                    "identify_phi": rec.identify_phi,
                    "entity_count": len(rows),
                    "dropped_entity_count": dropped_count,
                    "min_score": float(state.filtered.min_score),
                    "model_version": state.entities.model_version,
                    "received_at": rec.received_at,
                    "at": at,
                },
            )
            s.execute(
                SQL_UPSERT_TRANSCRIPTION,
                {
                    "recording_id": rid,
                    "job_name": state.transcription.job_name,
                    "transcript_key": state.transcription.output_key,
                    "text_key": state.transcript.text_key,
                    "text": transcript_text,
                    "char_count": len(transcript_text),
                    "word_count": state.transcript.word_count,
                    "at": at,
                },
            )
            s.execute(SQL_DELETE_ENTITIES, {"recording_id": rid})
            if rows:
                s.execute_many(SQL_INSERT_ENTITY, rows)
            doc = state.document
            s.execute(
                SQL_UPSERT_DOCUMENT,
                {
                    "recording_id": rid,
                    "kind": SUMMARY_KIND,
                    "s3_key": doc.pdf_key,
                    "sha256": doc.sha256,
                    "pages": doc.pages,
                    "size_bytes": doc.size_bytes,
                    "at": at,
                },
            )
        return len(rows)

    def record_failure(
        self, *, recording_id: str, tenant: str, error_name: str, error_message: str, at: datetime
    ) -> None:
        with self._transaction() as s:
            written = s.execute(
                SQL_RECORD_FAILURE,
                {
                    "recording_id": recording_id,
                    "tenant": tenant,
                    "error_name": error_name,
                    "error_message": error_message,
                    "at": at,
                },
            )
        if not written:
            logger.warning(
                "failure not recorded: recording already COMPLETED",
                extra={"recording_id": recording_id, "error_name": error_name},
            )

    def mark_completed(self, *, recording_id: str, at: datetime) -> None:
        with self._transaction() as s:
            s.execute(SQL_MARK_COMPLETED, {"recording_id": recording_id, "at": at})

    def search(self, query: SearchQuery) -> list[SearchHit]:
        """Ranked hits of one tenant's recordings (``search_sql``: full text + entity filters)."""
        with self._transaction() as s:
            return search_recordings(s, query)

"""PostgreSQL results repository: the RDS Data API on AWS (Aurora Serverless v2), psycopg 3 locally.

Both classes run the SAME SQL text (module constants below, ``:name`` parameters). The Data API takes
``:name`` natively with typed parameters; psycopg gets it through ``to_pyformat`` (``:name`` -> ``%(name)s``,
``::`` casts, quoted literals and ``%`` handled). Values are normalised once for both drivers: datetimes become
ISO 8601 strings and dicts/lists JSON strings, and the SQL casts them (``CAST(:at AS timestamptz)``,
``CAST(:traits AS jsonb)``), so no driver-specific type hint is needed.

Schema: versioned files ``migrations/NNNN_name.sql`` applied in name order inside one transaction under a
transaction-level advisory lock (concurrent cold starts cannot race) and recorded in ``schema_migrations``;
``migrate()`` is idempotent and returns the versions it applied now. Statements in a file end with ``;`` at a
line end: the Data API runs one statement per ``ExecuteStatement``.

``save_results`` writes recordings, transcriptions, entities and documents in one transaction (Data API
``BeginTransaction``/``CommitTransaction``/``RollbackTransaction``; psycopg ``conn.transaction()``); every write
is an upsert keyed on the recording id and the recording's entities are deleted then re-inserted, so running
it twice leaves identical rows; the recording row stays TRANSCRIBED until ``mark_completed`` (called once the
completion event is out). ``record_failure`` upserts status FAILED with the error unless the recording is
already COMPLETED.

Transient conditions raise ``DatabaseUnavailable`` (retried by the state machine): psycopg connection and
operational errors; Data API ``DatabaseResumingException`` (Aurora Serverless v2 resuming from 0 ACU),
``DatabaseUnavailableException``, ``StatementTimeoutException``, ``ServiceUnavailableError``,
``InternalServerErrorException``, ``TransactionNotFoundException`` (an expired transaction: the whole step is
retried), throttling, and connection/read timeouts. The Data API is called with the secret ARN only: the Lambda
never calls Secrets Manager itself (``rds-data`` does, with the caller's ``secretsmanager:GetSecretValue``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from importlib import resources
from typing import Any, Protocol

from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError, ReadTimeoutError
from botocore.exceptions import ConnectionError as BotoConnectionError

from medscribe.adapters.search_sql import search as search_recordings
from medscribe.adapters.transient import TRANSIENT_CODES
from medscribe.errors import DatabaseUnavailable
from medscribe.logic.entities import is_negated
from medscribe.models import DocumentRendered, RecordingDetails
from medscribe.ports import SearchHit, SearchQuery

logger = Logger(child=True)  # a child of the handler's powertools Logger (same service)

MIGRATION_LOCK_KEY = 0x6D656473  # "meds": the advisory lock serialising migrate()
SUMMARY_KIND = "summary_pdf"
MAX_BATCH_BYTES = 1_000_000  # Data API requests are limited to 4 MiB including JSON notation

SQL_LOCK = "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(CAST(:lock_key AS bigint))) AS lock"
SQL_CREATE_MIGRATIONS = (
    "CREATE TABLE IF NOT EXISTS schema_migrations "
    "(version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
)
SQL_APPLIED = "SELECT version FROM schema_migrations ORDER BY version"
SQL_RECORD_MIGRATION = "INSERT INTO schema_migrations (version) VALUES (:version)"

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

AUDIT_COLUMNS = (
    "actor_sub",
    "actor_tenant",
    "actor_role",
    "action",
    "recording_id",
    "target_tenant",
    "outcome",
    "source_ip",
    "user_agent",
    "request_id",
    "channel",
    "detail",  # jsonb, PHI-free (e.g. a search's filter names and keyed query digest; migration 0007)
)
_AUDIT_VALUES = ", ".join("CAST(:detail AS jsonb)" if c == "detail" else ":" + c for c in AUDIT_COLUMNS)
SQL_APPEND_AUDIT = f"INSERT INTO audit_events ({', '.join(AUDIT_COLUMNS)}) VALUES ({_AUDIT_VALUES})"
_AUDIT_SELECT = ", ".join("CAST(detail AS text)" if c == "detail" else c for c in AUDIT_COLUMNS)
SQL_SELECT_AUDIT = f"SELECT event_id, CAST(occurred_at AS text), {_AUDIT_SELECT} FROM audit_events"

SQL_UPSERT_DETAILS = """
INSERT INTO recording_details (
    recording_id, tenant, clinician_name, patient_reference, date_of_service, transcription_type,
    original_filename, received_at
) VALUES (
    :recording_id, :tenant, :clinician_name, :patient_reference, CAST(:date_of_service AS date),
    :transcription_type, :original_filename, CAST(:received_at AS timestamptz)
)
ON CONFLICT (recording_id) DO UPDATE SET
    tenant = EXCLUDED.tenant, clinician_name = EXCLUDED.clinician_name,
    patient_reference = EXCLUDED.patient_reference, date_of_service = EXCLUDED.date_of_service,
    transcription_type = EXCLUDED.transcription_type, original_filename = EXCLUDED.original_filename,
    received_at = EXCLUDED.received_at
"""

# dates and timestamps come back as text from both drivers (the Data API has no date type; its timestamps
# lack the zone), so pydantic parses one ISO 8601 form whatever the driver
SQL_GET_DETAILS = """
SELECT recording_id, tenant, clinician_name, patient_reference, CAST(date_of_service AS text),
    transcription_type, original_filename,
    to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
FROM recording_details WHERE recording_id = :recording_id
"""
_DETAIL_COLUMNS = (
    "recording_id",
    "tenant",
    "clinician_name",
    "patient_reference",
    "date_of_service",
    "transcription_type",
    "original_filename",
    "received_at",
)

SQL_DELETE_FLAGS = "DELETE FROM review_flags WHERE recording_id = :recording_id"
SQL_INSERT_FLAG = """
INSERT INTO review_flags (
    recording_id, flag_id, kind, subject, message, score, entity_id, begin_offset, end_offset, created_at
) VALUES (
    :recording_id, :flag_id, :kind, :subject, :message, :score, :entity_id, :begin_offset, :end_offset,
    CAST(:at AS timestamptz)
)
"""

# The final status, written by PublishCompletion only after the completion event is out (docs/consistency.md).
SQL_MARK_COMPLETED = """
UPDATE recordings SET status = 'COMPLETED', completed_at = CAST(:at AS timestamptz),
    updated_at = CAST(:at AS timestamptz), error_name = NULL, error_message = NULL, failed_at = NULL
WHERE recording_id = :recording_id
"""

# a quoted literal | a :: cast | a :name parameter | a bare %
_SQL_TOKEN = re.compile(r"'(?:[^']|'')*'|::|:([A-Za-z_][A-Za-z0-9_]*)|%")


def to_pyformat(sql: str) -> str:
    """``:name`` -> ``%(name)s`` for psycopg; ``::`` casts and ``':x'`` literals untouched; ``%`` escaped."""

    def repl(m: re.Match[str]) -> str:
        token = m.group(0)
        if m.group(1):
            return f"%({m.group(1)})s"
        if token == "%":
            return "%%"
        return token.replace("%", "%%")  # a literal (psycopg scans literals for placeholders too) or '::'

    return _SQL_TOKEN.sub(repl, sql)


def split_statements(sql: str) -> list[str]:
    """A migration file's statements: ``--`` comment lines dropped, split at ``;`` ending a line."""
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in re.split(r";[ \t]*$", body, flags=re.MULTILINE) if s.strip()]


_MIGRATION_NAME = re.compile(r"^(\d{4}_[a-z0-9_]+)\.sql$")


def load_migrations() -> list[tuple[str, list[str]]]:
    """``[(version, statements)]`` in version order, from the package's ``migrations/`` folder."""
    folder = resources.files("medscribe.adapters").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append((m.group(1), split_statements(entry.read_text(encoding="utf-8"))))
    return sorted(found)


def normalise(params: Mapping[str, Any]) -> dict[str, Any]:
    """Driver-neutral values: datetimes as ISO 8601, dicts and lists as JSON text."""
    out: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError(f"{name}: timestamps must be timezone-aware")
            out[name] = value.isoformat()
        elif isinstance(value, dict | list):
            out[name] = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        else:
            out[name] = value
    return out


class _Session(Protocol):
    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]: ...
    def execute_many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None: ...


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


class _SqlRepository:
    """``ResultsRepository`` over any driver that provides ``_transaction()``."""

    @contextmanager
    def _transaction(self) -> Iterator[_Session]:
        raise NotImplementedError
        yield  # pragma: no cover

    def migrate(self) -> list[str]:
        applied: list[str] = []
        with self._transaction() as s:
            s.execute(SQL_LOCK, {"lock_key": MIGRATION_LOCK_KEY})
            s.execute(SQL_CREATE_MIGRATIONS)
            done = {row[0] for row in s.execute(SQL_APPLIED)}
            for version, statements in load_migrations():
                if version in done:
                    continue
                for statement in statements:
                    s.execute(statement)
                s.execute(SQL_RECORD_MIGRATION, {"version": version})
                applied.append(version)
        if applied:
            logger.info("migrations applied", extra={"versions": applied})
        return applied

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

    def append_audit(self, entry: Mapping[str, Any]) -> None:
        """One row of the append-only ``audit_events`` table (migration 0002): ids and who/what/where only."""
        with self._transaction() as s:
            params = {name: entry.get(name) for name in AUDIT_COLUMNS}
            params["channel"] = params["channel"] or "api"  # the column's default (migration 0005)
            s.execute(SQL_APPEND_AUDIT, params)

    def audit_events(self, recording_id: str | None = None) -> list[dict[str, Any]]:
        """Audit rows, oldest first (all, or one recording's): for tests and investigations."""
        sql = SQL_SELECT_AUDIT + (" WHERE recording_id = :recording_id" if recording_id else "")
        with self._transaction() as s:
            rows = s.execute(sql + " ORDER BY event_id", {"recording_id": recording_id})
        events = [dict(zip(("event_id", "occurred_at", *AUDIT_COLUMNS), row, strict=True)) for row in rows]
        for event in events:
            event["detail"] = json.loads(event["detail"]) if event["detail"] else None
        return events

    def save_details(self, details: RecordingDetails) -> None:
        """Upsert the recording's request fields (PHI: never logged)."""
        params = details.model_dump()
        dos = params["date_of_service"]
        params["date_of_service"] = dos.isoformat() if dos is not None else None
        with self._transaction() as s:
            s.execute(SQL_UPSERT_DETAILS, params)

    def get_details(self, recording_id: str) -> RecordingDetails | None:
        with self._transaction() as s:
            rows = s.execute(SQL_GET_DETAILS, {"recording_id": recording_id})
        if not rows:
            return None
        return RecordingDetails.model_validate(dict(zip(_DETAIL_COLUMNS, rows[0], strict=True)))

    def save_review_flags(self, *, recording_id: str, flags: list[dict[str, Any]], at: datetime) -> int:
        """Replace the recording's review flags (``Draft.flags`` as JSON) in one transaction."""
        rows = [
            {
                "recording_id": recording_id,
                "flag_id": index,
                "kind": flag["kind"],
                "subject": flag["subject"],
                "message": flag["message"],
                "score": None if flag.get("score") is None else float(flag["score"]),
                "entity_id": flag.get("entity_id"),
                "begin_offset": flag.get("begin_offset"),
                "end_offset": flag.get("end_offset"),
                "at": at,
            }
            for index, flag in enumerate(flags)
        ]
        with self._transaction() as s:
            s.execute(SQL_DELETE_FLAGS, {"recording_id": recording_id})
            if rows:
                s.execute_many(SQL_INSERT_FLAG, rows)
        return len(rows)

    def mark_completed(self, *, recording_id: str, at: datetime) -> None:
        with self._transaction() as s:
            s.execute(SQL_MARK_COMPLETED, {"recording_id": recording_id, "at": at})

    def search(self, query: SearchQuery) -> list[SearchHit]:
        """Ranked hits of one tenant's recordings (``search_sql``: full text + entity filters)."""
        with self._transaction() as s:
            return search_recordings(s, query)


# ------------------------------------------------------------------------------------------------------------
# psycopg 3 (local mode, DATABASE_URL)
# ------------------------------------------------------------------------------------------------------------


class _PsycopgSession:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        if params is None:
            cur = self._conn.execute(sql)
        else:
            cur = self._conn.execute(to_pyformat(sql), normalise(params))
        rows: list[tuple[Any, ...]] = cur.fetchall() if cur.description else []
        return rows

    def execute_many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany(to_pyformat(sql), [normalise(r) for r in rows])


class PsycopgRepository(_SqlRepository):
    """``ResultsRepository`` on a libpq URL; one short-lived connection per transaction."""

    def __init__(self, url: str, *, connect_timeout: int = 10) -> None:
        self._url = url
        self._connect_timeout = connect_timeout

    @contextmanager
    def _transaction(self) -> Iterator[_Session]:
        import psycopg  # local-mode dependency: imported only when this repository is used

        try:
            with (
                psycopg.connect(self._url, autocommit=True, connect_timeout=self._connect_timeout) as conn,
                conn.transaction(),
            ):
                yield _PsycopgSession(conn)
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            raise DatabaseUnavailable(f"PostgreSQL: {type(exc).__name__}") from exc


# ------------------------------------------------------------------------------------------------------------
# RDS Data API (AWS, Aurora Serverless v2)
# ------------------------------------------------------------------------------------------------------------

DATA_API_TRANSIENT_CODES = (
    frozenset(
        {
            "DatabaseResumingException",
            "DatabaseUnavailableException",
            "StatementTimeoutException",
            "ServiceUnavailableError",
            "InternalServerErrorException",
            "TransactionNotFoundException",
        }
    )
    | TRANSIENT_CODES
)  # plus the one map of throttling/unavailable codes (adapters/transient.py)


def to_sql_parameters(params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Data API ``SqlParameter`` list (``name`` + typed ``value``) for normalised values."""
    out = []
    for name, value in normalise(params).items():
        field: dict[str, Any]
        if value is None:
            field = {"isNull": True}
        elif isinstance(value, bool):
            field = {"booleanValue": value}
        elif isinstance(value, int):
            field = {"longValue": value}
        elif isinstance(value, float):
            field = {"doubleValue": value}
        elif isinstance(value, str):
            field = {"stringValue": value}
        elif isinstance(value, bytes):
            field = {"blobValue": value}
        else:
            raise TypeError(f"{name}: cannot send {type(value).__name__} to the Data API")
        out.append({"name": name, "value": field})
    return out


def from_field(field: Mapping[str, Any]) -> Any:
    """A Data API ``Field`` as a Python value."""
    if field.get("isNull"):
        return None
    for key in ("stringValue", "longValue", "doubleValue", "booleanValue", "blobValue", "arrayValue"):
        if key in field:
            return field[key]
    return None


class _DataApiSession:
    def __init__(self, repo: DataApiRepository, transaction_id: str) -> None:
        self._repo = repo
        self._tx = transaction_id

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        request: dict[str, Any] = {**self._repo._target(), "sql": sql, "transactionId": self._tx}
        if params:
            request["parameters"] = to_sql_parameters(params)
        response = self._repo._call("execute_statement", **request)
        return [tuple(from_field(f) for f in record) for record in response.get("records", [])]

    def execute_many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        batch: list[list[dict[str, Any]]] = []
        size = 0
        for row in rows:
            params = to_sql_parameters(row)
            n = len(json.dumps(params, default=str))
            if batch and size + n > MAX_BATCH_BYTES:
                self._send_batch(sql, batch)
                batch, size = [], 0
            batch.append(params)
            size += n
        if batch:
            self._send_batch(sql, batch)

    def _send_batch(self, sql: str, parameter_sets: list[list[dict[str, Any]]]) -> None:
        self._repo._call(
            "batch_execute_statement",
            **self._repo._target(),
            sql=sql,
            parameterSets=parameter_sets,
            transactionId=self._tx,
        )


class DataApiRepository(_SqlRepository):
    """``ResultsRepository`` through the RDS Data API. ``client`` is a boto3 ``rds-data`` client."""

    def __init__(self, client: Any, cluster_arn: str, secret_arn: str, database: str) -> None:
        self._client = client
        self._cluster_arn = cluster_arn
        self._secret_arn = secret_arn
        self._database = database

    def _target(self) -> dict[str, str]:
        return {"resourceArn": self._cluster_arn, "secretArn": self._secret_arn}

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = getattr(self._client, operation)(**kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in DATA_API_TRANSIENT_CODES:
                raise DatabaseUnavailable(f"RDS Data API {operation}: {code}") from exc
            raise
        except (BotoConnectionError, ReadTimeoutError) as exc:
            raise DatabaseUnavailable(f"RDS Data API {operation}: {type(exc).__name__}") from exc
        return response

    @contextmanager
    def _transaction(self) -> Iterator[_Session]:
        tx = self._call("begin_transaction", **self._target(), database=self._database)["transactionId"]
        try:
            yield _DataApiSession(self, tx)
        except BaseException:
            try:
                self._call("rollback_transaction", **self._target(), transactionId=tx)
            except Exception:  # the original error matters more; the transaction times out anyway
                logger.warning("RollbackTransaction failed", exc_info=True)
            raise
        self._call("commit_transaction", **self._target(), transactionId=tx)

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

Modules by responsibility: ``sql`` (driver-neutral SQL, schema), one per table family (``results``, ``audit``,
``details``), ``repository`` (all of them over one driver), and the two drivers (``psycopg_driver``,
``data_api``). The public names stay importable from ``medscribe.adapters.database``.
"""

from __future__ import annotations

from medscribe.adapters.database.audit import AUDIT_COLUMNS
from medscribe.adapters.database.data_api import (
    DATA_API_TRANSIENT_CODES,
    MAX_BATCH_BYTES,
    DataApiRepository,
    from_field,
    to_sql_parameters,
)
from medscribe.adapters.database.psycopg_driver import PsycopgRepository
from medscribe.adapters.database.repository import SqlRepository
from medscribe.adapters.database.results import SUMMARY_KIND
from medscribe.adapters.database.sql import (
    MIGRATION_LOCK_KEY,
    load_migrations,
    normalise,
    split_statements,
    to_pyformat,
)

__all__ = [
    "AUDIT_COLUMNS",
    "DATA_API_TRANSIENT_CODES",
    "MAX_BATCH_BYTES",
    "MIGRATION_LOCK_KEY",
    "SUMMARY_KIND",
    "DataApiRepository",
    "PsycopgRepository",
    "SqlRepository",
    "from_field",
    "load_migrations",
    "normalise",
    "split_statements",
    "to_pyformat",
    "to_sql_parameters",
]

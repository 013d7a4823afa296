"""Driver-neutral SQL: ``:name`` parameters for both drivers, values normalised once, the session protocol the
drivers provide, and the schema (versioned migrations under an advisory lock)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from importlib import resources
from typing import Any, Protocol

from aws_lambda_powertools import Logger

logger = Logger(child=True)  # a child of the handler's powertools Logger (same service)

MIGRATION_LOCK_KEY = 0x6D656473  # "meds": the advisory lock serialising migrate()
SQL_LOCK = "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(CAST(:lock_key AS bigint))) AS lock"
SQL_CREATE_MIGRATIONS = (
    "CREATE TABLE IF NOT EXISTS schema_migrations "
    "(version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
)
SQL_APPLIED = "SELECT version FROM schema_migrations ORDER BY version"
SQL_RECORD_MIGRATION = "INSERT INTO schema_migrations (version) VALUES (:version)"

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


class Session(Protocol):
    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]: ...
    def execute_many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None: ...


class Tables:
    """The schema, over any driver that provides ``_transaction()``; each table family adds its methods."""

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
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

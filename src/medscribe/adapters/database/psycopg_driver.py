"""psycopg 3 (local mode, ``DATABASE_URL``): one short-lived connection per transaction."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from medscribe.adapters.database.repository import SqlRepository
from medscribe.adapters.database.sql import Session, normalise, to_pyformat
from medscribe.errors import DatabaseUnavailable


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


class PsycopgRepository(SqlRepository):
    """``ResultsRepository`` on a libpq URL; one short-lived connection per transaction."""

    def __init__(self, url: str, *, connect_timeout: int = 10) -> None:
        self._url = url
        self._connect_timeout = connect_timeout

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        import psycopg  # local-mode dependency: imported only when this repository is used

        try:
            with (
                psycopg.connect(self._url, autocommit=True, connect_timeout=self._connect_timeout) as conn,
                conn.transaction(),
            ):
                yield _PsycopgSession(conn)
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            raise DatabaseUnavailable(f"PostgreSQL: {type(exc).__name__}") from exc

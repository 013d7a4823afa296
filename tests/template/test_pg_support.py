"""The test harness's own databases on the session's PostgreSQL (pg_support.own_database)."""

from __future__ import annotations

import os

import psycopg
import pytest
from pg_support import own_database


def test_an_own_database_is_new_and_empty_and_dropped_when_the_block_ends(database_url: str) -> None:
    name = f"t_own_database_{os.getpid()}"
    # Given a database of one's own, with a connection the block leaves open
    with own_database(database_url, name) as url:
        leftover = psycopg.connect(url, autocommit=True)
        tables = leftover.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
        assert tables == (0,)
    # Then it is gone when the block ends, the open connection ended with it
    with psycopg.connect(database_url) as conn:
        names = [row[0] for row in conn.execute("SELECT datname FROM pg_database")]
    assert name not in names
    with pytest.raises(psycopg.OperationalError):
        leftover.execute("SELECT 1")
    leftover.close()

"""The local PostgreSQL of a data directory, for commands that need only the database (``medscribe search``).

``DATABASE_URL`` when set; otherwise the embedded server of ``MEDSCRIBE_HOME/pgdata``, the one ``run`` and
``serve`` use: joined when one of them holds it, started (and stopped on exit) otherwise.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SIGNING_KEY_FILE = "api-signing.key"


def signing_key(home: Path) -> str:
    """The data directory's own HMAC key (the local stand-in of the template's CursorSigningSecret): created
    once, mode 0600, so cursors and search-audit digests stay valid across restarts of ``serve``."""
    path = home / SIGNING_KEY_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        home.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(key)
        return key


@contextmanager
def local_database(home: Path) -> Iterator[str]:
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    from medscribe.local.state.postgres import EmbeddedPostgres

    home.mkdir(parents=True, exist_ok=True)
    server = EmbeddedPostgres.start(home / "pgdata")
    try:
        yield server.uri()
    finally:
        server.stop()

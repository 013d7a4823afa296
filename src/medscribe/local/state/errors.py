"""Named errors of the local stack's own machinery (not of the pipeline)."""

from __future__ import annotations

import shutil
from pathlib import Path

from medscribe.errors import MedscribeError

# Below this much free space MEDSCRIBE_HOME cannot take PostgreSQL's WAL segments and the state snapshot.
MIN_FREE_BYTES = 64 * 1024 * 1024


class DataDirectoryUnwritable(MedscribeError):
    """MEDSCRIBE_HOME (local state, embedded PostgreSQL) is full or not writable."""


class PostgresUnavailable(MedscribeError):
    """The embedded PostgreSQL is down and could not be (re)started within its bounded attempts."""


def check_writable(home: Path) -> None:
    """Raise ``DataDirectoryUnwritable`` when MEDSCRIBE_HOME has too little space or refuses writes."""
    try:
        home.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(home).free
    except OSError as exc:
        raise DataDirectoryUnwritable(f"MEDSCRIBE_HOME cannot be used: {exc.strerror}") from exc
    if free < MIN_FREE_BYTES:
        raise DataDirectoryUnwritable(
            f"MEDSCRIBE_HOME has {free // (1024 * 1024)} MiB free; the local stack needs "
            f"{MIN_FREE_BYTES // (1024 * 1024)} MiB"
        )
    probe = home / ".write-probe"
    try:
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        raise DataDirectoryUnwritable(f"MEDSCRIBE_HOME is not writable: {exc.strerror}") from exc

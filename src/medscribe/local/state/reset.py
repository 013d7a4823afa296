"""``medscribe reset [--yes]``: start clean. Deletes MEDSCRIBE_HOME's local state (the emulator's snapshot:
users, objects, items, queues, executions) and the embedded PostgreSQL's data directory, after a confirmation;
refused while a ``serve``/``run`` holds that home."""

from __future__ import annotations

import argparse
import fcntl
import shutil
import sys
from pathlib import Path

REMOVED = ("state", "pgdata", "pgwatch.log", "api-signing.key")  # the key signs cursors of that data


def _held(home: Path) -> bool:
    lock = home / "state" / "lock"
    if not lock.exists():
        return False
    with open(lock, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def cmd_reset(args: argparse.Namespace) -> int:
    from medscribe.local.engine import default_home
    from medscribe.local.hygiene import _alive, _postmaster_pid, clean_stale_pgserver

    home = default_home()
    present = [home / name for name in REMOVED if (home / name).exists()]
    if not present:
        print(f"medscribe: nothing to reset in {home}", file=sys.stderr)
        return 0
    if _held(home):
        print("medscribe: a local stack is running on this MEDSCRIBE_HOME: stop it first", file=sys.stderr)
        return 1
    if not args.yes:
        if not sys.stdin.isatty():
            print(
                "medscribe: reset needs a confirmation: run it in a terminal or pass --yes", file=sys.stderr
            )
            return 1
        answer = input(
            f"Delete all local state in {home} (users, objects, items, executions, PostgreSQL data)? [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            print("medscribe: reset cancelled", file=sys.stderr)
            return 1
    clean_stale_pgserver(home / "pgdata")  # a postmaster left by a killed process: stopped first
    pid = _postmaster_pid(home / "pgdata")
    if pid is not None and _alive(pid):
        print(
            "medscribe: PostgreSQL of this home is still held by a running process: stop it first",
            file=sys.stderr,
        )
        return 1
    for path in present:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    print(f"medscribe: local state in {home} reset", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    reset = sub.add_parser("reset", help="delete the local state under MEDSCRIBE_HOME (asks first)")
    reset.add_argument("--yes", action="store_true", help="do not ask for a confirmation")
    reset.set_defaults(func=cmd_reset)

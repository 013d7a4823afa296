"""Durable local state: moto's backends (every service the local stack uses) and the stack's name map,
snapshotted to ``MEDSCRIBE_HOME/state/moto.pickle`` and loaded at the next start. Design: docs/local-state.md.

- **When**: every emulator request (in process or through the AWS endpoint) and every execution history event
  marks the state dirty (``change_hooks.py``); a saver thread writes at most every ``DEBOUNCE_SECONDS`` (more when a snapshot takes
  longer: at most ~1/5 of the time goes to snapshots), and ``close()`` writes the final state.
- **How**: ``pickle`` with a reducer that drops what only lives in this process (``pickling.py``: locks become
  new locks, threads ``None``, an execution's interpreter worker a ``FrozenWorker`` holding its history).
  A dictionary mutated while it is pickled is retried (bounded); the file is replaced atomically (temp file,
  fsync, rename), so a kill -9 leaves the previous complete snapshot or the new one. S3 object bodies are not
  in the pickle: each is written once to ``state/bodies/<sha256>`` before the first snapshot that refers to it
  (``bodies.py``), so a save's cost no longer grows with the bytes stored.
- **Executions running at a crash** are ABORTED on load, with error ``LocalStackRestarted`` and an
  ``ExecutionAborted`` history event, as StopExecution would leave them on AWS: redrivable from their unfinished
  state (``medscribe redrive``; ``restart.py``).
- A snapshot of another template (its digest differs) is set aside (renamed), not loaded: the stack is built
  fresh, with a line on stderr.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import logging
import os
import pickle
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from medscribe.errors import MedscribeError
from medscribe.local.state import pickling
from medscribe.local.state.atomic import write_atomic
from medscribe.local.state.bodies import BodyMissing, BodyStore
from medscribe.local.state.change_hooks import patch_change_hooks
from medscribe.local.state.pickling import StatePickler
from medscribe.local.state.restart import RESTART_ERROR, abort_running_executions

log = logging.getLogger("medscribe.local")

SNAPSHOT_FILE = "moto.pickle"
FORMAT = 2  # 2: S3 object bodies in state/bodies (bodies.py); 1 (bodies inside the pickle) still loads
DEBOUNCE_SECONDS = 0.2
SAVE_SHARE_FACTOR = 4  # wait 4x the mean save time between saves: snapshots take at most ~1/5 of the time
PICKLE_ATTEMPTS = 8  # a dictionary changed size while being pickled: try again, at most this often

# Snapshots written before the reducer had its own module (pickling.py) name its functions and classes in this
# one (pickle stores module and name): they are looked up there, so such a snapshot still loads.
_MOVED_TO_PICKLING = frozenset({
    "FrozenEnv", "FrozenWorker", "_none", "_weak", "_defaultdict", "_versioned_keys", "_kms_private_key",
    "_user_pool_key", "_frozen",
})  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _MOVED_TO_PICKLING:
        return getattr(pickling, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class StateInUse(MedscribeError):
    """Another live process holds this MEDSCRIBE_HOME's local state."""


class SnapshotFailed(RuntimeError):
    """The emulator's state could not be pickled (it kept changing, or holds an object pickle refuses)."""


# What a failed snapshot raises: disk full or read-only, state that kept changing, an object pickle refuses.
SAVE_ERRORS = (OSError, SnapshotFailed, BodyMissing, pickle.PicklingError, TypeError, AttributeError)


def template_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in [root / "template.yaml", *sorted((root / "statemachine").glob("*"))]:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _backend_dicts() -> list[tuple[str, str, Any]]:
    """(module, attribute, BackendDict) of every service backend this process has used."""
    from moto.core.base_backend import BackendDict

    found = []
    instances: list[Any] = list(getattr(BackendDict, "_instances", []))
    for backend_dict in instances:
        module = importlib.import_module(backend_dict.backend.__module__)
        attribute = next((n for n, v in vars(module).items() if v is backend_dict), None)
        if attribute is not None:
            found.append((module.__name__, attribute, backend_dict))
    return found


class StateStore:
    def __init__(self, directory: Path, digest: str) -> None:
        self.directory = directory
        self.path = directory / SNAPSHOT_FILE
        self.digest = digest
        self.stack: Any = None
        self.saves = 0
        self.save_seconds = 0.0
        self.last_error: BaseException | None = None
        self._dirty = threading.Event()
        self._closing = False
        self._thread: threading.Thread | None = None
        self._save_lock = threading.Lock()
        self.bodies = BodyStore(directory)

    def acquire(self, exit_stack: ExitStack) -> None:
        """An exclusive lock on the state directory (released by the kernel however this process ends)."""
        import fcntl

        self.directory.mkdir(parents=True, exist_ok=True)
        handle = open(self.directory / "lock", "a+")  # noqa: SIM115 - held for the stack's lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise StateInUse(
                f"MEDSCRIBE_HOME is in use by pid {holder}: one local stack per data directory "
                "(stop it, or set another MEDSCRIBE_HOME)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        exit_stack.callback(handle.close)

    # ---- load ------------------------------------------------------------------------------------------
    def load(self) -> Any:
        """Install the saved backends into moto (inside an active ``mock_aws``); return the saved
        ``LocalStack`` or None (nothing saved, or saved for another template)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        with self.bodies.loading():
            saved = pickle.loads(raw)
        if saved.get("format") not in (1, FORMAT) or saved.get("digest") != self.digest:
            aside = self.path.with_name(f"{SNAPSHOT_FILE}.{int(time.time())}.other-template")
            os.replace(self.path, aside)
            print(
                f"medscribe: local state saved for another template version set aside ({aside.name}); "
                "starting with a fresh stack",
                file=sys.stderr,
            )
            return None
        for (module, attribute), accounts in saved["backends"].items():
            backend_dict = getattr(importlib.import_module(module), attribute)
            for account, regions in accounts.items():
                account_backend = backend_dict[account]
                for region, backend in regions.items():
                    dict.__setitem__(account_backend, region, backend)
        aborted = abort_running_executions()
        if aborted:
            print(
                f"medscribe: {aborted} execution(s) were running when the local stack stopped: ABORTED "
                f"({RESTART_ERROR}), redrivable",
                file=sys.stderr,
            )
        self.stack = saved["stack"]
        return self.stack

    # ---- save ------------------------------------------------------------------------------------------
    def start(self, exit_stack: ExitStack, stack: Any) -> None:
        """Save now, then after every change (debounced) until ``exit_stack`` closes (a last save)."""
        self.stack = stack
        patch_change_hooks(exit_stack, self.mark_dirty)
        self.bodies.forget_rewritten_bodies(exit_stack)
        self.save()
        self._thread = threading.Thread(target=self._saver, name="state-snapshot", daemon=True)
        self._thread.start()
        exit_stack.callback(self.close)

    def mark_dirty(self) -> None:
        self._dirty.set()

    def close(self) -> None:
        self._closing = True
        self._dirty.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        try:
            self.save()
            self.last_error = None
        except SAVE_ERRORS as exc:
            self.last_error = exc  # what `run` reports (a full MEDSCRIBE_HOME: DataDirectoryUnwritable)
            print(f"medscribe: local state not saved at exit: {type(exc).__name__}: {exc}", file=sys.stderr)

    def save(self) -> None:
        with self._save_lock:
            started = time.perf_counter()
            data = self._pickle()  # new S3 object bodies are written (fsynced) meanwhile
            write_atomic(self.path, data)
            self.bodies.drop_unreferenced()  # only once the snapshot that no longer refers to them is in place
            self.saves += 1
            self.save_seconds += time.perf_counter() - started

    def _pickle(self) -> bytes:
        error: BaseException | None = None
        for _ in range(PICKLE_ATTEMPTS):
            backends = {
                (module, attribute): {
                    account: dict(dict.items(regions)) for account, regions in list(dict.items(backend_dict))
                }
                for module, attribute, backend_dict in _backend_dicts()
            }
            payload = {"format": FORMAT, "digest": self.digest, "stack": self.stack, "backends": backends}
            buffer = io.BytesIO()
            self.bodies.start_snapshot()
            try:
                StatePickler(buffer, self.bodies).dump(payload)
            except RuntimeError as exc:  # "dictionary changed size during iteration": a request ran meanwhile
                error = exc
                time.sleep(0.01)
                continue
            return buffer.getvalue()
        raise SnapshotFailed(f"the emulator's state kept changing while it was saved: {error}")

    def _saver(self) -> None:
        while not self._closing:
            self._dirty.wait()
            if self._closing:
                return
            time.sleep(max(DEBOUNCE_SECONDS, SAVE_SHARE_FACTOR * self.save_seconds / max(self.saves, 1)))
            self._dirty.clear()
            try:
                self.save()
                self.last_error = None
            except SAVE_ERRORS as exc:
                if self.last_error is None:
                    print(f"medscribe: local state not saved: {type(exc).__name__}: {exc}", file=sys.stderr)
                self.last_error = exc

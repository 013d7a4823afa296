"""Durable local state: moto's backends (every service the local stack uses) and the stack's name map,
snapshotted to ``MEDSCRIBE_HOME/state/moto.pickle`` and loaded at the next start. Design: docs/local-state.md.

- **When**: every emulator request (in process or through the AWS endpoint) and every execution history event
  marks the state dirty; a saver thread writes at most every ``DEBOUNCE_SECONDS`` (more when a snapshot takes
  longer: at most ~1/5 of the time goes to snapshots), and ``close()`` writes the final state.
- **How**: ``pickle`` with a reducer that drops what only lives in this process: locks become new locks,
  threads and executors become ``None``, an execution's interpreter worker becomes a ``FrozenWorker`` holding
  its history (``EventManager``), which DescribeExecution/GetExecutionHistory and RedriveExecution read.
  A dictionary mutated while it is pickled is retried (bounded); the file is replaced atomically (temp file,
  fsync, rename), so a kill -9 leaves the previous complete snapshot or the new one. S3 object bodies are not
  in the pickle: each is written once to ``state/bodies/<sha256>`` before the first snapshot that refers to it
  (``bodies.py``), so a save's cost no longer grows with the bytes stored.
- **Executions running at a crash** are ABORTED on load, with error ``LocalStackRestarted`` and an
  ``ExecutionAborted`` history event, as StopExecution would leave them on AWS: redrivable from their unfinished
  state (``medscribe redrive``).
- A snapshot of another template (its digest differs) is set aside (renamed), not loaded: the stack is built
  fresh, with a line on stderr.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib
import io
import logging
import os
import pickle
import sys
import threading
import time
import weakref
from collections import defaultdict
from concurrent.futures import Executor
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any
from unittest import mock

from medscribe.errors import MedscribeError
from medscribe.local.state.atomic import write_atomic
from medscribe.local.state.bodies import BodyMissing, BodyStore

log = logging.getLogger("medscribe.local")

SNAPSHOT_FILE = "moto.pickle"
FORMAT = 2  # 2: S3 object bodies in state/bodies (bodies.py); 1 (bodies inside the pickle) still loads
DEBOUNCE_SECONDS = 0.2
SAVE_SHARE_FACTOR = 4  # wait 4x the mean save time between saves: snapshots take at most ~1/5 of the time
PICKLE_ATTEMPTS = 8  # a dictionary changed size while being pickled: try again, at most this often
RESTART_ERROR = "LocalStackRestarted"
RESTART_CAUSE = (
    "the local stack stopped while this execution was running (crash, kill or restart); "
    "redrive it to continue from its unfinished state"
)
_LOCK = type(threading.Lock())
# What a failed snapshot raises: disk full or read-only, state that kept changing, an object pickle refuses.
_RLOCK = type(threading.RLock())


class StateInUse(MedscribeError):
    """Another live process holds this MEDSCRIBE_HOME's local state."""


class SnapshotFailed(RuntimeError):
    """The emulator's state could not be pickled (it kept changing, or holds an object pickle refuses)."""


SAVE_ERRORS = (OSError, SnapshotFailed, BodyMissing, pickle.PicklingError, TypeError, AttributeError)


class FrozenEnv:
    def __init__(self, event_manager: Any) -> None:
        self.event_manager = event_manager


class FrozenWorker:
    """An execution's interpreter worker after a restart: its history, no thread."""

    def __init__(self, event_manager: Any) -> None:
        self.env = FrozenEnv(event_manager) if event_manager is not None else None

    def stop(self, stop_date: Any, error: Any, cause: Any) -> None:
        return None


def _none() -> None:
    return None


def _weak(kind: type, items: list[tuple[Any, Any]]) -> Any:
    return kind(items)


def _defaultdict(factory: type, items: dict[Any, Any]) -> defaultdict[Any, Any]:
    return defaultdict(factory, items)


def _versioned_keys(kind: type, items: list[tuple[str, list[Any]]]) -> Any:
    store = kind()
    for key, versions in items:
        store.setlist(key, versions)
    return store


def _kms_private_key(key_spec: str) -> Any:
    from moto.kms import models

    return models.generate_private_key(key_spec)


def _user_pool_key() -> Any:
    from moto.cognitoidp import models
    from moto.utilities.utils import load_resource

    return models.jwk.RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))


def _frozen(event_manager: Any) -> FrozenWorker:
    return FrozenWorker(event_manager)


class _Pickler(pickle.Pickler):
    def __init__(self, file: Any, bodies: BodyStore) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.bodies = bodies
        self.key_class = bodies.key_class()

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is self.key_class:  # an S3 object: its body in state/bodies, written once
            return self.bodies.reduce(obj)
        if isinstance(obj, _LOCK):
            return threading.Lock, ()
        if isinstance(obj, _RLOCK):
            return threading.RLock, ()
        if isinstance(obj, threading.Thread | Executor):
            return _none, ()
        if isinstance(obj, weakref.WeakValueDictionary | weakref.WeakKeyDictionary):
            return _weak, (type(obj), list(obj.items()))  # its entries live on elsewhere in the state
        factory = getattr(obj, "default_factory", None) if isinstance(obj, defaultdict) else None
        if factory is not None and getattr(factory, "__name__", "") == "<lambda>":
            sample = factory()  # moto's defaultdict(lambda: {}) and the like
            if type(sample) in (dict, list, set) and not sample:
                return _defaultdict, (type(sample), dict(obj))
        if type(obj).__name__ == "_VersionedKeyStore":  # S3 keys: every version, not only the latest
            return _versioned_keys, (type(obj), [(k, list(v)) for k, v in dict.items(obj)])
        if type(obj).__name__ == "LazyPrivateKey":  # moto_patches.startup: a KMS key generated on first use
            return _kms_private_key, (obj._key_spec,)
        if type(obj).__name__ == "RSAKey" and type(obj).__module__.startswith("joserfc"):
            return _user_pool_key, ()  # moto signs every pool's tokens with its one shipped key
        if _is_worker(obj):
            env = getattr(obj, "env", None)
            return _frozen, (getattr(env, "event_manager", None),)
        return NotImplemented


def _is_worker(obj: Any) -> bool:
    from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker

    return isinstance(obj, ExecutionWorker)


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
        aborted = _abort_running_executions()
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
        self._patch_change_hooks(exit_stack)
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
        except SAVE_ERRORS as exc:
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
                _Pickler(buffer, self.bodies).dump(payload)
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

    def _patch_change_hooks(self, exit_stack: ExitStack) -> None:
        """Every emulator request that may change state (in process: botocore's stubber; through the AWS
        endpoint: moto's WSGI app) and every execution history event marks the state dirty."""
        from moto.core.botocore_stubber import BotocoreStubber
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication

        from medscribe.local.moto_patches import perf

        stubber_call = BotocoreStubber.__call__
        app_call = DomainDispatcherApplication.__call__
        store = self

        def in_process(stubber: Any, event_name: str, *args: Any, **kwargs: Any) -> Any:
            try:
                return stubber_call(stubber, event_name, *args, **kwargs)
            finally:
                if not _is_read(event_name.rsplit(".", 1)[-1]):
                    store.mark_dirty()

        def through_endpoint(app: Any, environ: dict[str, Any], start_response: Any) -> Any:
            try:
                return app_call(app, environ, start_response)
            finally:
                target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
                method = str(environ.get("REQUEST_METHOD", ""))
                if method not in ("GET", "HEAD", "OPTIONS") and not _is_read(target.rsplit(".", 1)[-1]):
                    store.mark_dirty()

        exit_stack.enter_context(mock.patch.object(BotocoreStubber, "__call__", in_process))
        exit_stack.enter_context(mock.patch.object(DomainDispatcherApplication, "__call__", through_endpoint))
        perf.on_event(exit_stack, store.mark_dirty)  # every history event (moto_patches.perf owns add_event)


_READS = ("Get", "List", "Describe", "Head", "Query", "Scan", "BatchGet", "Validate", "Test")


def _is_read(action: str) -> bool:
    """An AWS action that changes nothing (by its name's verb)."""
    return action.startswith(_READS) and not action.startswith("GetId")


def _abort_running_executions() -> int:
    """Executions that were RUNNING when the snapshot was taken: ABORTED now, with a history event."""
    from moto.stepfunctions.parser.api import ExecutionStatus, HistoryEventType
    from moto.stepfunctions.parser.asl.eval.event.event_manager import EventHistoryContext, EventManager
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    now = datetime.datetime.now(tz=datetime.UTC)
    count = 0
    for _account, _region, backend in stepfunctions_parser_backends.iter_backends():
        for machine in list(getattr(backend, "state_machines", [])):
            for execution in getattr(machine, "executions", []):
                if execution.exec_status != ExecutionStatus.RUNNING:
                    continue
                worker = execution.exec_worker
                if worker is None or getattr(worker, "env", None) is None:
                    execution.exec_worker = worker = FrozenWorker(EventManager())
                manager = worker.env.event_manager
                with suppress(AttributeError, TypeError, IndexError):
                    history = manager.get_event_history()
                    context = EventHistoryContext(previous_event_id=history[-1]["id"] if history else 0)
                    manager.add_event(
                        context=context,
                        event_type=HistoryEventType.ExecutionAborted,
                        event_details={
                            "executionAbortedEventDetails": {"error": RESTART_ERROR, "cause": RESTART_CAUSE}
                        },
                    )
                execution.exec_status = ExecutionStatus.ABORTED
                execution.error = RESTART_ERROR
                execution.cause = RESTART_CAUSE
                execution.stop_date = now
                count += 1
    return count

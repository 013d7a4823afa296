"""How the emulator's state is pickled: a reducer that drops what only lives in this process (docs/local-state.md).

Locks become new locks, threads and executors ``None``, weak dictionaries plain copies of their entries, moto's
``defaultdict(lambda: ...)`` a defaultdict of the sample's type, S3's versioned key store every version, keys moto
regenerates or ships (KMS's lazily generated key, the user pools' one signing key) their recipe, and an
execution's interpreter worker a :class:`FrozenWorker` holding its history (``EventManager``), which
DescribeExecution/GetExecutionHistory and RedriveExecution read. S3 object bodies go to ``state/bodies``
(:mod:`.bodies`). Snapshots name the functions and classes below by module: those written before this module
existed name them in :mod:`.snapshot`, which re-exports them.
"""

from __future__ import annotations

import pickle
import threading
import weakref
from collections import defaultdict
from concurrent.futures import Executor
from typing import Any

from medscribe.local.state.bodies import BodyStore

_LOCK = type(threading.Lock())
_RLOCK = type(threading.RLock())


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


class StatePickler(pickle.Pickler):
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

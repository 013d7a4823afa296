"""A local-state snapshot names the reducer's functions and classes by module: one written before they moved
from ``local/state/snapshot.py`` to ``local/state/pickling.py`` still loads."""

from __future__ import annotations

import pickle

from medscribe.local.state import pickling, snapshot


def _old_global(name: str, call: bytes) -> bytes:
    # protocol 0: GLOBAL "medscribe.local.state.snapshot <name>", then the call's arguments and REDUCE
    return b"cmedscribe.local.state.snapshot\n" + name.encode() + b"\n" + call + b"."


def test_given_a_snapshot_naming_the_old_module_when_loaded_then_the_frozen_worker_comes_back() -> None:
    # Given a snapshot written by the old module: an execution's frozen worker with no history
    data = _old_global("FrozenWorker", b"(NtR")
    # When it is loaded
    worker = pickle.loads(data)
    # Then it is today's FrozenWorker
    assert type(worker) is pickling.FrozenWorker
    assert worker.env is None


def test_given_the_old_module_when_asked_for_every_moved_name_then_each_is_the_pickling_one() -> None:
    for name in snapshot._MOVED_TO_PICKLING:
        assert getattr(snapshot, name) is getattr(pickling, name)
    assert pickle.loads(_old_global("_none", b")R")) is None


def test_given_a_new_snapshot_when_pickled_then_it_names_the_pickling_module() -> None:
    data = pickle.dumps(pickling.FrozenWorker(None), protocol=0)
    assert b"medscribe.local.state.pickling" in data
    assert b"medscribe.local.state.snapshot" not in data

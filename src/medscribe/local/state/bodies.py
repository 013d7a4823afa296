"""S3 object bodies of the durable local state, content-addressed: ``state/bodies/<sha256>``, each written once.

A snapshot (``snapshot.py``) used to pickle every object body of every bucket on every save: after 100
recordings (their audio, transcripts, entities, PDFs: ~0.5 MB each) every save wrote ~50 MB and fsynced it,
several times a second while recordings ran. Now a snapshot holds each S3 object (moto's ``FakeKey``) without its
body and a reference to ``bodies/<sha256 of the body>``; a body is written (temporary file, fsync, rename) the
first time a snapshot refers to it, before that snapshot replaces the previous one, so a kill -9 at any instant
leaves a snapshot whose bodies are all on disk. Bodies no snapshot refers to any more are deleted after the
snapshot that dropped them is in place. A body's digest is remembered per object (moto's objects are replaced,
not rewritten, on a new PUT; its ``value`` setter forgets the digest when one is rewritten), so a save reads
and hashes only the bodies that are new since the last one.
"""

from __future__ import annotations

import contextvars
import hashlib
import os
import weakref
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import Any

from medscribe.local.state.atomic import write_atomic

DIRECTORY = "bodies"

# FakeKey -> sha256 of its body (process-wide: an object is one object, whichever store saves it).
_digests: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


class BodyMissing(RuntimeError):
    """A snapshot refers to an S3 object body that is not in ``state/bodies`` (the directory was altered)."""


# The store a snapshot being loaded reads its bodies from (set by ``BodyStore.loading``).
_loading: contextvars.ContextVar[BodyStore | None] = contextvars.ContextVar("loading_bodies", default=None)


def _restore_key(cls: Any, state: dict[str, Any], digest: str) -> Any:
    store = _loading.get()
    if store is None:
        raise BodyMissing("an S3 object of the local state was unpickled outside BodyStore.loading()")
    key = cls.__new__(cls)
    key.__setstate__({**state, "value": store.read(digest)})
    _digests[key] = digest
    return key


class BodyStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory / DIRECTORY
        self.directory.mkdir(parents=True, exist_ok=True)
        # Bodies on disk (a leftover temporary file of a killed write is not one: it starts with a dot).
        self.on_disk = {p.name for p in self.directory.iterdir() if not p.name.startswith(".")}
        self.referenced: set[str] = set()
        self.written = 0

    @staticmethod
    def key_class() -> type:
        from moto.s3.models import FakeKey

        return FakeKey

    def forget_rewritten_bodies(self, exit_stack: ExitStack) -> None:
        """While the stack runs, an object whose body is set again forgets its digest (the next save hashes it).
        The emulator layer owns ``FakeKey.value`` (``moto_patches.state_hooks``); this only plugs in."""
        from medscribe.local.moto_patches import state_hooks

        def forget(key: Any) -> None:
            _digests.pop(key, None)

        state_hooks.on_body_set(exit_stack, forget)

    def reduce(self, key: Any) -> tuple[Any, ...]:
        """Pickle ``key`` (a FakeKey) without its body, which is stored here once."""
        digest = _digests.get(key)
        if digest is None:
            try:
                body = key.value
            except ValueError:  # a deleted key's buffer is closed (moto's own __getstate__ stores b"")
                body = b""
            digest = hashlib.sha256(body).hexdigest()
            self._write(digest, body)
            _digests[key] = digest
        elif digest not in self.on_disk:
            self._write(digest, key.value)
        self.referenced.add(digest)
        state = dict(key.__dict__)
        state.pop("_value_buffer", None)
        state.pop("lock", None)
        return _restore_key, (type(key), state, digest)

    def _write(self, digest: str, body: bytes) -> None:
        if digest in self.on_disk:
            return
        write_atomic(self.directory / digest, body)
        self.on_disk.add(digest)
        self.written += 1

    def start_snapshot(self) -> None:
        self.referenced = set()

    def drop_unreferenced(self) -> None:
        """After a snapshot is in place: delete the bodies it does not refer to."""
        for digest in self.on_disk - self.referenced:
            with suppress(FileNotFoundError):
                os.unlink(self.directory / digest)
        self.on_disk &= self.referenced

    @contextmanager
    def loading(self) -> Iterator[None]:
        """Unpickle a snapshot inside this: its S3 objects read their bodies from here."""
        token = _loading.set(self)
        try:
            yield
        finally:
            _loading.reset(token)

    def read(self, digest: str) -> bytes:
        try:
            return (self.directory / digest).read_bytes()
        except FileNotFoundError:
            raise BodyMissing(f"S3 object body {digest[:12]}... is missing from the local state") from None

"""An opt-in decode memo for test runs: ``MEDSCRIBE_DECODE_MEMO=<dir>`` makes ``workers.transcribe`` decode a
given audio once per directory and hand later jobs on the same bytes that output under their own job name.

Off unless the variable names a directory; nothing in medscribe sets it. The test harness sets it for the
``medscribe`` subprocesses of the end-to-end and docs tests, whose many runs of the shipped dictation test the
CLI, the stack, the API and the docs, not the decode (docs/testing.md, "Speed and isolation"); the directory is
one per test run, so no memo outlives it or is shared between two runs.

The decoder is deterministic: the same bytes, format and segment length through the same decoder give the same
transcript whatever ran before (tests/faults/test_faults_long_silence.py). The key is the audio's SHA-256, its
format, the segment length, and a fingerprint of the decoder: the source of the modules that read, split and
decode audio, the medical lexicon and the pocketsphinx version. The memo stores only a decode that returned: a
decode that raises raises again on the next job. A second job on the same key waits for the first decode (an
exclusive ``flock`` on the key's lock file) instead of starting its own; an entry is written to a temp file and
renamed, so a reader never sees half of one.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from importlib import metadata, resources
from pathlib import Path
from typing import Any

MEMO_ENV = "MEDSCRIBE_DECODE_MEMO"
# Whatever decides the words and times of a decode (asr reads, segments and decodes; pcm resamples and finds
# speech; stream reads blocks; split_decode stitches segments), and the lexicon added to the decoder.
_DECODER_MODULES = ("asr", "pcm", "stream", "split_decode", "workers")
_DECODER_DATA = ("data/medical.dict",)


def directory() -> Path | None:
    """The memo's directory when the memo is on (``MEDSCRIBE_DECODE_MEMO`` set and not empty), else None."""
    raw = os.environ.get(MEMO_ENV, "").strip()
    return Path(raw) if raw else None


@functools.cache
def decoder_fingerprint() -> str:
    package = resources.files("medscribe.offline")
    digest = hashlib.sha256()
    for name in (*(f"{m}.py" for m in _DECODER_MODULES), *_DECODER_DATA):
        digest.update(name.encode() + b"\0" + package.joinpath(name).read_bytes() + b"\0")
    try:
        digest.update(metadata.version("pocketsphinx").encode())
    except metadata.PackageNotFoundError:
        digest.update(b"no pocketsphinx")
    return digest.hexdigest()


def memo_key(path: Path, *, media_format: str, segment_seconds: float) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    what = json.dumps([decoder_fingerprint(), digest.hexdigest(), media_format, float(segment_seconds)])
    return hashlib.sha256(what.encode()).hexdigest()


def transcribe(
    memo: Path,
    decode: Callable[..., dict[str, Any]],
    path: Path,
    *,
    job_name: str,
    account_id: str,
    media_format: str,
    segment_seconds: float,
) -> dict[str, Any]:
    """``decode(path, ...)``'s output for this job: read from the memo when this key was decoded before, else
    decoded now and kept."""
    memo.mkdir(parents=True, exist_ok=True)
    key = memo_key(path, media_format=media_format, segment_seconds=segment_seconds)
    entry = memo / f"{key}.json"
    with (memo / f"{key}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if entry.exists():
            output: dict[str, Any] = json.loads(entry.read_text())
        else:
            output = decode(
                path,
                job_name=job_name,
                account_id=account_id,
                media_format=media_format,
                segment_seconds=segment_seconds,
            )
            _write(entry, output)
    return {**output, "jobName": job_name, "accountId": account_id}


def _write(entry: Path, output: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(output, f)
        os.replace(tmp, entry)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

"""``TranscriptionService`` stand-in for Transcribe Medical: pocketsphinx ASR on a background worker.

Behaves like StartMedicalTranscriptionJob / GetMedicalTranscriptionJob as the pipeline uses them:

- ``start`` is idempotent on the job name: a second start returns the existing job's state (the AWS adapter
  does the same on ConflictException). A new job is ``IN_PROGRESS`` at once; the audio is downloaded with
  ``store.download`` on a background thread and decoded in a worker process (``offline.workers``).
- On success the Transcribe output JSON is written to ``s3://{bucket}/{output_key}`` and the job becomes
  ``COMPLETED``; on any exception it becomes ``FAILED`` with ``failure_reason`` = exception class and message
  (never transcript text).
- Job records live in an in-process registry (local mode dispatches every Lambda in one process) and are also
  persisted at ``s3://{bucket}/_offline-transcribe/{job_name}.json``, so ``get`` in another process still
  answers for finished jobs. ``get`` only has the job name: across processes it reads the record from the
  bucket given to the constructor, else from ``AUDIO_BUCKET`` (settings).
- A job left ``IN_PROGRESS`` by a process that died (kill -9 or Ctrl-C of ``run``/``serve`` during a decode;
  the record names its owner: pid and process start time) is started again from its persisted request by the
  next ``start`` or ``get`` of its name, as Transcribe would have finished it meanwhile: a redriven execution
  goes on instead of waiting out its heartbeats or poll bound.
- Unknown job: ``TranscriptionJobNotFound`` (Transcribe answers BadRequestException "couldn't be found").
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from medscribe.errors import AudioNotFound, MedscribeError
from medscribe.models import JobStatus
from medscribe.ports import JobRequest, JobState, ObjectStore

RECORD_PREFIX = "_offline-transcribe/"
logger = logging.getLogger(__name__)


class TranscriptionJobNotFound(MedscribeError):
    """No transcription job with that name (GetMedicalTranscriptionJob's BadRequestException)."""


@dataclasses.dataclass
class _Job:
    state: JobState
    bucket: str
    future: Future[None] | None = None


_registry: dict[str, _Job] = {}
_registry_lock = threading.Lock()


@functools.cache
def _executor() -> ThreadPoolExecutor:
    """Threads that download, hand the decode to a worker process and store the result: two per worker, so that
    a worker finishing a job finds the next one already queued in the pool. With one per worker, every worker
    idled between two jobs while its thread stored the transcript and downloaded the next audio, and with 100
    recordings in the stack those threads wait for the GIL behind every execution's thread."""
    from medscribe.offline.workers import worker_count

    return ThreadPoolExecutor(max_workers=2 * max(1, worker_count()), thread_name_prefix="offline-transcribe")


def record_key(job_name: str) -> str:
    return f"{RECORD_PREFIX}{job_name}.json"


def _state_to_json(job: _Job, request: JobRequest | None) -> dict[str, Any]:
    started = job.state.started_at
    value: dict[str, Any] = {
        **dataclasses.asdict(job.state),
        "started_at": started.isoformat() if started else None,
        "bucket": job.bucket,
        "owner": _OWNER,
    }
    if request is not None:
        value["request"] = dataclasses.asdict(request)
    return value


def _process_start(pid: int) -> float | None:
    import psutil

    try:
        return float(psutil.Process(pid).create_time())
    except psutil.Error:
        return None


_OWNER = {"pid": os.getpid(), "started": _process_start(os.getpid())}


def _orphaned(record: dict[str, Any]) -> bool:
    """An IN_PROGRESS record whose owning process is gone (its decode died with it)."""
    if record.get("status") != "IN_PROGRESS" or not isinstance(record.get("request"), dict):
        return False
    owner = record.get("owner") or {}
    pid = owner.get("pid")
    if not isinstance(pid, int):
        return True
    return _process_start(pid) != owner.get("started")


def _state_from_json(value: dict[str, Any]) -> JobState:
    started = value.get("started_at")
    return JobState(
        job_name=value["job_name"],
        status=value["status"],
        output_key=value["output_key"],
        failure_reason=value.get("failure_reason"),
        started_at=datetime.fromisoformat(started) if started else None,
    )


class OfflineTranscribeMedical:
    """``medscribe.ports.TranscriptionService`` backed by ``medscribe.offline.asr``."""

    def __init__(
        self, store: ObjectStore, bucket: str | None = None, account_id: str = "000000000000"
    ) -> None:
        self._store = store
        self._bucket = bucket
        self._account_id = account_id

    # -- TranscriptionService ------------------------------------------------------------------------------
    def start(self, request: JobRequest) -> JobState:
        with _registry_lock:
            existing = _registry.get(request.job_name)
            if existing is not None:
                return existing.state
            record = self._load_record(request.bucket, request.job_name)
            if record is not None and _orphaned(record):
                return self._resume(record)
            if record is not None:
                persisted = _state_from_json(record)
                _registry[request.job_name] = _Job(state=persisted, bucket=request.bucket)
                return persisted
            created = self._submit(request, datetime.now(UTC))
        logger.info("offline transcription job started", extra={"job_name": request.job_name})
        return created

    def _submit(self, request: JobRequest, started_at: datetime) -> JobState:
        """A new IN_PROGRESS job on the workers (the caller holds the registry lock)."""
        job = _Job(
            state=JobState(
                job_name=request.job_name,
                status="IN_PROGRESS",
                output_key=request.output_key,
                started_at=started_at,
            ),
            bucket=request.bucket,
        )
        _registry[request.job_name] = job
        self._persist(job, request)
        created = job.state  # what StartMedicalTranscriptionJob answers: the job as created, even
        job.future = _executor().submit(self._run, request)  # if the worker ends it at once
        return created

    def _resume(self, record: dict[str, Any]) -> JobState:
        """The job its dead owner left IN_PROGRESS, started again (the caller holds the registry lock)."""
        request = JobRequest(**record["request"])
        started = _state_from_json(record).started_at or datetime.now(UTC)
        logger.warning(
            "offline transcription job resumed: the process running it has gone",
            extra={"job_name": request.job_name},
        )
        return self._submit(request, started)

    def get(self, job_name: str) -> JobState:
        with _registry_lock:
            job = _registry.get(job_name)
        if job is not None:
            return job.state
        bucket = self._bucket or _default_bucket()
        record = self._load_record(bucket, job_name) if bucket else None
        if record is None:
            raise TranscriptionJobNotFound(f"no transcription job named {job_name}")
        if _orphaned(record):
            with _registry_lock:
                if job_name not in _registry:
                    return self._resume(record)
                return _registry[job_name].state
        return _state_from_json(record)

    # -- worker --------------------------------------------------------------------------------------------
    def _run(self, request: JobRequest) -> None:
        try:
            output = self._transcribe(request)
            self._store.put_json(request.bucket, request.output_key, output)
        except Exception as exc:  # noqa: BLE001 - any failure must end the job as FAILED, like the service
            self._finish(request, "FAILED", f"{type(exc).__name__}: {exc}")
            logger.warning("offline transcription job failed", extra={"job_name": request.job_name})
        else:
            self._finish(request, "COMPLETED", None)
            logger.info("offline transcription job completed", extra={"job_name": request.job_name})

    def _transcribe(self, request: JobRequest) -> dict[str, Any]:
        from medscribe.offline.workers import transcribe

        with tempfile.TemporaryDirectory(prefix="medscribe-asr-") as tmp:
            path = Path(tmp) / f"audio.{request.media_format}"
            self._store.download(request.bucket, request.audio_key, path, version=request.audio_version)
            return transcribe(  # in a worker process: the decode never holds this process's GIL
                path,
                job_name=request.job_name,
                account_id=self._account_id,
                media_format=request.media_format,
            )

    def _finish(self, request: JobRequest, status: JobStatus, failure_reason: str | None) -> None:
        with _registry_lock:
            job = _registry[request.job_name]
            job.state = dataclasses.replace(job.state, status=status, failure_reason=failure_reason)
        try:
            self._persist(job, None)
        except Exception:  # the in-process record is authoritative; persistence is best effort
            logger.exception(
                "could not persist offline transcription job", extra={"job_name": request.job_name}
            )

    # -- persistence ---------------------------------------------------------------------------------------
    def _persist(self, job: _Job, request: JobRequest | None) -> None:
        """The job's record; an IN_PROGRESS one carries its request, so that a dead owner's job can resume."""
        self._store.put_json(job.bucket, record_key(job.state.job_name), _state_to_json(job, request))

    def _load_record(self, bucket: str, job_name: str) -> dict[str, Any] | None:
        try:
            value: dict[str, Any] = self._store.get_json(bucket, record_key(job_name))
        except AudioNotFound:  # the store's "no such object"
            return None
        return value


def _default_bucket() -> str | None:
    from medscribe.config import get_settings

    return get_settings().audio_bucket


def wait_for(job_name: str, timeout: float | None = None) -> JobState:
    """Block until an in-process job has finished (tests, CLI); returns its state."""
    with _registry_lock:
        job = _registry.get(job_name)
    if job is None:
        raise TranscriptionJobNotFound(f"no transcription job named {job_name} in this process")
    if job.future is not None:
        job.future.result(timeout=timeout)
    return job.state

"""OfflineTranscribeMedical: the TranscriptionService port on the offline ASR, with an in-memory store."""

from __future__ import annotations

import dataclasses
import json
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from medscribe.errors import AudioNotFound
from medscribe.offline import transcribe_service as svc_mod
from medscribe.offline.transcribe_service import OfflineTranscribeMedical, TranscriptionJobNotFound, wait_for
from medscribe.ports import JobRequest, ObjectHead
from medscribe.shapes import TranscribeOutput

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "dictation.wav"
BUCKET = "medscribe-audio"


class MemoryStore:
    """A tiny in-memory ``ObjectStore`` (the port), recording downloads."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], bytes] = {}
        self.downloads: list[str] = []

    def _get(self, bucket: str, key: str) -> bytes:
        try:
            return self.objects[(bucket, key)]
        except KeyError:
            raise AudioNotFound(f"s3://{bucket}/{key} does not exist") from None

    def head(self, bucket: str, key: str, *, version: str | None = None) -> ObjectHead:
        return ObjectHead(size_bytes=len(self._get(bucket, key)), etag='"x"')

    def download(self, bucket: str, key: str, path: Path, *, version: str | None = None) -> None:
        self.downloads.append(key)
        path.write_bytes(self._get(bucket, key))

    def get_bytes(self, bucket: str, key: str) -> bytes:
        return self._get(bucket, key)

    def put_bytes(self, bucket: str, key: str, data: bytes, content_type: str) -> None:
        self.objects[(bucket, key)] = data

    def get_json(self, bucket: str, key: str) -> Any:
        return json.loads(self._get(bucket, key))

    def put_json(self, bucket: str, key: str, value: Any) -> None:
        self.objects[(bucket, key)] = json.dumps(value).encode()

    def presigned_get(self, bucket: str, key: str, expires_in: int = 3600) -> str:
        return f"memory://{bucket}/{key}"


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a new process would: no jobs in the in-process registry."""
    monkeypatch.setattr(svc_mod, "_registry", {})


def _request(job: str, key: str, fmt: str = "wav") -> JobRequest:
    return JobRequest(
        job_name=job,
        bucket=BUCKET,
        audio_key=key,
        media_format=fmt,  # type: ignore[arg-type]
        sample_rate_hz=16000,
        output_key=f"default/{job}/transcribe/{job}.json",
        transcription_type="DICTATION",
        identify_phi=False,
    )


def _clip_bytes(tmp_path: Path, seconds: float) -> bytes:
    data, rate = sf.read(SAMPLE, dtype="int16")
    path = tmp_path / "clip.wav"
    sf.write(path, data[: int(seconds * rate)], rate, subtype="PCM_16")
    return path.read_bytes()


def test_job_completes_and_writes_transcribe_output(tmp_path: Path) -> None:
    # Given a 5 s dictation clip in the bucket
    store = MemoryStore()
    store.put_bytes(BUCKET, "incoming/a.wav", _clip_bytes(tmp_path, 5.0), "audio/wav")
    service = OfflineTranscribeMedical(store)
    # When a job is started and has finished
    started = service.start(_request("job-a", "incoming/a.wav"))
    assert started.status in {"QUEUED", "IN_PROGRESS"}
    wait_for("job-a", timeout=60)
    state = service.get("job-a")
    # Then it is COMPLETED and its output is Transcribe Medical JSON at the requested key
    assert state.status == "COMPLETED"
    assert state.failure_reason is None
    output = TranscribeOutput.model_validate(store.get_json(BUCKET, state.output_key))
    assert output.jobName == "job-a"
    assert "follow up visit" in output.text.lower()


def test_start_is_idempotent_on_job_name(tmp_path: Path) -> None:
    # Given a started job
    store = MemoryStore()
    store.put_bytes(BUCKET, "incoming/b.wav", _clip_bytes(tmp_path, 2.0), "audio/wav")
    service = OfflineTranscribeMedical(store)
    first = service.start(_request("job-b", "incoming/b.wav"))
    wait_for("job-b", timeout=60)
    # When it is started again (a retried Lambda), even from another service instance
    again = OfflineTranscribeMedical(store).start(_request("job-b", "incoming/b.wav"))
    # Then the existing job's state comes back and the audio was transcribed once
    assert again.job_name == first.job_name
    assert again.status == "COMPLETED"
    assert store.downloads == ["incoming/b.wav"]


def test_start_answers_the_job_as_created_even_when_the_worker_ends_it_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given the worst interleaving of threads: the job's worker runs to its end in the window between
    # start() creating the job (under the registry lock) and start() returning (its "started" log line)
    pool = ThreadPoolExecutor(max_workers=1)
    submitted: list[Future[None]] = []

    class Executor:
        def submit(self, fn: Any, *args: Any) -> Future[None]:
            submitted.append(pool.submit(fn, *args))
            return submitted[-1]

    class LogThenWait:
        def info(self, *args: Any, **kwargs: Any) -> None:
            submitted[-1].result(timeout=30)  # the worker has finished the job before start() returns

        def warning(self, *args: Any, **kwargs: Any) -> None:
            pass

    monkeypatch.setattr(svc_mod, "_executor", Executor)
    monkeypatch.setattr(svc_mod, "logger", LogThenWait())
    service = OfflineTranscribeMedical(MemoryStore())
    # When a job whose audio does not exist is started (its worker fails it at once)
    started = service.start(_request("job-race", "incoming/missing.wav"))
    # Then start answers what StartMedicalTranscriptionJob answers: the job as created, IN_PROGRESS;
    # the failure is seen by the next get(), as on AWS (a caller never mistakes it for an old FAILED job)
    assert started.status == "IN_PROGRESS"
    assert service.get("job-race").status == "FAILED"
    pool.shutdown()


def test_get_in_a_new_process_reads_the_persisted_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a job finished in "another process" (its record persisted in the bucket)
    store = MemoryStore()
    store.put_bytes(BUCKET, "incoming/c.wav", _clip_bytes(tmp_path, 2.0), "audio/wav")
    OfflineTranscribeMedical(store).start(_request("job-c", "incoming/c.wav"))
    wait_for("job-c", timeout=60)
    record = store.get_json(BUCKET, "_offline-transcribe/job-c.json")
    assert record["status"] == "COMPLETED"
    # When a fresh process (empty registry) asks for it by name
    monkeypatch.setattr(svc_mod, "_registry", {})
    state = OfflineTranscribeMedical(store, bucket=BUCKET).get("job-c")
    # Then it answers from the record; a second start does not transcribe again
    assert state.status == "COMPLETED"
    assert state.output_key == "default/job-c/transcribe/job-c.json"
    assert OfflineTranscribeMedical(store).start(_request("job-c", "incoming/c.wav")).status == "COMPLETED"
    assert store.downloads == ["incoming/c.wav"]


def test_unknown_job_raises_a_named_error() -> None:
    # Given no job named "nope" anywhere, when it is asked for, then TranscriptionJobNotFound
    with pytest.raises(TranscriptionJobNotFound):
        OfflineTranscribeMedical(MemoryStore(), bucket=BUCKET).get("nope")


def test_silence_completes_with_an_empty_transcript(tmp_path: Path) -> None:
    # Given 3 s of silence as FLAC
    path = tmp_path / "silence.flac"
    sf.write(path, np.zeros(48000, dtype=np.int16), 16000, subtype="PCM_16")
    store = MemoryStore()
    store.put_bytes(BUCKET, "incoming/s.flac", path.read_bytes(), "audio/flac")
    service = OfflineTranscribeMedical(store)
    # When transcribed
    service.start(_request("job-s", "incoming/s.flac", "flac"))
    state = wait_for("job-s", timeout=60)
    # Then the job completes with an empty transcript
    assert state.status == "COMPLETED"
    assert TranscribeOutput.model_validate(store.get_json(BUCKET, state.output_key)).text == ""


def test_garbage_audio_fails_the_job_with_a_reason(tmp_path: Path) -> None:
    # Given bytes that are not audio
    store = MemoryStore()
    store.put_bytes(BUCKET, "incoming/g.wav", b"definitely not audio" * 50, "audio/wav")
    service = OfflineTranscribeMedical(store)
    # When transcribed
    service.start(_request("job-g", "incoming/g.wav"))
    state = wait_for("job-g", timeout=60)
    # Then the job is FAILED, the reason names the error class, and no output was written
    assert state.status == "FAILED"
    assert state.failure_reason is not None
    assert state.failure_reason.startswith("AudioDecodeError: ")
    assert (BUCKET, state.output_key) not in store.objects
    assert store.get_json(BUCKET, "_offline-transcribe/job-g.json")["status"] == "FAILED"


def test_missing_audio_object_fails_the_job() -> None:
    # Given a job whose audio key does not exist
    service = OfflineTranscribeMedical(MemoryStore())
    # When started, then it ends FAILED with the store's error
    service.start(_request("job-m", "incoming/missing.wav"))
    state = wait_for("job-m", timeout=60)
    assert state.status == "FAILED"
    assert (state.failure_reason or "").startswith("AudioNotFound: ")


def test_ffmpeg_format_without_ffmpeg_fails_with_a_named_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a webm recording and no ffmpeg on PATH
    from medscribe.offline import pcm

    monkeypatch.setattr(pcm, "find_ffmpeg", lambda: None)
    store = MemoryStore()
    store.put_bytes(BUCKET, "incoming/w.webm", b"\x1a\x45\xdf\xa3" + b"\0" * 64, "audio/webm")
    service = OfflineTranscribeMedical(store)
    # When transcribed, then the job fails saying ffmpeg is missing
    service.start(_request("job-w", "incoming/w.webm", "webm"))
    state = wait_for("job-w", timeout=60)
    assert state.status == "FAILED"
    assert (state.failure_reason or "").startswith("AudioDecoderUnavailable: ")


def _dead_owner() -> dict[str, Any]:
    """The owner a record names when the process that wrote it has exited (a real process, gone)."""
    import subprocess
    import sys

    import psutil

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    owner = {"pid": child.pid, "started": psutil.Process(child.pid).create_time()}
    child.kill()
    child.wait()
    return owner


@pytest.mark.parametrize("ask", ["start", "get"])
def test_a_job_whose_process_died_in_progress_is_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ask: str
) -> None:
    # Given a job's record left IN_PROGRESS by a process that died during its decode (kill -9 of run/serve:
    # the record survives in the durable state, the decode does not)
    store = MemoryStore()
    store.put_bytes(BUCKET, "incoming/d.wav", _clip_bytes(tmp_path, 2.0), "audio/wav")
    name = f"job-dead-{ask}"
    OfflineTranscribeMedical(store).start(_request(name, "incoming/d.wav"))
    wait_for(name, timeout=60)
    record = store.get_json(BUCKET, f"_offline-transcribe/{name}.json")
    request = json.loads(json.dumps(dataclasses.asdict(_request(name, "incoming/d.wav"))))
    store.put_json(
        BUCKET,
        f"_offline-transcribe/{name}.json",
        {**record, "status": "IN_PROGRESS", "owner": _dead_owner(), "request": request},
    )
    store.objects.pop((BUCKET, f"default/{name}/transcribe/{name}.json"))
    # When the next process (empty registry) starts the same job again, or asks for it by name
    monkeypatch.setattr(svc_mod, "_registry", {})
    service = OfflineTranscribeMedical(store, bucket=BUCKET)
    state = service.start(_request(name, "incoming/d.wav")) if ask == "start" else service.get(name)
    # Then the job runs again, as Transcribe would have finished it meanwhile: COMPLETED, output written
    assert state.status == "IN_PROGRESS"
    assert wait_for(name, timeout=60).status == "COMPLETED"
    assert store.get_json(BUCKET, f"default/{name}/transcribe/{name}.json")["jobName"] == name
    assert store.downloads == ["incoming/d.wav", "incoming/d.wav"]


def test_a_job_in_progress_in_a_live_process_is_not_run_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a job IN_PROGRESS whose owner is alive (this process: another service instance, same registry gone)
    store = MemoryStore()
    store.put_bytes(BUCKET, "incoming/e.wav", _clip_bytes(tmp_path, 2.0), "audio/wav")
    OfflineTranscribeMedical(store).start(_request("job-live", "incoming/e.wav"))
    wait_for("job-live", timeout=60)
    record = store.get_json(BUCKET, "_offline-transcribe/job-live.json")
    request = json.loads(json.dumps(dataclasses.asdict(_request("job-live", "incoming/e.wav"))))
    store.put_json(
        BUCKET, "_offline-transcribe/job-live.json", {**record, "status": "IN_PROGRESS", "request": request}
    )
    monkeypatch.setattr(svc_mod, "_registry", {})
    # When it is started again
    state = OfflineTranscribeMedical(store).start(_request("job-live", "incoming/e.wav"))
    # Then its state comes back and nothing is decoded again
    assert state.status == "IN_PROGRESS"
    assert store.downloads == ["incoming/e.wav"]

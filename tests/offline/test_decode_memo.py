"""The test runs' decode memo (``MEDSCRIBE_DECODE_MEMO``, ``offline.decode_memo``): off unless set; on, a second job
on the same audio gets the first decode's output under its own job name, and anything that could change the
words decodes again."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
import soundfile as sf

from medscribe.offline import decode_memo, workers
from medscribe.offline.pcm import AudioDecodeError

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "dictation.wav"


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    """The sample's first 4 s (a few words: a short real decode)."""
    samples, rate = sf.read(SAMPLE, dtype="int16")
    path = tmp_path / "clip.wav"
    sf.write(path, samples[: 4 * rate], rate)
    return path


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The real decode (in this process: no worker pool), with the job name of each decode that ran."""
    monkeypatch.setenv(workers.WORKERS_ENV, "0")
    real = workers._transcribe
    ran: list[str] = []

    def decode(path: Path, **kwargs: Any) -> dict[str, Any]:
        ran.append(kwargs["job_name"])
        return real(path, **kwargs)

    monkeypatch.setattr(workers, "_transcribe", decode)
    return ran


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """For the memo's keys and locks, not the words: a decode that records its job and returns the audio's size
    and its arguments (each call a new output)."""
    ran: list[str] = []

    def decode(path: Path, **kwargs: Any) -> dict[str, Any]:
        ran.append(kwargs["job_name"])
        time.sleep(0.05)  # long enough for concurrent jobs to queue behind this one
        return {**kwargs, "results": {"size": path.stat().st_size, "run": len(ran)}}

    monkeypatch.setattr(workers, "_transcribe", decode)
    return ran


def transcribe(path: Path, job: str, **kwargs: Any) -> dict[str, Any]:
    return workers.transcribe(path, job_name=job, account_id="111122223333", media_format="wav", **kwargs)


def test_without_the_variable_every_job_decodes(
    clip: Path, stand_in: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(decode_memo.MEMO_ENV, raising=False)
    assert decode_memo.directory() is None
    transcribe(clip, "job-1")
    transcribe(clip, "job-2")
    assert stand_in == ["job-1", "job-2"]


def test_a_second_job_on_the_same_bytes_gets_the_first_decode_under_its_own_name(
    clip: Path, counted: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the memo on, and the real decode of the clip with the memo off
    monkeypatch.delenv(decode_memo.MEMO_ENV, raising=False)
    real = transcribe(clip, "job-real")
    monkeypatch.setenv(decode_memo.MEMO_ENV, str(tmp_path / "memo"))
    copy = tmp_path / "other-name.wav"
    copy.write_bytes(clip.read_bytes())
    # When two jobs run on the same bytes (another file name), in another account
    first = transcribe(clip, "job-1")
    second = workers.transcribe(copy, job_name="job-2", account_id="999", media_format="wav")
    # Then only the first decoded, and each output is the real decode's under its own job name and account
    assert counted == ["job-real", "job-1"]
    assert first == {**real, "jobName": "job-1"}
    assert second == {**real, "jobName": "job-2", "accountId": "999"}
    assert first["results"]["items"], "the clip has words"


def test_other_bytes_format_or_segment_length_decode_again(
    clip: Path, stand_in: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(decode_memo.MEMO_ENV, str(tmp_path / "memo"))
    samples, rate = sf.read(clip, dtype="int16")
    shorter = tmp_path / "shorter.wav"
    sf.write(shorter, samples[: 3 * rate], rate)
    transcribe(clip, "job-1")
    transcribe(shorter, "job-2")  # other bytes
    transcribe(clip, "job-3", segment_seconds=2.0)  # another segmentation
    flac = tmp_path / "clip.flac"
    sf.write(flac, samples, rate)
    workers.transcribe(flac, job_name="job-4", account_id="1", media_format="flac")  # another format
    again = transcribe(clip, "job-5")  # the first again: from the memo
    assert stand_in == ["job-1", "job-2", "job-3", "job-4"]
    assert again["results"]["run"] == 1


def test_a_decode_that_raises_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the memo on, and a file that is not audio
    monkeypatch.setenv(decode_memo.MEMO_ENV, str(tmp_path / "memo"))
    monkeypatch.setenv(workers.WORKERS_ENV, "0")
    bad = tmp_path / "bad.wav"
    bad.write_text("not audio\n" * 100)
    # When it is transcribed twice, each job raises the decoder's own error, and the memo holds nothing
    for job in ("job-1", "job-2"):
        with pytest.raises(AudioDecodeError):
            transcribe(bad, job)
    assert not list((tmp_path / "memo").glob("*.json"))


def test_concurrent_jobs_on_the_same_bytes_decode_once(
    clip: Path, stand_in: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(decode_memo.MEMO_ENV, str(tmp_path / "memo"))
    outputs: dict[str, dict[str, Any]] = {}

    def job(name: str) -> None:
        outputs[name] = transcribe(clip, name)

    threads = [threading.Thread(target=job, args=(f"job-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(stand_in) == 1
    assert sorted(outputs) == [f"job-{n}" for n in range(4)]
    assert all(o["results"] == outputs[stand_in[0]]["results"] for o in outputs.values())
    assert all(name == o["jobName"] for name, o in outputs.items())


def test_the_key_changes_with_the_decoder(clip: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the key of the clip, stable for the same decoder
    key = decode_memo.memo_key(clip, media_format="wav", segment_seconds=60.0)
    decode_memo.decoder_fingerprint.cache_clear()
    assert decode_memo.memo_key(clip, media_format="wav", segment_seconds=60.0) == key
    # When the decoder's files are other files (as after an edit of its lexicon), the key is another
    monkeypatch.setattr(decode_memo, "_DECODER_DATA", ("data/medical_words.txt",))
    decode_memo.decoder_fingerprint.cache_clear()
    try:
        assert decode_memo.memo_key(clip, media_format="wav", segment_seconds=60.0) != key
    finally:
        decode_memo.decoder_fingerprint.cache_clear()


def test_with_the_memo_on_a_prewarm_starts_no_decoding_worker_and_a_miss_starts_one(
    clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the memo on and no worker started in this process
    monkeypatch.setenv(decode_memo.MEMO_ENV, str(tmp_path / "memo"))
    workers.shutdown()
    try:
        # When a stack prewarms its workers (as `run`, `serve` and `backfill` do)
        ready = workers.prewarm(workers.worker_count())
        # Then only the step worker starts: a decoding worker would load nothing and, memo'd, mostly sit idle
        assert [future.result(timeout=300) for future in ready] == [True]
        assert workers.pool.cache_info().currsize == 0, "no decoding pool was started"
        assert len(getattr(workers.step_pool(), "_processes", {})) == workers.STEP_WORKERS
        # And a job that misses the memo starts a decoding worker and decodes there
        samples, rate = sf.read(clip, dtype="int16")
        second = tmp_path / "second.wav"
        sf.write(second, samples[:rate], rate)
        output = transcribe(second, "job-miss")
        assert len(getattr(workers.pool(), "_processes", {})) >= 1
        assert output["jobName"] == "job-miss"
        assert list((tmp_path / "memo").glob("*.json")), "the miss's decode was kept"
    finally:
        workers.shutdown()

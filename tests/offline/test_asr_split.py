"""One long recording decodes its speech regions on every worker: same transcript as one decoder in one pass."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf

from medscribe.offline import asr, pcm, workers
from medscribe.offline.split_decode import SegmentResult, decode_split

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "audio"
# Small segments so that a ~20-s recording has several (production: asr.SEGMENT_SECONDS, 60 s).
SEGMENT_SECONDS = 3.0


@pytest.fixture(scope="module")
def long_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three dictations one after another, 1.5 s of silence between them: several speech regions."""
    silence = np.zeros(int(1.5 * pcm.SAMPLE_RATE), dtype=np.int16)
    parts: list[np.ndarray] = []
    for name in ("d20.wav", "d17.flac", "d22.flac"):
        parts += [pcm.load_audio(CORPUS / name), silence]
    path = tmp_path_factory.mktemp("split") / "long.wav"
    sf.write(path, np.concatenate(parts), pcm.SAMPLE_RATE)
    return path


@pytest.fixture(scope="module")
def one_pass(long_recording: Path) -> dict[str, Any]:
    """The sequential decode: one decoder, in this process, one pass over the recording."""
    return asr.transcribe_file(long_recording, job_name="job-split", segment_seconds=SEGMENT_SECONDS)


@pytest.fixture
def two_workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A pool of two worker processes, both started (each has run a job) before the test's decode."""
    monkeypatch.setenv(workers.WORKERS_ENV, "2")
    workers.shutdown()
    for future in [workers.pool().submit(time.sleep, 0.5) for _ in range(2)]:
        future.result(timeout=300)
    yield
    workers.shutdown()  # later tests get a pool of their own size


def _pronounced(output: dict[str, Any]) -> list[tuple[str, float, float]]:
    return [
        (i["alternatives"][0]["content"], float(i["start_time"]), float(i["end_time"]))
        for i in output["results"]["items"]
        if i["type"] == "pronunciation"
    ]


def test_a_long_recording_is_decoded_on_both_workers_with_the_one_pass_transcript(
    long_recording: Path, one_pass: dict[str, Any], two_workers: None
) -> None:
    # Given a recording with several decode segments and a pool of two worker processes
    # When its segments are decoded on the pool (read and split here, decoded there, stitched in order)
    decoded = workers.decode_on_all_workers(
        long_recording, media_format="wav", segment_seconds=SEGMENT_SECONDS
    )
    output = asr.build_output(decoded.regions, job_name="job-split", account_id=asr.DEFAULT_ACCOUNT_ID)
    # Then both worker processes decoded some of it (neither is this process)
    assert decoded.segments >= 3
    assert len(decoded.worker_pids) == 2, decoded.worker_pids
    # And the transcript is the one-pass decode's: same words, same order, same times and confidences
    assert output == one_pass
    words = _pronounced(output)
    assert len(words) > 20
    # And the times increase through the recording: the stitched segments are in order, in its clock
    for (_, start, end), (_, next_start, _) in itertools.pairwise(words):
        assert start < end <= next_start
    assert words[-1][2] > 15.0  # the third dictation's words are past the first two and their silences


def test_a_job_takes_the_split_path_when_its_header_says_two_segments(long_recording: Path) -> None:
    # Given the ~25-s recording: two 3-s segments and more, not two 60-s ones
    # Then a transcription job splits it only with the smaller segments; a container only ffmpeg reads (no cheap
    # duration) is split (one segment decodes in one worker all the same); an unreadable header is not
    assert workers._splittable(long_recording, "wav", SEGMENT_SECONDS)
    assert not workers._splittable(long_recording, "wav", asr.SEGMENT_SECONDS)
    assert workers._splittable(long_recording, "m4a", asr.SEGMENT_SECONDS)
    broken = long_recording.with_name("broken.wav")
    broken.write_bytes(b"RIFF\x00\x00")
    assert not workers._splittable(broken, "wav", SEGMENT_SECONDS)


def test_the_reader_holds_at_most_its_bound_of_segments_and_stitches_them_in_order(
    long_recording: Path,
) -> None:
    # Given a decoder that takes one segment at a time (one thread here) and answers each region with one word
    # named after the region's start, so segments queue behind it
    outstanding: list[int] = []
    submitted: list[Future[SegmentResult]] = []

    def fake_words(segment: list[asr.Region]) -> SegmentResult:
        time.sleep(0.05)
        return 0, [
            [asr.Word(str(start), start / pcm.SAMPLE_RATE, start / pcm.SAMPLE_RATE + 0.1, 1.0)]
            for start, _ in segment
        ]

    with ThreadPoolExecutor(max_workers=1) as one_decoder:

        def submit(segment: list[asr.Region]) -> Future[SegmentResult]:
            outstanding.append(sum(not f.done() for f in submitted))
            future = one_decoder.submit(fake_words, segment)
            submitted.append(future)
            return future

        # When the recording is decoded with at most 2 segments in flight
        decoded = decode_split(
            long_recording,
            media_format="wav",
            submit=submit,
            in_flight=2,
            timeout=300,
            segment_seconds=SEGMENT_SECONDS,
        )
    # Then no segment was read while 2 were still undecoded, and every region came back once, in order
    assert len(outstanding) >= 3
    assert max(outstanding) <= 1
    starts = [int(words[0].text) for words in decoded.regions]
    expected = [a for a, _ in pcm.speech_regions(pcm.load_audio(long_recording))]
    assert starts == expected

"""Offline transcription jobs decode in worker processes: the calling process keeps moving."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import soundfile as sf
from test_asr_service import BUCKET, MemoryStore, _request

from medscribe.offline import asr
from medscribe.offline.transcribe_service import OfflineTranscribeMedical, wait_for

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "dictation.wav"


def test_a_long_decode_never_freezes_the_calling_process(tmp_path: Path) -> None:
    # Given a ~70 s dictation (the sample three times, each decoded as one long speech region)
    samples, rate = sf.read(SAMPLE, dtype="int16")
    path = tmp_path / "long.wav"
    sf.write(path, np.concatenate([samples, samples, samples]), rate)
    store = MemoryStore()
    store.put_bytes(BUCKET, "incoming/long.wav", path.read_bytes(), "audio/wav")
    service = OfflineTranscribeMedical(store)
    decoder_uses = asr.recognizer.cache_info()
    # When its job runs while this thread keeps ticking
    started = time.monotonic()
    service.start(_request("job-workers-long", "incoming/long.wav"))
    gaps: list[float] = []
    last = time.monotonic()
    while service.get("job-workers-long").status == "IN_PROGRESS":
        time.sleep(0.01)
        now = time.monotonic()
        gaps.append(now - last)
        last = now
    took = time.monotonic() - started
    state = wait_for("job-workers-long", timeout=300)
    # Then the job completed with words, this process never touched its decoder (the decode ran elsewhere), and
    # the ticking thread never waited on the GIL for a decode (pocketsphinx holds it for a whole region)
    assert state.status == "COMPLETED", state.failure_reason
    output = store.get_json(BUCKET, "default/job-workers-long/transcribe/job-workers-long.json")
    assert len(output["results"]["items"]) > 50
    assert asr.recognizer.cache_info() == decoder_uses
    assert took > 3.0
    assert max(gaps) < 1.0, (max(gaps), took)

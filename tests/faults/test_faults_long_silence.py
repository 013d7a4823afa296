"""Long audio is decoded in bounded memory and deterministically (offline ASR)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import soundfile as sf

from medscribe.offline import asr, pcm

ROOT = Path(__file__).resolve().parents[2]
MEMORY_BUDGET_MB = 600


def _silent_flac(path: Path, hours: float) -> None:
    with sf.SoundFile(path, "w", samplerate=16000, channels=1, format="FLAC", subtype="PCM_16") as f:
        block = np.zeros(16000 * 60, dtype=np.int16)
        for _ in range(int(hours * 60)):
            f.write(block)


def test_three_hours_of_silent_flac_stay_under_the_memory_budget_and_end_as_no_speech(tmp_path: Path) -> None:
    # Given 3 hours of digital silence as FLAC (a few hundred KB that decode to 173 M samples)
    path = tmp_path / "silence.flac"
    _silent_flac(path, 3)
    assert path.stat().st_size < 2_000_000
    # When a fresh process validates it and transcribes it (the production functions), measuring its own peak
    # RSS: VmHWM, the high-water mark of the address space exec gave it. Not getrusage's ru_maxrss: Linux
    # carries the parent's peak into it across vfork + exec (subprocess's default), so under pytest-xdist it
    # reported the worker's biggest earlier test (651 MB once), not the decode.
    script = textwrap.dedent(
        f"""
        import json, re, resource, sys
        from pathlib import Path
        from medscribe import errors
        from medscribe.logic.audio import probe_audio
        from medscribe.logic.speech import require_speech
        from medscribe.offline.asr import transcribe_file
        from medscribe.shapes import TranscribeOutput
        path = Path({str(path)!r})
        info = probe_audio(path)
        output = transcribe_file(path, job_name="medscribe-x", media_format=info.media_format)
        try:
            require_speech(TranscribeOutput.model_validate(output))
            outcome = "speech"
        except errors.NoSpeechDetected:
            outcome = "NoSpeechDetected"
        try:
            status = Path("/proc/self/status").read_text()
            peak_mb = int(re.search(r"VmHWM:\\s+(\\d+) kB", status)[1]) / 1024
        except OSError:  # no procfs (macOS): ru_maxrss, in bytes there
            unit = 1 << 20 if sys.platform == "darwin" else 1 << 10
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / unit
        print(json.dumps({{"duration": info.duration_seconds, "outcome": outcome, "peak_rss_mb": peak_mb}}))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # Then the whole duration was seen, it is no speech, and the process stayed under the budget
    assert result["duration"] == 3 * 3600
    assert result["outcome"] == "NoSpeechDetected"
    assert result["peak_rss_mb"] < MEMORY_BUDGET_MB, result


def test_the_same_audio_gives_the_same_transcript_whatever_ran_before(tmp_path: Path) -> None:
    # Given a dictation with several speech regions (pauses between sentences: its first 15 s, cut in two by
    # a 2 s gap) and another recording
    sample = pcm.load_audio(ROOT / "samples" / "dictation.wav")
    other = tmp_path / "other.wav"
    sf.write(other, sample[: 16000 * 6][::-1].copy(), 16000)  # different audio (reversed speech)
    gap = np.zeros(16000 * 2, dtype=np.int16)
    path = tmp_path / "dictation.wav"
    sf.write(path, np.concatenate([sample[: 16000 * 8], gap, sample[16000 * 8 : 16000 * 15]]), 16000)
    # When it is transcribed twice, then after the other file
    first = asr.transcribe_file(path, job_name="j")
    second = asr.transcribe_file(path, job_name="j")
    asr.transcribe_file(other, job_name="k")
    third = asr.transcribe_file(path, job_name="j")
    # Then the transcripts (words, times, confidences) are identical, and the streamed decode equals one-shot
    assert first["results"]["transcripts"][0]["transcript"]
    assert first == second == third
    assert asr.transcribe_samples(pcm.load_audio(path), job_name="j") == first

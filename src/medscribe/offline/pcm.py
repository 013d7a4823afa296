"""The offline ASR's audio side: files decoded to 16 kHz mono int16 PCM (libsndfile, or ffmpeg for the
containers it cannot read) and the VAD's speech regions. Shared by ``asr`` (recognition) and ``stream``
(bounded-memory decoding), which both import it and not each other's internals.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from medscribe.errors import CorruptAudio, UnsupportedAudioFormat
from medscribe.offline.ffmpeg import find_ffmpeg

__all__ = [
    "FFMPEG_FORMATS",
    "REGION_MERGE_GAP_S",
    "REGION_PAD_S",
    "SAMPLE_RATE",
    "SOUNDFILE_FORMATS",
    "AudioDecodeError",
    "AudioDecoderUnavailable",
    "find_ffmpeg",
    "load_audio",
    "speech_regions",
    "to_int16",
]

SAMPLE_RATE = 16_000
REGION_PAD_S = 0.25
REGION_MERGE_GAP_S = 0.60

# Containers libsndfile reads; the others need ffmpeg.
SOUNDFILE_FORMATS = frozenset({"wav", "flac", "ogg", "mp3"})
FFMPEG_FORMATS = frozenset({"amr", "m4a", "mp4", "webm"})


class AudioDecodeError(CorruptAudio):
    """The audio bytes could not be decoded to PCM samples."""


class AudioDecoderUnavailable(UnsupportedAudioFormat):
    """The container (amr, m4a, mp4, webm) needs ``ffmpeg``, which is not on PATH."""


def load_audio(path: Path, media_format: str | None = None) -> np.ndarray:
    """Decode ``path`` to 16 kHz mono int16 samples. ``media_format`` defaults to the file's suffix."""
    fmt = (media_format or path.suffix.lstrip(".")).lower()
    if fmt in FFMPEG_FORMATS:
        return _ffmpeg_decode(path)
    try:
        data, rate = sf.read(path, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, EOFError) as exc:
        if fmt not in SOUNDFILE_FORMATS and find_ffmpeg():
            return _ffmpeg_decode(path)
        raise AudioDecodeError(f"cannot decode {fmt or 'unknown'} audio: {exc}") from exc
    mono = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
    if rate != SAMPLE_RATE and mono.size:
        mono = soxr.resample(mono, rate, SAMPLE_RATE, quality="HQ")
    return to_int16(mono)


def to_int16(samples: np.ndarray) -> np.ndarray:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype(np.int16)


def _ffmpeg_decode(path: Path) -> np.ndarray:
    ffmpeg = find_ffmpeg()
    if ffmpeg is None:
        raise AudioDecoderUnavailable(
            f"decoding {path.suffix or 'this'} audio needs ffmpeg (on PATH, or the imageio-ffmpeg package)"
        )
    cmd = [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(path)]
    cmd += ["-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"]
    proc = subprocess.run(cmd, capture_output=True, check=False)
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["unknown error"]
        raise AudioDecodeError(f"ffmpeg could not decode the audio: {reason[0]}")
    return np.frombuffer(proc.stdout, dtype=np.int16).copy()


def speech_regions(samples: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) sample indices of speech, padded by ``REGION_PAD_S`` and merged when close.

    Drives pocketsphinx's ``Endpointer`` (WebRTC-style VAD) directly: its ``Segmenter`` helper drops a final
    speech region when the audio length is an exact multiple of the VAD frame.
    """
    from pocketsphinx import Endpointer

    if samples.size == 0:
        return []
    ep = Endpointer(sample_rate=SAMPLE_RATE)
    step = ep.frame_bytes // 2
    found: list[tuple[float, float]] = []
    start: float | None = None
    for i in range(0, samples.size, step):
        frame = samples[i : i + step].tobytes()
        was_in_speech = ep.in_speech
        speech = ep.process(frame) if len(frame) == ep.frame_bytes else ep.end_stream(frame)
        if speech is None:
            continue
        if not was_in_speech:
            start = ep.speech_start
        if not ep.in_speech and start is not None:
            found.append((start, ep.speech_end))
            start = None
    if start is not None:  # still in speech when the audio ended
        found.append((start, samples.size / SAMPLE_RATE))
    pad, gap = int(REGION_PAD_S * SAMPLE_RATE), int(REGION_MERGE_GAP_S * SAMPLE_RATE)
    regions: list[tuple[int, int]] = []
    for start_s, end_s in found:
        a = max(0, int(start_s * SAMPLE_RATE) - pad)
        b = min(samples.size, int(end_s * SAMPLE_RATE) + pad)
        if regions and a - regions[-1][1] <= gap:
            regions[-1] = (regions[-1][0], b)
        else:
            regions.append((a, b))
    return regions

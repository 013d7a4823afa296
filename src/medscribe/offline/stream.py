"""Bounded-memory decoding for the offline ASR: PCM in blocks, speech regions found as the audio streams by.

``pcm.load_audio`` decodes a whole file to one array: 3 hours of (silent) FLAC is 173 M samples, ~2 GB of
float32/float64/int16 copies. Here the file is read in ``BLOCK_SECONDS`` blocks (libsndfile ``blocks``, or
ffmpeg's stdout read in chunks), downmixed and resampled with a streaming soxr resampler, and fed to the same
VAD endpointer; only the samples of the speech region being built are kept. Each region is handed to the
decoder as soon as no later speech can merge into it, and a region is cut at ``MAX_REGION_SECONDS`` of
continuous speech, so memory is bounded whatever the duration: a block, one region, the decoder.

Regions are the ones ``pcm.speech_regions`` finds on the whole array (same VAD, same padding and merging), so
16 kHz audio gives the same transcript as before; other rates differ only by streaming vs one-shot resampling.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from medscribe.offline import pcm
from medscribe.offline.pcm import (
    FFMPEG_FORMATS,
    REGION_MERGE_GAP_S,
    REGION_PAD_S,
    SAMPLE_RATE,
    SOUNDFILE_FORMATS,
    AudioDecodeError,
    AudioDecoderUnavailable,
    to_int16,
)

BLOCK_SECONDS = 30
MAX_REGION_SECONDS = 120.0  # continuous speech (or noise the VAD calls speech) is cut into pieces this long
# The endpointer reports a speech start a little before the frame that triggers it; wait this much more before
# deciding that no later region can merge into the pending one.
LOOKBACK_SECONDS = 1.0


def pcm_blocks(path: Path, media_format: str | None = None) -> Iterator[np.ndarray]:
    """16 kHz mono int16 blocks of ``path`` (at most ``BLOCK_SECONDS`` of source audio each)."""
    fmt = (media_format or path.suffix.lstrip(".")).lower()
    if fmt in FFMPEG_FORMATS:
        yield from _ffmpeg_blocks(path)
        return
    try:
        snd = sf.SoundFile(path)
    except (sf.LibsndfileError, RuntimeError, EOFError) as exc:
        if fmt not in SOUNDFILE_FORMATS and pcm.find_ffmpeg():
            yield from _ffmpeg_blocks(path)
            return
        raise AudioDecodeError(f"cannot decode {fmt or 'unknown'} audio: {exc}") from exc
    with snd:
        rate = snd.samplerate
        resampler = (
            soxr.ResampleStream(rate, SAMPLE_RATE, 1, dtype="float32", quality="HQ")
            if rate != SAMPLE_RATE
            else None
        )
        try:
            for block in snd.blocks(blocksize=rate * BLOCK_SECONDS, dtype="float32", always_2d=True):
                mono = block.mean(axis=1) if block.shape[1] > 1 else block[:, 0]
                if resampler is not None:
                    mono = resampler.resample_chunk(np.ascontiguousarray(mono, dtype=np.float32))
                yield to_int16(mono)
        except (sf.LibsndfileError, RuntimeError) as exc:
            raise AudioDecodeError(f"cannot decode {fmt or 'unknown'} audio: {exc}") from exc
        if resampler is not None:
            yield to_int16(resampler.resample_chunk(np.zeros(0, dtype=np.float32), last=True))


def _ffmpeg_blocks(path: Path) -> Iterator[np.ndarray]:
    ffmpeg = pcm.find_ffmpeg()  # looked up through pcm: one place to find (or stub) it
    if ffmpeg is None:
        raise AudioDecoderUnavailable(
            f"decoding {path.suffix or 'this'} audio needs ffmpeg (on PATH, or the imageio-ffmpeg package)"
        )
    cmd = [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(path)]
    cmd += ["-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-"]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        while chunk := proc.stdout.read(2 * SAMPLE_RATE * BLOCK_SECONDS):
            yield np.frombuffer(chunk[: len(chunk) // 2 * 2], dtype=np.int16).copy()
        err = proc.stderr.read()
        if proc.wait() != 0:
            reason = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["unknown error"]
            raise AudioDecodeError(f"ffmpeg could not decode the audio: {reason[0]}")


class _Buffer:
    """The samples from absolute index ``start`` on; older ones are dropped once no region needs them."""

    def __init__(self) -> None:
        self.start = 0
        self.data = np.zeros(0, dtype=np.int16)

    @property
    def end(self) -> int:
        return self.start + self.data.size

    def append(self, block: np.ndarray) -> None:
        self.data = np.concatenate([self.data, block]) if self.data.size else block

    def take(self, a: int, b: int) -> np.ndarray:
        return self.data[max(0, a - self.start) : max(0, b - self.start)].copy()

    def drop_before(self, index: int) -> None:
        if index <= self.start:
            return
        cut = min(self.data.size, index - self.start)
        self.data = self.data[cut:].copy()
        self.start += cut


def stream_regions(
    blocks: Iterable[np.ndarray], *, max_region_seconds: float = MAX_REGION_SECONDS
) -> Iterator[tuple[int, np.ndarray]]:
    """(start sample, samples) of each padded, merged speech region, as soon as it is final."""
    from pocketsphinx import Endpointer

    ep = Endpointer(sample_rate=SAMPLE_RATE)
    step = ep.frame_bytes // 2
    pad, gap = int(REGION_PAD_S * SAMPLE_RATE), int(REGION_MERGE_GAP_S * SAMPLE_RATE)
    lookback = int(LOOKBACK_SECONDS * SAMPLE_RATE)
    max_len = int(max_region_seconds * SAMPLE_RATE)
    buf = _Buffer()
    carry = np.zeros(0, dtype=np.int16)
    fed = 0  # samples given to the endpointer
    open_start: int | None = None  # raw speech start (samples) of the region the endpointer is in
    pending: tuple[int, int] | None = None  # padded, merged region not yet final

    def add_raw(start: int, end: int) -> Iterator[tuple[int, np.ndarray]]:
        nonlocal pending
        a, b = max(0, start - pad), end + pad
        if pending is not None and a - pending[1] <= gap and b - pending[0] <= max_len:
            pending = (pending[0], b)
            return
        if pending is not None:
            yield pending[0], buf.take(*pending)
        pending = (a, b)

    def flush_ready(final: bool) -> Iterator[tuple[int, np.ndarray]]:
        nonlocal pending
        if pending is not None and (
            final or (buf.end >= pending[1] and fed - pending[1] > gap + pad + lookback)
        ):
            a, b = pending[0], min(pending[1], buf.end)
            pending = None
            yield a, buf.take(a, b)
        keep = [fed - pad - lookback]
        if pending is not None:
            keep.append(pending[0])
        if open_start is not None:
            keep.append(open_start - pad)
        buf.drop_before(max(0, min(keep)))

    for block in blocks:
        if block.size == 0:
            continue
        buf.append(block)
        frames = np.concatenate([carry, block]) if carry.size else block
        usable = frames.size // step * step
        for i in range(0, usable, step):
            was_in_speech = ep.in_speech
            speech = ep.process(frames[i : i + step].tobytes())
            fed += step
            if speech is not None:
                if not was_in_speech:
                    open_start = int(ep.speech_start * SAMPLE_RATE)
                if not ep.in_speech and open_start is not None:
                    yield from add_raw(open_start, int(ep.speech_end * SAMPLE_RATE))
                    open_start = None
            if open_start is not None and fed - open_start >= max_len:  # cut a region that never ends
                yield from add_raw(open_start, fed)
                open_start = fed
        carry = frames[usable:].copy()
        yield from flush_ready(final=False)
    if carry.size:
        was_in_speech = ep.in_speech
        speech = ep.end_stream(carry.tobytes())
        fed += carry.size
        if speech is not None:
            if not was_in_speech:
                open_start = int(ep.speech_start * SAMPLE_RATE)
            if not ep.in_speech and open_start is not None:
                yield from add_raw(open_start, int(ep.speech_end * SAMPLE_RATE))
                open_start = None
    if open_start is not None:
        yield from add_raw(open_start, fed)
    yield from flush_ready(final=True)

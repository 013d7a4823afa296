"""One long recording on every core: its decode segments (``asr.segments``) decoded by several worker processes
at once, stitched in order.

A recording's transcript used to be one worker's job: on 2 cores an hour of dictation left one core idle for the
~10 minutes of its decode. Here the calling thread reads the audio and finds the speech regions as it streams
(libsndfile / ffmpeg and the VAD: ~0.6 ms of CPU per second of audio), groups them into decode segments and
hands each segment to the worker pool (``submit``); the words come back per segment, in the recording's clock,
and are stitched in segment order. Each segment starts from a fresh decoder state in whichever worker takes it,
exactly as ``asr.transcribe_file`` decodes it in one pass: same words, same order, same times.

Memory stays bounded: at most ``in_flight`` segments (each at most ``asr.SEGMENT_SECONDS`` plus one region of
``stream.MAX_REGION_SECONDS``) are held at once; the reader waits for the oldest before reading on. A segment
that does not come back before the job's deadline ends the job with ``ServiceThrottled`` (the job FAILS, as a
transcription job that outlives its bound does); a worker that dies raises ``BrokenProcessPool``.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass, field
from pathlib import Path

from medscribe.errors import ServiceThrottled
from medscribe.offline import asr
from medscribe.offline.stream import pcm_blocks, stream_regions

# What a worker returns for one segment: its pid (which process decoded it) and the words of each region.
SegmentResult = tuple[int, list[list[asr.Word]]]
Submit = Callable[[list[asr.Region]], "Future[SegmentResult]"]


@dataclass
class Decoded:
    """The words of every speech region of a recording, in order, and which worker processes decoded them."""

    regions: list[list[asr.Word]] = field(default_factory=list)
    segments: int = 0
    worker_pids: set[int] = field(default_factory=set)


def decode_split(
    path: Path,
    *,
    media_format: str | None,
    submit: Submit,
    in_flight: int,
    timeout: float,
    segment_seconds: float = asr.SEGMENT_SECONDS,
) -> Decoded:
    """Decode ``path``'s segments through ``submit`` (at most ``in_flight`` at once), stitched in order."""
    deadline = time.monotonic() + timeout
    decoded = Decoded()
    pending: deque[Future[SegmentResult]] = deque()

    def collect_oldest() -> None:
        future = pending.popleft()
        try:
            pid, words = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FuturesTimeout:
            raise ServiceThrottled(
                f"the offline worker pool did not decode the recording within {timeout:.0f} s"
            ) from None
        decoded.worker_pids.add(pid)
        decoded.regions.extend(words)

    try:
        regions = stream_regions(pcm_blocks(Path(path), media_format))
        for segment in asr.segments(regions, segment_seconds):
            pending.append(submit(segment))
            decoded.segments += 1
            while len(pending) >= max(1, in_flight):
                collect_oldest()
        while pending:
            collect_oldest()
    finally:
        for future in pending:  # an error or a timeout: segments not yet started never run
            future.cancel()
    return decoded

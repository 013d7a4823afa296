"""WebM (Matroska EBML) measured from its own walk: ``Info/Duration * TimecodeScale`` checked against the
timestamps of the audio track's blocks in the last cluster; sampling frequency and channels from the audio
``TrackEntry``."""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from medscribe.errors import (
    CorruptAudio,
)
from medscribe.logic.audio_formats import (
    HEADER_TOLERANCE,
    MAX_DURATION_SECONDS,
    WEBM_SLACK_SECONDS,
    Measured,
    disagrees,
)

_EBML_HEADER = 0x1A45DFA3
_SEGMENT = 0x18538067
_INFO = 0x1549A966
_TIMECODE_SCALE = 0x2AD7B1
_DURATION = 0x4489
_TRACKS = 0x1654AE6B
_TRACK_ENTRY = 0xAE
_TRACK_NUMBER = 0xD7
_TRACK_TYPE = 0x83
_AUDIO = 0xE1
_SAMPLING_FREQUENCY = 0xB5
_OUTPUT_SAMPLING_FREQUENCY = 0x78B5
_CHANNELS = 0x9F
_CLUSTER = 0x1F43B675
_CLUSTER_TIMESTAMP = 0xE7
_BLOCK_GROUP = 0xA0
_BLOCK = 0xA1
_SIMPLE_BLOCK = 0xA3
_BLOCK_DURATION = 0x9B
# Masters whose children we read; any other element (EBML header, SeekHead, Cues, Tags, video, ...) is
# skipped by its size. Because children follow their parent's header directly, the walk is flat: entering a
# master is just not skipping it, which also handles the unknown sizes live recorders (MediaRecorder) write.
_DESCEND = frozenset({_SEGMENT, _INFO, _TRACKS, _TRACK_ENTRY, _AUDIO, _CLUSTER, _BLOCK_GROUP})
_TRACK_TYPE_AUDIO = 2


@dataclass
class _WebmTrack:
    number: int = 0
    track_type: int = 0
    sampling_frequency: float = 8000.0  # Matroska default
    output_sampling_frequency: float | None = None
    channels: int = 1  # Matroska default


@dataclass
class _BlockClock:
    """Per track: where its blocks end, in ticks (TimecodeScale units)."""

    end: int = 0
    previous: int | None = None
    gap: int = 0  # spacing of the last two blocks: the estimated duration of a block

    def block(self, ticks: int) -> None:
        if self.previous is not None and ticks > self.previous:
            self.gap = ticks - self.previous
        self.previous = ticks
        self.end = max(self.end, ticks + self.gap)

    def block_duration(self, ticks: int) -> None:
        if self.previous is not None:
            self.end = max(self.end, self.previous + ticks)


@dataclass
class _WebmScan:
    timecode_scale_ns: int = 1_000_000  # Matroska default
    duration_ticks: float | None = None
    segment_end: int | None = None
    tracks: list[_WebmTrack] = field(default_factory=list)
    clocks: dict[int, _BlockClock] = field(default_factory=dict)
    stopped_early: bool = False


_UNKNOWN_SIZE = -1


def _read_vint(stream: BinaryIO, *, is_id: bool) -> int | None:
    """An EBML variable-length integer; None at the end of the data, ``_UNKNOWN_SIZE`` for all ones.

    An element id keeps its length marker (ids are written that way in the spec), a size drops it.
    """
    first = stream.read(1)
    if not first:
        return None
    length = 9 - first[0].bit_length()
    if length > (4 if is_id else 8):
        raise CorruptAudio("WebM stream holds an invalid EBML variable-length integer")
    rest = stream.read(length - 1)
    if len(rest) < length - 1:
        return None
    raw = int.from_bytes(first + rest, "big")
    if is_id:
        return raw
    value = raw & ((1 << (7 * length)) - 1)
    return _UNKNOWN_SIZE if value == (1 << (7 * length)) - 1 else value


def _read_uint(stream: BinaryIO, size: int) -> int:
    if size > 8:
        raise CorruptAudio(f"WebM integer element has an invalid size {size}")
    return int.from_bytes(stream.read(size), "big")


def _read_float(stream: BinaryIO, size: int) -> float:
    if size == 0:
        return 0.0
    if size not in (4, 8):
        raise CorruptAudio(f"WebM float element has an invalid size {size}")
    value = float(struct.unpack(">f" if size == 4 else ">d", stream.read(size))[0])
    if not math.isfinite(value):
        raise CorruptAudio("WebM float element is not a finite number")
    return value


def _scan_webm(path: Path, size: int) -> _WebmScan:
    """Read the header elements and the audio blocks' timestamps.

    Clusters of known size that end inside the file are skipped on a first pass; cluster timestamps only
    grow, so a second pass reads the blocks of the last of them and of anything after it (a cut or
    unknown-size cluster, as live recorders write, is always read block by block).
    """
    scan = _WebmScan()
    with path.open("rb", buffering=1 << 16) as stream:
        last_skipped = _walk_webm(stream, 0, size, scan, skip_complete_clusters=True)
        if last_skipped is not None:
            scan.clocks.clear()
            scan.stopped_early = False
            _walk_webm(stream, last_skipped, size, scan, skip_complete_clusters=False)
    return scan


def _walk_webm(
    stream: BinaryIO, pos: int, size: int, scan: _WebmScan, *, skip_complete_clusters: bool
) -> int | None:
    """Walk elements from ``pos``; return the position of the last cluster skipped, if any."""
    cluster_ticks = 0
    last_track: int | None = None
    last_skipped: int | None = None
    stop_ticks: float | None = None
    while pos < size:
        stream.seek(pos)
        element_id = _read_vint(stream, is_id=True)
        data_size = _read_vint(stream, is_id=False) if element_id is not None else None
        if element_id is None or data_size is None:
            break  # cut inside an element header: the data ends here
        data_start = stream.tell()
        known_end = data_start + data_size if data_size != _UNKNOWN_SIZE else None
        if element_id == _CLUSTER and skip_complete_clusters and known_end is not None and known_end <= size:
            last_skipped, pos = pos, known_end
            continue
        if element_id in _DESCEND:
            if element_id == _SEGMENT and known_end is not None:
                scan.segment_end = known_end
            elif element_id == _TRACK_ENTRY:
                scan.tracks.append(_WebmTrack())
            pos = data_start
            continue
        if known_end is None:
            raise CorruptAudio("WebM non-master element has an unknown size")
        if known_end > size:
            break  # cut inside an element's data: the data ends here
        if element_id == _TIMECODE_SCALE:
            scan.timecode_scale_ns = _read_uint(stream, data_size)
        elif element_id == _DURATION:
            scan.duration_ticks = _read_float(stream, data_size)
        elif element_id == _CLUSTER_TIMESTAMP:
            cluster_ticks = _read_uint(stream, data_size)
        elif element_id in (_SIMPLE_BLOCK, _BLOCK):
            track = _read_vint(stream, is_id=False)
            relative = stream.read(2)
            if track is None or track == _UNKNOWN_SIZE or len(relative) < 2:
                raise CorruptAudio("WebM block header is malformed")
            ticks = cluster_ticks + struct.unpack(">h", relative)[0]
            scan.clocks.setdefault(track, _BlockClock()).block(ticks)
            last_track = track
            if stop_ticks is None and scan.timecode_scale_ns > 0:
                stop_ticks = (MAX_DURATION_SECONDS + WEBM_SLACK_SECONDS) * 1e9 / scan.timecode_scale_ns
            if stop_ticks is not None and ticks > stop_ticks:
                scan.stopped_early = True
                break
        elif element_id == _BLOCK_DURATION and last_track is not None:
            scan.clocks[last_track].block_duration(_read_uint(stream, data_size))
        elif scan.tracks:
            _read_track_field(stream, scan.tracks[-1], element_id, data_size)
        pos = known_end
    return last_skipped


def _read_track_field(stream: BinaryIO, track: _WebmTrack, element_id: int, data_size: int) -> None:
    if element_id == _TRACK_NUMBER:
        track.number = _read_uint(stream, data_size)
    elif element_id == _TRACK_TYPE:
        track.track_type = _read_uint(stream, data_size)
    elif element_id == _SAMPLING_FREQUENCY:
        track.sampling_frequency = _read_float(stream, data_size)
    elif element_id == _OUTPUT_SAMPLING_FREQUENCY:
        track.output_sampling_frequency = _read_float(stream, data_size)
    elif element_id == _CHANNELS:
        track.channels = _read_uint(stream, data_size)


def measure_webm(path: Path, size: int, head: bytes) -> Measured:
    scan = _scan_webm(path, size)
    if scan.segment_end is not None and disagrees(scan.segment_end, size):
        raise CorruptAudio(f"WebM segment declares {scan.segment_end} bytes but the file holds {size}")
    audio = next((t for t in scan.tracks if t.track_type == _TRACK_TYPE_AUDIO), None)
    if audio is None:
        raise CorruptAudio("WebM file has no audio track")
    if scan.timecode_scale_ns <= 0:
        raise CorruptAudio(f"WebM TimecodeScale {scan.timecode_scale_ns} is invalid")
    tick_seconds = scan.timecode_scale_ns / 1e9
    clock = scan.clocks.get(audio.number, _BlockClock())
    data_end = clock.end * tick_seconds
    if scan.duration_ticks is None or scan.stopped_early:
        duration = data_end
    else:
        duration = scan.duration_ticks * tick_seconds
        if duration - data_end > max(HEADER_TOLERANCE * duration, WEBM_SLACK_SECONDS):
            raise CorruptAudio(
                f"WebM header declares {duration:.3f} s but the audio blocks end at {data_end:.3f} s"
            )
    return Measured(
        duration_seconds=duration,
        sample_rate_hz=round(audio.output_sampling_frequency or audio.sampling_frequency),
        channels=audio.channels,
        duration_is_lower_bound=scan.stopped_early,
    )

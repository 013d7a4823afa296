"""Audio validation: what the bytes really are, how long they really last, and Transcribe Medical's limits.

``probe_audio`` works on a path (never the whole file in memory) and raises the named ``InvalidAudio``
errors of :mod:`medscribe.errors`. Nothing here trusts a file name, an extension or a MIME type:

- the format comes from the magic numbers (``filetype``); for ISO BMFF the ``ftyp`` major brand decides
  ``m4a`` (``M4A ``) versus ``mp4`` (anything else);
- the duration comes from the data, with the header only as a claim to check:

  ========= ===============================================================================================
  wav       RIFF chunk walk (declared ``data`` size vs bytes present) + libsndfile, which counts frames
            from the bytes actually present
  flac, mp3 libsndfile; its frame count comes from a header (STREAMINFO / Xing), so the last 1 % of the
            claimed frames is seeked to and decoded: no data there means the header lies
  ogg       libsndfile (length from the last page's granule position: the data itself) + the same tail read
  m4a, mp4  ``mutagen`` (sample rate and duration from the ``moov`` atom) + a top-level box walk: a box
            that runs past the end of the file means truncated data
  webm      own EBML walk: ``Info/Duration * TimecodeScale`` checked against the timestamps of the audio
            track's blocks in the last cluster; sampling frequency and channels from the audio ``TrackEntry``
  amr       own frame walk (RFC 4867 storage format), 20 ms per frame; AMR-NB is 8 kHz, AMR-WB 16 kHz
  ========= ===============================================================================================

Truncation policy: when the header's claim and the data disagree by more than ``HEADER_TOLERANCE`` (1 %),
the file is ``CorruptAudio``. Within the tolerance the duration measured from the data is reported (a WAV
cut by a few bytes is accepted with its real, shorter duration). Formats whose length is only ever known from
the data (Ogg, AMR, WebM without a Duration element) report what the data holds.

Error messages name measured values and limits only: never anything decoded from the audio.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, cast

import filetype
import soundfile
from mutagen.mp4 import MP4, MP4Info

from medscribe.errors import (
    AudioTooLarge,
    AudioTooLong,
    AudioTooShort,
    CorruptAudio,
    SampleRateTooLow,
    UnsupportedAudioFormat,
)
from medscribe.models import AudioInfo, MediaFormat

# Amazon Transcribe Medical batch limits.
MIN_DURATION_SECONDS = 0.5
MAX_DURATION_SECONDS = 4 * 60 * 60
MAX_SIZE_BYTES = 2 * 1000**3  # "2 GB": the decimal reading, the stricter of the two
MIN_SAMPLE_RATE_HZ = 16_000

HEADER_TOLERANCE = 0.01  # header vs data disagreement above which a file is CorruptAudio
WEBM_SLACK_SECONDS = 0.2  # block timestamps give the *start* of the last block, not the end of the audio

_HEAD_BYTES = 8192  # what filetype inspects
_READ_BLOCK_FRAMES = 65_536

# filetype's extension -> our media format, before the ftyp brand refines m4a/mp4.
_DETECTED: dict[str, MediaFormat] = {
    "amr": "amr",
    "flac": "flac",
    "m4a": "m4a",
    "mp4": "mp4",
    "m4v": "mp4",
    "mp3": "mp3",
    "ogg": "ogg",
    "webm": "webm",
    "wav": "wav",
}
SUPPORTED_FORMATS: tuple[MediaFormat, ...] = ("amr", "flac", "m4a", "mp3", "mp4", "ogg", "webm", "wav")


@dataclass(frozen=True)
class _Measured:
    duration_seconds: float
    sample_rate_hz: int
    channels: int
    duration_is_lower_bound: bool = False  # the scan stopped once past MAX_DURATION_SECONDS


def probe_audio(path: Path) -> AudioInfo:
    """Identify and measure the audio at ``path``; raise an ``InvalidAudio`` subclass if Transcribe
    Medical would refuse it."""
    size = path.stat().st_size
    if size > MAX_SIZE_BYTES:
        raise AudioTooLarge(f"size {size} bytes exceeds the maximum of {MAX_SIZE_BYTES} bytes")
    with path.open("rb") as stream:
        head = stream.read(_HEAD_BYTES)
    media_format = detect_format(head)
    measured = _MEASURERS[media_format](path, size, head)
    _check_limits(media_format, measured)
    return AudioInfo(
        media_format=media_format,
        duration_seconds=round(measured.duration_seconds, 3),
        sample_rate_hz=measured.sample_rate_hz,
        channels=measured.channels,
        size_bytes=size,
    )


def detect_format(head: bytes) -> MediaFormat:
    """The media format from the first bytes of a file (magic numbers), or ``UnsupportedAudioFormat``."""
    if head.startswith(AMR_WB_MAGIC):  # filetype 1.2 only knows the AMR-NB magic
        return "amr"
    kind = filetype.guess(head) if head else None
    media_format = _DETECTED.get(kind.extension) if kind is not None else None
    if media_format is None:
        found = kind.mime if kind is not None else "unrecognised bytes"
        raise UnsupportedAudioFormat(f"content is {found}; supported formats: {', '.join(SUPPORTED_FORMATS)}")
    if media_format in ("m4a", "mp4"):
        return "m4a" if head[8:12] == b"M4A " else "mp4"
    return media_format


def _check_limits(media_format: MediaFormat, m: _Measured) -> None:
    if not math.isfinite(m.duration_seconds):
        raise CorruptAudio(f"{media_format} duration is not a finite number")
    if m.sample_rate_hz < MIN_SAMPLE_RATE_HZ:
        raise SampleRateTooLow(
            f"{media_format} sample rate {m.sample_rate_hz} Hz is below the minimum of {MIN_SAMPLE_RATE_HZ} Hz"
        )
    if m.duration_seconds < MIN_DURATION_SECONDS:
        raise AudioTooShort(
            f"duration {m.duration_seconds:.3f} s is below the minimum of {MIN_DURATION_SECONDS} s"
        )
    if m.duration_is_lower_bound or m.duration_seconds > MAX_DURATION_SECONDS:
        at_least = "at least " if m.duration_is_lower_bound else ""
        raise AudioTooLong(
            f"duration {at_least}{m.duration_seconds:.1f} s exceeds the maximum of {MAX_DURATION_SECONDS} s"
        )
    if m.channels < 1:
        raise CorruptAudio(f"{media_format} stream declares {m.channels} channels")


def _disagrees(claimed: float, present: float) -> bool:
    """True when ``present`` falls short of ``claimed`` by more than the tolerance."""
    return claimed - present > HEADER_TOLERANCE * claimed


# ---------------------------------------------------------------------------------------------------------
# libsndfile: wav, flac, ogg, mp3
# ---------------------------------------------------------------------------------------------------------


def _measure_soundfile(path: Path, size: int, head: bytes) -> _Measured:
    try:
        with soundfile.SoundFile(path) as snd:
            frames = _verified_frames(snd)
            rate, channels = snd.samplerate, snd.channels
    except soundfile.LibsndfileError as exc:
        raise CorruptAudio(f"audio stream is unreadable: {exc.error_string}") from exc
    if rate <= 0:
        raise CorruptAudio(f"audio stream declares a sample rate of {rate} Hz")
    return _Measured(duration_seconds=frames / rate, sample_rate_hz=rate, channels=channels)


def _verified_frames(snd: soundfile.SoundFile) -> int:
    """The frame count, checked by decoding the last ``HEADER_TOLERANCE`` of the claimed frames.

    If the data ends before that window, the header overstates the length by more than the tolerance:
    ``CorruptAudio``. If it ends inside the window, the shorter count is returned.
    """
    claimed = snd.frames
    if claimed <= 0:
        return 0
    window = max(1, math.ceil(claimed * HEADER_TOLERANCE))
    try:
        snd.seek(claimed - window)
        present = 0
        while present < window:
            block = snd.read(min(_READ_BLOCK_FRAMES, window - present), dtype="int16")
            if len(block) == 0:
                break
            present += len(block)
    except soundfile.LibsndfileError as exc:  # e.g. FLAC: seek target beyond the data
        present = 0
        reason = f" ({exc.error_string})"
    except ValueError:  # soundfile: the decoder's position ended up past the claimed length
        present = 0
        reason = " (position past the claimed length)"
    else:
        reason = ""
    if present == 0:
        claimed_s = claimed / snd.samplerate if snd.samplerate else 0.0
        raise CorruptAudio(
            f"header claims {claimed} frames ({claimed_s:.3f} s) but the data ends more than "
            f"{HEADER_TOLERANCE:.0%} earlier{reason}"
        )
    return claimed - window + present


def _measure_wav(path: Path, size: int, head: bytes) -> _Measured:
    _check_riff_data_chunk(path, size)
    return _measure_soundfile(path, size, head)


_MAX_RIFF_CHUNKS = 10_000


def _check_riff_data_chunk(path: Path, size: int) -> None:
    """The ``data`` chunk's declared size must be (within the tolerance) present in the file."""
    with path.open("rb") as stream:
        if stream.read(12)[8:12] != b"WAVE":
            raise CorruptAudio("RIFF header is not WAVE")
        pos = 12
        for _ in range(_MAX_RIFF_CHUNKS):
            stream.seek(pos)
            header = stream.read(8)
            if len(header) < 8:
                break
            chunk_id, chunk_size = header[:4], struct.unpack("<I", header[4:])[0]
            if chunk_id == b"data":
                present = size - pos - 8
                if _disagrees(chunk_size, present):
                    raise CorruptAudio(
                        f"WAV header declares {chunk_size} data bytes but the file holds {present}"
                    )
                return
            pos += 8 + chunk_size + (chunk_size & 1)
    raise CorruptAudio("WAV file has no data chunk")


# ---------------------------------------------------------------------------------------------------------
# ISO BMFF: m4a, mp4
# ---------------------------------------------------------------------------------------------------------


def _measure_mp4(path: Path, size: int, head: bytes) -> _Measured:
    _check_top_level_boxes(path, size)
    try:
        info = cast(MP4Info, MP4(path).info)
    except Exception as exc:  # mutagen raises MutagenError, and on hostile bytes also struct/index errors
        raise CorruptAudio(f"MP4 container is unreadable: {type(exc).__name__}") from exc
    if info.sample_rate <= 0 or info.length <= 0:
        raise CorruptAudio("MP4 container has no readable audio track")
    # mutagen reads the channel count from the sample entry when the AAC config leaves it open (implicit
    # parametric stereo), so mono AAC may report 2.
    return _Measured(duration_seconds=info.length, sample_rate_hz=info.sample_rate, channels=info.channels)


_MAX_BOXES = 100_000


def _check_top_level_boxes(path: Path, size: int) -> None:
    """Every top-level box must end inside the file (within the tolerance): a cut ``mdat`` is truncation."""
    with path.open("rb") as stream:
        pos = 0
        for _ in range(_MAX_BOXES):
            if pos >= size:
                return
            stream.seek(pos)
            header = stream.read(16)
            if len(header) < 8:
                raise CorruptAudio(f"MP4 box header cut off at byte {pos} of {size}")
            box_size = struct.unpack(">I", header[:4])[0]
            if box_size == 1:
                if len(header) < 16:
                    raise CorruptAudio(f"MP4 box header cut off at byte {pos} of {size}")
                box_size = struct.unpack(">Q", header[8:16])[0]
            elif box_size == 0:  # extends to the end of the file
                return
            if box_size < 8:
                raise CorruptAudio(f"MP4 box at byte {pos} declares an invalid size {box_size}")
            end = pos + box_size
            if end > size:
                if _disagrees(end, size):
                    raise CorruptAudio(f"MP4 boxes declare {end} bytes but the file holds {size}")
                return
            pos = end
    raise CorruptAudio(f"MP4 file has more than {_MAX_BOXES} top-level boxes")


# ---------------------------------------------------------------------------------------------------------
# WebM (Matroska subset): a flat EBML walk
# ---------------------------------------------------------------------------------------------------------

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


def _measure_webm(path: Path, size: int, head: bytes) -> _Measured:
    scan = _scan_webm(path, size)
    if scan.segment_end is not None and _disagrees(scan.segment_end, size):
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
    return _Measured(
        duration_seconds=duration,
        sample_rate_hz=round(audio.output_sampling_frequency or audio.sampling_frequency),
        channels=audio.channels,
        duration_is_lower_bound=scan.stopped_early,
    )


# ---------------------------------------------------------------------------------------------------------
# AMR (RFC 4867 section 5 storage format, single channel)
# ---------------------------------------------------------------------------------------------------------

AMR_NB_MAGIC = b"#!AMR\n"
AMR_WB_MAGIC = b"#!AMR-WB\n"
AMR_FRAME_SECONDS = 0.02
# Bytes per frame including the 1-byte header, by frame type (3GPP TS 26.101 / 26.201; 15 = NO_DATA).
AMR_NB_FRAME_BYTES = (13, 14, 16, 18, 20, 21, 27, 32, 6, 1, 1, 1, 1, 1, 1, 1)
AMR_WB_FRAME_BYTES = (18, 24, 33, 37, 41, 47, 51, 59, 61, 6, 1, 1, 1, 1, 1, 1)
_AMR_CHUNK = 1 << 20


def _measure_amr(path: Path, size: int, head: bytes) -> _Measured:
    if head.startswith(AMR_WB_MAGIC):
        magic, table, rate = AMR_WB_MAGIC, AMR_WB_FRAME_BYTES, 16_000
    elif head.startswith(AMR_NB_MAGIC):
        magic, table, rate = AMR_NB_MAGIC, AMR_NB_FRAME_BYTES, 8_000
    else:
        raise UnsupportedAudioFormat("only single-channel AMR-NB and AMR-WB storage files are supported")
    frames, stopped_early = count_amr_frames(path, len(magic), table)
    return _Measured(
        duration_seconds=frames * AMR_FRAME_SECONDS,
        sample_rate_hz=rate,
        channels=1,
        duration_is_lower_bound=stopped_early,
    )


def count_amr_frames(path: Path, offset: int, table: tuple[int, ...]) -> tuple[int, bool]:
    """Complete frames after ``offset`` (a cut final frame is not counted) and whether counting stopped
    past ``MAX_DURATION_SECONDS``."""
    limit = math.floor(MAX_DURATION_SECONDS / AMR_FRAME_SECONDS) + 1
    frames = 0
    with path.open("rb") as stream:
        stream.seek(offset)
        buffer = b""
        while True:
            chunk = stream.read(_AMR_CHUNK)
            data = buffer + chunk
            pos, end = 0, len(data)
            while pos < end:
                header = data[pos]
                if header & 0x83:  # F bit (must be 0 in storage format) or padding bits set
                    raise CorruptAudio(f"AMR frame header at frame {frames} is invalid")
                frame_bytes = table[(header >> 3) & 0x0F]
                if pos + frame_bytes > end:
                    break
                pos += frame_bytes
                frames += 1
                if frames >= limit:
                    return frames, True
            buffer = data[pos:]
            if not chunk:
                return frames, False


_MEASURERS: dict[MediaFormat, Callable[[Path, int, bytes], _Measured]] = {
    "wav": _measure_wav,
    "flac": _measure_soundfile,
    "ogg": _measure_soundfile,
    "mp3": _measure_soundfile,
    "m4a": _measure_mp4,
    "mp4": _measure_mp4,
    "webm": _measure_webm,
    "amr": _measure_amr,
}

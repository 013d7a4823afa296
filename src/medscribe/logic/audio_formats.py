"""What each container's data says (duration, rate, channels), checked against its header's claim: libsndfile
(wav, flac, ogg, mp3), the RIFF chunk and ISO BMFF box walks, AMR frames. ``logic/audio.py`` has the policy;
``logic/audio_webm.py`` the EBML walk."""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import soundfile
from mutagen.mp4 import MP4, MP4Info

from medscribe.errors import (
    CorruptAudio,
    UnsupportedAudioFormat,
)

# Amazon Transcribe Medical batch limits.
MIN_DURATION_SECONDS = 0.5
MAX_DURATION_SECONDS = 4 * 60 * 60
MAX_SIZE_BYTES = 2 * 1000**3  # "2 GB": the decimal reading, the stricter of the two
MIN_SAMPLE_RATE_HZ = 16_000

HEADER_TOLERANCE = 0.01  # header vs data disagreement above which a file is CorruptAudio
WEBM_SLACK_SECONDS = 0.2  # block timestamps give the *start* of the last block, not the end of the audio

HEAD_BYTES = 8192  # what filetype inspects
_READ_BLOCK_FRAMES = 65_536


@dataclass(frozen=True)
class Measured:
    duration_seconds: float
    sample_rate_hz: int
    channels: int
    duration_is_lower_bound: bool = False  # the scan stopped once past MAX_DURATION_SECONDS


def disagrees(claimed: float, present: float) -> bool:
    """True when ``present`` falls short of ``claimed`` by more than the tolerance."""
    return claimed - present > HEADER_TOLERANCE * claimed


# ---------------------------------------------------------------------------------------------------------
# libsndfile: wav, flac, ogg, mp3
# ---------------------------------------------------------------------------------------------------------


def measure_soundfile(path: Path, size: int, head: bytes) -> Measured:
    try:
        with soundfile.SoundFile(path) as snd:
            frames = _verified_frames(snd)
            rate, channels = snd.samplerate, snd.channels
    except soundfile.LibsndfileError as exc:
        raise CorruptAudio(f"audio stream is unreadable: {exc.error_string}") from exc
    if rate <= 0:
        raise CorruptAudio(f"audio stream declares a sample rate of {rate} Hz")
    return Measured(duration_seconds=frames / rate, sample_rate_hz=rate, channels=channels)


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


def measure_wav(path: Path, size: int, head: bytes) -> Measured:
    _check_riff_data_chunk(path, size)
    return measure_soundfile(path, size, head)


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
                if disagrees(chunk_size, present):
                    raise CorruptAudio(
                        f"WAV header declares {chunk_size} data bytes but the file holds {present}"
                    )
                return
            pos += 8 + chunk_size + (chunk_size & 1)
    raise CorruptAudio("WAV file has no data chunk")


# ---------------------------------------------------------------------------------------------------------
# ISO BMFF: m4a, mp4
# ---------------------------------------------------------------------------------------------------------


def measure_mp4(path: Path, size: int, head: bytes) -> Measured:
    _check_top_level_boxes(path, size)
    try:
        info = cast(MP4Info, MP4(path).info)
    except Exception as exc:  # mutagen raises MutagenError, and on hostile bytes also struct/index errors
        raise CorruptAudio(f"MP4 container is unreadable: {type(exc).__name__}") from exc
    if info.sample_rate <= 0 or info.length <= 0:
        raise CorruptAudio("MP4 container has no readable audio track")
    # mutagen reads the channel count from the sample entry when the AAC config leaves it open (implicit
    # parametric stereo), so mono AAC may report 2.
    return Measured(duration_seconds=info.length, sample_rate_hz=info.sample_rate, channels=info.channels)


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
                if disagrees(end, size):
                    raise CorruptAudio(f"MP4 boxes declare {end} bytes but the file holds {size}")
                return
            pos = end
    raise CorruptAudio(f"MP4 file has more than {_MAX_BOXES} top-level boxes")


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


def measure_amr(path: Path, size: int, head: bytes) -> Measured:
    if head.startswith(AMR_WB_MAGIC):
        magic, table, rate = AMR_WB_MAGIC, AMR_WB_FRAME_BYTES, 16_000
    elif head.startswith(AMR_NB_MAGIC):
        magic, table, rate = AMR_NB_MAGIC, AMR_NB_FRAME_BYTES, 8_000
    else:
        raise UnsupportedAudioFormat("only single-channel AMR-NB and AMR-WB storage files are supported")
    frames, stopped_early = count_amr_frames(path, len(magic), table)
    return Measured(
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

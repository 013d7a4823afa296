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
from collections.abc import Callable
from pathlib import Path

import filetype

from medscribe.errors import (
    AudioTooLarge,
    AudioTooLong,
    AudioTooShort,
    CorruptAudio,
    SampleRateTooLow,
    UnsupportedAudioFormat,
)
from medscribe.logic.audio_formats import (
    AMR_WB_MAGIC,
    HEAD_BYTES,
    MAX_DURATION_SECONDS,
    MAX_SIZE_BYTES,
    MIN_DURATION_SECONDS,
    MIN_SAMPLE_RATE_HZ,
    Measured,
    measure_amr,
    measure_mp4,
    measure_soundfile,
    measure_wav,
)
from medscribe.logic.audio_webm import measure_webm
from medscribe.models import AudioInfo, MediaFormat

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


def probe_audio(path: Path) -> AudioInfo:
    """Identify and measure the audio at ``path``; raise an ``InvalidAudio`` subclass if Transcribe
    Medical would refuse it."""
    size = path.stat().st_size
    if size > MAX_SIZE_BYTES:
        raise AudioTooLarge(f"size {size} bytes exceeds the maximum of {MAX_SIZE_BYTES} bytes")
    with path.open("rb") as stream:
        head = stream.read(HEAD_BYTES)
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


def _check_limits(media_format: MediaFormat, m: Measured) -> None:
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


_MEASURERS: dict[MediaFormat, Callable[[Path, int, bytes], Measured]] = {
    "wav": measure_wav,
    "flac": measure_soundfile,
    "ogg": measure_soundfile,
    "mp3": measure_soundfile,
    "m4a": measure_mp4,
    "mp4": measure_mp4,
    "webm": measure_webm,
    "amr": measure_amr,
}

"""Audio builders for the probe_audio tests (test_audio.py, test_audio_invalid.py): tones through soundfile,
byte cuts, AMR storage files and a tiny EBML writer for WebM edge cases ffmpeg will not produce."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import soundfile


def tone(seconds: float, rate: int, channels: int = 1) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    mono = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    return np.repeat(mono[:, None], channels, axis=1) if channels > 1 else mono


def write_audio(path: Path, seconds: float, rate: int = 16_000, channels: int = 1, **kwargs: str) -> Path:
    soundfile.write(path, tone(seconds, rate, channels), rate, **kwargs)
    return path


def cut(path: Path, target: Path, keep: int) -> Path:
    """A copy of ``path`` keeping ``keep`` bytes (negative: drop that many from the end)."""
    data = path.read_bytes()
    target.write_bytes(data[:keep])
    return target


def amr_file(path: Path, magic: bytes, table: tuple[int, ...], frame_types: list[int]) -> Path:
    """An AMR storage file: magic, then per frame a header byte (FT, Q=1) and a payload of the right size."""
    body = bytearray(magic)
    rng = np.random.default_rng(7)
    for ft in frame_types:
        body.append((ft << 3) | 0x04)
        body += rng.integers(0, 256, table[ft] - 1, dtype=np.uint8).tobytes()
    path.write_bytes(bytes(body))
    return path


# -- a tiny EBML writer for WebM edge cases ffmpeg will not produce ----------------------------------------
UNKNOWN = -1


def el(element_id: int, payload: bytes, *, size: int | None = None) -> bytes:
    raw_id = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    if size == UNKNOWN:
        return raw_id + b"\x01\xff\xff\xff\xff\xff\xff\xff" + payload
    if len(payload) < 0x7F:  # 1-byte size, as real muxers write small elements (filetype expects it)
        return raw_id + bytes([0x80 | len(payload)]) + payload
    return raw_id + b"\x01" + len(payload).to_bytes(7, "big") + payload


def uint_el(element_id: int, value: int) -> bytes:
    return el(element_id, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def float_el(element_id: int, value: float) -> bytes:
    return el(element_id, struct.pack(">d", value))


def webm(
    *,
    block_ms: list[int],
    duration_ms: float | None,
    sampling: float = 48_000.0,
    channels: int = 1,
    track_type: int = 2,
    unknown_sizes: bool = False,
) -> bytes:
    """A WebM file with one track; blocks grouped into 1 s clusters; TimecodeScale 1 ms."""
    header = el(0x1A45DFA3, el(0x4282, b"webm") + uint_el(0x4287, 4) + uint_el(0x4285, 2))
    info = uint_el(0x2AD7B1, 1_000_000) + (float_el(0x4489, duration_ms) if duration_ms is not None else b"")
    audio_el = el(0xE1, float_el(0xB5, sampling) + uint_el(0x9F, channels)) if track_type == 2 else b""
    entry = el(0xAE, uint_el(0xD7, 1) + uint_el(0x83, track_type) + el(0x86, b"A_OPUS") + audio_el)
    clusters = b""
    for start in sorted({ms // 1000 * 1000 for ms in block_ms}):
        blocks = b"".join(
            el(0xA3, b"\x81" + struct.pack(">h", ms - start) + b"\x80" + bytes(40))
            for ms in block_ms
            if start <= ms < start + 1000
        )
        size = UNKNOWN if unknown_sizes else None
        clusters += el(0x1F43B675, uint_el(0xE7, start) + blocks, size=size)
    segment = el(0x1549A966, info) + el(0x1654AE6B, entry) + clusters
    return header + el(0x18538067, segment, size=UNKNOWN if unknown_sizes else None)

"""probe_audio on what is not audio, is cut short, lies in its header or is hostile: a named InvalidAudio error
(or a true measurement), never a crash. Builders: tests/unit/audio_builders.py."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from audio_builders import amr_file, cut, webm, write_audio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from medscribe.errors import (
    CorruptAudio,
    InvalidAudio,
    UnsupportedAudioFormat,
)
from medscribe.logic import audio
from medscribe.logic.audio import probe_audio
from medscribe.logic.audio_formats import (
    AMR_WB_FRAME_BYTES,
    AMR_WB_MAGIC,
)

# ---------------------------------------------------------------------------------------------------------
# not audio, or not a supported audio format
# ---------------------------------------------------------------------------------------------------------


def test_text_renamed_wav_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("Patient presents with a headache.\n" * 20)

    with pytest.raises(UnsupportedAudioFormat, match="unrecognised bytes"):
        probe_audio(path)


def test_png_is_unsupported_and_named(tmp_path: Path) -> None:
    path = tmp_path / "scan.wav"
    Image.new("RGB", (8, 8)).save(path, format="PNG")

    with pytest.raises(UnsupportedAudioFormat, match="image/png"):
        probe_audio(path)


def test_empty_file_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")

    with pytest.raises(UnsupportedAudioFormat):
        probe_audio(path)


def test_raw_aac_is_audio_but_not_a_transcribe_format(
    tmp_path: Path, source_wav: Path, ffmpeg: Callable[..., Path]
) -> None:
    path = ffmpeg(source_wav, tmp_path / "a.m4a", "-c:a", "aac", "-f", "adts")

    with pytest.raises(UnsupportedAudioFormat, match="audio/aac"):
        probe_audio(path)


# ---------------------------------------------------------------------------------------------------------
# truncated files and lying headers
# ---------------------------------------------------------------------------------------------------------


def test_wav_cut_in_half_with_header_unchanged_is_corrupt(tmp_path: Path, source_wav: Path) -> None:
    # Given the 3 s WAV cut in half (header still claims 96000 data bytes)
    path = cut(source_wav, tmp_path / "half.wav", source_wav.stat().st_size // 2)

    with pytest.raises(CorruptAudio) as caught:
        probe_audio(path)

    assert "declares 96000 data bytes" in str(caught.value)
    assert f"holds {path.stat().st_size - 44}" in str(caught.value)


def test_wav_short_by_less_than_1_percent_reports_the_real_shorter_duration(
    tmp_path: Path, source_wav: Path
) -> None:
    # Given the 3 s WAV missing its last 200 bytes (100 frames, 0.2 %)
    path = cut(source_wav, tmp_path / "short.wav", -200)

    # When probed, Then the duration is what the bytes hold, not what the header says
    assert probe_audio(path).duration_seconds == pytest.approx((48_000 - 100) / 16_000, abs=0.001)


def test_wav_data_size_field_larger_than_file_is_corrupt(tmp_path: Path, source_wav: Path) -> None:
    # Given a WAV whose data chunk size field claims ten times the bytes present
    data = bytearray(source_wav.read_bytes())
    offset = data.index(b"data") + 4
    data[offset : offset + 4] = struct.pack("<I", 960_000)
    path = tmp_path / "liar.wav"
    path.write_bytes(bytes(data))

    with pytest.raises(CorruptAudio, match="declares 960000 data bytes"):
        probe_audio(path)


def test_wav_without_data_chunk_is_corrupt(tmp_path: Path, source_wav: Path) -> None:
    path = cut(source_wav, tmp_path / "header_only.wav", 36)  # RIFF header + fmt chunk, no data chunk

    with pytest.raises(CorruptAudio, match="no data chunk"):
        probe_audio(path)


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("a.flac", []),
        ("a.mp3", ["-c:a", "libmp3lame"]),
        ("a.m4a", ["-c:a", "aac"]),
        ("fast.m4a", ["-c:a", "aac", "-movflags", "+faststart"]),  # moov first: mutagen alone would pass
        ("a.webm", ["-c:a", "libopus"]),
    ],
)
def test_files_cut_in_half_are_corrupt(
    tmp_path: Path, source_wav: Path, ffmpeg: Callable[..., Path], name: str, options: list[str]
) -> None:
    # Given an encoded file whose header still describes 3 s, cut in half
    whole = ffmpeg(source_wav, tmp_path / name, *options)
    assert probe_audio(whole).duration_seconds > 2.9
    path = cut(whole, tmp_path / f"half_{name}", whole.stat().st_size // 2)

    # When probed, Then the disagreement is reported
    with pytest.raises(CorruptAudio):
        probe_audio(path)


def test_ogg_cut_in_half_reports_what_the_pages_hold(
    tmp_path: Path, source_wav: Path, ffmpeg: Callable[..., Path]
) -> None:
    # Given Ogg Opus cut in half (Ogg has no header length: the last page's granule position is the length)
    whole = ffmpeg(source_wav, tmp_path / "a.ogg", "-c:a", "libopus")
    path = cut(whole, tmp_path / "half.ogg", whole.stat().st_size // 2)

    # When probed, Then the duration up to the last complete page (ffmpeg writes ~1 s pages) is reported
    assert 0.5 < probe_audio(path).duration_seconds <= 1.5


def test_live_webm_cut_in_half_reports_what_the_blocks_hold(tmp_path: Path) -> None:
    # Given a live-style WebM (no Duration, unknown sizes) of 3 s, cut in half
    data = webm(block_ms=list(range(0, 3000, 20)), duration_ms=None, unknown_sizes=True)
    path = tmp_path / "half.webm"
    path.write_bytes(data[: len(data) // 2])

    # When probed, Then about half the duration is reported
    assert 1.0 < probe_audio(path).duration_seconds < 2.0


@pytest.mark.parametrize("unknown_sizes", [True, False])
def test_webm_duration_longer_than_its_blocks_is_corrupt(tmp_path: Path, unknown_sizes: bool) -> None:
    # Given a WebM whose Info/Duration claims 10 s while its blocks end at 1 s
    path = tmp_path / "liar.webm"
    path.write_bytes(
        webm(block_ms=list(range(0, 1000, 20)), duration_ms=10_000.0, unknown_sizes=unknown_sizes)
    )

    with pytest.raises(CorruptAudio, match=r"declares 10\.000 s but the audio blocks end at 1\.000 s"):
        probe_audio(path)


def test_webm_without_audio_track_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "video.webm"
    path.write_bytes(webm(block_ms=[0, 40, 80], duration_ms=120.0, track_type=1))

    with pytest.raises(CorruptAudio, match="no audio track"):
        probe_audio(path)


def test_mp4_without_audio_track_is_corrupt(tmp_path: Path, ffmpeg: Callable[..., Path]) -> None:
    # Given a video-only MP4
    still = tmp_path / "still.png"
    Image.new("RGB", (16, 16)).save(still)
    path = ffmpeg(still, tmp_path / "video.mp4", "-c:v", "mpeg4", "-frames:v", "5")

    with pytest.raises(CorruptAudio, match="no readable audio track"):
        probe_audio(path)


def test_amr_with_an_invalid_frame_header_is_corrupt(tmp_path: Path) -> None:
    # Given AMR-WB whose 11th frame header has the F bit set (not allowed in the storage format)
    path = amr_file(tmp_path / "a.awb", AMR_WB_MAGIC, AMR_WB_FRAME_BYTES, [0] * 40)
    data = bytearray(path.read_bytes())
    data[len(AMR_WB_MAGIC) + 10 * AMR_WB_FRAME_BYTES[0]] |= 0x80
    path.write_bytes(bytes(data))

    with pytest.raises(CorruptAudio, match="frame 10"):
        probe_audio(path)


# ---------------------------------------------------------------------------------------------------------
# hostile bytes: the parsers only ever answer with AudioInfo or an InvalidAudio error
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(
    tmp_path_factory: pytest.TempPathFactory, source_wav: Path, ffmpeg: Callable[..., Path]
) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("seeds")
    files = {
        "wav": source_wav,
        "flac": write_audio(folder / "a.flac", 1.0),
        "mp3": ffmpeg(source_wav, folder / "a.mp3", "-c:a", "libmp3lame"),
        "m4a": ffmpeg(source_wav, folder / "a.m4a", "-c:a", "aac", "-movflags", "+faststart"),
        "ogg": ffmpeg(source_wav, folder / "a.ogg", "-c:a", "libopus"),
        "webm": ffmpeg(source_wav, folder / "a.webm", "-c:a", "libopus"),
        "amr": amr_file(folder / "a.awb", AMR_WB_MAGIC, AMR_WB_FRAME_BYTES, [8] * 60),
    }
    return {name: path.read_bytes() for name, path in files.items()}


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(["wav", "flac", "mp3", "m4a", "ogg", "webm", "amr"]),
    edits=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=30
    ),
    keep=st.one_of(st.none(), st.floats(0.01, 1.0)),
)
def test_mutated_files_never_crash_the_probe(
    tmp_path_factory: pytest.TempPathFactory,
    seeds: dict[str, bytes],
    name: str,
    edits: list[tuple[float, int]],
    keep: float | None,
) -> None:
    # Given a valid file with random bytes overwritten and maybe cut short
    data = bytearray(seeds[name])
    for where, value in edits:
        data[int(where * len(data))] = value
    if keep is not None:
        data = data[: max(1, int(keep * len(data)))]
    path = tmp_path_factory.mktemp("mutant") / f"x.{name}"
    path.write_bytes(bytes(data))

    # When probed, Then the answer is a measurement or a named InvalidAudio error, nothing else
    try:
        info = probe_audio(path)
    except InvalidAudio:
        return
    assert info.duration_seconds >= audio.MIN_DURATION_SECONDS


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_webm_with_a_non_finite_duration_is_corrupt(tmp_path: Path, bad: float) -> None:
    path = tmp_path / "nan.webm"
    path.write_bytes(webm(block_ms=list(range(0, 1000, 20)), duration_ms=bad))

    with pytest.raises(CorruptAudio, match="not a finite number"):
        probe_audio(path)

"""probe_audio: real format, real duration, Transcribe Medical's limits.

Audio is generated here: numpy + soundfile for WAV/FLAC/Ogg, ffmpeg for MP3/M4A/MP4/WebM (the system's, or
the static build of the imageio-ffmpeg dev dependency), hand-built bytes for AMR and for WebM edge cases.
"""

from __future__ import annotations

import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from medscribe.errors import (
    AudioTooLarge,
    AudioTooLong,
    AudioTooShort,
    CorruptAudio,
    InvalidAudio,
    SampleRateTooLow,
    UnsupportedAudioFormat,
)
from medscribe.logic import audio, audio_formats
from medscribe.logic.audio import probe_audio
from medscribe.logic.audio_formats import (
    AMR_NB_FRAME_BYTES,
    AMR_NB_MAGIC,
    AMR_WB_FRAME_BYTES,
    AMR_WB_MAGIC,
)
from medscribe.offline.ffmpeg import find_ffmpeg

# ---------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------


def tone(seconds: float, rate: int, channels: int = 1) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    mono = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    return np.repeat(mono[:, None], channels, axis=1) if channels > 1 else mono


def write_audio(path: Path, seconds: float, rate: int = 16_000, channels: int = 1, **kwargs: str) -> Path:
    soundfile.write(path, tone(seconds, rate, channels), rate, **kwargs)
    return path


@pytest.fixture(scope="module")
def ffmpeg() -> Callable[..., Path]:
    exe = find_ffmpeg()
    assert exe, "these tests need ffmpeg: on PATH, or the imageio-ffmpeg dev dependency"

    def run(source: Path, target: Path, *options: str) -> Path:
        subprocess.run(
            [exe, "-hide_banner", "-loglevel", "error", "-y", "-i", str(source), *options, str(target)],
            check=True,
        )
        return target

    return run


@pytest.fixture(scope="module")
def source_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3 s, 16 kHz mono: the input every encoded fixture is made from."""
    return write_audio(tmp_path_factory.mktemp("src") / "source.wav", 3.0)


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


# ---------------------------------------------------------------------------------------------------------
# happy paths, one per format
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "options", "expected_format"),
    [
        ("a.wav", {}, "wav"),
        ("a.flac", {}, "flac"),
        ("a.ogg", {"format": "OGG", "subtype": "VORBIS"}, "ogg"),
    ],
)
def test_soundfile_formats_report_real_format_duration_rate_channels(
    tmp_path: Path, name: str, options: dict[str, str], expected_format: str
) -> None:
    # Given 2.5 s of 22.05 kHz stereo written by libsndfile
    path = write_audio(tmp_path / name, 2.5, rate=22_050, channels=2, **options)

    # When probed
    info = probe_audio(path)

    # Then every field is measured
    assert info.media_format == expected_format
    assert info.duration_seconds == pytest.approx(2.5, abs=0.001)
    assert info.sample_rate_hz == 22_050
    assert info.channels == 2
    assert info.size_bytes == path.stat().st_size


@pytest.mark.parametrize(
    ("name", "options", "expected_format", "tolerance"),
    [
        ("a.mp3", ["-c:a", "libmp3lame"], "mp3", 0.06),
        ("a.m4a", ["-c:a", "aac"], "m4a", 0.07),  # AAC priming adds 1024 samples to the moov duration
        ("a.mp4", ["-c:a", "aac"], "mp4", 0.07),
        ("a.webm", ["-c:a", "libopus"], "webm", 0.03),
        ("opus.ogg", ["-c:a", "libopus"], "ogg", 0.03),
    ],
)
def test_ffmpeg_encoded_formats_are_identified_and_measured(
    tmp_path: Path,
    source_wav: Path,
    ffmpeg: Callable[..., Path],
    name: str,
    options: list[str],
    expected_format: str,
    tolerance: float,
) -> None:
    # Given the 3 s 16 kHz source encoded by ffmpeg
    path = ffmpeg(source_wav, tmp_path / name, *options)

    # When probed
    info = probe_audio(path)

    # Then the container is recognised and the duration and rate measured
    assert info.media_format == expected_format
    assert info.duration_seconds == pytest.approx(3.0, abs=tolerance)
    assert info.sample_rate_hz == 16_000
    assert info.channels >= 1


def test_m4a_versus_mp4_comes_from_the_ftyp_brand_not_the_extension(
    tmp_path: Path, source_wav: Path, ffmpeg: Callable[..., Path]
) -> None:
    # Given an ipod-muxed file (brand "M4A ") named .mp4 and an mp4-muxed file (brand "isom") named .m4a
    ipod = ffmpeg(source_wav, tmp_path / "really_m4a.mp4", "-c:a", "aac", "-f", "ipod")
    plain = ffmpeg(source_wav, tmp_path / "really_mp4.m4a", "-c:a", "aac", "-f", "mp4")

    # When probed, Then the brand decides
    assert ipod.read_bytes()[8:12] == b"M4A "
    assert probe_audio(ipod).media_format == "m4a"
    assert probe_audio(plain).media_format == "mp4"


def test_extension_is_ignored(tmp_path: Path) -> None:
    # Given a WAV named .mp3
    path = write_audio(tmp_path / "recording.mp3", 1.0, format="WAV")

    # When probed, Then it is a WAV
    assert probe_audio(path).media_format == "wav"


def test_live_webm_without_duration_is_measured_from_its_blocks(
    tmp_path: Path, source_wav: Path, ffmpeg: Callable[..., Path]
) -> None:
    # Given a WebM written to a pipe (as a live recorder does: no Duration, unknown sizes)
    command = [
        str(find_ffmpeg()),
        "-hide_banner",
        "-loglevel",
        "error",
        "-i",
        str(source_wav),
        "-c:a",
        "libopus",
    ]
    data = subprocess.run(
        [*command, "-f", "webm", "-"],
        check=True,
        capture_output=True,
    ).stdout
    assert b"\x44\x89" not in data[:200]  # no Duration element up front
    path = tmp_path / "live.webm"
    path.write_bytes(data)

    # When probed
    info = probe_audio(path)

    # Then the duration comes from the block timestamps
    assert info.media_format == "webm"
    assert info.duration_seconds == pytest.approx(3.0, abs=0.05)


@pytest.mark.parametrize("unknown_sizes", [True, False])
def test_hand_built_webm_without_duration_is_measured_from_blocks(
    tmp_path: Path, unknown_sizes: bool
) -> None:
    # Given a WebM with 20 ms blocks up to 2.98 s in 1 s clusters, no Duration; sizes unknown (as a live
    # recorder writes them: every block is read) or known (whole clusters skipped but the last)
    path = tmp_path / "a.webm"
    path.write_bytes(webm(block_ms=list(range(0, 3000, 20)), duration_ms=None, unknown_sizes=unknown_sizes))

    # When probed, Then the last block's start plus one block spacing is the duration
    info = probe_audio(path)
    assert info.duration_seconds == pytest.approx(3.0, abs=0.001)
    assert info.sample_rate_hz == 48_000


@pytest.mark.parametrize(("magic", "table"), [(AMR_WB_MAGIC, AMR_WB_FRAME_BYTES)])
def test_amr_wb_counts_frames_at_20_ms(tmp_path: Path, magic: bytes, table: tuple[int, ...]) -> None:
    # Given 150 AMR-WB frames of mixed types: speech at 23.85 kbit/s, SID and NO_DATA
    frame_types = [8] * 100 + [9] * 10 + [15] * 40
    path = amr_file(tmp_path / "a.awb", magic, table, frame_types)

    # When probed
    info = probe_audio(path)

    # Then 150 frames x 20 ms, 16 kHz mono
    assert info.media_format == "amr"
    assert info.duration_seconds == 3.0
    assert (info.sample_rate_hz, info.channels) == (16_000, 1)


def test_amr_frame_count_agrees_with_ffmpeg_decoder(tmp_path: Path, ffmpeg: Callable[..., Path]) -> None:
    # Given an AMR-WB file of 123 frames of assorted speech modes
    frame_types = [i % 9 for i in range(123)]
    path = amr_file(tmp_path / "a.awb", AMR_WB_MAGIC, AMR_WB_FRAME_BYTES, frame_types)

    # When ffmpeg decodes it to 16 kHz PCM and we probe
    pcm = subprocess.run(
        [str(find_ffmpeg()), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", "16000", "-"],
        check=True,
        capture_output=True,
    ).stdout

    # Then both see the same duration (123 frames of 20 ms)
    assert len(pcm) / 2 / 16_000 == pytest.approx(123 * 0.02)
    assert probe_audio(path).duration_seconds == pytest.approx(len(pcm) / 2 / 16_000)


def test_amr_cut_final_frame_is_not_counted(tmp_path: Path) -> None:
    # Given 50 speech frames with the last one cut short
    path = amr_file(tmp_path / "a.awb", AMR_WB_MAGIC, AMR_WB_FRAME_BYTES, [8] * 50)
    cut(path, path, -10)

    # When probed, Then 49 complete frames count
    assert probe_audio(path).duration_seconds == pytest.approx(49 * 0.02)


# ---------------------------------------------------------------------------------------------------------
# Transcribe Medical limits
# ---------------------------------------------------------------------------------------------------------


def test_8_khz_wav_is_rejected_with_measured_rate_and_limit(tmp_path: Path) -> None:
    path = write_audio(tmp_path / "a.wav", 2.0, rate=8_000)

    with pytest.raises(SampleRateTooLow) as caught:
        probe_audio(path)

    assert "8000 Hz" in str(caught.value)
    assert "16000 Hz" in str(caught.value)


def test_amr_nb_is_8_khz_so_rate_too_low(tmp_path: Path) -> None:
    path = amr_file(tmp_path / "a.amr", AMR_NB_MAGIC, AMR_NB_FRAME_BYTES, [7] * 100)

    with pytest.raises(SampleRateTooLow, match="amr sample rate 8000 Hz"):
        probe_audio(path)


def test_hand_built_webm_at_8_khz_is_rate_too_low(tmp_path: Path) -> None:
    path = tmp_path / "a.webm"
    path.write_bytes(webm(block_ms=list(range(0, 2000, 20)), duration_ms=2000.0, sampling=8_000.0))

    with pytest.raises(SampleRateTooLow, match="8000 Hz"):
        probe_audio(path)


def test_0_2_seconds_is_too_short(tmp_path: Path) -> None:
    path = write_audio(tmp_path / "a.wav", 0.2)

    with pytest.raises(AudioTooShort) as caught:
        probe_audio(path)

    assert "0.200 s" in str(caught.value)
    assert "0.5 s" in str(caught.value)


def test_half_a_second_is_long_enough(tmp_path: Path) -> None:
    assert probe_audio(write_audio(tmp_path / "a.wav", 0.5)).duration_seconds == 0.5


def test_longer_than_the_maximum_is_too_long(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a maximum of 2 s (the real 4 h would need a 4 h file)
    monkeypatch.setattr(audio, "MAX_DURATION_SECONDS", 2.0)
    path = write_audio(tmp_path / "a.flac", 3.0)

    with pytest.raises(AudioTooLong, match=r"duration 3\.0 s exceeds the maximum of 2\.0 s"):
        probe_audio(path)


def test_amr_scan_stops_once_past_the_maximum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a maximum of 1 s and 5 s of AMR-WB
    monkeypatch.setattr(audio, "MAX_DURATION_SECONDS", 1.0)  # the limit check
    monkeypatch.setattr(audio_formats, "MAX_DURATION_SECONDS", 1.0)  # the frame scan
    path = amr_file(tmp_path / "a.awb", AMR_WB_MAGIC, AMR_WB_FRAME_BYTES, [2] * 250)

    # When probed, Then it is too long, reported as a lower bound
    with pytest.raises(AudioTooLong, match=r"at least 1\.0 s"):
        probe_audio(path)


def test_size_over_the_limit_is_rejected_before_reading(tmp_path: Path) -> None:
    # Given a sparse file one byte over 2 GB (zeros: it would be UnsupportedAudioFormat if it were read)
    path = tmp_path / "huge.wav"
    with path.open("wb") as f:
        f.truncate(audio.MAX_SIZE_BYTES + 1)

    with pytest.raises(AudioTooLarge) as caught:
        probe_audio(path)

    assert str(audio.MAX_SIZE_BYTES + 1) in str(caught.value)


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

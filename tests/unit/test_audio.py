"""probe_audio: real format, real duration, Transcribe Medical's limits.

Audio is generated here: numpy + soundfile for WAV/FLAC/Ogg, ffmpeg for MP3/M4A/MP4/WebM (the system's, or
the static build of the imageio-ffmpeg dev dependency), hand-built bytes for AMR and for WebM edge cases
(tests/unit/audio_builders.py). Files that are not audio, truncated or hostile: test_audio_invalid.py.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from audio_builders import amr_file, cut, webm, write_audio

from medscribe.errors import (
    AudioTooLarge,
    AudioTooLong,
    AudioTooShort,
    SampleRateTooLow,
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

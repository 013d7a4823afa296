"""Fixtures the probe_audio tests share: ffmpeg (the system's or imageio-ffmpeg's) and a 3 s source WAV."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from audio_builders import write_audio

from medscribe.offline.ffmpeg import find_ffmpeg


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

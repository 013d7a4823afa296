"""Fixtures the probe_audio tests share: ffmpeg (the system's or imageio-ffmpeg's) and a 3 s source WAV."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from audio_builders import write_audio

from medscribe.offline.ffmpeg import find_ffmpeg


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``@pytest.mark.only_with(reason=..., backend="aws", ...)``: of a module-wide parametrisation (the draft
    tests' backend x form), the test runs only in the cases with those values; the others are never collected
    as tests (deselected, counted in the summary), where a skip inside the test reported them as skipped on
    every run although they can never apply."""
    keep: list[pytest.Item] = []
    excluded: list[pytest.Item] = []
    for item in items:
        mark = item.get_closest_marker("only_with")
        if mark is None:
            keep.append(item)
            continue
        callspec = getattr(item, "callspec", None)
        params = callspec.params if callspec is not None else {}
        wanted = {k: v for k, v in mark.kwargs.items() if k != "reason"}
        if not mark.kwargs.get("reason") or not wanted or not set(wanted) <= set(params):
            raise pytest.UsageError(f"{item.nodeid}: only_with needs a reason and parameters of the test")
        (keep if all(params[k] == v for k, v in wanted.items()) else excluded).append(item)
    if excluded:
        config.hook.pytest_deselected(items=excluded)
        items[:] = keep


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

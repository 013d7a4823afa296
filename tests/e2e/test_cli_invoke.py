"""`medscribe invoke` as a developer runs it: the docker-free `sam local invoke`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def invoke(*args: str, database_url: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDSCRIBE_HOME": str(home),
        "MEDSCRIBE_ROOT": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "medscribe.cli", "invoke", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_validate_audio_seeds_only_the_audio(fresh_database: str, tmp_path: Path) -> None:
    # When ValidateAudio is invoked with its sample event
    proc = invoke(
        "ValidateAudioFunction",
        "-e",
        str(ROOT / "events" / "validate_audio.json"),
        database_url=fresh_database,
        home=tmp_path,
    )
    # Then it prints the handler's result without running the whole pipeline first, and no library warnings
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["audio"]["media_format"] == "wav"
    assert "seeding" not in proc.stderr
    assert "XDG_RUNTIME_DIR" not in proc.stderr
    assert "No application metrics" not in proc.stderr


def test_start_recording_with_an_s3_event_prints_its_result(fresh_database: str, tmp_path: Path) -> None:
    # When the S3-triggered function is invoked (it starts an execution that is still running at exit)
    proc = invoke(
        "StartRecordingFunction",
        "-e",
        str(ROOT / "events" / "s3_object_created.json"),
        database_url=fresh_database,
        home=tmp_path,
    )
    # Then the stack stops that execution cleanly (no moto set_stop AttributeError) and the result is printed
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "AttributeError" not in proc.stderr
    assert isinstance(json.loads(proc.stdout.strip().splitlines()[-1]), dict)


def test_bad_event_files_and_options_are_one_line_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    for args in (
        ["invoke", "ValidateAudioFunction", "-e", str(bad)],
        ["invoke", "X", "-e", str(tmp_path / "none.json")],
        ["run", "a.wav", "--min-score", "1.5"],
        ["run", "a.wav", "--poll-interval", "-1"],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "medscribe.cli", *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 2
        assert proc.stderr.strip().splitlines()[-1].startswith("medscribe ")
        assert "Traceback" not in proc.stderr
    version = subprocess.run(
        [sys.executable, "-m", "medscribe.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert version.stdout.startswith("medscribe ")

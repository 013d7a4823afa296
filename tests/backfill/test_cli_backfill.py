"""``medscribe backfill DIR``: the last stdout line is the JSON summary; a second run (a new process: local moto
state is gone) skips what COMPLETED; ``--dry-run`` starts nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from decode_memo_support import memo_env

ROOT = Path(__file__).resolve().parents[2]


def _backfill(archive: Path, home: Path, database_url: str, *extra: str) -> dict[str, Any]:
    # the skip of what COMPLETED is under test, not the decode: the sample is decoded once per test run
    env = {**os.environ, "MEDSCRIBE_HOME": str(home), "DATABASE_URL": database_url, **memo_env()}
    done = subprocess.run(
        [sys.executable, "-m", "medscribe.cli", "backfill", str(archive), "--tenant", "demo", *extra],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    assert lines, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def test_given_an_archive_when_backfilled_twice_then_the_second_run_skips_what_completed(
    fresh_database: str, tmp_path: Path
) -> None:
    # Given: one good recording and one file that is not audio
    archive = tmp_path / "archive"
    (archive / "2024").mkdir(parents=True)
    shutil.copy(ROOT / "samples" / "dictation.wav", archive / "2024" / "visit.wav")
    (archive / "notes.wav").write_text("not audio")
    home = tmp_path / "home"
    # When
    plan = _backfill(archive, home, fresh_database, "--dry-run")
    first = _backfill(archive, home, fresh_database)
    second = _backfill(archive, home, fresh_database)
    # Then
    assert (plan["items"], plan["audio_items"]) == (2, 2)
    assert first == {
        "items": 2,
        "started": 2,
        "skipped": 0,
        "succeeded": 1,
        "failed": 1,
        "failures": {"UnsupportedAudioFormat": 1},
    }
    assert (second["skipped"], second["started"], second["failed"]) == (1, 1, 1)

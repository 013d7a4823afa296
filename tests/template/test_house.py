"""The plan of the house (``make look``, scripts/house.py) as a maintainer reads it: no import circles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _look() -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "house.py"), "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_no_module_level_import_circle_in_the_package() -> None:
    # Given the package's modules, When the plan is drawn, Then no two modules import each other at load
    assert _look()["circles"] == []


def test_the_plan_finds_a_circle_when_there_is_one(tmp_path: Path) -> None:
    # Given a copy of the script beside a tiny package whose two modules import each other
    src = tmp_path / "src" / "medscribe"
    src.mkdir(parents=True)
    (src / "__init__.py").write_text("")
    (src / "a.py").write_text("from medscribe.b import y\nx = 1\n")
    (src / "b.py").write_text("from medscribe import a\ny = 2\n")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "house.py").write_text((ROOT / "scripts" / "house.py").read_text())
    for room in ("lambdas", "tests"):
        (tmp_path / room).mkdir()
    # When the plan is drawn there
    done = subprocess.run(
        [sys.executable, str(tmp_path / "scripts" / "house.py"), "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    # Then the circle is named
    assert json.loads(done.stdout.strip().splitlines()[-1])["circles"] == [["medscribe.a", "medscribe.b"]]

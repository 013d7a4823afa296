"""The upgrade trial's target record (scripts/moto_patch_targets.py, run by `make moto-next`) can be compared
across processes: each patched target is recorded by its source, never by an object's address, which differs
from one process to the next and made every compare report a target as changed (FakeKey.value, a property)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "moto_patch_targets.py"


def test_a_record_compares_equal_to_itself_and_holds_no_address(tmp_path: Path) -> None:
    # Given the targets recorded under the pinned moto
    out = tmp_path / "targets.json"
    subprocess.run(
        [sys.executable, str(SCRIPT), "record", str(out)], check=True, capture_output=True, timeout=300
    )
    targets = json.loads(out.read_text())["targets"]
    # Then every patched target is there, a property by its accessors' source, and no source is an address
    assert len(targets) > 100
    assert "def value(self)" in targets["moto.s3.models.FakeKey.value"]["source"]
    assert not [k for k, t in targets.items() if " at 0x" in (t["source"] or "")]
    # And a compare of the record with itself reports no change
    same = subprocess.run(
        [sys.executable, str(SCRIPT), "compare", str(out), str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    assert same.stdout.splitlines()[-1].startswith("0 of ")

"""`medscribe search` as a clinic admin runs it locally: PostgreSQL search on the local data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from medscribe.adapters.database import PsycopgRepository

pytestmark = pytest.mark.e2e


def search(*args: str, database_url: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "MEDSCRIBE_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "medscribe.cli", "search", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _seed(url: str) -> None:
    repo = PsycopgRepository(url)
    repo.migrate()
    with repo._transaction() as s:
        for rid, tenant, text in (
            ("r1", "clinic-a", "Continue metformin 500 mg twice daily."),
            ("r2", "clinic-b", "Continue metformin 1000 mg daily."),
        ):
            s.execute(
                "INSERT INTO recordings (recording_id, tenant, status, received_at, created_at, updated_at) "
                "VALUES (:r, :t, 'COMPLETED', now(), now(), now())",
                {"r": rid, "t": tenant},
            )
            s.execute(
                "INSERT INTO transcriptions (recording_id, job_name, transcript_key, text_key, text, char_count, "
                "word_count, created_at, updated_at) VALUES (:r, 'j', 'k', 'k', :x, 1, 1, now(), now())",
                {"r": rid, "x": text},
            )


def test_json_hits_are_the_tenants_own_and_the_search_is_audited(fresh_database: str, tmp_path: Path) -> None:
    # Given two tenants whose recordings say the same drug
    _seed(fresh_database)
    # When clinic-a searches with --json
    proc = search("metformin", "--tenant", "clinic-a", "--json", database_url=fresh_database, home=tmp_path)
    # Then the last stdout line is the JSON object with clinic-a's hit only, highlighted
    assert proc.returncode == 0, proc.stderr
    hits = json.loads(proc.stdout.strip().splitlines()[-1])["hits"]
    assert [h["recording_id"] for h in hits] == ["r1"]
    assert "<<metformin>>" in hits[0]["snippet"]
    # And the audit row names the CLI channel and keeps no search term
    audit = [e for e in PsycopgRepository(fresh_database).audit_events() if e["action"] == "recording.search"]
    assert audit[-1]["channel"] == "ops-cli"
    assert "metformin" not in json.dumps(audit)


@pytest.mark.parametrize(
    "args", [("--tenant", "clinic-a"), ("", "--tenant", "clinic-a"), ("x" * 201, "--tenant", "a")]
)
def test_a_search_that_cannot_run_is_a_one_line_error(
    args: tuple[str, ...], fresh_database: str, tmp_path: Path
) -> None:
    proc = search(*args, database_url=fresh_database, home=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("medscribe search:")
    assert "Traceback" not in proc.stderr

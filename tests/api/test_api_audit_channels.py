"""Issue 16, items 4 and 8: every PHI read is audited on every channel — API, console (list, view, document),
ops CLI ``open`` — with who (sub), role, tenant, channel, what and when. A COMPLETED recording's PDF link is
audited for the clinician (``pdf.link_issued``); the operator never gets one, so never such a row."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from api_support import Api
from pg_support import seed_pgdata
from tokens_support import claims_of

from medscribe import wiring
from medscribe.local.database import local_database


def _rows(rid: str | None = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = wiring.get_services().repository.audit_events(rid)
    return rows


def _new_rows(before: int) -> list[dict[str, Any]]:
    return _rows()[before:]


def _assert_row(row: dict[str, Any], api: Api, user: str, **expected: Any) -> None:
    claims = claims_of(api.tokens[user])
    assert row["actor_sub"] == claims["sub"]
    assert row["actor_tenant"] == claims["custom:tenant"]
    assert row["actor_role"] in str(claims["cognito:groups"])
    assert row["occurred_at"]
    for name, value in expected.items():
        assert row[name] == value, (name, row)


def test_api_read_of_a_completed_recording_audits_the_read_and_the_pdf_link(
    api: Api, alices: dict[str, Any]
) -> None:
    rid = alices["recording_id"]
    before = len(_rows())
    # When alice (clinician) reads her COMPLETED recording
    assert api.call("GET", f"/recordings/{rid}", "alice").json()["pdf"]["url"]
    # Then two rows: the read and the link issuance, channel api
    rows = _new_rows(before)
    assert [r["action"] for r in rows] == ["recording.read", "pdf.link_issued"]
    for row in rows:
        _assert_row(
            row, api, "alice", channel="api", recording_id=rid, target_tenant="clinic-a", outcome="allowed"
        )


def test_the_operator_read_is_audited_but_issues_no_pdf_link(api: Api, alices: dict[str, Any]) -> None:
    rid = alices["recording_id"]
    before = len(_rows())
    assert api.call("GET", f"/recordings/{rid}", "olga").json()["pdf"] is None
    rows = _new_rows(before)
    assert [r["action"] for r in rows] == ["recording.read"]
    _assert_row(rows[0], api, "olga", channel="api", recording_id=rid, target_tenant="clinic-a")


def _console(api: Api, path: str, user: str) -> requests.Response:
    return requests.get(
        f"{api.url}/console/api{path}", headers={"Authorization": api.tokens[user]}, timeout=60
    )


@pytest.mark.parametrize(
    ("what", "action"),
    [("list", "recording.list"), ("view", "recording.read"), ("document", "pdf.download")],
)
def test_console_reads_are_audited(api: Api, alices: dict[str, Any], what: str, action: str) -> None:
    rid = alices["recording_id"]
    path = {"list": "/recordings", "view": f"/recordings/{rid}", "document": f"/recordings/{rid}/document"}[
        what
    ]
    before = len(_rows())
    # When alice reads through the console
    response = _console(api, path, "alice")
    assert response.status_code == 200, response.text
    if what == "document":
        assert response.content.startswith(b"%PDF")
    # Then one row, channel console
    rows = _new_rows(before)
    assert [r["action"] for r in rows] == [action]
    expected = (
        {"recording_id": None, "target_tenant": "clinic-a"} if what == "list" else {"recording_id": rid}
    )
    _assert_row(rows[0], api, "alice", channel="console", outcome="allowed", **expected)


def test_ops_cli_open_is_audited(
    api: Api, alices: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pgdata_template: Path
) -> None:
    rid = alices["recording_id"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["DATABASE_URL"] = str(api.server.pipeline.database_url)
    before = len(_rows())
    # When someone with the endpoint opens the document with the ops CLI
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "medscribe.cli",
            "open",
            rid,
            "--endpoint-url",
            api.server.aws_url,
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()).read_bytes().startswith(b"%PDF")
    # Then one row, channel ops-cli, naming the local user
    rows = _new_rows(before)
    assert [(r["action"], r["channel"]) for r in rows] == [("pdf.download", "ops-cli")]
    assert rows[0]["actor_sub"].startswith("local:")
    assert rows[0]["recording_id"] == rid
    assert rows[0]["target_tenant"] == "clinic-a"
    # And without a database configured, against a local endpoint, the read is audited in the data
    # directory's own PostgreSQL (the one serve holds: a serve without DATABASE_URL initialises it at its start;
    # this one runs on the session's server, so the home gets that initialised data directory, copied)
    seed_pgdata(pgdata_template, api.server.pipeline.home / "pgdata")
    env.pop("DATABASE_URL")
    for name in ("DB_CLUSTER_ARN", "DB_SECRET_ARN"):
        env.pop(name, None)
    env["MEDSCRIBE_HOME"] = str(api.server.pipeline.home)
    joined = _open(rid, api.server.aws_url, tmp_path / "joined", env)
    assert joined.returncode == 0, joined.stderr
    with monkeypatch.context() as m:
        m.delenv("DATABASE_URL", raising=False)
        with local_database(api.server.pipeline.home) as url, psycopg.connect(url) as conn:
            audited = conn.execute(
                "SELECT action, channel FROM audit_events WHERE recording_id = %s", (rid,)
            ).fetchall()
    assert audited == [("pdf.download", "ops-cli")]
    # And with no audit table at all (a remote endpoint, no DATABASE_URL / Data API): refused, nothing saved
    out = tmp_path / "refused"
    refused = _open(rid, "http://192.0.2.1:9", out, env)
    assert refused.returncode == 1
    assert "audited" in refused.stderr
    assert not out.exists()


def _open(rid: str, endpoint: str, out: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medscribe.cli", "open", rid, "--endpoint-url", endpoint, "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )

"""POST/GET /backfills through ``serve`` with real tokens: clinic-admin only, own tenant's folder only, another
tenant's backfill id is 404; a dry run starts nothing; a started backfill reports its counts by outcome."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import boto3
from api_support import Api

SHORT = Path(__file__).resolve().parents[2] / "corpus" / "audio" / "d20.wav"  # 6 s of dictation


def _put(api: Api, key: str, body: bytes) -> None:
    s3: Any = boto3.client(
        "s3",
        endpoint_url=api.server.aws_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    s3.put_object(Bucket=api.server.pipeline.bucket, Key=key, Body=body)


def test_given_roles_and_tenants_when_starting_a_backfill_then_only_the_clinic_admin_of_the_folder_may(
    api: Api,
) -> None:
    # Given: a clinic-a archive of one recording and one file that is not audio
    _put(api, "backfill/clinic-a/api/visit.wav", SHORT.read_bytes())
    _put(api, "backfill/clinic-a/api/notes.wav", b"not audio")
    body = {"prefix": "backfill/clinic-a/api/"}
    # When / Then: a clinician is refused; an admin naming another tenant's folder is refused
    assert api.call("POST", "/backfills", "alice", json=body).status_code == 403
    assert api.call("POST", "/backfills", "adam", json={"prefix": "backfill/clinic-b/"}).status_code == 403
    # When: a dry run
    plan = api.call("POST", "/backfills", "adam", json={**body, "dry_run": True})
    # Then: counted and priced, nothing started
    assert plan.status_code == 200, plan.text
    assert (plan.json()["items"], plan.json()["audio_items"]) == (2, 2)
    assert plan.json()["estimated_cost"] > 0
    assert api.call("GET", "/backfills", "adam").json() == {"backfills": []}
    # When: started
    started = api.call("POST", "/backfills", "adam", json=body)
    assert started.status_code == 202, started.text
    backfill_id = started.json()["backfill_id"]
    # Then: another tenant's caller gets 404 for its id; its own admin sees the counts when it ends
    assert api.call("GET", f"/backfills/{backfill_id}", "bea").status_code == 404
    # and a clinician of the same tenant may neither read nor list backfills
    assert api.call("GET", f"/backfills/{backfill_id}", "alice").status_code == 403
    assert api.call("GET", "/backfills", "alice").status_code == 403
    deadline = time.monotonic() + 300
    view = api.call("GET", f"/backfills/{backfill_id}", "adam").json()
    while view["status"] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.25)  # as wait_for_status polls
        view = api.call("GET", f"/backfills/{backfill_id}", "adam").json()
    assert view["status"] == "SUCCEEDED", view
    assert view["counts"]["succeeded"] == 1
    assert view["failures"] == {"UnsupportedAudioFormat": 1}
    # and the failed item by its opaque recording id and error name, never its file name
    (failed,) = view["failed_items"]
    assert failed["error"] == "UnsupportedAudioFormat"
    assert failed["recording_id"].startswith("u"), view
    assert "notes" not in str(view)
    recording = api.call("GET", f"/recordings/{failed['recording_id']}", "adam")
    assert recording.status_code == 200, recording.text
    assert recording.json()["status"] == "FAILED"
    assert [b["backfill_id"] for b in api.call("GET", "/backfills", "adam").json()["backfills"]] == [
        backfill_id
    ]

"""The happy path through HTTP, the audit trail, pagination, and the PHI property over file names."""

from __future__ import annotations

import io
import json
from typing import Any

import requests
from api_support import UUID, Api, wait_for_status
from hypothesis import HealthCheck, given, settings
from phi_support import JsonLines, assert_no_token, everything_visible, phi_file_names
from pypdf import PdfReader
from spec_support import assert_conforms

from medscribe import wiring
from medscribe.keys import execution_name, job_name


def test_token_to_pdf_through_the_api(api: Api) -> None:
    # Given a clinician's token. When she creates a recording
    response = api.call(
        "POST",
        "/recordings",
        "alice",
        json={
            "content_type": "audio/wav",
            "clinician_name": "Dr Quinn",
            "patient_reference": "PT-0042",
            "date_of_service": "2026-11-30",
            "original_file_name": "Jane_Doe_DOB_1966-03-02_MRN_448812.wav",
        },
    )
    # Then she gets an opaque id and a presigned POST for incoming/{tenant}/{id}.wav, short-lived, SSE-KMS
    assert response.status_code == 201
    assert_conforms(response, "/recordings", "post")
    created = response.json()
    rid = created["recording_id"]
    assert UUID.match(rid)
    fields = created["upload"]["fields"]
    assert fields["key"] == f"incoming/clinic-a/{rid}.wav"
    assert fields["x-amz-server-side-encryption"] == "aws:kms"
    policy = json.loads(__import__("base64").b64decode(fields["policy"]))
    assert ["content-length-range", 1, 500 * 1024 * 1024] in policy["conditions"]
    # When she uploads the real sample with the form, processing starts by itself (S3 -> EventBridge)
    assert api.upload(created) == 204
    done = wait_for_status(api, "alice", rid, {"COMPLETED", "FAILED"})
    # Then GET reports COMPLETED with a 5-minute PDF link that downloads a PDF
    assert done.json()["status"] == "COMPLETED", done.text
    assert_conforms(done, "/recordings/{recording_id}", "get")
    link = done.json()["pdf"]["url"]
    assert "X-Amz-Expires=300" in link
    pdf = requests.get(link, timeout=60)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 1
    # And an explicit start afterwards is an idempotent no-op
    again = api.call("POST", f"/recordings/{rid}/start", "alice")
    assert again.status_code == 200
    assert again.json()["started"] is False
    # And the details live in PostgreSQL only
    details = wiring.get_services().repository.get_details(rid)
    assert details is not None
    assert details.original_filename == "Jane_Doe_DOB_1966-03-02_MRN_448812.wav"
    assert details.tenant == "clinic-a"


def test_every_phi_access_writes_an_append_only_audit_row(api: Api) -> None:
    created = api.create("adam")
    rid = created["recording_id"]
    api.call("GET", f"/recordings/{rid}", "adam")
    api.call("GET", f"/recordings/{rid}", "bob")  # denied: audited too
    api.call("GET", "/recordings", "adam")
    repository: Any = wiring.get_services().repository
    rows = repository.audit_events(rid)
    actions = [(r["action"], r["actor_tenant"], r["actor_role"], r["outcome"]) for r in rows]
    assert ("recording.create", "clinic-a", "clinic-admin", "allowed") in actions
    assert ("recording.read", "clinic-a", "clinic-admin", "allowed") in actions
    assert ("recording.read", "clinic-b", "clinician", "not_found") in actions
    assert all(r["source_ip"] == "127.0.0.1" for r in rows)
    assert all(r["actor_sub"] and r["request_id"] for r in rows)
    assert any(r["action"] == "recording.list" for r in repository.audit_events())
    # append-only: the database refuses updates and deletes
    import psycopg

    with psycopg.connect(api.server.pipeline.database_url) as conn:
        for statement in ("UPDATE audit_events SET outcome = 'x'", "DELETE FROM audit_events"):
            try:
                conn.execute(statement)
            except psycopg.errors.RaiseException:
                conn.rollback()
            else:  # pragma: no cover - the failure being tested for
                raise AssertionError(f"{statement} was allowed")


def test_listing_is_paginated_within_the_tenant(api: Api) -> None:
    for _ in range(3):
        api.create("bob")
    seen: list[str] = []
    token: str | None = None
    for _ in range(10):
        params = {"limit": "2", **({"next": token} if token else {})}
        page = api.call("GET", "/recordings", "bob", params=params)
        assert page.status_code == 200
        assert_conforms(page, "/recordings", "get")
        body = page.json()
        assert len(body["recordings"]) <= 2
        seen += [r["recording_id"] for r in body["recordings"]]
        assert {r["tenant"] for r in body["recordings"]} <= {"clinic-b"}
        token = body["next"]
        if not token:
            break
    assert len(seen) == len(set(seen)) >= 3
    bad = api.call("GET", "/recordings", "bob", params={"next": "bm90IGpzb24"})
    assert bad.status_code == 400


# ---- property: nothing of the file name anywhere (API uploads; direct uploads: test_api_direct_upload) -------
def test_no_name_key_log_or_event_carries_any_token_of_the_file_name(api: Api) -> None:
    uploaded: list[tuple[str, list[str]]] = []

    @settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
    @given(phi_file_names())
    def upload_one(case: tuple[str, list[str]]) -> None:
        name, tokens = case
        created = api.create(
            "alice", original_file_name=name, patient_reference=tokens[2], clinician_name=tokens[0]
        )
        # the browser's multipart part carries the file name too
        assert api.upload(created, filename=name) == 204
        uploaded.append((created["recording_id"], tokens))

    with JsonLines() as sink:
        upload_one()
        rids = [rid for rid, _ in uploaded]
        for rid in rids:
            wait_for_status(api, "alice", rid, {"COMPLETED", "FAILED"})
    logs = sink.text
    # the handlers' structured log lines were captured (the API's audit lines name these recordings)
    assert all(rid in logs for rid in rids), logs[-2000:]
    assert '"audit"' in logs
    visible = "\n".join([*rids, *(execution_name(r) for r in rids), *(job_name(r) for r in rids)])
    visible += everything_visible(api) + logs
    assert all(rid in visible for rid in rids)
    for _, tokens in uploaded:
        assert_no_token(tokens, visible)

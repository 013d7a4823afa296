"""The happy path through HTTP, the audit trail, pagination, and the PHI property over file names."""

from __future__ import annotations

import io
import json
import logging
import re
from typing import Any

import requests
from api_support import UUID, Api, wait_for_status
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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


# ---- property: nothing of the file name anywhere ------------------------------------------------------------
# consonants outside hex: never an English word, a hex digit run or a JSON key by accident
_WORD = st.text(alphabet="ghjklmnpqrstvwxz", min_size=6, max_size=10)
_MRN = st.integers(min_value=10**9, max_value=10**10 - 1).map(lambda n: "9" + str(n))


@st.composite
def phi_file_names(draw: st.DrawFn) -> tuple[str, list[str]]:
    first, last = draw(_WORD), draw(_WORD)
    mrn = draw(_MRN)
    year = draw(st.integers(1931, 1999))
    sep = draw(st.sampled_from(["_", " ", "-", "."]))
    name = sep.join([first.title(), last.upper(), "DOB", f"{year}-03-02", "MRN", mrn]) + ".wav"
    return name, [first, last, mrn]


def _everything_visible(api: Api, rids: list[str]) -> str:
    """Ids, execution names, job names, S3 keys, events on the bus' queue, status items: one text blob."""
    pipeline = api.server.pipeline
    s3 = pipeline.client("s3")
    sfn = pipeline.client("stepfunctions")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=pipeline.bucket).get("Contents", [])]
    executions = sfn.list_executions(stateMachineArn=pipeline.state_machine_arn)["executions"]
    histories = [
        json.dumps(sfn.get_execution_history(executionArn=e["executionArn"])["events"], default=str)
        for e in executions
    ]
    items = [wiring.get_services().table.get(rid) for rid in rids]
    return "\n".join(
        [
            *rids,
            *(execution_name(r) for r in rids),
            *(job_name(r) for r in rids),
            *keys,
            *(e["name"] for e in executions),
            *histories,
            json.dumps(pipeline.received_events(), default=str),
            json.dumps(items, default=str),
        ]
    )


class _JsonLines(logging.Handler):
    """Every log record, formatted as the Lambda handlers' powertools JSON line (extras included)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(LambdaPowertoolsFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def filter(self, record: logging.LogRecord) -> bool:
        # A powertools Logger initialised while this handler is on the root logger adds a SuppressFilter for
        # its service's child loggers to every root handler (its pytest de-duplication); this sink must see
        # every record whichever handler started first, so no filter applies to it.
        return True


def test_no_name_key_log_or_event_carries_any_token_of_the_file_name(api: Api) -> None:
    uploaded: list[tuple[str, list[str]]] = []
    sink = _JsonLines()
    root = logging.getLogger()
    root.addHandler(sink)
    previous = root.level
    root.setLevel(logging.DEBUG)

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

    try:
        upload_one()
        rids = [rid for rid, _ in uploaded]
        for rid in rids:
            wait_for_status(api, "alice", rid, {"COMPLETED", "FAILED"})
    finally:
        root.removeHandler(sink)
        root.setLevel(previous)
    logs = "\n".join(sink.lines)
    # the handlers' structured log lines were captured (the API's audit lines name these recordings)
    assert all(rid in logs for rid in rids), logs[-2000:]
    assert '"audit"' in logs
    visible = _everything_visible(api, rids) + logs
    for _, tokens in uploaded:
        for token in tokens:
            assert not re.search(re.escape(token), visible, flags=re.IGNORECASE), token

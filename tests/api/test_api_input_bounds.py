"""Issue 16, item 5: bounded, validated input before any write. Each refused request is a 400 problem (RFC
9457), never a 502, and leaves nothing behind: no UPLOAD_PENDING item, no audit row holding the value."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Api
from spec_support import assert_conforms

from medscribe import wiring


def _recordings_of(tenant: str) -> set[str]:
    items, _ = wiring.get_services().table.page(tenant, limit=100)
    return {str(i["recording_id"]) for i in items}


def _audit_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = wiring.get_services().repository.audit_events()
    return rows


def _deep(levels: int) -> str:
    return '{"clinician_name": ' + "[" * levels + "]" * levels + "}"


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("nested 100,000 deep", _deep(100_000)),
        ("nested 5,000 deep, under the size bound", _deep(5_000)),
        ("nested 9 deep", _deep(9)),
        ("a 5,000-digit number", '{"clinician_name": ' + "9" * 5000 + "}"),
        ("a NUL in a string", '{"clinician_name": "Dr \\u0000 Quinn"}'),
        ("a raw control character", '{"patient_reference": "PT\\u0007-1"}'),
        ("a body of 1 MiB", '{"clinician_name": "' + "a" * (1 << 20) + '"}'),
        ("NaN", '{"clinician_name": NaN}'),
    ],
)
def test_refused_bodies_are_400_problems_and_write_nothing(api: Api, name: str, body: str) -> None:
    # Given what alice's tenant holds and the audit table's length
    before, audited = _recordings_of("clinic-a"), len(_audit_rows())
    # When she posts the body
    response = api.call(
        "POST", "/recordings", "alice", data=body.encode(), headers={"Content-Type": "application/json"}
    )
    # Then it is a 400 problem object, and nothing was written
    assert response.status_code == 400, (name, response.status_code, response.text[:200])
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert_conforms(response, "/recordings", "post")
    assert _recordings_of("clinic-a") == before
    assert len(_audit_rows()) == audited


def test_a_60000_character_id_is_404_and_never_stored(api: Api) -> None:
    huge = "A" * 60_000
    response = api.call("GET", f"/recordings/{huge}", "alice")
    assert response.status_code in (400, 404)
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert huge not in response.text
    # The read is audited (as not found), under a bounded digest of the id, never the value itself
    rows = _audit_rows()
    assert max(len(r["recording_id"] or "") for r in rows) <= 128
    assert rows[-1]["action"] == "recording.read"
    assert rows[-1]["outcome"] == "not_found"
    assert str(rows[-1]["recording_id"]).startswith("sha256:")


def test_a_tampered_cursor_is_400(api: Api) -> None:
    # Given a page with a next cursor
    for _ in range(3):
        api.create("adam")
    first = api.call("GET", "/recordings", "adam", params={"limit": 1})
    assert first.status_code == 200
    cursor = first.json()["next"]
    assert cursor
    assert api.call("GET", "/recordings", "adam", params={"limit": 1, "next": cursor}).status_code == 200
    # When any character of it changes, or an unsigned cursor of the old form is sent
    payload, _, mac = cursor.rpartition(".")
    flipped = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    for bad in (f"{flipped}.{mac}", payload, f"{payload}.{'A' * len(mac)}"):
        response = api.call("GET", "/recordings", "adam", params={"limit": 1, "next": bad})
        # Then it is refused
        assert response.status_code == 400, bad
        assert_conforms(response, "/recordings", "get")


@pytest.mark.parametrize("query", ["status=" + "A" * 100, "status=FAILED%00", "tenant=clinic-a%00"])
def test_bounded_query_parameters(api: Api, query: str) -> None:
    response = api.call("GET", f"/recordings?{query}", "alice")
    assert response.status_code == 400
    assert_conforms(response, "/recordings", "get")


def test_a_payload_over_api_gateways_10_mb_is_413_before_the_handler(api: Api) -> None:
    audited = len(_audit_rows())
    response = api.call(
        "POST",
        "/recordings",
        "alice",
        data=b"{" + b" " * (10 * 1024 * 1024) + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert len(_audit_rows()) == audited

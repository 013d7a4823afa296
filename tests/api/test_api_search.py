"""GET /recordings/search through ``medscribe serve``: real tokens, the real pipeline, PostgreSQL search."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Api, wait_for_status

from medscribe.adapters.database import PsycopgRepository
from medscribe.models import RecordingDetails


@pytest.fixture(scope="module")
def completed(api: Api, alices: dict[str, Any]) -> dict[str, Any]:
    """Given the sample dictation processed end to end for clinic-a: the session's ``alices`` recording
    (tests/api/conftest.py), not a second run of the same pipeline on the same audio."""
    rid = alices["recording_id"]
    wait_for_status(api, "alice", rid, {"COMPLETED"}, timeout=0)
    return {"recording_id": rid}


def _transcript_word(database: str, rid: str) -> str:
    import psycopg

    with psycopg.connect(database) as conn:
        row = conn.execute("SELECT text FROM transcriptions WHERE recording_id = %s", (rid,)).fetchone()
    assert row is not None
    return max(row[0].split(), key=len).strip(".,;:")


def test_a_word_of_the_transcript_finds_the_recording_with_a_highlighted_snippet(
    api: Api, completed: dict[str, Any], database: str
) -> None:
    word = _transcript_word(database, completed["recording_id"])
    response = api.call("GET", "/recordings/search", "alice", params={"q": word})
    assert response.status_code == 200, response.text
    hits = response.json()["hits"]
    assert completed["recording_id"] in [h["recording_id"] for h in hits]
    hit = next(h for h in hits if h["recording_id"] == completed["recording_id"])
    assert "<<" in hit["snippet"]
    assert hit["status"] == "COMPLETED"


@pytest.mark.parametrize("user", ["bob"])
def test_another_tenant_finds_nothing_of_clinic_a(
    api: Api, completed: dict[str, Any], database: str, user: str
) -> None:
    word = _transcript_word(database, completed["recording_id"])
    response = api.call("GET", "/recordings/search", user, params={"q": word})
    assert response.status_code == 200
    assert completed["recording_id"] not in [h["recording_id"] for h in response.json()["hits"]]


def test_an_operator_may_not_search_what_was_said(api: Api) -> None:
    assert api.call("GET", "/recordings/search", "olga", params={"q": "metformin"}).status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 201},
        {"drug": "y" * 101},
        {"q": "a\x00b"},
        {"q": "cough", "from": "2026-12-01", "to": "2026-11-01"},
        {"q": "cough", "status": "BOGUS"},
        {"q": "cough", "next": "not-a-cursor"},
        {"q": "cough", "limit": 0},
    ],
)
def test_bad_searches_are_400_problems_and_nothing_is_audited(
    api: Api, params: dict[str, Any], database: str
) -> None:
    before = len(PsycopgRepository(database).audit_events())
    response = api.call("GET", "/recordings/search", "alice", params=params)
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert len(PsycopgRepository(database).audit_events()) == before


def test_pages_follow_a_signed_cursor_that_only_fits_its_own_query_and_tenant(
    api: Api, database: str
) -> None:
    # Given three seeded clinic-a recordings naming the same drug (details only: no pipeline needed)
    repo = PsycopgRepository(database)
    for n in range(3):
        rid = f"seed-search-{n}"
        with repo._transaction() as s:
            s.execute(
                "INSERT INTO recordings (recording_id, tenant, status, received_at, created_at, updated_at) "
                "VALUES (:r, 'clinic-a', 'COMPLETED', now(), now(), now()) ON CONFLICT DO NOTHING",
                {"r": rid},
            )
            s.execute(
                "INSERT INTO transcriptions (recording_id, job_name, transcript_key, text_key, text, char_count, "
                "word_count, created_at, updated_at) VALUES (:r, 'j', 'k', 'k', :t, 1, 1, now(), now()) "
                "ON CONFLICT DO NOTHING",
                {"r": rid, "t": f"Started zolmitriptan for migraine, visit {n}."},
            )
        repo.save_details(RecordingDetails(recording_id=rid, tenant="clinic-a"))
    first = api.call("GET", "/recordings/search", "alice", params={"q": "zolmitriptan", "limit": 2}).json()
    assert len(first["hits"]) == 2
    assert first["next"]
    second = api.call(
        "GET", "/recordings/search", "alice", params={"q": "zolmitriptan", "limit": 2, "next": first["next"]}
    ).json()
    seen = [h["recording_id"] for h in first["hits"] + second["hits"]]
    assert sorted(seen) == [f"seed-search-{n}" for n in range(3)]
    assert second["next"] is None
    # The cursor is refused for another query, for another tenant, and when edited
    other_query = {"q": "migraine", "limit": 2, "next": first["next"]}
    assert api.call("GET", "/recordings/search", "alice", params=other_query).status_code == 400
    other_tenant = {"q": "zolmitriptan", "limit": 2, "next": first["next"]}
    assert api.call("GET", "/recordings/search", "bob", params=other_tenant).status_code == 400
    edited = first["next"][:-2] + ("A" if first["next"][-2] != "A" else "B") + first["next"][-1]
    tampered = {"q": "zolmitriptan", "limit": 2, "next": edited}
    assert api.call("GET", "/recordings/search", "alice", params=tampered).status_code == 400


def test_every_search_is_audited_without_its_terms(api: Api, database: str) -> None:
    term = "Hemingway-Zolpidem-Secret"
    assert api.call("GET", "/recordings/search", "adam", params={"q": term}).status_code == 200
    rows = [e for e in PsycopgRepository(database).audit_events() if e["action"] == "recording.search"]
    last = rows[-1]
    assert last["actor_role"] == "clinic-admin"
    assert last["target_tenant"] == "clinic-a"
    assert last["detail"]["filters"] == ["q"]
    assert len(last["detail"]["query_digest"]) == 64
    assert term.lower() not in repr(rows).lower()

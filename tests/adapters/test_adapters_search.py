"""Search over recordings: PostgreSQL full text and entity filters, one tenant at a time, on a real server."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import psycopg
import pytest
from adapter_support import PgBackedDataApi, document_rendered

from medscribe.adapters.database import DataApiRepository, PsycopgRepository
from medscribe.models import RecordingDetails
from medscribe.ports import SearchQuery

AT = datetime(2026, 11, 22, 6, 30, tzinfo=UTC)
CLUSTER = "arn:aws:rds:us-east-1:123456789012:cluster:medscribe"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:medscribe-db-AbCdEf"


def _entity(eid: int, text: str, category: str, begin: int) -> dict[str, Any]:
    kind = "GENERIC_NAME" if category == "MEDICATION" else "DX_NAME"
    return {
        "Id": eid,
        "BeginOffset": begin,
        "EndOffset": begin + len(text),
        "Score": 0.95,
        "Text": text,
        "Category": category,
        "Type": kind,
        "Traits": [],
        "Attributes": [],
    }


def _save(repo: Any, rid: str, tenant: str, text: str, served: date | None = None) -> None:
    entities = []
    for category, word in (
        ("MEDICATION", "metformin"),
        ("MEDICATION", "Lisinopril"),
        ("MEDICAL_CONDITION", "wheezing"),
    ):
        at = text.lower().find(word.lower())
        if at >= 0:
            entities.append(_entity(len(entities), text[at : at + len(word)], category, at))
    repo.save_results(
        state=document_rendered(rid, tenant),
        transcript_text=text,
        kept_entities=entities,
        dropped_count=0,
        at=AT,
    )
    if served is not None:
        repo.save_details(RecordingDetails(recording_id=rid, tenant=tenant, date_of_service=served))


@pytest.fixture
def repo(pg_url: str) -> PsycopgRepository:
    # Given three recordings of clinic-a and one of clinic-b that says the same words
    r = PsycopgRepository(pg_url)
    r.migrate()
    _save(r, "a1", "clinic-a", "Start metformin 500 mg twice daily for type 2 diabetes.", date(2026, 11, 1))
    _save(
        r,
        "a2",
        "clinic-a",
        "Patient reports wheezing at night. Continue lisinopril 10 mg.",
        date(2026, 11, 20),
    )
    _save(
        r,
        "a3",
        "clinic-a",
        "Wheezing and wheeze on exam; metformin was stopped last year.",
        date(2026, 10, 5),
    )
    _save(r, "b1", "clinic-b", "Start metformin 500 mg twice daily, wheezing noted.", date(2026, 11, 1))
    return r


def test_full_text_finds_stemmed_words_and_ranks_within_the_tenant(repo: PsycopgRepository) -> None:
    # When clinic-a searches for "wheeze"
    hits = repo.search(SearchQuery(tenant="clinic-a", q="wheeze"))
    # Then the English stem finds "wheezing", only clinic-a's recordings come back, best first
    assert [h.recording_id for h in hits] == ["a3", "a2"]
    assert "<<" in hits[0].snippet
    assert ">>" in hits[0].snippet
    assert {"category": "MEDICAL_CONDITION", "text": "Wheezing"} in hits[0].matches


def test_drug_names_are_kept_as_said_and_filter_exactly(repo: PsycopgRepository) -> None:
    by_text = repo.search(SearchQuery(tenant="clinic-a", q="metformin"))
    assert {h.recording_id for h in by_text} == {"a1", "a3"}
    by_entity = repo.search(SearchQuery(tenant="clinic-a", drug="LISINOPRIL"))
    assert [h.recording_id for h in by_entity] == ["a2"]
    assert by_entity[0].matches == [{"category": "MEDICATION", "text": "lisinopril"}]


def test_filters_combine_with_dates_status_and_paging(repo: PsycopgRepository) -> None:
    november = repo.search(
        SearchQuery(tenant="clinic-a", q="metformin", date_from=date(2026, 11, 1), date_to=date(2026, 11, 30))
    )
    assert [h.recording_id for h in november] == ["a1"]
    assert repo.search(SearchQuery(tenant="clinic-a", q="metformin", status="FAILED")) == []
    first = repo.search(SearchQuery(tenant="clinic-a", condition="wheezing", limit=1))
    second = repo.search(SearchQuery(tenant="clinic-a", condition="wheezing", limit=1, offset=1))
    assert len(first) == len(second) == 1
    assert first[0].recording_id != second[0].recording_id


def test_another_tenant_sees_nothing_of_clinic_a(repo: PsycopgRepository) -> None:
    assert [h.recording_id for h in repo.search(SearchQuery(tenant="clinic-b", q="lisinopril"))] == []
    assert [h.recording_id for h in repo.search(SearchQuery(tenant="clinic-c", q="metformin"))] == []


def test_the_indexes_are_used(repo: PsycopgRepository, pg_url: str) -> None:
    # Given enough rows that a sequential scan is not free (the planner is told so)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = "\n".join(
            row[0]
            for row in conn.execute(
                "EXPLAIN SELECT recording_id FROM transcriptions "
                "WHERE search_vector @@ websearch_to_tsquery('english', 'wheeze')"
            )
        )
    assert "transcriptions_search_idx" in plan


def test_data_api_runs_the_same_search(data_api: PgBackedDataApi, pg_url: str) -> None:
    repo = DataApiRepository(data_api.client, CLUSTER, SECRET, "medscribe")
    repo.migrate()
    _save(repo, "a1", "clinic-a", "Start metformin 500 mg twice daily.", None)
    hits = repo.search(SearchQuery(tenant="clinic-a", q="metformin"))
    assert [h.recording_id for h in hits] == ["a1"]
    assert hits[0].matches == [{"category": "MEDICATION", "text": "metformin"}]
    assert hits[0].date_of_service == "2026-11-22"  # no date of service given: the day it was received

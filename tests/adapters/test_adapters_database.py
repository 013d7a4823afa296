"""Results repositories on a real PostgreSQL through psycopg (the RDS Data API twin: test_adapters_data_api.py)."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
import pytest
from adapter_support import PgBackedDataApi
from results_support import AT, CLUSTER, ENTITIES, SECRET, TABLES, TEXT, VERSIONS, dump, state

from medscribe.adapters.database import (
    DataApiRepository,
    PsycopgRepository,
    load_migrations,
    split_statements,
    to_pyformat,
    to_sql_parameters,
)
from medscribe.errors import DatabaseUnavailable
from medscribe.models import RecordingDetails


def _fail(repo: PsycopgRepository, error_name: str, error_message: str, at: datetime = AT) -> None:
    """RecordFailure's PostgreSQL branch for the one recording of these tests."""
    repo.record_failure(
        recording_id="visit-0001",
        tenant="clinic-a",
        error_name=error_name,
        error_message=error_message,
        at=at,
    )


# ---- pure helpers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT :a", "SELECT %(a)s"),
        ("SELECT :attrs::jsonb, x::text", "SELECT %(attrs)s::jsonb, x::text"),
        ("SELECT CAST(:at AS timestamptz)", "SELECT CAST(%(at)s AS timestamptz)"),
        ("SELECT ':not_a_param', :p", "SELECT ':not_a_param', %(p)s"),
        ("SELECT 'it''s :x' || :y", "SELECT 'it''s :x' || %(y)s"),
        ("SELECT 5 % 2, '100%'", "SELECT 5 %% 2, '100%%'"),
    ],
)
def test_to_pyformat(sql: str, expected: str) -> None:
    assert to_pyformat(sql) == expected


def test_migration_files_split_into_single_statements() -> None:
    migrations = load_migrations()
    assert [v for v, _ in migrations] == sorted(v for v, _ in migrations)
    assert migrations[0][0] == "0001_init"
    statements = migrations[0][1]
    assert len(statements) == 6
    assert all(s.startswith("CREATE") and ";" not in s for s in statements)
    assert split_statements("-- c\nA;\nB ;  \n\n") == ["A", "B"]


def test_data_api_parameters_are_typed() -> None:
    params = to_sql_parameters(
        {"s": "x", "i": 3, "f": 0.5, "b": True, "n": None, "at": AT, "j": [{"a": 1}], "d": {"k": "é"}}
    )
    assert params == [
        {"name": "s", "value": {"stringValue": "x"}},
        {"name": "i", "value": {"longValue": 3}},
        {"name": "f", "value": {"doubleValue": 0.5}},
        {"name": "b", "value": {"booleanValue": True}},
        {"name": "n", "value": {"isNull": True}},
        {"name": "at", "value": {"stringValue": "2026-11-22T06:30:00+00:00"}},
        {"name": "j", "value": {"stringValue": '[{"a":1}]'}},
        {"name": "d", "value": {"stringValue": '{"k":"é"}'}},
    ]


# ---- psycopg on a real PostgreSQL ----------------------------------------------------------------------


def test_migrations_are_applied_once_and_recorded(pg_url: str) -> None:
    repo = PsycopgRepository(pg_url)
    assert repo.migrate() == VERSIONS
    assert repo.migrate() == []
    with psycopg.connect(pg_url) as conn:
        recorded = conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
        assert recorded == [(v,) for v in VERSIONS]
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert set(TABLES) | {"schema_migrations"} <= tables


def test_concurrent_migrations_apply_once(pg_url: str) -> None:
    # Given two cold starts migrating at the same moment
    results: list[list[str]] = []
    threads = [
        threading.Thread(target=lambda: results.append(PsycopgRepository(pg_url).migrate())) for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then exactly one applied the migration and neither failed
    assert sorted(results) == [[], VERSIONS]


def test_save_results_twice_leaves_identical_rows(pg_url: str) -> None:
    # Given a migrated database
    repo = PsycopgRepository(pg_url)
    repo.migrate()
    # When the same results are saved twice (a retried PersistResults)
    n1 = repo.save_results(
        state=state(), transcript_text=TEXT, kept_entities=ENTITIES, dropped_count=1, at=AT
    )
    first = dump(pg_url)
    n2 = repo.save_results(
        state=state(), transcript_text=TEXT, kept_entities=ENTITIES, dropped_count=1, at=AT
    )
    # Then the rows are identical, with the entities once
    assert n1 == n2 == 2
    assert dump(pg_url) == first
    assert [len(first[t]) for t in TABLES] == [1, 1, 2, 1]
    with psycopg.connect(pg_url) as conn:
        row = conn.execute(
            "SELECT status, entity_count, dropped_entity_count, completed_at FROM recordings"
        ).fetchone()
        ents = conn.execute(
            "SELECT entity_id, negated, attributes, traits, rxnorm_concepts FROM entities ORDER BY entity_id"
        ).fetchall()
        text = conn.execute("SELECT text, word_count FROM transcriptions").fetchone()
    # (not COMPLETED yet: that is written after the completion event is out)
    assert row == ("TRANSCRIBED", 2, 1, None)
    repo.mark_completed(recording_id="visit-0001", at=AT)
    with psycopg.connect(pg_url) as conn:
        row = conn.execute(
            "SELECT status, entity_count, dropped_entity_count, completed_at FROM recordings"
        ).fetchone()
    assert row == ("COMPLETED", 2, 1, AT)
    assert [e[1] for e in ents] == [True, False]  # NEGATION trait >= min score
    assert ents[1][2][0]["Text"] == "81 mg"
    assert ents[1][4] == [{"Code": "1191", "Description": "aspirin", "Score": 0.91}]
    assert ents[0][4] is None
    assert text == (TEXT, 9)


def test_save_results_replaces_entities(pg_url: str) -> None:
    repo = PsycopgRepository(pg_url)
    repo.migrate()
    repo.save_results(state=state(), transcript_text=TEXT, kept_entities=ENTITIES, dropped_count=0, at=AT)
    assert (
        repo.save_results(
            state=state(), transcript_text=TEXT, kept_entities=ENTITIES[1:], dropped_count=1, at=AT
        )
        == 1
    )
    assert [r[1] for r in dump(pg_url)["entities"]] == [1]
    assert repo.save_results(state=state(), transcript_text="", kept_entities=[], dropped_count=0, at=AT) == 0
    assert dump(pg_url)["entities"] == []


def test_record_failure_does_not_overwrite_completed(pg_url: str) -> None:
    # Given a COMPLETED recording
    repo = PsycopgRepository(pg_url)
    repo.migrate()
    repo.save_results(state=state(), transcript_text=TEXT, kept_entities=ENTITIES, dropped_count=1, at=AT)
    repo.mark_completed(recording_id="visit-0001", at=AT)
    before = dump(pg_url)
    # When a late failure is recorded for it
    _fail(repo, "States.Timeout", "late")
    # Then nothing changed
    assert dump(pg_url) == before


def test_record_failure_upserts_and_a_later_success_clears_it(pg_url: str) -> None:
    repo = PsycopgRepository(pg_url)
    repo.migrate()
    _fail(repo, "CorruptAudio", "bad header")
    _fail(repo, "TranscriptionJobFailed", "x", at=AT + timedelta(minutes=1))
    with psycopg.connect(pg_url) as conn:
        q = "SELECT status, error_name, error_message FROM recordings"
        assert conn.execute(q).fetchall() == [("FAILED", "TranscriptionJobFailed", "x")]
        repo.save_results(state=state(), transcript_text=TEXT, kept_entities=ENTITIES, dropped_count=1, at=AT)
        assert conn.execute(q).fetchall() == [("TRANSCRIBED", None, None)]
        repo.mark_completed(recording_id="visit-0001", at=AT)
        assert conn.execute(q).fetchall() == [("COMPLETED", None, None)]


def test_results_saved_but_completion_not_published_then_a_failure_marks_the_row_failed(pg_url: str) -> None:
    # Given results saved by PersistResults, and PublishCompletion failing (no mark_completed)
    repo = PsycopgRepository(pg_url)
    repo.migrate()
    repo.save_results(state=state(), transcript_text=TEXT, kept_entities=ENTITIES, dropped_count=1, at=AT)
    # When RecordFailure's PostgreSQL branch runs
    _fail(repo, "EventPublishFailed", "x")
    # Then the store says FAILED: it never claims COMPLETED without a completion event
    with psycopg.connect(pg_url) as conn:
        row = conn.execute("SELECT status, error_name, completed_at FROM recordings").fetchone()
    assert row == ("FAILED", "EventPublishFailed", None)


def test_a_failing_save_rolls_back_everything(pg_url: str) -> None:
    repo = PsycopgRepository(pg_url)
    repo.migrate()
    duplicate_ids = [ENTITIES[0], {**ENTITIES[1], "Id": 0}]
    with pytest.raises(psycopg.errors.UniqueViolation):
        repo.save_results(
            state=state(), transcript_text=TEXT, kept_entities=duplicate_ids, dropped_count=0, at=AT
        )
    assert all(rows == [] for rows in dump(pg_url).values())


def test_unreachable_server_raises_database_unavailable(tmp_path: Any) -> None:
    repo = PsycopgRepository(f"postgresql://postgres@/postgres?host={tmp_path}&port=1", connect_timeout=2)
    with pytest.raises(DatabaseUnavailable):
        repo.migrate()


# ---- recording details (the request's optional, PHI-bearing fields) ---------------------------------------

DETAILS = RecordingDetails(
    recording_id="visit-0001",
    tenant="clinic-a",
    clinician_name="Dr. Ada Example",
    patient_reference="MRN 00-1234",
    date_of_service=date(2026, 11, 20),
    transcription_type="DICTATION",
    original_filename="follow up Jane Doe.wav",
    received_at=datetime(2026, 11, 22, 6, 0, 1, 250000, tzinfo=UTC),
)


def test_recording_details_migration_adds_the_table() -> None:
    names = dict(load_migrations())
    assert "0003_recording_details" in names
    (statement,) = names["0003_recording_details"]
    assert statement.startswith("CREATE TABLE recording_details")


def test_details_round_trip_and_upsert_with_psycopg(pg_url: str) -> None:
    # Given a migrated database with no details
    repo = PsycopgRepository(pg_url)
    repo.migrate()
    assert repo.get_details("visit-0001") is None
    # When the request fields are saved, then saved again with some changed (a repeated POST)
    repo.save_details(DETAILS)
    assert repo.get_details("visit-0001") == DETAILS
    changed = DETAILS.model_copy(update={"clinician_name": None, "date_of_service": date(2026, 11, 21)})
    repo.save_details(changed)
    # Then one row holds the latest values, read back exactly
    assert repo.get_details("visit-0001") == changed
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM recording_details").fetchone() == (1,)
    assert repo.get_details("visit-0002") is None


def test_details_with_only_required_fields(pg_url: str) -> None:
    repo = PsycopgRepository(pg_url)
    repo.migrate()
    bare = RecordingDetails(recording_id="r-1", tenant="clinic-b", received_at=AT)
    repo.save_details(bare)
    got = repo.get_details("r-1")
    assert got == bare
    assert got is not None
    assert got.date_of_service is None
    assert got.patient_reference is None


def test_details_through_the_data_api_match_psycopg(data_api: PgBackedDataApi) -> None:
    # Given the Data API (botocore-validated requests answered by PostgreSQL)
    repo = DataApiRepository(data_api.client, CLUSTER, SECRET, "medscribe")
    repo.migrate()
    # When details are saved and read through it
    repo.save_details(DETAILS)
    got = repo.get_details("visit-0001")
    # Then they come back equal (date and timestamp survive the Data API's text values), and the same row is
    # visible to psycopg
    assert got == DETAILS
    assert PsycopgRepository(data_api.url).get_details("visit-0001") == DETAILS
    assert repo.get_details("nope") is None
    sent = [b for op, b in data_api.calls if op == "ExecuteStatement" and "recording_details" in b["sql"]]
    assert any(
        p == {"name": "date_of_service", "value": {"stringValue": "2026-11-20"}}
        for b in sent
        for p in b.get("parameters", [])
    )


# ---- review flags (the draft's "Needs review" items) ---------------------------------------------------------

FLAGS: list[dict[str, Any]] = [
    {
        "kind": "ORPHAN_ATTRIBUTE",
        "subject": "40 mg",
        "message": "dose “40 mg” with no medication identified",
        "score": 0.8,
        "entity_id": 8,
        "begin_offset": 60,
        "end_offset": 65,
    },
    {"kind": "BLANK_CELL", "subject": "aspirin", "message": "aspirin: no route stated", "score": None},
]


@pytest.mark.parametrize("driver", ["psycopg", "data_api"])
def test_review_flags_are_replaced_per_recording(driver: str, pg_url: str) -> None:
    # Given a completed recording, through either driver
    repo: Any = (
        PsycopgRepository(pg_url)
        if driver == "psycopg"
        else DataApiRepository(PgBackedDataApi(pg_url).client, CLUSTER, SECRET, "medscribe")
    )
    repo.migrate()
    repo.save_results(state=state(), transcript_text=TEXT, kept_entities=ENTITIES, dropped_count=1, at=AT)
    # When its flags are saved twice (a retried PersistResults), then with one flag fewer
    assert repo.save_review_flags(recording_id="visit-0001", flags=FLAGS, at=AT) == 2
    assert repo.save_review_flags(recording_id="visit-0001", flags=FLAGS, at=AT) == 2
    with psycopg.connect(pg_url) as conn:
        q = "SELECT flag_id, kind, subject, score, entity_id FROM review_flags ORDER BY flag_id"
        rows = conn.execute(q).fetchall()
        assert rows == [(0, "ORPHAN_ATTRIBUTE", "40 mg", 0.8, 8), (1, "BLANK_CELL", "aspirin", None, None)]
        repo.save_review_flags(recording_id="visit-0001", flags=FLAGS[1:], at=AT)
        # Then the rows are the latest set, never appended
        assert conn.execute(q).fetchall() == [(0, "BLANK_CELL", "aspirin", None, None)]
        repo.save_review_flags(recording_id="visit-0001", flags=[], at=AT)
        assert conn.execute(q).fetchall() == []

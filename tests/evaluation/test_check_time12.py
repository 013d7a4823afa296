"""The session 15 time-grammar check set (corpus/drafts/check_time12.jsonl; PROCEDURE.md, the section of time12,
session 15) is valid, never held out, of one category, dates every kind of owner, holds habitual, calendar and
event-counted times, and holds numbers and habits of no medical event that are no reference."""

from __future__ import annotations

from pathlib import Path

from heldout_support import entity_check_set

from medscribe.evaluation import entity_set
from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_time12.jsonl"


def test_the_check_set_is_valid_and_never_held_out() -> None:
    notes = entity_check_set(CHECK, at_least=12)
    assert entity_set.counted(notes) == {"TIME_EXPRESSION": 45}


def test_every_time_dates_an_entity_of_every_kind() -> None:
    times = [r for n in load_notes(CHECK) for r in n["expect"]["entities"]]
    assert all(r["Type"].startswith("TIME_TO_") and r["Attributes"] for r in times)
    assert {r["Type"] for r in times} == {
        "TIME_TO_DX_NAME",
        "TIME_TO_MEDICATION_NAME",
        "TIME_TO_TEST_NAME",
        "TIME_TO_PROCEDURE_NAME",
    }


def test_habitual_calendar_and_event_counted_times_are_references() -> None:
    texts = {r["Text"] for n in load_notes(CHECK) for r in n["expect"]["entities"]}
    assert {
        "at weekends",
        "most mornings",
        "every other night",
        "since last winter",
        "over the bank holiday",
        "three weeks after the operation",
        "on post-op day 3",
        "at half past seven this morning",
    } <= texts


def test_numbers_and_habits_of_no_medical_event_are_no_reference() -> None:
    notes = {n["id"]: n for n in load_notes(CHECK)}
    said = {
        "t01-respiratory": "sees her grandparents at weekends",
        "t03-orthopaedics": "ward 7, bed 14",
        "t06-psychiatry": "PHQ-9 score 17",
        "t08-urology": "drives a taxi most nights",
        "t10-gynaecology": "works 3 days a week",
        "t12-elderly": "plays bingo on Fridays",
    }
    for nid, words in said.items():
        begin = notes[nid]["text"].index(words)
        assert not any(
            begin <= r["BeginOffset"] < begin + len(words) for r in notes[nid]["expect"]["entities"]
        ), nid

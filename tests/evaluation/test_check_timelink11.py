"""The session 14 time-link check set (corpus/drafts/check_timelink11.jsonl; PROCEDURE.md, the section of
timelink11, session 14) is valid, never held out, of one category, dates every kind of owner, puts times between two
owners, and holds times with no medical event and drug schedules that are no reference."""

from __future__ import annotations

from pathlib import Path

from heldout_support import entity_check_set

from medscribe.evaluation import entity_set
from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_timelink11.jsonl"


def test_the_check_set_is_valid_and_never_held_out() -> None:
    notes = entity_check_set(CHECK, at_least=12)
    assert entity_set.counted(notes) == {"TIME_EXPRESSION": 42}


def test_every_time_dates_an_entity_of_every_kind() -> None:
    times = [r for n in load_notes(CHECK) for r in n["expect"]["entities"]]
    assert all(r["Type"].startswith("TIME_TO_") and r["Attributes"] for r in times)
    assert {r["Type"] for r in times} == {
        "TIME_TO_DX_NAME",
        "TIME_TO_MEDICATION_NAME",
        "TIME_TO_TEST_NAME",
        "TIME_TO_PROCEDURE_NAME",
    }


def test_times_with_no_medical_event_and_drug_schedules_are_no_reference() -> None:
    notes = {n["id"]: n for n in load_notes(CHECK)}
    said = {
        "k01-gastro": "moved to a new flat last month",
        "k03-cardiology": "came with him today",
        "k09-paediatrics": "sent him home on Tuesday",
        "k10-psychiatry": "back to work on Monday",
        "k11-urology": "cruise next month",
        "k07-respiratory": "on the first day, then 100 mg daily for a further four days",
    }
    for nid, words in said.items():
        begin = notes[nid]["text"].index(words)
        assert not any(
            begin <= r["BeginOffset"] < begin + len(words) for r in notes[nid]["expect"]["entities"]
        ), nid


def test_times_stand_between_two_owners_across_a_comma_and_and() -> None:
    notes = load_notes(CHECK)
    between = [
        r["Text"]
        for n in notes
        for r in n["expect"]["entities"]
        if n["text"][r["EndOffset"] :].startswith(", and ")
    ]
    assert {"for six weeks", "in August", "for four months", "in the summer"} <= set(between)

"""The session 16 time-precision check set (corpus/drafts/check_time13.jsonl; PROCEDURE.md, the section of time13,
session 16) is valid, never held out, of one category, and holds numbers, schedules and habits that are no time
expression beside the references of every kind of owner."""

from __future__ import annotations

from pathlib import Path

from heldout_support import entity_check_set

from medscribe.evaluation import entity_set
from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_time13.jsonl"


def test_the_check_set_is_valid_and_never_held_out() -> None:
    notes = entity_check_set(CHECK, at_least=12)
    assert entity_set.counted(notes) == {"TIME_EXPRESSION": 41}


def test_every_time_dates_an_entity_of_every_kind() -> None:
    times = [r for n in load_notes(CHECK) for r in n["expect"]["entities"]]
    assert all(r["Type"].startswith("TIME_TO_") and r["Attributes"] for r in times)
    assert {r["Type"] for r in times} == {
        "TIME_TO_DX_NAME",
        "TIME_TO_MEDICATION_NAME",
        "TIME_TO_TEST_NAME",
        "TIME_TO_PROCEDURE_NAME",
    }


def test_numbers_schedules_and_habits_that_are_no_time_are_no_reference() -> None:
    notes = {n["id"]: n for n in load_notes(CHECK)}
    said = {
        "u01-cardiology": "He retired 2 years ago",
        "u03-respiratory": "the lift has been broken for a month",
        "u04-paediatrics": "She had croup at 18 months",
        "u06-psychiatry": "works 3 night shifts a week",
        "u07-neurology": "no more than 2 doses in 24 hours",
        "u08-rheumatology": "once a week on Mondays",
        "u09-dermatology": "then once a day for a week",
        "u10-urology": "He goes fishing every weekend",
        "u12-renal": "Fluid limit 1.5 litres a day",
    }
    for nid, words in said.items():
        begin = notes[nid]["text"].index(words)
        assert not any(
            begin <= r["BeginOffset"] < begin + len(words) for r in notes[nid]["expect"]["entities"]
        ), nid

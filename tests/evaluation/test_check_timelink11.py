"""The session 14 time-link check set (corpus/drafts/check_timelink11.jsonl; PROCEDURE.md, the section of
timelink11, session 14) is valid, never held out, of one category, dates every kind of owner, puts times between two
owners, and holds times with no medical event and drug schedules that are no reference.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_timelink11.jsonl"


def test_times_stand_between_two_owners_across_a_comma_and_and() -> None:
    notes = load_notes(CHECK)
    between = [
        r["Text"]
        for n in notes
        for r in n["expect"]["entities"]
        if n["text"][r["EndOffset"] :].startswith(", and ")
    ]
    assert {"for six weeks", "in August", "for four months", "in the summer"} <= set(between)

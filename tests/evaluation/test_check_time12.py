"""The session 15 time-grammar check set (corpus/drafts/check_time12.jsonl; PROCEDURE.md, the section of time12,
session 15) is valid, never held out, of one category, dates every kind of owner, holds habitual, calendar and
event-counted times, and holds numbers and habits of no medical event that are no reference.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_time12.jsonl"


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

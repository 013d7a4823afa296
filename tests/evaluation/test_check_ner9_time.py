"""The session 12 time-expression check set (corpus/drafts/check_ner9_time.jsonl; PROCEDURE.md, the section of
time9, session 12) is valid, never held out, of one category, and no drug schedule or service time is a time
reference.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_ner9_time.jsonl"


def test_every_time_reference_dates_an_entity_and_no_schedule_is_one() -> None:
    # Given the set's time references
    notes = load_notes(CHECK)
    times = [r for n in notes for r in n["expect"]["entities"]]
    # Then each dates an entity said in its note (OVERLAP), as AWS returns a time expression only with another one
    assert all(r["Type"].startswith("TIME_TO_") and r["Attributes"] for r in times)
    texts = {r["Text"].lower() for r in times}
    # And no drug schedule or course, service time or undated time of the notes is one (PROCEDURE.md, time9)
    assert not texts & {
        "four times a day",
        "once a day",
        "every four to six hours",
        "each morning",
        "once a week",
    }
    assert not texts & {
        "last year",
        "until monday",
        "next week",
        "in april",
        "in may",
        "every weekend",
        "in six weeks",
    }

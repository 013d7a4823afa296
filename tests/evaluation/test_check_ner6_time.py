"""The session 10 time/anatomy check set (corpus/drafts/check_ner6_time.jsonl, PROCEDURE.md section 25) is valid,
never held out, of its two categories, and no drug schedule or service time is a time reference.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_ner6_time.jsonl"


def test_every_time_reference_dates_an_entity_and_no_schedule_is_one() -> None:
    # Given the set's time references
    notes = load_notes(CHECK)
    times = [r for n in notes for r in n["expect"]["entities"] if r["Category"] == "TIME_EXPRESSION"]
    # Then each dates an entity said in its note (OVERLAP), as AWS returns a time expression only with another one
    assert all(r["Type"].startswith("TIME_TO_") and r["Attributes"] for r in times)
    # And no drug schedule, course or service time of the notes is one (PROCEDURE.md sections 4 and 25)
    texts = {r["Text"].lower() for r in times}
    assert not texts & {
        "each morning",
        "twice a day",
        "every six hours",
        "at bedtime",
        "every other day",
        "daily",
    }
    assert not texts & {
        "in a fortnight",
        "daily for a week",
        "within 48 hours",
        "in a month",
        "in her thirties",
    }

"""The session 10 time/anatomy check set (corpus/drafts/check_ner6_time.jsonl, PROCEDURE.md section 25) is valid,
never held out, of its two categories, and no drug schedule or service time is a time reference."""

from __future__ import annotations

from pathlib import Path

from heldout_support import entity_check_set

from medscribe.evaluation import entity_set
from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_ner6_time.jsonl"


def test_the_check_set_is_valid_and_never_held_out() -> None:
    # Given the check set (scored before and after, never tuned on)
    # Then its forms and offsets are valid, its split "tuning", its categories the two it was written for
    notes = entity_check_set(CHECK, at_least=12)
    refs = entity_set.counted(notes)
    assert set(refs) == {"ANATOMY", "TIME_EXPRESSION"}
    assert refs["TIME_EXPRESSION"] >= 40
    assert refs["ANATOMY"] >= 30


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

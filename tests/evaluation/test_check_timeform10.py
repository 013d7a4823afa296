"""The session 13 time-form check set (corpus/drafts/check_timeform10.jsonl; PROCEDURE.md, the section of
timeform10, session 13) is valid, never held out, of one category, puts its times at every position a punctuated
note puts them, and no drug course, service time or undated time of its notes is a reference.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_timeform10.jsonl"


def test_times_stand_at_every_punctuated_position() -> None:
    # Given the set's time references and the character before and after each
    notes = load_notes(CHECK)
    around = [
        (n["text"][: r["BeginOffset"]].rstrip()[-1:], n["text"][r["EndOffset"] :][:1], r["Text"])
        for n in notes
        for r in n["expect"]["entities"]
    ]
    # Then some open a note or a sentence capitalised, some stand before a comma, a colon or a full stop, in
    # brackets, and some are hyphenated, in digits, dates, clock times or "x N days"
    assert any(before in {"", "."} and text[0].isupper() for before, _, text in around)
    assert {",", ":", ".", ")", ";"} <= {after for _, after, _ in around}
    assert {"(", ":", ","} <= {before for before, _, _ in around}
    texts = {text for _, _, text in around}
    assert {"3-day", "Two-week", "on 12/03", "on the 3rd", "at 10:30", "x 3 days", "at 3 am"} <= texts


def test_every_time_dates_an_entity_and_no_course_or_service_time_is_one() -> None:
    times = [r for n in load_notes(CHECK) for r in n["expect"]["entities"]]
    assert all(r["Type"].startswith("TIME_TO_") and r["Attributes"] for r in times)
    texts = {r["Text"].lower() for r in times}
    assert not texts & {
        "x 5 days",
        "for 3 days",
        "once a day",
        "twice a day",
        "twice a week",
        "up to four times a day",
    }
    assert not texts & {
        "in a week",
        "on monday",
        "until monday",
        "last year",
        "this week",
        "tomorrow morning",
    }

"""The session 13 anatomy/time check set (corpus/drafts/check_ner10_anat.jsonl; PROCEDURE.md, the section of anat10,
session 13) is valid, never held out, of its two categories, and none of its body fluids, test or service names,
drug schedules, rates, ages or service times is a reference.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_ner10_anat.jsonl"


def test_no_fluid_test_or_service_name_is_a_site_and_every_time_dates_an_entity() -> None:
    # Given the set's references
    refs = [r for n in load_notes(CHECK) for r in n["expect"]["entities"]]
    sites = {r["Text"].lower() for r in refs if r["Category"] == "ANATOMY"}
    times = [r for r in refs if r["Category"] == "TIME_EXPRESSION"]
    # Then no body fluid and no organ word of a test or service name is a site (PROCEDURE.md, anat10)
    assert not sites & {
        "blood",
        "urine",
        "stool",
        "sputum",
        "phlegm",
        "tears",
        "liver",
        "lung",
        "heart",
        "kidney",
    }
    # And no side is inside a site's span (it is the site's DIRECTION)
    assert not any(s.split()[0] in {"left", "right", "both"} for s in sites)
    # And each time reference dates an entity said in its note (OVERLAP), none a schedule, rate, age or visit
    assert all(r["Type"].startswith("TIME_TO_") and r["Attributes"] for r in times)
    assert not {r["Text"].lower() for r in times} & {
        "once a day",
        "per day",
        "a week",
        "twice a week",
        "for eight weeks",
        "in ten days",
        "in a month",
        "tomorrow morning",
        "last year",
        "on monday",
    }

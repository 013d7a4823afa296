"""The session 14 anatomy check set (corpus/drafts/check_anat11.jsonl; PROCEDURE.md, the section of anat11,
session 14) is valid, never held out, of ANATOMY only, and none of its test, service, drug or fluid words, sides or
usual condition names is a site reference.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_anat11.jsonl"


def test_no_side_test_service_drug_or_fluid_word_is_a_site() -> None:
    # Given the set's references
    sites = {r["Text"].lower() for n in load_notes(CHECK) for r in n["expect"]["entities"]}
    # Then no side is inside a site's span, and a structure keeps its site ("wrist extensors", "thenar muscles")
    assert not any(s.split()[0] in {"left", "right", "both", "lower"} for s in sites)
    assert {"wrist extensors", "thenar muscles", "temporal bone", "distal interphalangeal joint"} <= sites
    # And no organ word of a test, service, drug or fluid name, nor of a usual condition name, is a site
    assert not sites & {
        "chest",
        "hand",
        "heart",
        "skin",
        "eye",
        "bladder",
        "kidney",
        "breast",
        "nerve",
        "disc",
    }

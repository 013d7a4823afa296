"""The session 16 anatomy check sets (corpus/drafts/check_anat13.jsonl and check_anat13b.jsonl; PROCEDURE.md, the
sections of anat13, session 16): a general head of disorder keeps its site inside the condition's name, a site word
before its organ's sound, product or habit is no site; an examination sign's site, a plural site before a service's
word and the site after "the backs of" are sites, a site word before a drug, product or exercise is none.
What every check set keeps (validity, size, references per category): its row in heldout_support.CHECK_SETS, tested
by test_check_sets.py."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_anat13.jsonl"
CHECK_B = ROOT / "corpus/drafts/check_anat13b.jsonl"


def _references(path: Path, category: str) -> set[str]:
    return {
        r["Text"].lower()
        for n in load_notes(path)
        for r in n["expect"]["entities"]
        if r["Category"] == category
    }


def test_a_disorder_head_keeps_its_site_and_an_organs_product_is_no_site() -> None:
    # Given the first set's references
    sites, conditions = _references(CHECK, "ANATOMY"), _references(CHECK, "MEDICAL_CONDITION")
    # Then a site before a general head of disorder is inside the condition's name, never a site of its own
    assert {
        "liver injury",
        "kidney damage",
        "bladder dysfunction",
        "large bowel obstruction",
        "skin infection",
    } <= (conditions)
    assert not sites & {
        "bowel",
        "bladder",
        "nerve",
        "lung",
        "brain",
        "skin",
        "nail",
        "sinus",
        "airway",
        "spinal cord",
    }
    # And a sign keeps its site apart, a side stays outside, an organ's sound or milk is no site
    assert {"knee", "calf", "ankles", "ear"} <= sites
    assert {"swelling", "tenderness"} <= conditions
    assert not sites & {"heart", "breast"}


def test_a_signs_site_a_plural_site_and_the_site_after_backs_of_are_sites() -> None:
    # Given the second set's references
    sites = _references(CHECK_B, "ANATOMY")
    # Then an examination sign's site, a plural site before a service word and the site after "the backs of" count
    assert {"feet", "tympanic membrane", "neck", "knees", "heels", "hands"} <= sites
    # And no place word, no usual name's site, no site word before a drug, product or exercise
    assert not sites & {
        "backs",
        "fronts",
        "throat",
        "prostate",
        "skin",
        "heart",
        "stomach",
        "calf",
        "eye",
        "ear",
    }

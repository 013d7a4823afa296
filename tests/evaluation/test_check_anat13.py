"""The session 16 anatomy check set (corpus/drafts/check_anat13.jsonl; PROCEDURE.md, the section of anat13,
session 16) is valid and never held out; a general head of disorder keeps its site inside the condition's name, and
a site word before its organ's sound, product or movement is no site."""

from __future__ import annotations

from pathlib import Path

from heldout_support import entity_check_set

from medscribe.evaluation import entity_set
from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_anat13.jsonl"


def test_the_check_set_is_valid_and_never_held_out() -> None:
    # Given the check set (scored before and after, never tuned on)
    # Then its forms and offsets are valid, its split "tuning", its categories ANATOMY and MEDICAL_CONDITION
    notes = entity_check_set(CHECK, at_least=12)
    assert len(notes) == 12
    assert entity_set.counted(notes) == {"ANATOMY": 16, "MEDICAL_CONDITION": 36}


def test_a_disorder_head_keeps_its_site_and_an_organs_product_is_no_site() -> None:
    # Given the set's references
    refs = [r for n in load_notes(CHECK) for r in n["expect"]["entities"]]
    sites = {r["Text"].lower() for r in refs if r["Category"] == "ANATOMY"}
    conditions = {r["Text"].lower() for r in refs if r["Category"] == "MEDICAL_CONDITION"}
    # Then a site before a general head of disorder is inside the condition's name, never a site of its own
    assert {
        "liver injury",
        "kidney damage",
        "bladder dysfunction",
        "large bowel obstruction",
        "skin infection",
    } <= conditions
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
    # And a sign keeps its site apart, a side stays outside
    assert {"knee", "calf", "ankles", "ear"} <= sites
    assert {"swelling", "tenderness"} <= conditions
    assert not sites & {"heart", "breast"}


CHECK_B = ROOT / "corpus/drafts/check_anat13b.jsonl"


def test_the_second_check_set_is_valid_and_of_anatomy_only() -> None:
    # Given the second round's check set (written before that round's code, never tuned on)
    notes = entity_check_set(CHECK_B, at_least=10)
    assert entity_set.counted(notes) == {"ANATOMY": 19}
    sites = {r["Text"].lower() for n in notes for r in n["expect"]["entities"]}
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

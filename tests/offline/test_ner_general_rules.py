"""General rules of the offline detector that reach beyond its tuned notes (time points, shared sites,
nutrients as drugs, episode words, drug negation and hypothesis cues), and the held-out notes' integrity.

The phrases here are our own and are not the held-out notes (``data/ner_heldout_notes.json``), which stay
untuned: the last test checks that none of them is copied here or into the conformance set.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ner_support import one, sites, times, traits

from medscribe.offline.ner import OfflineEntityDetector
from medscribe.offline.ner.conformance import CATEGORIES, Tally, load_notes, side_by_side

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wheezing since Friday.", {"since Friday": ["Wheezing"]}),
        ("Diarrhea since this afternoon.", {"since this afternoon": ["Diarrhea"]}),
        ("Took naproxen until last month.", {"until last month": ["naproxen"]}),
        ("Dizziness for about 3 days.", {"for about 3 days": ["Dizziness"]}),
        ("Ferritin five weeks ago was low.", {"five weeks ago": ["Ferritin"]}),
        ("Repeat CBC and BMP in 3 months.", {"in 3 months": ["CBC", "BMP"]}),
    ],
)
def test_time_points_and_their_prepositions_are_one_time_expression(
    detector: OfflineEntityDetector, text: str, expected: dict[str, list[str]]
) -> None:
    # Given a time point with its preposition, an approximate stretch, or a time after a spelled-out number
    # When detected / Then one top-level TIME_EXPRESSION dates the entity (coordinated tests share it)
    assert times(detector.detect_entities(text)) == expected


def test_a_site_reached_by_radiation_or_shared_by_coordinated_conditions(
    detector: OfflineEntityDetector,
) -> None:
    # Given pain radiating to a site, and two signs coordinated before "over <site>"
    resp = detector.detect_entities(
        "Neck pain radiating to the right arm. Redness and swelling over the calf."
    )
    # Then the site is an attribute of the pain, and of both signs, and (as AWS returns it) once at the top level
    assert sites(resp, "Neck pain") == ["arm"]
    assert sites(resp, "Redness") == ["calf"]
    assert sites(resp, "swelling") == ["calf"]
    assert sorted(e["Text"] for e in resp["Entities"] if e["Category"] == "ANATOMY") == ["arm", "calf"]


@pytest.mark.parametrize(
    ("text", "name", "category"),
    [
        ("Magnesium 400 mg po qhs.", "Magnesium", "MEDICATION"),
        ("Zinc tablets daily.", "Zinc", "MEDICATION"),
        ("Take calcium with vitamin D.", "calcium", "MEDICATION"),
        ("Potassium 4.9 today.", "Potassium", "TEST_TREATMENT_PROCEDURE"),
        ("Checked magnesium today.", "magnesium", "TEST_TREATMENT_PROCEDURE"),
        ("Iron 40, ferritin low.", None, None),
    ],
)
def test_a_nutrient_is_a_drug_only_with_a_form_or_a_drug_strength(
    detector: OfflineEntityDetector, text: str, name: str | None, category: str | None
) -> None:
    # Given a nutrient word before a drug strength / a form / after a verb of taking, or as a lab
    resp = detector.detect_entities(text)
    meds = [e["Text"] for e in resp["Entities"] if e["Category"] == "MEDICATION"]
    if category is None:
        # Then a lab value never makes it a drug
        assert meds == []
        return
    # Then it is a drug only in the first case, a test in the other
    assert one(resp, name)["Category"] == category
    assert (name in meds) == (category == "MEDICATION")


def test_an_episode_word_belongs_to_the_diagnosis_name(detector: OfflineEntityDetector) -> None:
    # Given "<diagnosis> flare" / "<diagnosis> exacerbation" and a symptom followed by "attack" is not merged
    resp = detector.detect_entities("Psoriasis flare on the elbows. Migraine attack yesterday.")
    conditions = [e["Text"] for e in resp["Entities"] if e["Category"] == "MEDICAL_CONDITION"]
    # Then the episode word is part of the name, and the site and time attach to the whole
    assert conditions == ["Psoriasis flare", "Migraine attack"]
    assert sites(resp, "Psoriasis flare") == ["elbows"]


@pytest.mark.parametrize(
    ("text", "drug", "trait"),
    [
        ("Avoid ibuprofen.", "ibuprofen", "NEGATION"),
        ("She declined statins.", "statins", "NEGATION"),
        ("Refuses insulin.", "insulin", "NEGATION"),
        ("May start lisinopril if BP stays high.", "lisinopril", "HYPOTHETICAL"),
    ],
)
def test_drug_cues_of_refusal_and_possibility(
    detector: OfflineEntityDetector, text: str, drug: str, trait: str
) -> None:
    # Given a refusal or a possible start / Then the drug carries NEGATION / HYPOTHETICAL (never prescribed)
    assert trait in traits(one(detector.detect_entities(text), drug))


def test_held_out_notes_are_well_formed_and_copied_nowhere() -> None:
    # Given the held-out notes and the tuned conformance notes
    held = load_notes(DATA / "ner_heldout_notes.json")
    tuned = load_notes(DATA / "conformance_notes.json")
    # Then each held-out set has 10 notes, every expectation quotes its note, and no text appears in the
    # tuned set or in this file's phrases
    for name in ("heldout", "fresh", "last"):
        assert len([n for n in held if n["set"] == name]) == 10, name
    this_file = Path(__file__).read_text()
    tuned_texts = {n["text"] for n in tuned}
    for note in held:
        assert note["text"] not in tuned_texts, note["id"]
        assert note["text"] not in this_file, note["id"]
        for category in CATEGORIES:
            for e in note[category]:
                assert e["text"] in note["text"], (note["id"], e)
    assert not {n["id"] for n in held} & {n["id"] for n in tuned}


def test_side_by_side_table_shows_each_set_in_its_own_column() -> None:
    # Given two tallies with different counts
    a, b = Tally(), Tally()
    a.tp["MEDICATION"], a.fn["MEDICATION"] = 3, 1
    b.tp["ANATOMY"], b.fp["ANATOMY"] = 1, 1
    # When shown side by side
    table = side_by_side({"tuned": a, "held-out": b})
    lines = table.splitlines()
    # Then the header names both sets and each row carries P/R for both
    assert "tuned" in lines[0]
    assert "held-out" in lines[0]
    med = next(line for line in lines if line.startswith("MEDICATION"))
    assert med.split()[1:] == ["1.000/0.750", "1.000/1.000"]
    anatomy = next(line for line in lines if line.startswith("ANATOMY"))
    assert anatomy.split()[1:] == ["1.000/1.000", "0.500/1.000"]

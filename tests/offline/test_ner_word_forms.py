"""One-word condition names no list holds, known by their word form (``medscribe.offline.ner.word_forms``, data in
``data/ner/condition_word_forms.txt``), and a contrast that sets a name aside ("X rather than Y"). Each positive
case failed on the code before the module (nothing was returned for the word, or the set-aside name was not
negated)."""

from __future__ import annotations

import pytest
from ner_support import check_offsets_and_ids, one, texts, traits

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.offline.ner import OfflineEntityDetector
from medscribe.offline.ner.word_forms import trait_of

CONDITION = "MEDICAL_CONDITION"


@pytest.mark.parametrize(
    ("text", "name", "trait"),
    [
        ("Pancreatolithiasis on the CT.", "Pancreatolithiasis", "DIAGNOSIS"),
        ("Ileocolitis on the biopsy.", "Ileocolitis", "DIAGNOSIS"),
        ("Mild coccydynia after the fall.", "coccydynia", "SYMPTOM"),
        ("Hyperlactataemia on the gas.", "Hyperlactataemia", "SIGN"),
        ("Known hypoprothrombinaemia.", "hypoprothrombinaemia", "SIGN"),
    ],
)
@pytest.mark.parametrize("spoken", [False, True])
def test_a_word_of_a_condition_form_is_a_condition(
    detector: OfflineEntityDetector, text: str, name: str, trait: str, spoken: bool
) -> None:
    # Given a one-word name no list holds, punctuated or as the recogniser writes it
    said = recogniser_form(text) if spoken else text
    resp = detector.detect_entities(said)
    check_offsets_and_ids(resp, said)
    # Then it is one MEDICAL_CONDITION with the trait of its form
    entity = one(resp, recogniser_form(name) if spoken else name, CONDITION)
    assert entity["Type"] == "DX_NAME"
    assert trait in traits(entity)


@pytest.mark.parametrize(
    "word", ["diagnosis", "prognosis", "nostalgia", "diploma", "anastomosis", "ethiopia", "cortisol", "abc"]
)
def test_english_words_and_structures_are_never_taken(word: str) -> None:
    # Given an English word, a listed structure or a short word: no condition form applies
    assert trait_of(word) is None


def test_a_listed_drug_or_test_keeps_its_category(detector: OfflineEntityDetector) -> None:
    # Given a drug and a test said beside a condition of that form
    text = "Pancreatolithiasis: start metronidazole, CT colonography next week."
    resp = detector.detect_entities(text)
    # Then only the condition is one, the drug stays a drug
    assert texts(resp, CONDITION) == ["Pancreatolithiasis"]
    assert "metronidazole" in texts(resp, "MEDICATION")


@pytest.mark.parametrize("spoken", [False, True])
def test_a_name_set_aside_by_a_contrast_is_negated(detector: OfflineEntityDetector, spoken: bool) -> None:
    # Given "<name> rather than <name>" (a sound-alike set aside)
    text = "Low cortisol, so hypoadrenalism rather than hyperadrenalism."
    said = recogniser_form(text) if spoken else text
    resp = detector.detect_entities(said)
    # Then the first is stated and the second negated
    assert "NEGATION" not in traits(one(resp, "hypoadrenalism", CONDITION))
    assert "NEGATION" in traits(one(resp, "hyperadrenalism", CONDITION))

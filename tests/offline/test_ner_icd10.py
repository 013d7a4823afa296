"""The ICD-10-CM derived condition lexicon: its rules, and the committed file equals a rebuild."""

from __future__ import annotations

import importlib.util

import pytest

from medscribe.offline import ner_icd10
from medscribe.offline import ner_lexicon as lex


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Essential (primary) hypertension", ["essential hypertension"]),
        ("Acute bronchiolitis due to respiratory syncytial virus", ["acute bronchiolitis", "bronchiolitis"]),
        ("Migraine, not intractable, without status migrainosus", ["migraine"]),
        ("Hand, foot and mouth disease", ["hand foot and mouth disease"]),
        ("Other specified disorders of bone", []),
        ("Chalazion right eye", []),
        ("NIHSS score 3", []),
        # a subtype numeral is a grade: the name is said without it; a grade word itself ends no name
        ("Complex regional pain syndrome I of right upper limb", ["complex regional pain syndrome"]),
        ("Follicular lymphoma grade I, unspecified site", []),
    ],
)
def test_a_tabular_term_gives_the_name_a_clinician_says(description: str, expected: list[str]) -> None:
    assert [k for k in ner_icd10.surface_forms(description) if k != "hand"] == expected


def test_derived_names_are_conditions_but_never_override_curated_phrases() -> None:
    # Given the lexicon with the ICD-10-CM file loaded
    phrases = lex.clinical_lexicon().phrases
    # Then a tabular-only name is a condition with its chapter's DX trait, and curated phrases keep theirs
    assert phrases["bronchiolitis"].category == "MEDICAL_CONDITION"
    assert phrases["cellulitis"].category == "MEDICAL_CONDITION"
    assert phrases["knee"].category == "ANATOMY"
    # and an acuity word before a curated name stays an attribute ("chronic pain" = "pain" + ACUITY)
    assert "chronic pain" not in phrases
    assert "persistent cough" not in phrases


@pytest.mark.skipif(
    importlib.util.find_spec(ner_icd10.PACKAGE) is None, reason="simple-icd-10-cm not installed"
)
@pytest.mark.skipif(
    lex.cmudict_path() is None, reason="the build's English word list (pocketsphinx) is missing"
)
def test_committed_file_equals_a_rebuild_from_the_pinned_package() -> None:
    committed = lex.data_path(ner_icd10.OUTPUT_NAME).read_text(encoding="utf-8")
    assert committed == ner_icd10.rebuilt_text()

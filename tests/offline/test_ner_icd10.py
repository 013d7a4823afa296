"""The ICD-10-CM derived condition lexicon: its rules, and the committed file equals a rebuild."""

from __future__ import annotations

import importlib.util

import pytest

from medscribe.offline import ner_icd10, ner_icd10_heads
from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import OfflineEntityDetector


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
@pytest.mark.parametrize("module", [ner_icd10, ner_icd10_heads])
def test_committed_file_equals_a_rebuild_from_the_pinned_package(module: object) -> None:
    committed = lex.data_path(module.OUTPUT_NAME).read_text(encoding="utf-8")  # type: ignore[attr-defined]
    assert committed == module.rebuilt_text()  # type: ignore[attr-defined]


def _of(head: str, sites: int) -> list[str]:
    return [
        f"{head} of {site}" for site in ("artery", "vein", "colon", "ureter", "trachea", "bile duct")[:sites]
    ]


def test_a_finding_that_heads_the_titles_of_many_sites_is_a_name_and_its_lesion_noun_too() -> None:
    # Given titles "<Head> [and <head>] of <site>" and the words of the tabular list
    titles = [
        *_of("Stenosis", 5), *_of("Occlusion and stenosis", 1), *_of("Torsion", 4), *_of("Thrombosis", 5),
        *_of("Fibrosis", 5), *_of("Fear", 6), *_of("Disorders", 6), *_of("Necrosis", 5),
    ]  # fmt: skip
    attested = frozenset({"thrombus", "fibrosis", "saddle"})
    # When the heads are read, with "necrosis" a listed one-word condition
    rows = ner_icd10_heads.heads(titles, frozenset({"necrosis"}), attested)
    # Then a head of five sites is a name, with the lesion noun of a process head when the list uses that word
    assert rows == [("fibrosis",), ("stenosis",), ("thrombosis",), ("thrombus", "thrombosis")]
    # and never a head of fewer sites ("torsion", "occlusion"), a category or everyday word, a listed name, or an
    # unattested form ("fibrus")


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("The duplex shows a stenosis of the left renal artery.", "stenosis"),
        ("There is an occlusion of the superficial femoral artery.", "occlusion"),
        ("MRI: an infarct in the left occipital lobe.", "infarct"),
        ("Echo shows a thrombus in the left ventricle.", "thrombus"),
        (
            "CTPA confirmed bilateral pulmonary emboli.",
            "pulmonary emboli",
        ),  # the lesion noun of a listed name
        ("Known old cerebral infarcts on imaging.", "cerebral infarcts"),
        (
            "The echo shows a left ventricular thrombus.",
            "left ventricular thrombus",
        ),  # the site said before it
    ],
)
def test_a_finding_noun_said_before_its_site_is_the_condition(text: str, condition: str) -> None:
    entities = OfflineEntityDetector().detect_entities(text)["Entities"]
    found = [e["Text"] for e in entities if e["Category"] == "MEDICAL_CONDITION"]
    assert condition in found


def test_an_operation_named_like_a_finding_is_no_condition() -> None:
    # "dissection" also names an operation: it is no finding head
    entities = OfflineEntityDetector().detect_entities("She had a neck dissection in 2019.")["Entities"]
    assert [e for e in entities if e["Category"] == "MEDICAL_CONDITION"] == []

"""Offline detector, session 10 (condb7): condition words that name no condition (a pregnancy state, "fall" said
as a verb, a disease adjective that types the next condition) and how ICD-10-CM names are said in the UK
("kidney" for "renal", "miscarriage" for a spontaneous "abortion", "hyperemesis" without "gravidarum")."""

from __future__ import annotations

import pytest

from medscribe.offline import ner_icd10
from medscribe.offline.ner import OfflineEntityDetector
from medscribe.offline.ner_condition_names import uk_name


@pytest.fixture(scope="module")
def detector() -> OfflineEntityDetector:
    return OfflineEntityDetector()


def conditions(detector: OfflineEntityDetector, text: str) -> list[str]:
    found = detector.detect_entities(text)["Entities"]
    return [e["Text"] for e in found if e["Category"] == "MEDICAL_CONDITION"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Recheck the sodium and stop if it does not fall.", []),
        ("We expect the creatinine to fall over a week.", []),
        ("If his calcium falls below 2.1, call us.", []),
        ("Admitted after a fall in the garden.", ["fall"]),
        ("Head injury secondary to fall.", ["Head injury", "fall"]),
        ("She denies falls.", ["falls"]),
    ],
)
def test_fall_said_as_a_verb_is_no_condition(
    detector: OfflineEntityDetector, text: str, expected: list[str]
) -> None:
    assert conditions(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fibrotic sarcoidosis of the lungs.", ["sarcoidosis"]),
        ("Known sarcoidosis, now fibrotic.", ["sarcoidosis", "fibrotic"]),
    ],
)
def test_a_disease_adjective_before_a_condition_is_its_type(
    detector: OfflineEntityDetector, text: str, expected: list[str]
) -> None:
    assert conditions(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She is 20 weeks pregnant and well.", []),
        ("Should she become pregnant, stop the statin.", []),
        ("Scan confirms an ectopic pregnancy.", ["ectopic pregnancy"]),
    ],
)
def test_a_pregnancy_state_is_no_condition(
    detector: OfflineEntityDetector, text: str, expected: list[str]
) -> None:
    assert conditions(detector, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He has end-stage kidney disease on dialysis.", ["end-stage kidney disease"]),
        ("Admitted with acute kidney failure.", ["kidney failure"]),  # the curated name; "acute" is ACUITY
        ("Bleeding at 9 weeks, a threatened miscarriage.", ["Bleeding", "threatened miscarriage"]),
        ("Scan at 10 weeks showed a missed miscarriage.", ["missed miscarriage"]),
        ("Admitted with hyperemesis at 11 weeks.", ["hyperemesis"]),
    ],
)
def test_uk_wordings_of_icd10_names(detector: OfflineEntityDetector, text: str, expected: list[str]) -> None:
    assert conditions(detector, text) == expected


def test_uk_name_rules() -> None:
    assert uk_name("end stage renal disease") == "end stage kidney disease"
    assert uk_name("threatened abortion") == "threatened miscarriage"
    assert uk_name("incomplete spontaneous abortion") == "incomplete miscarriage"
    assert uk_name("spontaneous abortion") == "miscarriage"
    assert uk_name("tubal abortion") == "tubal abortion"  # not a miscarriage


def test_a_latin_population_word_is_dropped_from_an_icd10_name() -> None:
    assert list(ner_icd10.surface_forms("Hyperemesis gravidarum")) == [
        "hyperemesis gravidarum",
        "hyperemesis",
    ]
    assert "ophthalmia" not in list(ner_icd10.surface_forms("Ophthalmia neonatorum"))

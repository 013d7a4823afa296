"""Offline detector, third recall round: what is (not) a body site, findings at a site, reduced functions,
"discharge" as a sign, and time expressions said as months, festivals, seasons and clinical shorthand."""

from __future__ import annotations

import importlib.util

import pytest
from ner_support import texts, times

from medscribe.offline import ner_icd10, ner_icd10_sites
from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import OfflineEntityDetector


@pytest.mark.parametrize(
    "text",
    [
        "She is back at work and walks daily.",
        "He came back from holiday.",
        "On the other hand her mood is better.",
        "Spoke to the head of department.",
        "Seen face to face today.",
        "She is 5 feet 2 and walks on foot.",
        "Keep an eye on it.",
        "Lumbar puncture tonight.",
        "Diabetic foot check today.",
        "Breast clinic referral and an arm sling.",
    ],
)
def test_site_words_in_idioms_are_not_anatomy(detector: OfflineEntityDetector, text: str) -> None:
    # Given a site word used in an idiom / When detecting / Then no ANATOMY entity
    assert texts(detector.detect_entities(text), "ANATOMY") == []


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("Her back is sore.", ["back"]),
        ("Rash on the chest and back.", ["chest", "back"]),
        ("Back: tender to palpation.", ["Back"]),
        ("Tenderness in the lumbar region.", ["lumbar"]),
        ("Pain in the left hand.", ["hand"]),
    ],
)
def test_body_sites_stay_anatomy(detector: OfflineEntityDetector, text: str, sites: list[str]) -> None:
    assert texts(detector.detect_entities(text), "ANATOMY") == sites


def test_a_sign_adjective_at_a_site_is_a_finding(detector: OfflineEntityDetector) -> None:
    # Given signs said as adjectives beside a site / Then each is a SIGN condition located at the site
    text = (
        "Tonsils enlarged. The eardrum is bulging. Inflamed conjunctivae. The ear canal is red and swollen."
    )
    resp = detector.detect_entities(text)
    signs = [e for e in resp["Entities"] if e["Category"] == "MEDICAL_CONDITION"]
    assert [e["Text"] for e in signs] == ["enlarged", "bulging", "Inflamed", "swollen"]
    assert all("SIGN" in [t["Name"] for t in e["Traits"]] for e in signs)
    assert texts(detector.detect_entities(text), "ANATOMY") == [
        "Tonsils",
        "eardrum",
        "conjunctivae",
        "ear canal",
    ]


@pytest.mark.parametrize(
    ("text", "conditions"),
    [
        ("He had a fit at school.", ["fit"]),
        ("She is fit and well and fit to drive.", []),
        ("If he gets a temperature he should come back.", ["temperature"]),
        ("Temperature 38.2 today.", []),
        ("Pregabalin for the burning in his feet.", ["burning"]),
    ],
)
def test_lay_signs_in_context(detector: OfflineEntityDetector, text: str, conditions: list[str]) -> None:
    assert texts(detector.detect_entities(text), "MEDICAL_CONDITION") == conditions


def test_a_bare_adjective_is_not_a_finding(detector: OfflineEntityDetector) -> None:
    assert (
        texts(
            detector.detect_entities("Red blood cells were normal. She wore a red coat."), "MEDICAL_CONDITION"
        )
        == []
    )


@pytest.mark.parametrize("text", ["Poor concentration.", "Low energy.", "Reduced mobility.", "Weak stream."])
def test_a_reduced_function_is_a_symptom(detector: OfflineEntityDetector, text: str) -> None:
    assert texts(detector.detect_entities(text), "MEDICAL_CONDITION") == [text.rstrip(".")]


def test_discharge_is_a_sign_unless_it_is_leaving_hospital(detector: OfflineEntityDetector) -> None:
    assert texts(detector.detect_entities("Green discharge from the left eye."), "MEDICAL_CONDITION") == [
        "discharge"
    ]
    for text in (
        "Discharge summary sent.",
        "On discharge she was well.",
        "Discharge after a hip replacement.",
    ):
        assert texts(detector.detect_entities(text), "MEDICAL_CONDITION") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pain since Christmas.", {"since Christmas": ["Pain"]}),
        ("Cough since March.", {"since March": ["Cough"]}),
        ("Rash every summer.", {"every summer": ["Rash"]}),
        ("Wheeze at night.", {"at night": ["Wheeze"]}),
        ("Heartburn most nights.", {"most nights": ["Heartburn"]}),
        ("Cough for 2/52.", {"for 2/52": ["Cough"]}),
        ("cough for two over fifty two", {"for two over fifty two": ["cough"]}),
        ("Rash 3/7 ago.", {"3/7 ago": ["Rash"]}),
        ("Chest pain since 6 this morning.", {"since 6 this morning": ["Chest pain"]}),
        ("Hypos in the evenings.", {"in the evenings": ["Hypos"]}),
        ("NSTEMI in March.", {"in March": ["NSTEMI"]}),
    ],
)
def test_time_expressions_in_words_and_shorthand(
    detector: OfflineEntityDetector, text: str, expected: dict[str, list[str]]
) -> None:
    assert times(detector.detect_entities(text)) == expected


@pytest.mark.parametrize(
    ("text", "schedule"),
    [("Tamsulosin 400 mcg at night.", "at night"), ("Sertraline 100 mg in the mornings.", "in the mornings")],
)
def test_a_drug_keeps_its_schedule(detector: OfflineEntityDetector, text: str, schedule: str) -> None:
    # Given a schedule right after a drug's dose / Then it is the drug's FREQUENCY, not a time expression
    resp = detector.detect_entities(text)
    assert times(detector.detect_entities(text)) == {}
    drug = next(e for e in resp["Entities"] if e["Category"] == "MEDICATION")
    assert ("FREQUENCY", schedule) in [(a["Type"], a["Text"]) for a in drug["Attributes"]]


def test_injury_chapter_sites_are_anatomy(detector: OfflineEntityDetector) -> None:
    # Given sites the curated list lacks but ICD-10-CM's injury chapter names / Then they are ANATOMY
    assert texts(
        detector.detect_entities("Pain over the sacroiliac joint and the medial malleolus."), "ANATOMY"
    ) == [
        "sacroiliac joint",
        "medial malleolus",
    ]


def test_site_rules_keep_laterality_and_adjectives_out() -> None:
    assert ner_icd10_sites._site("Contusion of left elbow") == "elbow"
    assert ner_icd10_sites._site("Sprain of sacroiliac joint") == "sacroiliac joint"
    assert ner_icd10_sites._site("Fracture of other parts of lumbar spine") is None
    assert ner_icd10_sites._site("Injury of lumbar") is None
    assert ner_icd10_sites._site("Type 2 diabetes mellitus") is None


@pytest.mark.skipif(
    importlib.util.find_spec(ner_icd10.PACKAGE) is None, reason="simple-icd-10-cm not installed"
)
def test_committed_site_file_equals_a_rebuild() -> None:
    committed = lex.data_path(ner_icd10_sites.OUTPUT_NAME).read_text(encoding="utf-8")
    assert committed == ner_icd10_sites.rebuilt_text()


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("so the family history is significant echo is normal and short runs of svt", []),
        ("Family history is significant for diabetes.", ["diabetes"]),
        ("family history diabetes and stroke she has asthma", ["diabetes", "stroke"]),
    ],
)
def test_a_statement_about_the_family_history_opens_no_family_section(
    detector: OfflineEntityDetector, text: str, family: list[str]
) -> None:
    # Given "the family history is significant" said as a statement, unpunctuated / Then the conditions
    # after it stay the patient's; a family history that lists conditions still scopes them
    resp = detector.detect_entities(text)
    assert [
        e["Text"]
        for e in resp["Entities"]
        if any(t["Name"] == "PERTAINS_TO_FAMILY" for t in e.get("Traits", []))
    ] == family

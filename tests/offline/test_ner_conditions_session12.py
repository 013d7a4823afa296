"""Condition span and recall rules of session 12 (issue 15, item 9): a course word of a rhythm's classification is
an attribute ("permanent atrial fibrillation" -> "atrial fibrillation"), a sign elicited at a place is named apart
from the place ("suprapubic tenderness" -> ANATOMY "suprapubic" + "tenderness"), and a substance use disorder of
ICD-10-CM F10-F19 is a condition ("opioid dependence"), and so is a finding that ends the HPO names of two or more
sites ("Muscle spasms", "Facial spasms" -> "spasms"). Each answer is read on AWS's shape; each case failed
before the rule."""

from __future__ import annotations

import pytest
from ner_support import check_offsets_and_ids, one, sites, texts

from medscribe.offline import ner_icd10
from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import OfflineEntityDetector


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("Permanent atrial fibrillation, rate controlled.", "atrial fibrillation"),
        ("Longstanding persistent atrial fibrillation on apixaban.", "atrial fibrillation"),
        ("Mild persistent asthma since childhood.", "asthma"),
    ],
)
def test_a_course_word_before_a_listed_condition_is_outside_its_name(
    detector: OfflineEntityDetector, text: str, condition: str
) -> None:
    # Given a condition said after the words of its course ("permanent", "longstanding persistent")
    # When the detector reads it
    resp = detector.detect_entities(text)
    # Then the condition is named without them (AWS: ACUITY is an attribute, "chronic, acute, sudden, persistent")
    check_offsets_and_ids(resp, text)
    assert texts(resp, "MEDICAL_CONDITION") == [condition]
    assert "permanent atrial fibrillation" not in lex.clinical_lexicon().phrases


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("Suprapubic tenderness on examination.", "Suprapubic"),
        ("Mild epigastric tenderness, no guarding.", "epigastric"),
        ("Abdominal tenderness in the flanks.", "Abdominal"),
        ("Calf tenderness on the left.", "Calf"),
    ],
)
def test_tenderness_is_named_apart_from_the_place_it_is_elicited(
    detector: OfflineEntityDetector, text: str, site: str
) -> None:
    # Given tenderness said after the place it was elicited, a noun or an adjective of place
    # When the detector reads it
    resp = detector.detect_entities(text)
    # Then the sign is "tenderness" and the place a top-level ANATOMY entity, also the sign's SYSTEM_ORGAN_SITE
    check_offsets_and_ids(resp, text)
    assert "tenderness" in [t.lower() for t in texts(resp, "MEDICAL_CONDITION")]
    assert site in texts(resp, "ANATOMY")
    assert site in sites(resp, one(resp, "tenderness", "MEDICAL_CONDITION")["Text"])


def test_a_kind_of_tenderness_keeps_its_name(detector: OfflineEntityDetector) -> None:
    # Given tenderness qualified by its kind, not its place / Then the name stays whole
    resp = detector.detect_entities("Rebound tenderness in the right iliac fossa.")
    assert "Rebound tenderness" in texts(resp, "MEDICAL_CONDITION")


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Opioid dependence, uncomplicated", ["opioid dependence"]),
        ("Cannabis use disorder, mild", ["cannabis use disorder"]),
        ("Other stimulant abuse", ["stimulant abuse"]),
        ("Opioid use, unspecified", []),
    ],
)
def test_a_substance_use_disorder_title_is_a_name(term: str, expected: list[str]) -> None:
    # Given a title of ICD-10-CM F10-F19 / Then "<substance> dependence / abuse / use disorder" is its name; a bare use
    # is none, and outside that block the word "dependence" still rejects a title
    assert list(ner_icd10.surface_forms(term, substance=True)) == expected
    assert list(ner_icd10.surface_forms(term)) == []


def test_a_substance_use_disorder_is_a_condition(detector: OfflineEntityDetector) -> None:
    # Given a dictated substance use disorder / When the detector reads it / Then it is one MEDICAL_CONDITION
    text = "Known opioid dependence, stable on methadone. Cocaine abuse in the past."
    resp = detector.detect_entities(text)
    check_offsets_and_ids(resp, text)
    assert {"opioid dependence", "Cocaine abuse"} <= set(texts(resp, "MEDICAL_CONDITION"))


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("Painful spasms in both legs overnight.", "spasms"),
        ("Dactylitis of the third toe.", "Dactylitis"),
        ("Eyelid twitching for a week.", "twitching"),
    ],
)
def test_a_finding_named_after_many_sites_is_a_condition_alone(
    detector: OfflineEntityDetector, text: str, condition: str
) -> None:
    # Given a finding said alone or after a site / When the detector reads it / Then it is a MEDICAL_CONDITION
    resp = detector.detect_entities(text)
    check_offsets_and_ids(resp, text)
    assert condition in texts(resp, "MEDICAL_CONDITION")


def test_an_organ_before_a_neoplasm_head_of_the_site_rule_is_one_name(
    detector: OfflineEntityDetector,
) -> None:
    # Given a neoplasm head the site rule made a name ("adenoma") after its organ / Then it is one name, as
    # "endometrial cancer" is, not a bare head beside an unlisted organ word
    text = "Status post pituitary adenoma surgery. Left atrial myxoma on echo."
    resp = detector.detect_entities(text)
    check_offsets_and_ids(resp, text)
    assert {"pituitary adenoma", "atrial myxoma"} <= set(texts(resp, "MEDICAL_CONDITION"))
    assert "adenoma" not in texts(resp, "MEDICAL_CONDITION")

"""A condition a drug or another substance is the subject of ("lithium toxicity", "took an overdose", "alcohol
withdrawal"): the detector returns the condition as AWS does — its head a MEDICAL_CONDITION beside the drug's own
MEDICATION entity, a substance that is no medication inside the name — and a negation cue before the drug negates
the condition, not the drug. A condition said after "non-" keeps the prefix ("non-productive cough" was read as
"productive cough"). Each case failed before its rule."""

from __future__ import annotations

import pytest
from ner_support import check_offsets_and_ids, one, texts

from medscribe.offline.ner import OfflineEntityDetector


@pytest.mark.parametrize(
    ("text", "condition", "drug"),
    [
        ("Admitted with lithium toxicity.", "toxicity", "lithium"),
        ("Took an overdose of amitriptyline last night.", "overdose", "amitriptyline"),
        ("Paracetamol poisoning four hours ago.", "poisoning", "Paracetamol"),
        ("Alcohol withdrawal with shaking hands.", "Alcohol withdrawal", ""),
        ("Now in opioid withdrawal.", "withdrawal", "opioid"),
    ],
)
def test_a_condition_of_a_substance_is_returned_beside_its_drug(
    detector: OfflineEntityDetector, text: str, condition: str, drug: str
) -> None:
    # When the detector reads a condition a substance is the subject of
    resp = detector.detect_entities(text)
    check_offsets_and_ids(resp, text)
    # Then the condition is a MEDICAL_CONDITION, and the drug keeps its own MEDICATION entity
    assert one(resp, condition, "MEDICAL_CONDITION")["Type"] == "DX_NAME"
    if drug:
        assert drug in texts(resp, "MEDICATION")


@pytest.mark.parametrize(
    "text", ["Withdrawal of treatment was discussed with the family.", "Social withdrawal and low mood."]
)
def test_withdrawal_of_no_substance_is_no_condition_of_one(
    detector: OfflineEntityDetector, text: str
) -> None:
    # Given "withdrawal" said of no drug or substance
    resp = detector.detect_entities(text)
    # Then no "withdrawal" condition is made of it by this rule
    assert "withdrawal" not in [t.lower() for t in texts(resp, "MEDICAL_CONDITION")]


def test_a_negation_before_the_drug_negates_the_condition_it_names(detector: OfflineEntityDetector) -> None:
    # Given "No signs of digoxin toxicity"
    resp = detector.detect_entities("No signs of digoxin toxicity.")
    # Then the toxicity is negated and the drug, which only names it, is not
    traits = {t["Name"] for t in one(resp, "toxicity", "MEDICAL_CONDITION")["Traits"]}
    assert "NEGATION" in traits
    assert "NEGATION" not in {t["Name"] for t in one(resp, "digoxin", "MEDICATION")["Traits"]}


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("She has non-alcoholic fatty liver disease.", "non-alcoholic fatty liver disease"),
        ("Admitted with a non-ST elevation myocardial infarction.", "non-ST elevation myocardial infarction"),
        ("Non-productive cough for a week.", "Non-productive cough"),
        ("Known non-small cell lung cancer.", "non-small cell lung cancer"),
        ("non productive cough for a week", "non productive cough"),
    ],
)
def test_a_condition_said_after_non_keeps_the_prefix(
    detector: OfflineEntityDetector, text: str, condition: str
) -> None:
    # Given a condition whose name opens with "non-" (the lexicon knows the name without it, the opposite one)
    resp = detector.detect_entities(text)
    check_offsets_and_ids(resp, text)
    # Then the condition's words keep the prefix: never "productive cough" for "non-productive cough"
    assert one(resp, condition, "MEDICAL_CONDITION")


def test_a_non_word_that_ends_before_a_condition_is_not_its_prefix(detector: OfflineEntityDetector) -> None:
    # Given "non smoker with lung cancer": the prefix belongs to another word
    resp = detector.detect_entities("Non smoker with lung cancer.")
    # Then the condition is the lung cancer alone
    assert one(resp, "lung cancer", "MEDICAL_CONDITION")


@pytest.mark.parametrize("text", ["Abdomen soft and non-tender.", "abdomen soft non tender"])
def test_a_sign_said_with_non_is_the_sign_negated(detector: OfflineEntityDetector, text: str) -> None:
    # Given a sign said as "non-" + the sign: a normal finding
    resp = detector.detect_entities(text)
    check_offsets_and_ids(resp, text)
    # Then the sign is returned negated, never "non-tender" as a finding the patient has
    assert "NEGATION" in {t["Name"] for t in one(resp, "tender", "MEDICAL_CONDITION")["Traits"]}

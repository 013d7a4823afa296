"""A condition a drug or another substance is the subject of ("lithium toxicity", "took an overdose", "alcohol
withdrawal"): the detector returns the condition as AWS does — its head a MEDICAL_CONDITION beside the drug's own
MEDICATION entity, a substance that is no medication inside the name — and a negation cue before the drug negates
the condition, not the drug. Each case failed before the rule (no condition was returned)."""

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

"""Trait rules of session 10 (issue 15): a condition corrected as an error of a record is negated, and a past
trigger that says a drug was taken ("was on", "used to take") never makes a following condition past history, in
either form (the recogniser form runs the clause on)."""

from __future__ import annotations

import pytest

from medscribe.offline.ner import OfflineEntityDetector


def _traits(detector: OfflineEntityDetector, text: str, said: str) -> set[str]:
    found = [e for e in detector.detect_entities(text)["Entities"] if e["Text"] == said]
    assert len(found) == 1
    return {t["Name"] for t in found[0]["Traits"]}


@pytest.mark.parametrize(
    "text",
    [
        "Tone is low in all four limbs; the referral letter's 'hypertonia' is a typing error.",
        "tone is low in all four limbs the referral letters hypertonia is a typing error",
        "In the discharge summary hypertonia was a mistake.",
    ],
)
def test_a_condition_corrected_as_an_error_is_negated(detector: OfflineEntityDetector, text: str) -> None:
    # Given a dictation that names a condition only to say the record was wrong
    # When the detector reads it, Then the condition is negated (AWS: NEGATION), not a current problem
    assert "NEGATION" in _traits(detector, text, "hypertonia")


@pytest.mark.parametrize(
    ("text", "drug", "condition"),
    [
        (
            "she was on the combined pill until last year vaginal dryness vagifem pessary twice weekly",
            "combined pill",
            "vaginal dryness",
        ),
        ("She used to take sertraline for depression.", "sertraline", "depression"),
    ],
)
def test_a_drug_past_trigger_leaves_a_following_condition_current(
    detector: OfflineEntityDetector, text: str, drug: str, condition: str
) -> None:
    # Given a past drug and a condition after it in the same run-on clause
    # When the detector reads it
    # Then the drug is past history and the condition is not
    assert "PAST_HISTORY" in _traits(detector, text, drug)
    assert "PAST_HISTORY" not in _traits(detector, text, condition)

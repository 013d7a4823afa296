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


def _all_traits(detector: OfflineEntityDetector, text: str, said: str) -> list[set[str]]:
    """The traits of every mention of ``said``, in the order said."""
    found = [e for e in detector.detect_entities(text)["Entities"] if e["Text"].lower() == said]
    return [{t["Name"] for t in e["Traits"]} for e in sorted(found, key=lambda e: e["BeginOffset"])]


@pytest.mark.parametrize(
    ("text", "past", "current"),
    [
        ("Previously on citalopram, now on sertraline 100 mg daily.", "citalopram", "sertraline"),
        (
            "past medical history of angina currently on bisoprolol five milligrams daily",
            "angina",
            "bisoprolol",
        ),
        (
            "used to take omeprazole at present takes lansoprazole thirty milligrams daily",
            "omeprazole",
            "lansoprazole",
        ),
    ],
)
def test_a_present_time_word_ends_a_history_s_reach(
    detector: OfflineEntityDetector, text: str, past: str, current: str
) -> None:
    # Given a past cue, then a drug said after "now" / "currently" / "at present" in the same clause
    # When the detector reads it
    # Then the first is past history and the drug said as current is not
    assert "PAST_HISTORY" in _traits(detector, text, past)
    assert "PAST_HISTORY" not in _traits(detector, text, current)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("he had gout in the past the gout has flared again this week", "gout"),
        ("she had sciatica previously sciatica again down the left leg since friday", "sciatica"),
    ],
)
def test_a_past_cue_said_after_a_condition_does_not_reach_its_name_said_again(
    detector: OfflineEntityDetector, text: str, said: str
) -> None:
    # Given a condition, a past cue right after it, then the same condition said again (a recogniser's run-on of
    # two sentences)
    # When the detector reads it
    mentions = _all_traits(detector, text, said)
    # Then the mention said after the cue is not past history
    assert len(mentions) == 2
    assert "PAST_HISTORY" not in mentions[1]

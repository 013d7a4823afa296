"""Cases of the draft fixes of session 7's third round (issue 15): a drug that treated a reaction is not its
allergen, and the standard prescribing abbreviations (bd, tds, qds, nocte, …) are read, not flagged — each
drafted on both backends and in both written forms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items, names

from medscribe.logic.document.schedule import normalise_frequency

both = pytest.mark.parametrize("backend", BACKENDS)
forms = pytest.mark.parametrize("form", FORMS)


def _flag_kinds(d: dict[str, Any]) -> list[str]:
    return [k for i in items(d, "Needs review") for k in i["flags"]]


@both
@forms
@pytest.mark.parametrize(
    "said",
    [
        "Reaction to penicillin, treated as anaphylaxis with adrenaline.",
        "Reaction to penicillin last year. Treated as anaphylaxis with adrenaline.",
    ],
)
def test_the_drug_a_reaction_was_treated_with_is_not_an_allergen(backend: str, form: str, said: str) -> None:
    # Given an allergy whose reaction was treated with a drug
    text = f"{said} Continue amlodipine 5 mg once daily."

    def build(n: AwsNote) -> None:
        n.med("penicillin")
        n.condition("anaphylaxis")
        n.med("adrenaline")
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")

    # When it is drafted
    d = drafted(text, build, backend, form)
    allergens = " ".join(names(d, "Allergies")).lower()
    # Then the allergen is penicillin, never the adrenaline that treated the reaction
    assert "penicillin" in allergens
    assert "adrenaline" not in allergens


@both
@forms
def test_a_drug_said_after_anaphylaxis_with_no_treatment_word_is_still_the_allergen(
    backend: str, form: str
) -> None:
    # Given "anaphylaxis with penicillin" (the allergen, no treatment said)
    text = "Anaphylaxis with penicillin in 2010. Continue amlodipine 5 mg once daily."

    def build(n: AwsNote) -> None:
        n.condition("Anaphylaxis")
        n.med("penicillin")
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")

    d = drafted(text, build, backend, form)
    # Then penicillin is the allergy
    assert "penicillin" in " ".join(names(d, "Allergies")).lower()


@pytest.mark.parametrize(
    ("said", "meaning"),
    [
        ("od", "once daily"),
        ("bd", "twice daily"),
        ("tds", "three times daily"),
        ("qds", "four times daily"),
        ("nocte", "at night"),
        ("mane", "every morning"),
        ("om", "every morning"),
        ("on", "at night"),
        ("prn", "as needed"),
        ("stat", "immediately (once)"),
        ("bd prn", "twice daily as needed"),
        ("b.d.", "twice daily"),
    ],
)
def test_prescribing_abbreviations_are_read_as_their_meaning(said: str, meaning: str) -> None:
    assert normalise_frequency(said).value == meaning


@both
@forms
@pytest.mark.parametrize(
    ("said", "shown"), [("bd", "twice daily"), ("tds", "three times daily"), ("nocte", "at night")]
)
def test_a_drug_given_bd_prints_its_meaning_and_is_not_flagged_not_understood(
    backend: str, form: str, said: str, shown: str
) -> None:
    # Given a drug whose frequency is a standard prescribing abbreviation
    text = f"Ethosuximide 250 mg {said}."

    def build(n: AwsNote) -> None:
        n.med("Ethosuximide", STRENGTH="250 mg", FREQUENCY=said)

    d = drafted(text, build, backend, form)
    # Then the row prints what it means, and nothing says it was not understood
    (row,) = [i for i in items(d, "Medications") if "ethosuximide" in i["text"].lower()]
    assert shown in row["text"]
    assert "NOT_NORMALISED" not in row["flags"]
    assert "NOT_NORMALISED" not in _flag_kinds(d)

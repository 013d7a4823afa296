"""An allergic reaction said with no allergen named (issue 15, session 8): "treated as anaphylaxis with
adrenaline" is listed under Allergies as "substance not identified — anaphylaxis", flagged ALLERGY_UNCLEAR, never
lost; said of a named allergen ("reaction to penicillin, treated as anaphylaxis") it is that allergy's reaction.
Both backends, both written forms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items

from medscribe.evaluation.drafts import names_category

both = pytest.mark.parametrize("backend", BACKENDS)
forms = pytest.mark.parametrize("form", FORMS)


def _allergy(d: dict[str, Any], words: str) -> list[dict[str, Any]]:
    return [i for i in items(d, "Allergies") if words in i["text"].lower()]


@both
@forms
@pytest.mark.parametrize(
    ("said", "reaction"),
    [
        ("Seen in ED last night after a takeaway, treated as anaphylaxis with adrenaline.", "anaphylaxis"),
        ("She had an allergic reaction last week, treated with chlorphenamine.", "allergic reaction"),
    ],
)
def test_a_reaction_with_no_allergen_named_is_an_unclear_allergy(
    backend: str, form: str, said: str, reaction: str
) -> None:
    # Given an allergic reaction said with no substance
    text = f"{said} Continue amlodipine 5 mg once daily."
    drug = "adrenaline" if "adrenaline" in said else "chlorphenamine"

    def build(n: AwsNote) -> None:
        n.condition(reaction)
        n.med(drug)
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")

    d = drafted(text, build, backend, form)
    # Then the Allergies section holds the reaction, substance not identified, flagged naming the allergy
    [item] = _allergy(d, f"substance not identified — {reaction}")
    assert item["flags"] == ["ALLERGY_UNCLEAR"]
    assert names_category(item, "allergy")
    assert any("no allergen named" in r for r in item["reasons"])
    # and the drug that treated it is no allergen
    assert not _allergy(d, drug)


@both
@forms
def test_a_reaction_said_of_a_named_allergen_is_that_allergys(backend: str, form: str) -> None:
    text = (
        "Reaction to penicillin, treated as anaphylaxis with adrenaline. Continue amlodipine 5 mg once daily."
    )

    def build(n: AwsNote) -> None:
        n.med("penicillin")
        n.condition("anaphylaxis")
        n.med("adrenaline")
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")

    d = drafted(text, build, backend, form)
    assert _allergy(d, "penicillin — anaphylaxis")
    assert not _allergy(d, "substance not identified")
    assert "anaphylaxis" not in {i.get("name") for i in items(d, "Problems")}
    assert not [i for i in items(d, "Needs review") if "NOT_CAPTURED" in " ".join(i["flags"])]


@both
@forms
def test_a_denied_reaction_is_no_allergy(backend: str, form: str) -> None:
    text = "No history of anaphylaxis. Continue amlodipine 5 mg once daily."

    def build(n: AwsNote) -> None:
        n.condition("anaphylaxis", traits={"NEGATION": 0.9})
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")

    d = drafted(text, build, backend, form)
    assert not items(d, "Allergies")


@both
@forms
@pytest.mark.parametrize(
    ("said", "trigger"),
    [
        ("Anaphylaxis after eating cashew nuts, given adrenaline in the ambulance.", "cashew nuts"),
        ("She had an allergic reaction after taking cefalexin.", "cefalexin"),
    ],
)
def test_a_reaction_said_with_what_set_it_off_lists_that_substance_flagged(
    backend: str, form: str, said: str, trigger: str
) -> None:
    # Given an allergic reaction said right after its exposure ("after eating …", "after taking …"), no allergy
    text = f"{said} Hives over the trunk. Continue amlodipine 5 mg once daily."
    reaction = "anaphylaxis" if said.startswith("Anaphylaxis") else "allergic reaction"

    def build(n: AwsNote) -> None:
        n.condition("Anaphylaxis" if reaction == "anaphylaxis" else reaction)
        n.condition("Hives" if form == "punctuated" else "hives")
        if "adrenaline" in said:
            n.med("adrenaline")
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")

    d = drafted(text, build, backend, form)
    # Then the Allergies section holds that substance as said, with the reaction, flagged naming the allergy: the
    # trigger is never lost, and never stated unflagged
    [item] = _allergy(d, f"{trigger} — {reaction}")
    assert item["flags"] == ["ALLERGY_UNCLEAR"]
    assert names_category(item, "allergy")
    assert any("what set it off" in r for r in item["reasons"])
    assert not _allergy(d, "substance not identified")

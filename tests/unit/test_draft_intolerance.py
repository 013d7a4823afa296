"""A drug stopped because of a reaction (issue 15 item 5, session 10): "Lamotrigine was discontinued due to a
rash" lists "lamotrigine — rash (intolerance: stopped because of it)" under Allergies; the drug stays under Not
taking, never a prescription; the condition stays a Problem; a prescribed drug of the same class is flagged
ALLERGY_CLASS_CONFLICT naming the intolerance. Through ``draft_sections`` and an AWS-shaped response, both written
forms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items, names

both = pytest.mark.parametrize("backend", BACKENDS)
forms = pytest.mark.parametrize("form", FORMS)


def _intolerances(d: dict[str, Any]) -> list[str]:
    return [i["text"].lower() for i in items(d, "Allergies") if "intolerance" in i["text"]]


def _build(said: str, drugs: tuple[str, ...], conditions: tuple[str, ...]) -> Any:
    """The AWS-shaped entities, their words as written ("Lamotrigine")."""

    def written(words: str) -> str:
        at = said.lower().index(words)
        return said[at : at + len(words)]

    def build(n: AwsNote) -> None:
        for drug in drugs:
            n.med(written(drug))
        for condition in conditions:
            n.condition(written(condition))

    return build


STOPPED = "intolerance: stopped because of it"


@both
@forms
@pytest.mark.parametrize(
    ("said", "drug", "reaction", "note"),
    [
        ("Lamotrigine was discontinued due to a rash.", "lamotrigine", "rash", STOPPED),
        ("She stopped sertraline in March because of nausea.", "sertraline", "nausea", STOPPED),
        ("He was switched from citalopram because of palpitations.", "citalopram", "palpitations", STOPPED),
        ("Ramipril caused a dry cough so was changed to losartan.", "ramipril", "cough", STOPPED),
        (
            "Amlodipine was not tolerated due to headache.",
            "amlodipine",
            "headache",
            "intolerance: not tolerated",
        ),
        ("Doxazosin was started, then stopped because of dizziness.", "doxazosin", "dizziness", STOPPED),
        ("He stopped the bendroflumethiazide because of gout.", "bendroflumethiazide", "gout", STOPPED),
    ],
)
def test_a_drug_stopped_because_of_a_reaction_is_an_intolerance(
    backend: str, form: str, said: str, drug: str, reaction: str, note: str
) -> None:
    # Given a drug said as stopped because of a condition
    others = ("losartan",) if "losartan" in said else ()
    d = drafted(said, _build(said, (drug, *others), (reaction,)), backend, form)
    # Then Allergies lists it as an intolerance with its reaction (and its class, when it has one)
    [listed] = _intolerances(d)
    assert listed.startswith(f"{drug} — {reaction} ({note})")
    # and it is never a prescription; the condition stays where it was (a Problem)
    assert not [i for i in items(d, "Medications") if drug in i["text"].lower()]
    assert reaction in names(d, "Problems")


@both
@forms
@pytest.mark.parametrize(
    "said",
    [
        "Atenolol gave him cold hands and tiredness, so he is recorded as intolerant of it.",
        "Atenolol caused cold hands, and he cannot tolerate it.",
    ],
)
def test_a_reaction_a_drug_caused_then_said_as_intolerance_is_an_intolerance(
    backend: str, form: str, said: str
) -> None:
    # Given a drug that caused a reaction, its intolerance said after it with a pronoun ("intolerant of it")
    d = drafted(said, _build(said, ("atenolol",), ("cold hands",)), backend, form)
    # Then Allergies lists it as an intolerance with its reaction
    [listed] = _intolerances(d)
    assert listed.startswith("atenolol — cold hands")
    assert "intolerance: not tolerated" in listed
    # and it is never an unflagged prescription
    assert not [i for i in items(d, "Medications") if "atenolol" in i["text"].lower() and not i["flags"]]


@both
@forms
@pytest.mark.parametrize(
    ("said", "drugs", "conditions"),
    [
        # a reason that is no reaction to the drug
        ("She stopped fluoxetine because of ongoing low mood.", ("fluoxetine",), ("low mood",)),
        ("Ramipril was stopped because of acute kidney injury.", ("ramipril",), ("acute kidney injury",)),
        ("Aspirin was stopped because of the bleeding risk.", ("aspirin",), ("bleeding",)),
        # caused, but not stopped
        (
            "Metformin caused diarrhoea, continue metformin 500 mg twice daily.",
            ("metformin",),
            ("diarrhoea",),
        ),
        # stopped, and the reason is another clause's
        ("Aspirin was stopped. He has had a rash since Tuesday.", ("aspirin",), ("rash",)),
        # a reaction said of a dose change, not a stop
        ("Reduce olanzapine to 5 mg at night because of weight gain.", ("olanzapine",), ("weight gain",)),
    ],
)
def test_no_intolerance_without_a_stop_for_a_reaction(
    backend: str, form: str, said: str, drugs: tuple[str, ...], conditions: tuple[str, ...]
) -> None:
    d = drafted(said, _build(said, drugs, conditions), backend, form)
    assert _intolerances(d) == []


@both
@forms
def test_a_drug_of_an_intolerances_class_is_flagged_naming_the_intolerance(backend: str, form: str) -> None:
    # Given a statin stopped for muscle aches and another statin prescribed
    text = "Stopped atorvastatin because of muscle aches. Start pravastatin 20 mg at night."

    def build(n: AwsNote) -> None:
        n.med("atorvastatin")
        n.condition("muscle aches")
        n.med("pravastatin", STRENGTH="20 mg", FREQUENCY="at night")

    d = drafted(text, build, backend, form)
    assert _intolerances(d) == [f"atorvastatin — muscle aches ({STOPPED}) (class: statins)"]
    # Then the statin prescribed is a row, flagged as a class conflict that names the intolerance
    [row] = [i for i in items(d, "Medications") if "pravastatin" in i["text"].lower()]
    assert "ALLERGY_CLASS_CONFLICT" in row["flags"]
    assert any("intolerance to atorvastatin" in r for r in row["reasons"])


@both
@forms
def test_an_allergy_already_listed_is_not_listed_again(backend: str, form: str) -> None:
    text = "Allergic to penicillin (rash). Penicillin was stopped because of the rash."
    d = drafted(text, _build(text, ("penicillin",), ("rash",)), backend, form)
    assert _intolerances(d) == []
    assert any(i["text"].lower().startswith("penicillin — rash") for i in items(d, "Allergies"))

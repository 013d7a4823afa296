"""A drug given during the event ("was given X", "received IV X in ED", "a stat dose of X", "X 5 mg given") is never
an unflagged current prescription: its row is flagged GIVEN_ONCE (issue 15; PROCEDURE.md section 21), on both
backends (the AWS-shaped responses carry no traits: the words alone decide) and both written forms. The cue's
reach ends at an instruction or a setting, so a prescription said after it stays unflagged by it."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import drafted, items
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medscribe.logic.document.evidence import Span
from medscribe.logic.document.given_once import given_once

DRUGS = (
    "ondansetron",
    "morphine",
    "ceftriaxone",
    "adrenaline",
    "chlorphenamine",
    "tranexamic acid",
    "dexamethasone",
)
KEPT = ("atorvastatin", "amlodipine", "sertraline", "metformin")
GIVEN = (
    "He was given {drug} {a} mg {where}.",
    "She received IV {drug} {a} mg {where}.",
    "Received {drug} {a} mg {where}.",
    "He had a stat dose of {drug} {a} mg {where}.",
    "She had one dose of {drug} {a} mg {where}.",
    "The paramedics gave him {drug} {a} mg.",
    "Then {drug} {a} mg given {where}.",
    "Given {drug} {a} mg {where}.",
)
WHERE = (
    "in the ambulance",
    "in resus",
    "in triage",
    "by the paramedics",
    "in the emergency department",
    "on the ward",
)
EXAMPLES = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rows(d: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [i for i in items(d, "Medications") if drug.split()[0] in i["text"].lower()]


@EXAMPLES
@given(
    template=st.sampled_from(GIVEN),
    drug=st.sampled_from(DRUGS),
    kept=st.sampled_from(KEPT),
    where=st.sampled_from(WHERE),
    a=st.sampled_from((4, 10, 300)),
    backend=st.sampled_from(("offline", "aws")),
    form=st.sampled_from(("punctuated", "recogniser")),
)
def test_a_drug_given_during_the_event_is_never_an_unflagged_prescription(
    template: str, drug: str, kept: str, where: str, a: int, backend: str, form: str
) -> None:
    # Given a drug said under a given-once cue, then a prescription said with an instruction
    said = template.format(drug=drug, a=a, where=where)
    text = f"Seen today. {said} Continue {kept} 20 mg once daily."

    def build(n: AwsNote) -> None:
        n.med(drug, STRENGTH=f"{a} mg")
        n.med(kept, STRENGTH="20 mg", FREQUENCY="once daily")

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then the given drug is on no unflagged row, and a row of it names the real reason
    rows = _rows(d, drug)
    assert [r for r in rows if not r["flags"]] == [], (text, rows)
    assert all("GIVEN_ONCE" in r["flags"] for r in rows), (text, rows)
    # And the prescription after the instruction is not read as given
    assert all("GIVEN_ONCE" not in r["flags"] for r in _rows(d, kept)), (text, _rows(d, kept))


def _cue(text: str, drug: str) -> str | None:
    begin = text.index(drug)
    found = given_once(text, Span(0, len(text)), (begin, begin + len(drug)), [(begin, begin + len(drug))])
    return None if found is None else found.cue


def test_words_that_are_no_dose_given_are_not_read_as_one() -> None:
    # a reaction, a plan, a negation and a new subject are not a dose given
    assert _cue("allergic to penicillin which gave him hives paracetamol 120 mg", "paracetamol") is None
    assert _cue("ondansetron 4 mg to be given if he vomits", "ondansetron") is None
    assert _cue("activated charcoal was not given", "activated charcoal") is None
    assert _cue("aspirin 300 mg given he takes warfarin", "warfarin") is None
    assert (
        _cue("received a stat dose of pabrinex in the emergency department thiamine 100 mg", "thiamine")
        is None
    )
    # and the cue words themselves are
    assert _cue("given two units of blood and iv omeprazole 80 mg", "omeprazole") == "given"
    assert _cue("he had a stat dose of pabrinex", "pabrinex") is not None
    assert _cue("morphine 5 mg intravenously given", "morphine") == "given"


@pytest.mark.parametrize(
    ("said", "drug", "cue"),
    [
        # a procedure done with the drug; a decimal strength between the cue and the drug is no clause break
        ("a nerve block was done today with 3 mL of 0.5% bupivacaine", "bupivacaine", "was done today with"),
        ("the injection was performed with 40 mg of triamcinolone", "triamcinolone", "was performed with"),
        # a count of doses given
        ("fitting despite two doses of lorazepam from the paramedics", "lorazepam", "two doses of"),
        ("she had 3 doses of salbutamol in the ambulance", "salbutamol", "3 doses of"),
        # the drug, then a procedure's verb in the past passive
        ("a capsaicin patch was applied to the feet in clinic", "capsaicin", "applied"),
        ("methylprednisolone 80 mg was injected into the buttock", "methylprednisolone", "injected"),
    ],
)
def test_a_drug_used_in_a_procedure_or_counted_in_doses_is_given_once(said: str, drug: str, cue: str) -> None:
    assert _cue(said, drug) == cue


@pytest.mark.parametrize(
    ("said", "drug"),
    [
        ("he missed two doses of apixaban last week", "apixaban"),  # a dose not given
        ("take two doses of salbutamol when wheezy", "salbutamol"),  # an instruction
        (
            "hydrocortisone cream applied twice daily to the rash",
            "hydrocortisone",
        ),  # no "was": an instruction
    ],
)
def test_a_missed_dose_or_an_instruction_is_not_given_once(said: str, drug: str) -> None:
    assert _cue(said, drug) is None


def test_a_bare_given_with_a_schedule_is_a_prescription() -> None:
    # Given "Given X … at night" (a prescription said with "given")
    d = drafted(
        "Itchy rash. Given hydroxyzine 25 mg at night for the itch.",
        lambda n: n.med("hydroxyzine", STRENGTH="25 mg", FREQUENCY="at night"),
        "aws",
        "punctuated",
    )
    # Then its row is not flagged as given once
    assert all("GIVEN_ONCE" not in r["flags"] for r in _rows(d, "hydroxyzine"))

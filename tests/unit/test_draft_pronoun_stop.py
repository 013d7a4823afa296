"""A stop or not-taking said of a prescription by a later pronoun (issue 15: a stopped drug is never stated as
current without a flag). "Atorvastatin 20 mg at night. She stopped it last week." kept the row silent; now the row
is flagged NOT_VERIFIED_CURRENT naming STOPPED and quoting the words. Both backends, both written forms."""

from __future__ import annotations

import pytest
from draft_cases import BACKENDS, FORMS, drafted, items

from medscribe.evaluation.drafts import names_category

pytestmark = [pytest.mark.parametrize("backend", BACKENDS), pytest.mark.parametrize("form", FORMS)]

STOPPED = {
    "next sentence": "Atorvastatin 20 mg at night. She stopped it last week.",
    "not taking": "Atorvastatin 20 mg at night, she has not been taking it for a month.",
    "contracted": "Amlodipine 5 mg daily, but she hasn't taken it since March.",
    "relative": "Amlodipine 5 mg daily, which she does not take.",
}


@pytest.mark.parametrize("text", STOPPED.values(), ids=STOPPED)
def test_a_pronoun_stop_after_a_prescription_flags_it(backend: str, form: str, text: str) -> None:
    # Given a prescription and, after its clause, a pronoun saying it is stopped or not taken
    drug = text.split()[0].lower()
    d = drafted(text, lambda n: n.med(text.split()[0], STRENGTH=text.split()[1] + " mg"), backend, form)
    # Then wherever the drug is drafted as current, its row names the stop
    rows = [i for i in items(d, "Medications") if drug in i["text"].lower()]
    assert rows or [i for i in items(d, "Not taking") if drug in i["text"].lower()]  # drafted somewhere
    assert all(i["flags"] and names_category(i, "stopped") for i in rows), rows


def test_a_pronoun_after_another_drug_is_that_drugs(backend: str, form: str) -> None:
    # Given two prescriptions and a pronoun stop after the second
    text = "Ramipril 5 mg daily. Atorvastatin 20 mg at night. She stopped it last week."
    d = drafted(
        text,
        lambda n: n.med("Ramipril", STRENGTH="5 mg").med("Atorvastatin", STRENGTH="20 mg"),
        backend,
        form,
    )
    # Then the first drug is not flagged as stopped
    ramipril = [i for i in items(d, "Medications") if "ramipril" in i["text"].lower()]
    assert ramipril
    assert not any(names_category(i, "stopped") for i in ramipril), ramipril


def test_taking_it_is_no_stop(backend: str, form: str) -> None:
    text = "Ramipril 5 mg daily. She takes it every morning."
    d = drafted(text, lambda n: n.med("Ramipril", STRENGTH="5 mg"), backend, form)
    ramipril = [i for i in items(d, "Medications") if "ramipril" in i["text"].lower()]
    assert ramipril
    assert not any(names_category(i, "stopped") for i in ramipril), ramipril


PAST = {
    "years ago": "He had a DVT two years ago, treated with rivaroxaban for 6 months.",
    "a year": "In 2019 she was treated with methotrexate 15 mg weekly for psoriasis.",
}


@pytest.mark.parametrize("text", PAST.values(), ids=PAST)
def test_a_past_course_is_never_silently_current(backend: str, form: str, text: str) -> None:
    drug = "rivaroxaban" if "rivaroxaban" in text else "methotrexate"
    d = drafted(text, lambda n: n.med(drug), backend, form)
    rows = [i for i in items(d, "Medications") if drug in i["text"].lower()]
    assert all(i["flags"] and names_category(i, "stopped") for i in rows), rows


def test_being_treated_with_is_current(backend: str, form: str) -> None:
    text = "She is being treated with methotrexate 15 mg weekly."
    d = drafted(text, lambda n: n.med("methotrexate", STRENGTH="15 mg"), backend, form)
    rows = [i for i in items(d, "Medications") if "methotrexate" in i["text"].lower()]
    assert rows
    assert not any(names_category(i, "stopped") for i in rows), rows

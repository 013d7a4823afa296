"""A stop or not-taking said of a prescription by a later pronoun (issue 15: a stopped drug is never stated as
current). "Atorvastatin 20 mg at night. She stopped it last week." kept the row silent; session 10 flagged it
NOT_VERIFIED_CURRENT naming STOPPED; now, when the pronoun can only mean that drug (one drug from the start of the
sentence of the drug said last before it), the drug is under "Not taking", and when it may mean several, every one
of them is flagged and none is moved. Both backends (offline detector, AWS-shaped entities), both written forms."""

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
    "phrasal, its object inside": "Lactulose 15 mg twice daily did nothing for him and he gave it up.",
    "said plainly": "Oxybutynin 5 mg twice daily made her mouth dry so she binned it.",
    # a refusal with no object said: what was refused is not verified, so the row is flagged, never moved
    "a refusal, its object left out": "Atorvastatin 20 mg at night was offered, but he declined.",
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
    # Given two prescriptions in two sentences and a pronoun stop after the second
    text = "Ramipril 5 mg daily. Atorvastatin 20 mg at night. She stopped it last week."
    d = drafted(
        text,
        lambda n: n.med("Ramipril", STRENGTH="5 mg").med("Atorvastatin", STRENGTH="20 mg"),
        backend,
        form,
    )
    ramipril = [i for i in items(d, "Medications") if "ramipril" in i["text"].lower()]
    atorvastatin = [i for i in items(d, "Medications") if "atorvastatin" in i["text"].lower()]
    assert ramipril
    if form == "punctuated":
        # Then the pronoun can only mean the drug of the sentence before it: that one is not taken, the first goes on
        assert not atorvastatin
        assert [i for i in items(d, "Not taking") if "atorvastatin" in i["text"].lower()]
        assert not any(names_category(i, "stopped") for i in ramipril), ramipril
    else:
        # Then with no sentence end the pronoun may mean either: both rows name the stop, neither is moved
        assert atorvastatin
        assert all(i["flags"] and names_category(i, "stopped") for i in ramipril + atorvastatin)


CERTAIN = {
    "next sentence": ("Atorvastatin 40 mg at night. She stopped it three weeks ago.", "Atorvastatin"),
    "came off": ("Omeprazole 20 mg once daily for reflux. He came off it a month ago.", "Omeprazole"),
    "not taken": ("Sertraline 100 mg once daily. He has not taken it since Christmas.", "Sertraline"),
    "declined": ("Atorvastatin 20 mg at night was offered. He declined it.", "Atorvastatin"),
    "refused": ("Alendronic 70 mg once weekly was suggested, but she refused it.", "Alendronic"),
}


@pytest.mark.parametrize(("text", "drug"), CERTAIN.values(), ids=CERTAIN)
def test_a_pronoun_that_can_only_mean_one_drug_moves_it_to_not_taking(
    backend: str, form: str, text: str, drug: str
) -> None:
    # Given one prescription, then a pronoun saying it is stopped or not taken, and another drug said after that
    text = f"{text} Ramipril 5 mg once daily continues."
    d = drafted(
        text,
        lambda n: n.med(drug, STRENGTH=text.split()[1] + " mg").med("Ramipril", STRENGTH="5 mg"),
        backend,
        form,
    )
    # When the draft is built
    # Then the drug the pronoun can only mean is not taken, never a prescription, and the later drug goes on (the
    # offline detector's own NEGATION on it in a run-on puts it under Not taking flagged: never silently dropped)
    assert not [i for i in items(d, "Medications") if drug.lower() in i["text"].lower()]
    assert [i for i in items(d, "Not taking") if drug.lower() in i["text"].lower()]
    later = [
        (t, i) for t in ("Medications", "Not taking") for i in items(d, t) if "ramipril" in i["text"].lower()
    ]
    assert later
    assert all(t == "Medications" or i["flags"] for t, i in later), later


def test_a_pronoun_after_two_drugs_of_one_sentence_flags_both_and_moves_neither(
    backend: str, form: str
) -> None:
    # Given two drugs said in one sentence, then "He stopped it"
    text = "Amlodipine 10 mg and doxazosin 4 mg once daily. He stopped it because of dizziness."
    d = drafted(
        text,
        lambda n: n.med("Amlodipine", STRENGTH="10 mg").med(
            "doxazosin", STRENGTH="4 mg", FREQUENCY="once daily"
        ),
        backend,
        form,
    )
    # Then the words do not say which: both stay prescriptions, both rows name the stop
    rows = [
        i for i in items(d, "Medications") if {"amlodipine", "doxazosin"} & set(i["text"].lower().split())
    ]
    assert len(rows) == 2
    assert all(i["flags"] and names_category(i, "stopped") for i in rows), rows


def test_a_stop_said_under_a_condition_moves_nothing(backend: str, form: str) -> None:
    # Given a pronoun stop said after "if"
    text = "Sertraline 50 mg once daily. If she stopped it suddenly she would feel dizzy."
    d = drafted(text, lambda n: n.med("Sertraline", STRENGTH="50 mg", FREQUENCY="once daily"), backend, form)
    # Then the drug is not moved (a condition is no stop that happened), and its row still names the words
    rows = [i for i in items(d, "Medications") if "sertraline" in i["text"].lower()]
    assert rows
    assert all(i["flags"] and names_category(i, "stopped") for i in rows), rows


def test_taking_it_is_no_stop(backend: str, form: str) -> None:
    text = "Ramipril 5 mg daily. She takes it every morning."
    d = drafted(text, lambda n: n.med("Ramipril", STRENGTH="5 mg"), backend, form)
    ramipril = [i for i in items(d, "Medications") if "ramipril" in i["text"].lower()]
    assert ramipril
    assert not any(names_category(i, "stopped") for i in ramipril), ramipril


PAST = {
    "years ago": "He had a DVT two years ago, treated with rivaroxaban for 6 months.",
    "a year": "In 2019 she was treated with methotrexate 15 mg weekly for psoriasis.",
    # a past-tense verb of taking and an end point after the drug
    "took until": "She took rivaroxaban 20 mg daily after the clot until 2022.",
    "was on until": "He was on methotrexate for his arthritis until three months ago.",
}


@pytest.mark.parametrize("text", PAST.values(), ids=PAST)
def test_a_past_course_is_never_silently_current(backend: str, form: str, text: str) -> None:
    drug = "rivaroxaban" if "rivaroxaban" in text else "methotrexate"
    d = drafted(text, lambda n: n.med(drug), backend, form)
    rows = [i for i in items(d, "Medications") if drug in i["text"].lower()]
    assert all(i["flags"] and names_category(i, "stopped") for i in rows), rows


IN_ERROR = {
    "dispensed in error": "The pharmacy dispensed methotrexate in error, and he has not opened the box.",
    "given by mistake": "On the ward she was given methotrexate 15 mg by mistake.",
}


@pytest.mark.parametrize("text", IN_ERROR.values(), ids=IN_ERROR)
def test_a_drug_supplied_in_error_is_never_silently_current(backend: str, form: str, text: str) -> None:
    d = drafted(text, lambda n: n.med("methotrexate"), backend, form)
    rows = [i for i in items(d, "Medications") if "methotrexate" in i["text"].lower()]
    # Then wherever it is a row, the row names the mistake: a drug confused for another, maybe not taken
    assert all(names_category(i, "look-alike") and names_category(i, "stopped") for i in rows), rows


def test_a_drug_supplied_as_prescribed_is_no_error(backend: str, form: str) -> None:
    text = "The pharmacy dispensed methotrexate 15 mg weekly as prescribed."
    d = drafted(text, lambda n: n.med("methotrexate", STRENGTH="15 mg"), backend, form)
    rows = [i for i in items(d, "Medications") if "methotrexate" in i["text"].lower()]
    assert rows
    assert not any("in error" in " ".join(i.get("reasons") or []) for i in rows), rows


NOT_ENDED = {
    "instruction": "Take methotrexate 15 mg weekly until January.",
    "until now": "He took methotrexate 15 mg weekly until now and continues it.",
}


@pytest.mark.parametrize("text", NOT_ENDED.values(), ids=NOT_ENDED)
def test_an_end_point_with_no_past_taking_is_no_past_course(backend: str, form: str, text: str) -> None:
    d = drafted(text, lambda n: n.med("methotrexate", STRENGTH="15 mg"), backend, form)
    rows = [i for i in items(d, "Medications") if "methotrexate" in i["text"].lower()]
    assert rows
    assert not any("said as a past course" in " ".join(i.get("reasons") or []) for i in rows), rows


def test_being_treated_with_is_current(backend: str, form: str) -> None:
    text = "She is being treated with methotrexate 15 mg weekly."
    d = drafted(text, lambda n: n.med("methotrexate", STRENGTH="15 mg"), backend, form)
    rows = [i for i in items(d, "Medications") if "methotrexate" in i["text"].lower()]
    assert rows
    assert not any(names_category(i, "stopped") for i in rows), rows

"""Prescription reading, session 11 (b8dev): what a prescription row says beside it is read, so no drug that is not
taken now, and no other member of a look-alike pair, is stated as current without a flag naming why. Both
backends (the offline detector and an AWS-shaped DetectEntitiesV2 response), both written forms."""

from __future__ import annotations

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items

from medscribe.evaluation.drafts import names_category
from medscribe.logic.document.guard_data import drug_spelling, lasa_partners

both = [pytest.mark.parametrize("backend", BACKENDS), pytest.mark.parametrize("form", FORMS)]


def _rows(d: dict[str, object], drug: str) -> list[dict[str, object]]:
    return [i for i in items(d, "Medications") if drug in str(i.get("name", "")).lower()]


def test_no_two_listed_names_share_a_spelling_key() -> None:
    # the key joins two spellings of one drug; it must never join two drugs of the lists
    keys: dict[str, str] = {}
    for name in lasa_partners():
        assert keys.setdefault(drug_spelling(name), name) == name


# The lists write the American name; a British dictation says the other spelling of one member.
LOOK_ALIKE = {
    "valaciclovir": (
        "Start valaciclovir 500 mg once daily. The pharmacy first supplied valganciclovir, now returned.",
        "valaciclovir",
        "valganciclovir",
    ),
    "ciclosporin": (
        "Ciclosporin 100 mg twice daily for psoriasis. Cycloserine appeared on the old chart.",
        "Ciclosporin",
        "Cycloserine",
    ),
}


@pytest.mark.parametrize("case", LOOK_ALIKE.values(), ids=LOOK_ALIKE)
@both[0]
@both[1]
def test_a_look_alike_pair_in_british_spelling_flags_both_rows(
    backend: str, form: str, case: tuple[str, str, str]
) -> None:
    # Given both members of a listed pair, one in the spelling the list does not write
    text, first, second = case
    d = drafted(text, lambda n: n.med(first).med(second), backend, form)
    # Then each member's row is there and names the look-alike pair
    rows = _rows(d, first.lower()) + _rows(d, second.lower())
    assert {str(r["name"]).lower() for r in rows} >= {first.lower(), second.lower()}, rows
    assert all(names_category(r, "look-alike") for r in rows), rows


GUESSED = {
    "either": (
        "She takes a statin, either simvastatin or pravastatin, she is not sure.",
        "simvastatin pravastatin",
    ),
    "three": (
        "He is on lisinopril, ramipril or perindopril, he isn't sure.",
        "lisinopril ramipril perindopril",
    ),
    "to be confirmed": (
        "Also on a water tablet, furosemide or bumetanide, to be confirmed.",
        "furosemide bumetanide",
    ),
}


@pytest.mark.parametrize("case", GUESSED.values(), ids=GUESSED)
@both[0]
@both[1]
def test_a_doubt_after_alternatives_reaches_each_drug_offered(
    backend: str, form: str, case: tuple[str, str]
) -> None:
    # Given two or three drugs offered as alternatives and the doubt said after the last
    text, offered = case
    d = drafted(text, lambda n: [n.med(drug) for drug in offered.split()], backend, form)
    # Then no drug offered is stated as a fact: each row names the doubt
    rows = [r for drug in offered.split() for r in _rows(d, drug)]
    assert rows, items(d, "Medications")
    assert all(names_category(r, "unclear") for r in rows), rows


@both[0]
@both[1]
def test_a_doubt_after_alternatives_does_not_reach_a_drug_said_before(backend: str, form: str) -> None:
    # Given a prescription, then alternatives with a doubt after them
    text = "Amlodipine 5 mg daily. He also takes simvastatin or pravastatin, he is not sure."
    d = drafted(
        text,
        lambda n: n.med("Amlodipine", STRENGTH="5 mg").med("simvastatin").med("pravastatin"),
        backend,
        form,
    )
    # Then the prescription said as a fact is no guess
    rows = _rows(d, "amlodipine")
    assert rows
    assert not any("NAME_UNCLEAR" in r["flags"] for r in rows), rows


HELD = {
    "omit it": ("Apixaban 5 mg twice daily: omit it on the morning of the procedure.", "Apixaban", "5 mg"),
    "withhold, no object": (
        "Aspirin 75 mg once daily for his stent, withhold for five days before the operation.",
        "Aspirin",
        "75 mg",
    ),
    "hold, no object": ("Ramipril 10 mg daily, hold on the day of surgery.", "Ramipril", "10 mg"),
}


@pytest.mark.parametrize("case", HELD.values(), ids=HELD)
@both[0]
@both[1]
def test_a_drug_held_before_surgery_is_never_silently_current(
    backend: str, form: str, case: tuple[str, str, str]
) -> None:
    # Given a prescription and, in its clause, a hold said by a pronoun or with its object left unsaid
    text, drug, strength = case
    d = drafted(text, lambda n: n.med(drug, STRENGTH=strength), backend, form)
    # Then it is drafted, and wherever it is drafted as current its row names the hold
    name = drug.lower()
    rows = _rows(d, name)
    assert rows or [i for i in items(d, "Not taking") if name in str(i.get("name", ""))]
    assert all(r["flags"] and names_category(r, "stopped") for r in rows), rows


NOT_HELD = {
    "continued": "Bisoprolol 5 mg daily, continue on the day of surgery.",
    "hold on (dictation)": "Bisoprolol 5 mg daily, hold on a second, sorry, once daily.",
    "hold on, comma": "Bisoprolol 5 mg daily, hold on, sorry, in the morning.",
}


@pytest.mark.parametrize("text", NOT_HELD.values(), ids=NOT_HELD)
@both[0]
@both[1]
def test_no_hold_is_read_where_none_is_said(backend: str, form: str, text: str) -> None:
    d = drafted(text, lambda n: n.med("Bisoprolol", STRENGTH="5 mg"), backend, form)
    rows = _rows(d, "bisoprolol")
    assert rows
    assert not any(names_category(r, "stopped") for r in rows), rows


PAST_COURSE = {
    "had a course": ("She had a course of clarithromycin for a chest infection in March.", "clarithromycin"),
    "was given": ("He was given a five-day course of doxycycline in October.", "doxycycline"),
    "took": ("He took a short course of prednisolone last year for gout.", "prednisolone"),
}


@pytest.mark.parametrize("case", PAST_COURSE.values(), ids=PAST_COURSE)
@both[0]
@both[1]
def test_a_course_had_in_the_past_is_never_silently_current(
    backend: str, form: str, case: tuple[str, str]
) -> None:
    text, drug = case
    d = drafted(text, lambda n: n.med(drug), backend, form)
    rows = _rows(d, drug)
    assert all(r["flags"] and names_category(r, "stopped") for r in rows), rows


@both[0]
@both[1]
def test_a_course_still_taken_is_current(backend: str, form: str) -> None:
    text = "He had a course of doxycycline in March and is still taking it."
    d = drafted(text, lambda n: n.med("doxycycline"), backend, form)
    rows = _rows(d, "doxycycline")
    assert rows
    assert not any(names_category(r, "stopped") for r in rows), rows


NEVER_WITH = {
    "never with": ("Start tadalafil 10 mg before sex, and never with nitrates.", "tadalafil", "nitrates"),
    "not to be taken with": (
        "Clarithromycin 500 mg twice daily, not to be taken with simvastatin.",
        "Clarithromycin",
        "simvastatin",
    ),
}


@pytest.mark.parametrize("case", NEVER_WITH.values(), ids=NEVER_WITH)
@both[0]
@both[1]
def test_a_drug_never_to_be_combined_is_not_a_current_row(
    backend: str, form: str, case: tuple[str, str, str]
) -> None:
    # Given a prescription and a drug it must never be taken with
    text, drug, other = case
    d = drafted(text, lambda n: n.med(drug).med(other), backend, form)
    # Then the prescription is current and the other drug is not stated as current
    assert _rows(d, drug.lower()), items(d, "Medications")
    assert all(names_category(r, "stopped") for r in _rows(d, other)), _rows(d, other)


OWNED = {
    "pronoun": (
        "Review for a 70-year-old man. Lisinopril 10 mg daily. His wife's pills share his pill box; she takes "
        "lisinopril 20 mg daily as well, and that is hers.",
        ("Lisinopril", "10 mg"),
        ("lisinopril", "20 mg"),
    ),
    "relation named": (
        "Warfarin 3 mg daily. He also brought warfarin 5 mg tablets, and those are his wife's.",
        ("Warfarin", "3 mg"),
        ("warfarin", "5 mg"),
    ),
}


@pytest.mark.parametrize("case", OWNED.values(), ids=OWNED)
@both[0]
@both[1]
def test_another_persons_dose_never_joins_the_patients_row(
    backend: str, form: str, case: tuple[str, tuple[str, str], tuple[str, str]]
) -> None:
    # Given the patient's prescription, then the same drug at another dose said after it to be another person's
    text, (first, own), (second, other) = case

    def build(n: AwsNote) -> None:
        said = n.text.lower()
        later = said.index(second.lower(), said.index(first.lower()) + 1)  # the second mention
        n.med(first, STRENGTH=own).med(second, STRENGTH=other, after=later)

    d = drafted(text, build, backend, form)
    # Then the patient's row holds the patient's dose only
    rows = _rows(d, second)
    assert rows, items(d, "Medications")
    assert all(other not in str(r["text"]) for r in rows), rows
    assert any(own in str(r["text"]) for r in rows), rows


@both[0]
@both[1]
def test_a_drug_said_to_be_the_patients_own_stays_his(backend: str, form: str) -> None:
    text = "Seen with his wife. Amlodipine 5 mg daily, and that one is his."
    d = drafted(text, lambda n: n.med("Amlodipine", STRENGTH="5 mg"), backend, form)
    assert _rows(d, "amlodipine"), items(d, "Medications")


@both[0]
@both[1]
def test_his_before_a_noun_says_nothing_of_whose(backend: str, form: str) -> None:
    # Given a woman's prescription and "his" as a determiner after it ("his" is no owner here)
    text = "Seen with her husband. Warfarin 3 mg daily, that is his only worry about her."
    d = drafted(text, lambda n: n.med("Warfarin", STRENGTH="3 mg"), backend, form)
    # Then the prescription stays hers
    assert _rows(d, "warfarin"), items(d, "Medications")

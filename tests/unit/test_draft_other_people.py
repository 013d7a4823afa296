"""Another person's drug (issue 15, session 8): a flatmate, partner, carer, friend, neighbour, colleague or support
worker is not family, so what is said of them is listed under "Other people" (never Family history, never the
prescription), once however often it is said; a person's word read as a drug ("flatmate") is no row. Each case
is drafted on both backends (offline detector, AWS-shaped DetectEntitiesV2) and in both written forms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items

from medscribe.evaluation.drafts import names_category
from medscribe.logic.document.sections import SectionItem, _name_elsewhere

both = pytest.mark.parametrize("backend", BACKENDS)
forms = pytest.mark.parametrize("form", FORMS)


def _said(d: dict[str, Any], title: str, words: str) -> list[dict[str, Any]]:
    return [i for i in items(d, title) if words in i["text"].lower()]


def _rows(d: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [i for i in items(d, "Medications") if drug in i["text"].lower()]


@both
@forms
def test_a_flatmates_drug_said_twice_is_one_other_people_line_and_flatmate_is_no_drug(
    backend: str, form: str
) -> None:
    # Given the flatmate's quetiapine said twice, and "flatmate" read as a drug at a low score (the offline
    # detector does this today; the AWS-shaped response says the same)
    text = (
        "Seen after an overdose of her flatmate's quetiapine, about twenty tablets. Increase fluoxetine from "
        "20 mg to 40 mg each morning. The quetiapine belongs to the flatmate and is not for her."
    )

    def build(n: AwsNote) -> None:
        n.med("quetiapine")
        n.med("fluoxetine", STRENGTH="40 mg", FREQUENCY="each morning")
        quetiapine = n.text.lower().index("quetiapine") + 1
        n.med("quetiapine", after=quetiapine)
        n.med("flatmate", after=n.text.lower().rindex("flatmate"), score=0.63)

    d = drafted(text, build, backend, form)
    # Then the quetiapine is listed once, under Other people, never under Family history or as a row
    assert len(_said(d, "Other people", "flatmate: quetiapine")) == 1
    assert not _said(d, "Family history", "quetiapine")
    assert not _rows(d, "quetiapine")
    # and "flatmate" is no prescription row and no flag of its own
    assert not _rows(d, "flatmate")
    assert not _said(d, "Needs review", "“flatmate”")


@both
@forms
@pytest.mark.parametrize(
    ("said", "who"),
    [
        ("Her partner is on quetiapine", "partner"),
        ("Her carer takes quetiapine", "carer"),
        ("Her friend takes quetiapine", "friend"),
        ("Her neighbour takes quetiapine", "neighbour"),
        ("A colleague takes quetiapine", "colleague"),
        ("His support worker is on quetiapine", "support worker"),
        ("The lady next door takes quetiapine", "lady next door"),
        # no family word and none of the above: a companion, a lodger, a "-mate"
        ("His travelling companion is on quetiapine", "companion"),
        ("Her lodger takes quetiapine", "lodger"),
        ("His classmate takes quetiapine", "classmate"),
    ],
)
def test_another_persons_drug_is_listed_under_other_people(
    backend: str, form: str, said: str, who: str
) -> None:
    # Given a drug said of someone who is not family, then the patient's own drug in a new sentence
    text = f"{said}. Continue amlodipine 5 mg once daily."

    def build(n: AwsNote) -> None:
        n.med("quetiapine")
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")

    d = drafted(text, build, backend, form)
    # Then it is that person's, under Other people, never Family history, never the patient's
    assert len(_said(d, "Other people", f"{who}: quetiapine")) == 1
    assert not _said(d, "Family history", "quetiapine")
    assert not _rows(d, "quetiapine")
    assert _rows(d, "amlodipine")


@both
@forms
def test_a_blood_relatives_drug_is_family_history_a_spouses_is_another_persons(
    backend: str, form: str
) -> None:
    # Given a spouse's and a sister's drugs and conditions
    text = (
        "Her husband takes warfarin for atrial fibrillation. Her sister is on lithium. "
        "Continue amlodipine 5 mg once daily."
    )

    def build(n: AwsNote) -> None:
        n.med("warfarin").condition("atrial fibrillation")
        n.med("lithium")
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")

    # When the draft is built
    d = drafted(text, build, backend, form)
    # Then the sister's drug is family history, and the husband's drug and condition (no blood relative, nothing
    # the patient may inherit) are another person's, never family history, never the patient's
    assert _said(d, "Family history", "sister: lithium")
    assert _said(d, "Other people", "husband: warfarin")
    assert _said(d, "Other people", "husband: atrial fibrillation")
    assert not _said(d, "Family history", "warfarin")
    assert not _said(d, "Family history", "atrial fibrillation")
    assert _rows(d, "amlodipine")
    assert not _rows(d, "warfarin")


def test_a_flagged_row_also_said_as_another_persons_names_other_person() -> None:
    # Given a flagged row whose drug is also under Other people
    row = SectionItem(text="quetiapine", flags=["BLANK_CELL"], kind="medication", name="quetiapine")
    sections = {
        title: [] for title in ("Family history", "Plan and conditional", "Denied", "Not taking", "Allergies")
    } | {"Other people": [SectionItem(text="flatmate: quetiapine", name="quetiapine")]}
    named = _name_elsewhere(row, sections)  # type: ignore[arg-type]
    # Then its flags name the other person
    assert "OTHER_PERSON" in named.flags
    assert names_category(named.model_dump(), "other person")


@both
@forms
def test_a_reflexive_in_a_relations_relative_clause_is_the_relations(backend: str, form: str) -> None:
    # Given a relation's relative clause holding a reflexive ("who has epilepsy himself") and then a drug
    text = (
        "Seizure at home this morning, witnessed by her husband, who has epilepsy himself and takes lamotrigine. "
        "Start levetiracetam 250 mg twice daily."
    )

    def build(n: AwsNote) -> None:
        n.condition("Seizure").condition("epilepsy").med("lamotrigine")
        n.med("levetiracetam", STRENGTH="250 mg", FREQUENCY="twice daily")

    # When the draft is built
    d = drafted(text, build, backend, form)
    # Then the reflexive names the husband, not the patient: his drug is never the patient's prescription
    assert _said(d, "Other people", "husband: lamotrigine")
    assert not _rows(d, "lamotrigine")
    assert _rows(d, "levetiracetam")


@both
@forms
@pytest.mark.parametrize(
    "said",
    [
        "She drinks yerba mate every day and takes amlodipine 5 mg once daily.",
        "The PD-L1 companion diagnostic is positive, so start amlodipine 5 mg once daily.",
    ],
)
def test_a_drink_or_a_test_named_like_a_person_makes_nobody_the_subject(
    backend: str, form: str, said: str
) -> None:
    # Given "mate" as a drink and "companion" before a test's noun: no person is named
    def build(n: AwsNote) -> None:
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")

    d = drafted(said, build, backend, form)
    # Then the patient's drug is the patient's row, nobody else's
    assert _rows(d, "amlodipine"), d
    assert not _said(d, "Other people", "amlodipine")

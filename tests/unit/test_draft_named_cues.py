"""Weak flags named by the draft's own cue words (issue 15, session 8): a row that was wrong but flagged only for
a blank cell is now placed (or flagged) by what the words say — "which is on hold", "… is on hold until …",
"which she should no longer do", "which she should not take", "was tried last year", "was not tolerated",
"should be returned to the pharmacy", "then X if …", "which makes him vomit, and to sulfa drugs", a taper whose
first step has a schedule, a stop after "then" in a run-on, a drug after a relation's clause that gives the
relation no drug. Both backends, both written forms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items

from medscribe.evaluation.drafts import names_category

both = pytest.mark.parametrize("backend", BACKENDS)
forms = pytest.mark.parametrize("form", FORMS)


def _in(d: dict[str, Any], title: str, drug: str) -> list[dict[str, Any]]:
    return [i for i in items(d, title) if drug in i["text"].lower()]


@both
@forms
@pytest.mark.parametrize(
    ("said", "drug", "attrs"),
    [
        (
            "Her own medication is sertraline 100 mg daily, which is on hold.",
            "sertraline",
            {"STRENGTH": "100 mg"},
        ),
        (
            "Adalimumab 40 mg subcutaneous injection every two weeks is on hold until the chest infection settles.",
            "adalimumab",
            {"STRENGTH": "40 mg"},
        ),
        (
            "She sometimes uses her old Lantus pen when she runs out, which she should no longer do.",
            "lantus",
            {},
        ),
        ("Her friend gave her some Ritalin at school, which she should not take.", "ritalin", {}),
        ("Elvanse was tried last year and caused poor appetite.", "elvanse", {}),
        ("Champix was not tolerated last year.", "champix", {}),
        ("Her old Madopar capsules should be returned to the pharmacy.", "madopar", {}),
    ],
)
def test_a_drug_held_stopped_or_put_away_in_the_drafts_own_words_is_not_prescribed(
    backend: str, form: str, said: str, drug: str, attrs: dict[str, str]
) -> None:
    text = f"Continue amlodipine 5 mg once daily. {said}"

    def build(n: AwsNote) -> None:
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")
        n.med(
            drug if n.recogniser else next(w for w in said.replace(",", " ").split() if w.lower() == drug),
            **attrs,
        )

    d = drafted(text, build, backend, form)
    assert not _in(d, "Medications", drug)
    assert _in(d, "Not taking", drug)
    assert _in(d, "Medications", "amlodipine")


@both
@forms
def test_a_drug_said_as_the_next_step_under_a_condition_is_conditional(backend: str, form: str) -> None:
    text = "Olive oil drops twice daily for a week, then Otex if still blocked."

    def build(n: AwsNote) -> None:
        n.med("Olive oil", FREQUENCY="twice daily")
        n.med("Otex")

    d = drafted(text, build, backend, form)
    assert not _in(d, "Medications", "otex")
    assert _in(d, "Plan and conditional", "otex")


@both
@forms
def test_an_allergy_list_goes_on_after_a_reaction_said_with_makes_him(backend: str, form: str) -> None:
    text = "He is allergic to codeine, which makes him vomit, and to sulfa drugs. Continue amlodipine 5 mg once daily."

    def build(n: AwsNote) -> None:
        n.med("codeine")
        n.condition("vomit")
        n.med("sulfa drugs")
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")

    d = drafted(text, build, backend, form)
    assert _in(d, "Allergies", "codeine — vomit")
    assert _in(d, "Allergies", "sulfa")
    assert not _in(d, "Medications", "sulfa")


@both
@forms
def test_a_taper_whose_first_step_has_a_schedule_keeps_every_step(backend: str, form: str) -> None:
    text = "Reducing chlordiazepoxide course: 20 mg four times a day, then 15 mg, then 10 mg, then 5 mg."

    def build(n: AwsNote) -> None:
        n.med("chlordiazepoxide", STRENGTH="20 mg", FREQUENCY="four times a day")

    [row] = _in(drafted(text, build, backend, form), "Medications", "chlordiazepoxide")
    assert "20 mg, then 15 mg, then 10 mg, then 5 mg" in row["text"]


@both
def test_a_stop_after_then_in_a_run_on_is_flagged_not_silently_applied(backend: str) -> None:
    # Given a recogniser's run-on: "… then five milligrams then stop thiamine one hundred milligrams …"
    text = "Chlordiazepoxide 20 mg, then 10 mg, then 5 mg, then stop thiamine 100 mg three times a day."

    def build(n: AwsNote) -> None:
        n.med("chlordiazepoxide", STRENGTH="20 mg")
        n.med("thiamine", STRENGTH="100 mg", FREQUENCY="three times a day")

    d = drafted(text, build, backend, "recogniser")
    thiamine = _in(d, "Medications", "thiamine") + _in(d, "Not taking", "thiamine")
    assert thiamine
    assert all(i["flags"] for i in thiamine)


@both
@forms
def test_a_drug_after_a_relations_clause_that_gives_them_no_drug_is_whose_unclear(
    backend: str, form: str
) -> None:
    text = "His brother drinks heavily too zopiclone 7.5 mg at night."

    def build(n: AwsNote) -> None:
        n.med("zopiclone", STRENGTH="7.5 mg", FREQUENCY="at night")

    d = drafted(text, build, backend, form)
    [item] = _in(d, "Family history", "zopiclone") + _in(d, "Medications", "zopiclone")
    assert "SUBJECT_UNCLEAR" in item["flags"]
    assert names_category(item, "other person")


@both
@forms
@pytest.mark.parametrize(
    ("said", "drug"),
    [
        ("He's on apixaban for AF, last dose last night, so that's held for now.", "apixaban"),
        ("Trimbow inhaler, two puffs twice a day, which replaces her old Fostair.", "fostair"),
        ("His ibuprofen for his back pain should stop now that he's on aspirin.", "ibuprofen"),
        ("Procyclidine was never started and isn't needed.", "procyclidine"),
        ("Change the Clenil to Symbicort, one puff twice daily.", "clenil"),
    ],
)
def test_more_stops_and_holds_in_the_drafts_own_words(backend: str, form: str, said: str, drug: str) -> None:
    text = f"Continue amlodipine 5 mg once daily. {said}"
    others = [w for w in ("Trimbow", "aspirin", "Symbicort") if w in said]

    def build(n: AwsNote) -> None:
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="once daily")
        for word in [drug, *others]:
            found = next(w.strip(",.") for w in said.split() if w.strip(",.").lower() == word.lower())
            n.med(found)

    d = drafted(text, build, backend, form)
    assert not _in(d, "Medications", drug)
    assert _in(d, "Not taking", drug)


@both
@forms
def test_a_drug_said_to_be_another_persons_in_a_which_clause_is_theirs(backend: str, form: str) -> None:
    text = "She asked about hydroxychloroquine, which her friend takes for lupus; that's not for her."

    def build(n: AwsNote) -> None:
        n.med("hydroxychloroquine")
        n.condition("lupus")

    d = drafted(text, build, backend, form)
    assert not _in(d, "Medications", "hydroxychloroquine")
    assert _in(d, "Other people", "friend: hydroxychloroquine")


@both
@forms
@pytest.mark.parametrize(
    ("said", "concept"),
    [
        ("Brought by his dad. Dad says the wheeze has been there for three weeks.", "wheeze"),
        ("She takes gliclazide, her colleague wasn't certain, for her diabetes.", "diabetes"),
        ("Dad asked about the cough at night; it has been there for two weeks.", "cough"),
    ],
)
def test_what_a_relation_reports_is_drafted_as_the_patients_flagged(
    backend: str, form: str, said: str, concept: str
) -> None:
    def build(n: AwsNote) -> None:
        if "gliclazide" in said:
            n.med("gliclazide")
        n.condition(concept)

    d = drafted(said, build, backend, form)
    # Then it is never another person's unflagged (the patient's, or a detector's family trait kept): whose is
    # flagged
    said = _in(d, "Problems", concept) + _in(d, "Family history", concept) + _in(d, "Other people", concept)
    assert said
    assert all("SUBJECT_UNCLEAR" in i["flags"] and names_category(i, "other person") for i in said)


@both
@forms
def test_a_drug_in_a_later_sentence_after_a_family_history_header_and_a_pronoun_is_flagged(
    backend: str, form: str
) -> None:
    text = (
        "Family history: his mum has asthma. He's had no fever on listening to the chest there's a wheeze. "
        "Salbutamol inhaler 2 puffs as needed."
    )

    def build(n: AwsNote) -> None:
        n.condition("asthma")
        n.condition("fever", traits={"NEGATION": 0.9})
        n.condition("wheeze")
        n.med("Salbutamol", DOSAGE="2 puffs", FREQUENCY="as needed")

    d = drafted(text, build, backend, form)
    salbutamol = _in(d, "Medications", "salbutamol") + _in(d, "Family history", "salbutamol")
    assert salbutamol
    assert all("SUBJECT_UNCLEAR" in i["flags"] for i in salbutamol)

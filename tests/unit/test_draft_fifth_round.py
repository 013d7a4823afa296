"""Cases of the draft fixes of session 8 (issue 15, batch5-dev's findings), each by the rule behind it, not the
note's words: stop cues said after the drug or by "change … to" / "replaces"; a condition corrected to a
sound-alike; a look-alike pair flagged on its rows; "… or he gets X" inside an "if"; "wondered if" as a question;
a "Family history:" header's reach past a pronoun sentence; a corrected new dose; "then stop <drug>" after a
taper step. Each drafted on both backends (the offline detector, an AWS-shaped DetectEntitiesV2 response) and
in both written forms (punctuated, recogniser lower case without punctuation)."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, current, drafted, items, names

both = pytest.mark.parametrize("backend", BACKENDS)
forms = pytest.mark.parametrize("form", FORMS)


def _with(d: dict[str, Any], title: str, name: str) -> list[dict[str, Any]]:
    return [i for i in items(d, title) if name in i.get("name", "") or name in i["text"].lower()]


# ---- stop cues said after the drug, by a pronoun, or by "change … to" / "replaces" ----------------------------
STOPS = [
    # a contracted "is": "that's held"
    ("She is on rivaroxaban for AF, last dose this morning, so that's held for now. Continue atorvastatin 20 mg "
     "at night.", "rivaroxaban"),
    # the drug is the subject of a stop to come
    ("His naproxen for knee pain should stop now. Continue atorvastatin 20 mg at night.", "naproxen"),
    # never started
    ("Sertraline was never started and is not needed. Continue atorvastatin 20 mg at night.", "sertraline"),
    # "change X to Y": the drug changed from
    ("Change the amlodipine to lercanidipine 10 mg once daily. Continue atorvastatin 20 mg at night.",
     "amlodipine"),
    # "Y, which replaces her old X"
    ("Edoxaban 60 mg once daily, which replaces her old warfarin. Continue atorvastatin 20 mg at night.",
     "warfarin"),
]  # fmt: skip


@both
@forms
@pytest.mark.parametrize(("said", "drug"), STOPS)
def test_a_drug_stopped_by_words_said_after_it_is_not_a_current_medication(
    backend: str, form: str, said: str, drug: str
) -> None:
    # Given a drug whose stop is said after it (or by a change to / replacement with another drug)
    def build(n: AwsNote) -> None:
        for name in ("rivaroxaban", "naproxen", "Sertraline", "amlodipine", "lercanidipine", "Edoxaban",
                     "warfarin"):  # fmt: skip
            if n._said(name) in n.text:
                n.med(name)
        n.med("atorvastatin", STRENGTH="20 mg", FREQUENCY="at night")

    # When it is drafted
    d = drafted(said, build, backend, form)
    # Then it is under Not taking, never a current medication stated as fact
    assert _with(d, "Not taking", drug)
    assert current(d, drug) == []
    # And the drug said alongside is still current
    assert current(d, "atorvastatin")


@both
@forms
def test_change_to_a_dose_is_a_dose_change_not_a_stop(backend: str, form: str) -> None:
    # Given "change the X to <dose>" (no other drug named after "to")
    said = "Change the amlodipine to 10 mg once daily."
    d = drafted(said, lambda n: n.med("amlodipine", STRENGTH="10 mg", FREQUENCY="once daily"), backend, form)
    # Then the drug stays current
    assert current(d, "amlodipine")
    assert not _with(d, "Not taking", "amlodipine")


# ---- a condition the speaker corrects to a sound-alike -------------------------------------------------------
CORRECTED = [
    ("She has hyperglycaemia, sorry, hypoglycaemia, after skipping meals.", "hyperglycaemia", "hypoglycaemia"),
    ("The discharge letter says hypernatraemia: that was a typing error, it was hyponatraemia.",
     "hypernatraemia", "hyponatraemia"),
]  # fmt: skip


@both
@forms
@pytest.mark.parametrize(("said", "wrong", "right"), CORRECTED)
def test_a_condition_corrected_to_a_sound_alike_is_not_a_problem(
    backend: str, form: str, said: str, wrong: str, right: str
) -> None:
    text = f"{said} Continue metformin 500 mg twice daily."

    def build(n: AwsNote) -> None:
        n.condition(wrong)
        n.condition(right)
        n.med("metformin", STRENGTH="500 mg", FREQUENCY="twice daily")

    d = drafted(text, build, backend, form)
    # Then the corrected word is no problem, the correction is, and the draft says why (a sound-alike)
    assert wrong not in names(d, "Problems")
    assert right in names(d, "Problems")
    assert any("SOUND_ALIKE" in i["flags"] and wrong in i["text"] for i in items(d, "Needs review"))


@both
@forms
@pytest.mark.parametrize(
    "said",
    [
        "Her thyroid is overactive, so hyperthyroidism, not the hypothyroidism on the referral.",  # a denial
        "He has hypertension and hypotension on standing.",  # both said, no correction
    ],
)
def test_two_sound_alike_conditions_with_no_correction_are_not_dropped(
    backend: str, form: str, said: str
) -> None:
    first = "hyperthyroidism" if "thyroid" in said else "hypertension"

    def build(n: AwsNote) -> None:
        n.condition(first)
        n.condition("hypothyroidism" if "thyroid" in said else "hypotension")

    d = drafted(said, build, backend, form)
    assert first in names(d, "Problems")


# ---- a look-alike pair: the flag on each row of the pair -----------------------------------------------------
@both
@forms
def test_each_row_of_a_look_alike_pair_names_the_pair(backend: str, form: str) -> None:
    text = "Continue carbamazepine 200 mg twice daily. She also mentioned oxcarbazepine."

    def build(n: AwsNote) -> None:
        n.med("carbamazepine", STRENGTH="200 mg", FREQUENCY="twice daily")
        n.med("oxcarbazepine")

    d = drafted(text, build, backend, form)
    rows = [*_with(d, "Medications", "carbamazepine"), *_with(d, "Medications", "oxcarbazepine")]
    assert len(rows) == 2
    assert all("LOOK_ALIKE" in r["flags"] for r in rows)


# ---- "if …": a condition joined by "or he …"; "wondered if" is a question ------------------------------------
@both
@forms
def test_a_second_condition_joined_by_or_belongs_to_the_same_if(backend: str, form: str) -> None:
    # Given a long first condition (its verb far from "if") and a second joined by "or she …"
    text = "If the swelling spreads further up the arm towards the elbow or she gets a fever, she should come back."

    def build(n: AwsNote) -> None:
        n.condition("swelling", traits={"HYPOTHETICAL": 0.8})
        n.condition("fever")

    d = drafted(text, build, backend, form)
    # Then the fever is not a current problem stated as fact
    assert current(d, "fever", unflagged=True) == []


@both
@forms
def test_wondered_if_asks_a_question_and_conditions_nothing_after_it(backend: str, form: str) -> None:
    text = "She wondered if that is the cause, but there is no rash, so start naproxen 250 mg twice daily."

    def build(n: AwsNote) -> None:
        n.condition("rash", traits={"NEGATION": 0.9})
        n.med("naproxen", STRENGTH="250 mg", FREQUENCY="twice daily")

    d = drafted(text, build, backend, form)
    # Then the drug started after the question is current, not a conditional plan
    assert current(d, "naproxen")
    assert not _with(d, "Plan and conditional", "naproxen")


# ---- a "Family history:" header's reach past a sentence about "he" / "she" -------------------------------------
@both
@forms
def test_a_drug_after_a_pronoun_sentence_below_a_family_history_header_is_not_silently_the_relatives(
    backend: str, form: str
) -> None:
    text = "Family history: her father has diabetes. She has had no fever. Sertraline 50 mg once daily."

    def build(n: AwsNote) -> None:
        n.condition("diabetes")
        n.condition("fever", traits={"NEGATION": 0.9})
        n.med("Sertraline", STRENGTH="50 mg", FREQUENCY="once daily")

    d = drafted(text, build, backend, form)
    # Then sertraline is current, or listed as the family's only with a flag saying whose is unclear
    assert current(d, "sertraline") or _with(d, "Family history", "sertraline")
    assert all(i["flags"] for i in _with(d, "Family history", "sertraline"))


# ---- a corrected new dose -------------------------------------------------------------------------------------
@both
@forms
def test_a_new_dose_corrected_by_the_speaker_is_the_dose_shown(backend: str, form: str) -> None:
    text = "Increase the sertraline from 50 mg to 75 mg, sorry, to 100 mg once daily."

    def build(n: AwsNote) -> None:
        n.med("sertraline", STRENGTH="100 mg", FREQUENCY="once daily")

    d = drafted(text, build, backend, form)
    (row,) = _with(d, "Medications", "sertraline")
    assert row["dose"] == "100 mg"
    assert "75 mg" not in row["text"].replace("(was", "")


# ---- "then stop <drug>" after a taper step, with no punctuation ----------------------------------------------
@both
@forms
def test_a_stop_that_may_end_a_taper_is_not_silently_the_next_drugs(backend: str, form: str) -> None:
    text = (
        "Prednisolone 30 mg daily for five days, then 20 mg for five days, then stop; amoxicillin 500 mg three "
        "times daily for three more days."
    )

    def build(n: AwsNote) -> None:
        n.med("Prednisolone", STRENGTH="30 mg", FREQUENCY="daily")
        n.med("amoxicillin", STRENGTH="500 mg", FREQUENCY="three times daily")

    d = drafted(text, build, backend, form)
    # Then amoxicillin is current, or not taking with a flag saying the stop may not reach it
    assert current(d, "amoxicillin") or all(i["flags"] for i in _with(d, "Not taking", "amoxicillin"))


# ---- an amount said after a new subject's clause (no separator) -----------------------------------------------
@both
@forms
def test_an_amount_after_another_subjects_clause_is_not_the_drugs_dose(backend: str, form: str) -> None:
    text = (
        "Started on lamotrigine 25 mg once daily her wine intake is high about 20 units a week and she sleeps "
        "badly."
    )

    def build(n: AwsNote) -> None:
        n.med("lamotrigine", STRENGTH="25 mg", FREQUENCY="once daily", DOSAGE="20 units")

    d = drafted(text, build, backend, form)
    (row,) = _with(d, "Medications", "lamotrigine")
    # Then the row's dose is its own, and the other clause's amount is not shown as the drug's
    assert row["dose"] == "25 mg"
    assert "20 units" not in row["text"]


@both
@forms
def test_the_drugs_own_dose_said_as_his_dose_is_still_its_dose(backend: str, form: str) -> None:
    text = "Continue insulin glargine at night his dose is 40 units."
    d = drafted(
        text, lambda n: n.med("insulin glargine", DOSAGE="40 units", FREQUENCY="at night"), backend, form
    )
    (row,) = _with(d, "Medications", "glargine")
    assert "40 units" in row["text"]

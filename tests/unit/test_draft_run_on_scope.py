"""A recogniser's run-on (lower case, no punctuation, numbers spoken) drafts like the punctuated note where the
words decide, and flags the item where they do not (issue 15; ``scripts/form_differences.py`` lists the items
placed differently in the two forms)."""

from __future__ import annotations

import pytest

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.run_on import negated_clause_start, opens_negated_clause
from medscribe.textdraft import draft_sections


def _placed(text: str) -> dict[str, tuple[str, list[str]]]:
    """name -> (section, flags) of every drafted item but the review notes."""
    return {
        item["name"]: (section["title"], item["flags"])
        for section in draft_sections(text)["sections"]
        if section["title"] != "Needs review"
        for item in section["items"]
        if item.get("name")
    }


@pytest.mark.parametrize(
    ("note", "denied"),
    [
        ("Her uncle has gout and takes allopurinol. No joint swelling, no rash.", ("swelling", "rash")),
        ("His grandmother has Parkinson's disease. No tremor.", ("tremor",)),
    ],
)
def test_a_no_after_a_relations_noun_starts_the_patients_clause(note: str, denied: tuple[str, ...]) -> None:
    punctuated, recogniser = _placed(note), _placed(recogniser_form(note))
    for name in denied:
        assert punctuated[name] == ("Denied", [])
        assert recogniser[name] == ("Denied", [])  # was Family history, unflagged
    assert all(section == "Family history" for n, (section, _) in recogniser.items() if n not in denied)


def test_a_no_after_a_verb_or_preposition_stays_in_the_relations_clause() -> None:
    placed = _placed(recogniser_form("Her brother has coeliac disease with no symptoms."))
    assert placed["coeliac disease"][0] == "Family history"
    text = "her sister has no asthma and with no eczema"
    assert negated_clause_start(text, 0, len(text)) is None
    assert opens_negated_clause("his dad has copd no cough", len("his dad has copd "))
    assert not opens_negated_clause("his dad has copd, no cough", len("his dad has copd, "))


def test_a_concept_run_on_after_a_possible_drug_is_flagged_not_silently_planned() -> None:
    note = "We may add bisoprolol 2.5 mg daily. Echocardiogram in six weeks."
    assert _placed(note)["echocardiogram"] == ("Tests and procedures", [])
    section, flags = _placed(recogniser_form(note))["echocardiogram"]
    assert section == "Plan and conditional"
    assert flags == ["CONDITION_SCOPE_UNCLEAR"]  # was unflagged
    assert _placed(recogniser_form(note))["bisoprolol"] == ("Plan and conditional", [])


def test_an_examination_ends_a_negation_run_on() -> None:
    note = "He denies fever or rigors. On examination, wheeze at the right base."
    assert _placed(note)["wheeze"] == ("Problems", [])
    placed = _placed(recogniser_form(note))
    assert placed["wheeze"] == ("Problems", [])  # was Denied, flagged NEGATION_SCOPE_UNCLEAR
    assert placed["fever"] == placed["rigors"] == ("Denied", [])


def test_a_modal_should_after_its_subject_sets_no_condition() -> None:
    # "which she should not take": advice; "should" as "if" comes before its subject ("should her mood worsen")
    note = (
        "Her cousin lent her some diazepam, which she should not take. Weight and blood pressure are normal."
    )
    for text in (note, recogniser_form(note)):
        placed = _placed(text)
        assert (
            placed["weight"][0] == "Tests and procedures"
        )  # was Plan and conditional in the run-on, unflagged
        assert placed["blood pressure"][0] == "Tests and procedures"
    inverted = _placed(recogniser_form("Should her mood worsen start sertraline 50 mg."))
    assert inverted["sertraline"][0] == "Plan and conditional"


def test_where_possible_is_a_hedge_not_a_possible_diagnosis() -> None:
    note = "Avoid NSAIDs where possible. Discharge home with omeprazole 20 mg daily."
    section, _ = _placed(recogniser_form(note))["omeprazole"]
    assert section != "Plan and conditional"  # was "possible discharge home with omeprazole", unflagged
    assert _placed("Possible appendicitis.")["appendicitis"][0] == "Plan and conditional"


def test_a_condition_after_a_relations_clause_is_not_silently_theirs() -> None:
    note = "His sister has hay fever and uses a nasal spray. If the cough persists, bring him back."
    section, flags = _placed(recogniser_form(note))["cough"]
    assert section != "Family history" or "SUBJECT_UNCLEAR" in flags  # was the sister's, unflagged
    assert _placed(recogniser_form(note))["hay fever"] == ("Family history", [])


def test_a_concept_after_a_relations_errand_is_flagged_not_silently_theirs() -> None:
    # the relation's clause says what they do, not what they have: the run-on may have moved on to the patient
    note = "Her husband collects her prescriptions. Gout in the left big toe."
    assert _placed(note)["gout"] == ("Problems", [])
    section, flags = _placed(recogniser_form(note))["gout"]
    assert section == "Problems" or "SUBJECT_UNCLEAR" in flags  # was the husband's, unflagged
    kept = _placed(recogniser_form("Her husband has gout in the left big toe."))
    assert kept["gout"] == ("Family history", [])


@pytest.mark.parametrize("grandparent", ["Grandad", "Granny", "Gran"])
def test_a_grandparent_is_a_relation(grandparent: str) -> None:
    note = f"Her twin brother has eczema. {grandparent} has coeliac disease."
    for text in (note, recogniser_form(note)):
        placed = _placed(text)
        assert placed["coeliac disease"] == ("Family history", [])  # was Problems / the brother's

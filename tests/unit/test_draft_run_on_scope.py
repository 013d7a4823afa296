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

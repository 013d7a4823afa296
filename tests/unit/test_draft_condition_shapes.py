"""Conditions in the shapes the session-11 detector rules return (issue 15, item 9), on AWS-shaped
(DetectEntitiesV2) responses built by hand: a derived adjective ("prediabetic", "hypothermic"), a possessive eponym
("Parkinson's"), an abbreviation after a history head ("Known IVDU"). AWS returns such words as DX_NAME entities
too; the draft must file them like any condition: the patient's in Problems, a relative's in Family history, a
denied one in Denied, never dropped."""

from __future__ import annotations

from draft_notes import Note

from medscribe.logic.document import build_draft


def test_derived_adjectives_and_a_history_head_abbreviation_are_the_patients_problems() -> None:
    # Given an AWS-shaped response: an adjective said of the patient, an abbreviation after "Known"
    text = "She is prediabetic and was hypothermic on arrival. Known IVDU."
    n = Note(text)
    n.condition("prediabetic", traits={"DIAGNOSIS": 0.9})
    n.condition("hypothermic", traits={"SIGN": 0.88})
    n.condition("IVDU", traits={"DIAGNOSIS": 0.6})
    # When the draft is built
    draft = build_draft(n.response, text)
    # Then each is a problem of the patient, by the word said
    names = {p.name.lower() for p in draft.problems}
    assert {"prediabetic", "hypothermic", "ivdu"} <= names
    assert not any("prediabetic" in f.text.lower() for f in draft.family_history)


def test_a_relatives_possessive_eponym_is_family_history_not_a_problem() -> None:
    # Given "Her father had Parkinson's." with AWS's family trait on the possessive
    text = "Her father had Parkinson's. She is hypertensive."
    n = Note(text)
    n.condition("Parkinson's", traits={"DIAGNOSIS": 0.8, "PERTAINS_TO_FAMILY": 0.9})
    n.condition("hypertensive", traits={"DIAGNOSIS": 0.9})
    draft = build_draft(n.response, text)
    # Then Parkinson's is the father's, hypertensive the patient's
    assert any("parkinson" in f.text.lower() for f in draft.family_history)
    assert "parkinson's" not in {p.name.lower() for p in draft.problems}
    assert "hypertensive" in {p.name.lower() for p in draft.problems}


def test_a_denied_adjective_is_denied_not_a_problem() -> None:
    text = "Not septic. Tachypnoeic at 30."
    n = Note(text)
    n.condition("septic", traits={"DIAGNOSIS": 0.9, "NEGATION": 0.95})
    n.condition("Tachypnoeic", traits={"SIGN": 0.9})
    draft = build_draft(n.response, text)
    assert "septic" in {d.name.lower() for d in draft.denied}
    assert "septic" not in {p.name.lower() for p in draft.problems}
    assert "tachypnoeic" in {p.name.lower() for p in draft.problems}


def test_a_negation_trait_with_no_negation_word_says_so_and_quotes_no_empty_cue() -> None:
    # Given an AWS-shaped response that marks a drug negated where the words say no negation at all
    text = "Continues ramipril 5 mg daily."
    n = Note(text)
    n.drug("ramipril", traits={"NEGATION": 0.9}, attributes={"STRENGTH": "5 mg"})
    # When the draft is built
    draft = build_draft(n.response, text)
    # Then the drug is flagged as the detector's reading the words do not bear, naming why, with no empty quote
    flags = [f.message for f in draft.flags if f.kind == "NEGATION_SCOPE_UNCLEAR" and f.subject == "ramipril"]
    assert flags, [f.message for f in draft.flags]
    assert all("“”" not in m for m in flags)
    assert any("no negation word is said before it" in m for m in flags)

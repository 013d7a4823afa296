"""Issue 15, items 1 and 4 of the doubt follow-ups (docs/draft.md "Doubt is not denial").

- A doubt's "if"/"whether" ("not sure if she had a fever") is part of the doubt, not a condition: the item is
  flagged UNCERTAIN, and the clause guard does not also say it was "said under a condition".
- A relative who reports with doubt about the patient ("mum is unsure whether there was any wheeze") is a
  speaker, like "mum says": the item is the patient's (flagged UNCERTAIN), never mum's Family history.

Each case runs on both backends (the offline detector; a hand-built AWS-shaped DetectEntitiesV2 response in which
the doubted item carries the NEGATION trait Comprehend Medical may give it for the clause's "not") and in both
written forms (commas only; recogniser-style, lower case without punctuation).
"""

from __future__ import annotations

import pytest
from draft_cases import BACKENDS, FORMS, drafted, items, names

pytestmark = [pytest.mark.parametrize("backend", BACKENDS), pytest.mark.parametrize("form", FORMS)]

NEGATED = {"NEGATION": 0.8}

DOUBT_IF = {
    "not sure if she had a fever": "Review today, she's not sure if she had a fever",
    "can't remember if he had a fever": "Headache for a week, he can't remember if he had a fever",
    "doesn't know whether he had a fever": "Cough for two weeks, he doesn't know whether he had a fever",
}


@pytest.mark.parametrize("case", list(DOUBT_IF), ids=list(DOUBT_IF))
def test_a_doubts_if_is_not_read_as_a_condition(case: str, backend: str, form: str) -> None:
    # Given an item doubted with "if"/"whether"
    d = drafted(DOUBT_IF[case], lambda n: n.condition("fever", traits=NEGATED), backend, form)
    # Then it is a problem flagged UNCERTAIN, with no clause-guard flag naming a condition
    (fever,) = [i for i in items(d, "Problems") if i.get("name") == "fever"]
    assert "UNCERTAIN" in fever["flags"], fever
    assert not any("condition" in r.lower() for r in fever["reasons"] or []), fever
    assert "NOT_VERIFIED_CURRENT" not in fever["flags"], fever


def test_a_real_condition_after_a_doubt_is_still_a_condition(backend: str, form: str) -> None:
    # Given a plain "if" of a plan (no doubt word before it)
    text = "Review today, start amoxicillin if she has a fever"
    d = drafted(text, lambda n: n.condition("fever"), backend, form)
    # Then the fever is not a plain current problem (conditional: plan, or flagged)
    assert all(i["flags"] for i in items(d, "Problems") if i.get("name") == "fever"), items(d, "Problems")


SPEAKER_DOUBT = {
    "mum is unsure whether there was any wheeze": (
        "Cough at night, mum is unsure whether there was any wheeze",
        "wheeze",
    ),
    "his wife isn't sure if he had a fever": (
        "Cough for two weeks, his wife isn't sure if he had a fever",
        "fever",
    ),
    "dad can't remember if she had a rash": (
        "Itchy skin, dad can't remember if she had a rash",
        "rash",
    ),
}


@pytest.mark.parametrize("case", list(SPEAKER_DOUBT), ids=list(SPEAKER_DOUBT))
def test_a_relative_doubting_the_patients_item_is_a_speaker(case: str, backend: str, form: str) -> None:
    # Given a relative who says, with doubt, something about the patient
    text, name = SPEAKER_DOUBT[case]
    d = drafted(text, lambda n: n.condition(name, traits=NEGATED), backend, form)
    # Then it is not the relative's (not Family history, not another person's) and not denied
    assert name not in names(d, "Family history"), d["sections"]
    assert name not in names(d, "Denied"), d["sections"]
    # And it is the patient's problem, flagged UNCERTAIN
    (item,) = [i for i in items(d, "Problems") if i.get("name") == name]
    assert "UNCERTAIN" in item["flags"], item
    # And the clause guard does not name the speaker as the subject of its clause
    assert not any("OTHER_PERSON" in r for r in item["reasons"] or []), item


def test_a_relatives_own_history_is_still_family_history(backend: str, form: str) -> None:
    # Given a relative as the subject of a condition of their own (no doubt, no report)
    text = "Cough at night, mum has asthma"
    d = drafted(text, lambda n: n.condition("Cough at night").condition("asthma"), backend, form)
    # Then it is family history, not the patient's problem
    assert "asthma" in names(d, "Family history"), d["sections"]
    assert "asthma" not in names(d, "Problems")

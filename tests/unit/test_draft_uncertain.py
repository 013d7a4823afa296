"""Issue 15, item 4: doubt is not denial (docs/draft.md "Negation"). "not sure (if)", "unsure", "can't remember
(if)", "doesn't know whether", "might have (had)", "thinks she had", "possibly" say the speaker does not know:
the item is drafted where it belongs with an UNCERTAIN flag naming the doubt, never under Denied and never as a
plain current fact. The doubt's reach ends where a negation's would; a real denial stays Denied.

Each case runs on both backends (the offline detector; a hand-built AWS-shaped DetectEntitiesV2 response in which
the doubted item carries the NEGATION trait Comprehend Medical may give it for the clause's "not") and in both
written forms (commas only; recogniser-style, lower case without punctuation).
"""

from __future__ import annotations

import pytest
from draft_cases import BACKENDS, FORMS, Placed, check_placed, drafted, items, names

pytestmark = [pytest.mark.parametrize("backend", BACKENDS), pytest.mark.parametrize("form", FORMS)]

NEGATED = {"NEGATION": 0.8}

DOUBTED = {
    "not sure her sugar's been high": (
        "Diabetes review, she's not sure her sugar's been high",
        lambda n: n.condition("Diabetes").condition("sugar's been high", traits=NEGATED),
        "sugar's been high",
        "not sure",
    ),
    "can't remember if he had a fever": (
        "Headache for a week, he can't remember if he had a fever",
        lambda n: n.condition("Headache").condition("fever", traits=NEGATED),
        "fever",
        "can't remember",
    ),
    "doesn't know whether he had a fever": (
        "Cough for two weeks, he doesn't know whether he had a fever",
        lambda n: n.condition("Cough").condition("fever", traits=NEGATED),
        "fever",
        "know whether",
    ),
    "does not remember having a fever": (
        "Sore throat, she does not remember whether she had a fever",
        lambda n: n.condition("Sore throat").condition("fever", traits=NEGATED),
        "fever",
        "does not remember",
    ),
    "unsure whether any wheeze": (
        "Cough at night, she is unsure whether there was any wheeze",
        lambda n: n.condition("Cough").condition("wheeze", traits=NEGATED),
        "wheeze",
        "unsure",
    ),
    "might have had gout": (
        "Knee pain, she might have had gout",
        lambda n: n.condition("Knee pain").condition("gout"),
        "gout",
        "might have",
    ),
    "possibly anaemia": (
        "Tired all the time, possibly anaemia",
        lambda n: n.condition("Tired all the time").condition("anaemia"),
        "anaemia",
        "possibly",
    ),
}


@pytest.mark.parametrize("case", list(DOUBTED), ids=list(DOUBTED))
def test_a_doubted_item_is_flagged_uncertain_never_denied(case: str, backend: str, form: str) -> None:
    # Given an item said with doubt (the detector may mark it negated for the clause's "not")
    text, build, name, doubt = DOUBTED[case]
    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then it is not under Denied
    assert name not in names(d, "Denied")
    # And wherever it is listed, it carries an UNCERTAIN flag naming the doubt's words
    listed = [
        i for s in d["sections"] if s["title"] != "Needs review" for i in s["items"] if i.get("name") == name
    ]
    assert listed, f"{name!r} is not drafted: {d['sections']}"
    for item in listed:
        assert "UNCERTAIN" in item["flags"], item
        assert any(doubt in r.lower() for r in item["reasons"] or []), item


def test_the_reported_example_is_drafted_as_a_doubted_problem(backend: str, form: str) -> None:
    # Given batch6-dev's shape: a doubt, then a real denial in the same run-on
    text = "Diabetes review, she's not sure her sugar's been high, no chest pain"
    d = drafted(
        text,
        lambda n: (
            n.condition("Diabetes")
            .condition("sugar's been high", traits=NEGATED)
            .condition("chest pain", traits={"NEGATION": 0.9})
        ),
        backend,
        form,
    )
    # Then the doubted item is a flagged problem, and the denied one stays Denied, unflagged
    (sugar,) = [i for i in items(d, "Problems") if i.get("name") == "sugar's been high"]
    assert sugar["flags"] == ["UNCERTAIN"]
    (pain,) = [i for i in items(d, "Denied") if i.get("name") == "chest pain"]
    assert pain["flags"] == []


DENIED = {
    "denies chest pain": Placed(
        "Review today, she denies chest pain",
        lambda n: n.condition("chest pain", traits={"NEGATION": 0.9}),
        under={"Denied": {"chest pain"}},
        not_under={"Problems": {"chest pain"}},
    ),
    "no cough": Placed(
        "Review today, no cough",
        lambda n: n.condition("cough", traits={"NEGATION": 0.9}),
        under={"Denied": {"cough"}},
        not_under={"Problems": {"cough"}},
    ),
    "not on any blood thinners": Placed(
        "Review today, she is not on any blood thinners and has no cough",
        lambda n: n.condition("cough", traits={"NEGATION": 0.9}),
        under={"Denied": {"cough"}},
        not_under={"Problems": {"cough"}},
    ),
    # "might" of a plan is no doubt about the patient's history ("might have to"): no new cue
    "might have to: a denial after it is still a denial": Placed(
        "Knee pain, she might have to rest, she denies fever",
        lambda n: n.condition("Knee pain").condition("fever", traits={"NEGATION": 0.9}),
        under={"Denied": {"fever"}, "Problems": {"knee pain"}},
    ),
}


@pytest.mark.parametrize("case", list(DENIED), ids=list(DENIED))
def test_a_real_denial_stays_denied_and_unflagged(case: str, backend: str, form: str) -> None:
    d = drafted(DENIED[case].text, DENIED[case].build, backend, form)
    check_placed(d, DENIED[case])
    assert all(not i["flags"] for i in items(d, "Denied")), items(d, "Denied")


def test_the_doubt_ends_where_a_negations_reach_ends(backend: str, form: str) -> None:
    # Given a doubt, then "but" and a finding of the patient's own
    text = "Review today, she's not sure if she had a fever but has a cough"
    d = drafted(text, lambda n: n.condition("fever", traits=NEGATED).condition("cough"), backend, form)
    # Then the doubted item is flagged and the finding after "but" is a plain current problem
    (fever,) = [i for i in items(d, "Problems") if i.get("name") == "fever"]
    assert "UNCERTAIN" in fever["flags"]
    (cough,) = [i for i in items(d, "Problems") if i.get("name") == "cough"]
    assert "UNCERTAIN" not in cough["flags"]
    assert "fever" not in names(d, "Denied")


def test_a_doubt_said_after_what_it_doubts_reaches_nothing_after_it(backend: str, form: str) -> None:
    # Given a doubt that closes its own clause, then a condition of the patient's
    text = "Review today, she took a water tablet once, she is not sure, her hypertension is well controlled"
    d = drafted(text, lambda n: n.condition("hypertension"), backend, form)
    (problem,) = [i for i in items(d, "Problems") if i.get("name") == "hypertension"]
    if form == "punctuated":
        # Then, the comma closing the doubt, the condition is a plain current problem
        assert "UNCERTAIN" not in problem["flags"]
    else:
        # Then, with no comma, "not sure her hypertension is well controlled" is a doubt of it: flagged
        assert "UNCERTAIN" in problem["flags"]


def test_a_queried_diagnosis_stays_a_plan_without_a_second_flag(backend: str, form: str) -> None:
    # Given a diagnosis queried ("query X": a conditional trigger of its own)
    text = "Abdominal pain since this morning, query appendicitis"
    d = drafted(text, lambda n: n.condition("Abdominal pain").condition("appendicitis"), backend, form)
    # Then it is under Plan and conditional, not a current problem, and not flagged UNCERTAIN on top
    assert "appendicitis" not in names(d, "Problems") | names(d, "Denied")
    assert all("UNCERTAIN" not in i["flags"] for i in items(d, "Plan and conditional")), items(
        d, "Plan and conditional"
    )

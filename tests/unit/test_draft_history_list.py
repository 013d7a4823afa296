"""A condition a medical history lists (session 10, issue 15): "PMH: gout, CKD" or "history of Paget's disease"
names chronic conditions that are still current as well as past ones, so an item filed under Past history from
such a list is flagged HISTORY_SCOPE_UNCLEAR ("past or current") unless a word says it ended ("previous", "in
remission", "aged two"); drafted on both backends (the AWS-shaped response carries the PAST_HISTORY trait
Comprehend Medical gives a listed history) and in both written forms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items

both = pytest.mark.parametrize("backend", BACKENDS)
forms = pytest.mark.parametrize("form", FORMS)
PAST = {"DIAGNOSIS": 0.9, "PAST_HISTORY": 0.9}


def _under(d: dict[str, Any], title: str, name: str) -> list[dict[str, Any]]:
    return [i for i in items(d, title) if name in str(i.get("name") or i.get("text") or "").lower()]


def _silent_past(d: dict[str, Any], name: str) -> bool:
    """``name`` is only under Past history, unflagged: a current problem would be silently misplaced."""
    current = _under(d, "Problems", name)
    past = _under(d, "Past history", name)
    return not current and bool(past) and all(not i["flags"] for i in past)


@both
@forms
@pytest.mark.parametrize(
    "history",
    ["PMH: gout, bronchiectasis and psoriasis.", "Past medical history of gout.", "History of gout."],
)
def test_a_condition_a_medical_history_lists_is_never_silently_past(
    backend: str, form: str, history: str
) -> None:
    # Given a medical history listing gout, after today's complaint
    text = f"Seen in clinic today with a sore left heel. {history} Review in three months."

    def build(n: AwsNote) -> None:
        n.condition("sore left heel")
        n.condition("gout", traits=PAST)

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then gout is in the draft, and never only under Past history with no flag (it may still be current)
    assert _under(d, "Problems", "gout") + _under(d, "Past history", "gout")
    assert not _silent_past(d, "gout")


@both
@forms
@pytest.mark.parametrize(
    "history",
    ["Previous appendicitis.", "History of Perthes disease aged six.", "History of lymphoma in remission."],
)
def test_a_history_said_as_over_stays_past_and_unflagged(backend: str, form: str, history: str) -> None:
    # Given a history the words say is over ("previous", an age, "in remission")
    text = f"Seen in clinic today with a sore left heel. {history} Review in three months."
    name = history.split()[-2] if "aged" not in history else "perthes"
    name = {"Previous appendicitis.": "appendicitis", "History of lymphoma in remission.": "lymphoma"}.get(
        history, name
    )

    def build(n: AwsNote) -> None:
        n.condition("sore left heel")
        n.condition("Perthes disease" if name == "perthes" else name, traits=PAST)

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then, where it is under Past history, the new rule adds no "past or current" flag to it
    for i in _under(d, "Past history", name):
        assert "HISTORY_SCOPE_UNCLEAR" not in i["flags"]


@both
@forms
@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("Had a rash on her arms which has now settled.", "rash"),
        ("Conjunctivitis last week that has cleared.", "conjunctivitis"),
        ("Pneumonia and delirium, now resolved.", "delirium"),
        # a phrase dating or causing it between the name and its status: read as one phrase
        ("Her conjunctivitis after the swimming trip in June has cleared.", "conjunctivitis"),
        ("The rash from the new washing powder has now settled.", "rash"),
        # a year in digits in that phrase, and a relative clause said without "that"
        ("A small subdural haematoma in 2019, which resolved without surgery.", "subdural haematoma"),
        ("The pancreatitis he had in 2021 has resolved.", "pancreatitis"),
        ("The delirium which she developed after the operation has now settled.", "delirium"),
    ],
)
def test_a_condition_said_as_over_is_never_a_silent_current_problem(
    backend: str, form: str, said: str, name: str
) -> None:
    # Given a condition whose own words then say it is over, beside a current complaint
    text = f"{said} Knee pain since Tuesday."

    def build(n: AwsNote) -> None:
        for condition in (
            "rash",
            "conjunctivitis",
            "pneumonia",
            "delirium",
            "subdural haematoma",
            "pancreatitis",
            "knee pain",
        ):
            at = text.lower().find(condition)
            if at >= 0:
                n.condition(text[at : at + len(condition)])  # as written

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then it is not an unflagged current problem (it may be current or past history: flagged, naming the words)
    current = _under(d, "Problems", name)
    assert current
    assert all("HISTORY_SCOPE_UNCLEAR" in i["flags"] for i in current)
    # and the current complaint beside it is not flagged
    assert all("HISTORY_SCOPE_UNCLEAR" not in i["flags"] for i in _under(d, "Problems", "knee pain"))


@both
@forms
def test_a_condition_said_again_after_its_own_past_cue_is_never_silently_past(
    backend: str, form: str
) -> None:
    # Given gout, "in the past" said right after it, then gout said as current (the recogniser form runs the two
    # sentences together); the AWS-shaped response marks both mentions past history
    text = "He had gout in the past. The gout has flared again this week."

    def build(n: AwsNote) -> None:
        n.condition("gout", traits=PAST)
        n.condition("gout", traits=PAST, after=text.index("The") if form == "punctuated" else 24)

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then gout is not only under Past history unflagged (the second mention may be current)
    assert not _silent_past(d, "gout")

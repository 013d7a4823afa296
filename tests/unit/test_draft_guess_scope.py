"""A guessed drug name's reach (issue 15, session 8): a guess word ("possibly", "maybe", "might be", "I think
it's") reaches the drugs listed with it, never past a concept not coordinated with it, as a negation's scope is
bounded (docs/guards.md); a drug juxtaposed with the guessed one (a recogniser's run-on) is flagged as unclear,
never stated as fact. Both backends, both written forms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items

both = pytest.mark.parametrize("backend", BACKENDS)
forms = pytest.mark.parametrize("form", FORMS)


def _row(d: dict[str, Any], drug: str) -> dict[str, Any]:
    return next(i for i in items(d, "Medications") if drug in i["text"].lower())


def _guess_reasons(row: dict[str, Any]) -> list[str]:
    return [r for r in row.get("reasons") or [] if "guess" in r]


@both
@forms
@pytest.mark.parametrize(
    ("said", "guessed", "concept"),
    [
        (
            "Possibly sumatriptan for the migraines, also on amlodipine 5 mg daily.",
            "sumatriptan",
            "migraines",
        ),
        ("Maybe propranolol for the tremor and she takes amlodipine 5 mg daily.", "propranolol", "tremor"),
        ("It might be the omeprazole for the reflux, also on amlodipine 5 mg daily.", "omeprazole", "reflux"),
        (
            "I think it's the omeprazole for the reflux, also on amlodipine 5 mg daily.",
            "omeprazole",
            "reflux",
        ),
    ],
)
def test_a_guess_does_not_reach_a_drug_past_another_concept(
    backend: str, form: str, said: str, guessed: str, concept: str
) -> None:
    # Given a guessed drug, a concept of its own, then another drug with no punctuation between (recogniser)
    def build(n: AwsNote) -> None:
        n.med(guessed)
        n.condition(concept)
        n.med("amlodipine", STRENGTH="5 mg", FREQUENCY="daily")

    d = drafted(said, build, backend, form)
    # Then the guessed drug is flagged, naming the guess, and the later drug is not said to be a guess
    assert "NAME_UNCLEAR" in _row(d, guessed)["flags"]
    assert _guess_reasons(_row(d, guessed))
    amlodipine = _row(d, "amlodipine")
    assert "NAME_UNCLEAR" not in amlodipine["flags"]
    assert not _guess_reasons(amlodipine)


@both
@forms
def test_a_guess_reaches_every_drug_of_its_list(backend: str, form: str) -> None:
    text = "She couldn't remember the name, possibly sumatriptan or rizatriptan."

    def build(n: AwsNote) -> None:
        n.med("sumatriptan")
        n.med("rizatriptan")

    d = drafted(text, build, backend, form)
    for drug in ("sumatriptan", "rizatriptan"):
        assert "NAME_UNCLEAR" in _row(d, drug)["flags"]


@both
@forms
def test_a_drug_juxtaposed_with_a_guessed_one_is_flagged_as_unclear_reach(backend: str, form: str) -> None:
    # Given a guessed name and another drug right after it with nothing between
    text = "Maybe propranolol atenolol 50 mg daily."

    def build(n: AwsNote) -> None:
        n.med("propranolol")
        n.med("atenolol", STRENGTH="50 mg", FREQUENCY="daily")

    d = drafted(text, build, backend, form)
    # Then the second drug is flagged too, saying the guess's reach is unclear
    atenolol = _row(d, "atenolol")
    assert "NAME_UNCLEAR" in atenolol["flags"]
    assert any("reaches it" in r for r in atenolol["reasons"])

"""Compound condition names reach Problems whole on both backends (PROCEDURE.md section 4, condition names): an
AWS-shaped response that carries "IgA nephropathy" keeps it whole in the draft, and the offline detector now
returns the same name (before ``medscribe.offline.ner.compound_names`` it returned `nephropathy`, `alcohol
withdrawal` + `seizure`, `non-alcoholic fatty liver`: the offline cases failed). A quality word is outside the
name on both."""

from __future__ import annotations

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, names


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("Known IgA nephropathy, stable on review.", "IgA nephropathy"),
        ("Admitted with an alcohol withdrawal seizure.", "alcohol withdrawal seizure"),
        ("She has non-alcoholic fatty liver disease.", "non-alcoholic fatty liver disease"),
        ("Productive cough for a week.", "cough"),
    ],
)
def test_a_compound_name_is_one_problem(backend: str, form: str, said: str, name: str) -> None:
    # Given a note naming a condition by a compound name (the AWS-shaped response carries the whole name)
    def build(n: AwsNote) -> None:
        at = said.lower().index(name.lower())
        n.condition(said[at : at + len(name)])

    d = drafted(said, build, backend, form)
    # Then Problems holds the whole name, and never its head alone
    problems = {p.lower().replace("-", " ") for p in names(d, "Problems")}
    assert name.lower().replace("-", " ") in problems
    assert name.split()[-1].lower() not in problems or len(name.split()) == 1

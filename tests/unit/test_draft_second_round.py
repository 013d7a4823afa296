"""Cases of the draft fixes of session 7's second round (issue 15): whose a fact is after a source said with
"per" / "according to", … — each drafted on both backends (AWS-shaped responses carry no traits unless a case
says so) and in both written forms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items

both = pytest.mark.parametrize("backend", BACKENDS)
forms = pytest.mark.parametrize("form", FORMS)


def _named(d: dict[str, Any], title: str, name: str) -> list[dict[str, Any]]:
    return [i for i in items(d, title) if name in str(i.get("name") or i.get("text") or "").lower()]


@both
@forms
@pytest.mark.parametrize("source", ["per her daughter", "according to her daughter"])
def test_a_relation_named_as_the_source_is_not_the_subject_of_what_follows(
    backend: str, form: str, source: str
) -> None:
    # Given a relation named only as who told us, then the patient's own past history
    text = (
        f"She is more muddled than usual, {source}. History of osteoporosis. "
        "She takes apixaban 2.5 mg twice daily."
    )

    def build(n: AwsNote) -> None:
        n.condition("osteoporosis", traits={"DIAGNOSIS": 0.9, "PAST_HISTORY": 0.8})
        n.med("apixaban", STRENGTH="2.5 mg", FREQUENCY="twice daily")

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then neither the history nor the drug is filed as the daughter's
    assert _named(d, "Family history", "osteoporosis") == []
    assert _named(d, "Family history", "apixaban") == []
    assert _named(d, "Past history", "osteoporosis") or _named(d, "Problems", "osteoporosis")
    assert [r for r in _named(d, "Medications", "apixaban") if "2.5 mg" in r["text"]]

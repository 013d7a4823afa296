"""A possessive said alone ("a tremor like his mother's") owns the noun said before it, not the next one: after it,
"also" / "as well" / "plus" opens a new item of the patient's ("… like his mother's also gout in the left big toe"),
never filed unflagged as the relative's (session 10, issue 15). Both backends (AWS-shaped: the relative's item
carries no trait, the patient's none), both written forms."""

from __future__ import annotations

from typing import Any

import pytest
from aws_shaped import AwsNote
from draft_cases import BACKENDS, FORMS, drafted, items

pytestmark = [pytest.mark.parametrize("backend", BACKENDS), pytest.mark.parametrize("form", FORMS)]


def _named(d: dict[str, Any], title: str, name: str) -> list[dict[str, Any]]:
    return [i for i in items(d, title) if name in str(i.get("name") or i.get("text") or "").lower()]


@pytest.mark.parametrize("joint", ["also", "as well as", "plus"])
def test_an_item_after_an_elliptical_possessive_is_never_silently_the_relatives(
    backend: str, form: str, joint: str
) -> None:
    # Given the patient's tremor "like his mother's", then "also" and the patient's gout
    text = f"Tremor in both hands like his mother's {joint} gout in the left big toe. Review in a month."

    def build(n: AwsNote) -> None:
        n.condition("Tremor" if form == "punctuated" else "tremor")
        n.condition("gout")

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then the gout is not filed, unflagged, as the mother's; it is in the draft
    assert [i for i in _named(d, "Family history", "gout") if not i["flags"]] == []
    assert _named(d, "Problems", "gout") + _named(d, "Family history", "gout")

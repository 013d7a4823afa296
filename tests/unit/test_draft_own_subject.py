"""Issue 15 (PROCEDURE.md section 21): "her own / his own" turns the subject back to the patient after a relation's
clause ("her husband takes sertraline and her own mood has been low"), when its pronoun is the patient's (the
possessive said before the relation, or not the relation's gender); "his wife … her own" stays the wife's. The
patient's item is never filed, unflagged, under Family history / Other people, and the relation's item never
becomes an unflagged current one. And a concept named after a conditional's drug with nothing joining it ("if
her sputum turns green start doxycycline 200 mg daily wheeze at the right base") is flagged, never filed
unflagged under Plan and conditional.

Both backends (offline; AWS-shaped with no traits but the relation's PERTAINS_TO_FAMILY), both written forms.
"""

from __future__ import annotations

from typing import Any

import pytest
from draft_cases import BACKENDS, FORMS, drafted, items

pytestmark = [pytest.mark.parametrize("backend", BACKENDS), pytest.mark.parametrize("form", FORMS)]

FAMILY = {"DIAGNOSIS": 0.9, "PERTAINS_TO_FAMILY": 0.85}
OTHERS = ("Family history", "Other people")
CURRENT = ("Problems", "Medications")

# (text, the relation's items, the patient's item after "own" or None when "own" is the relation's)
CASES = {
    "her husband … her own": (
        "Seen with her husband. Her husband takes sertraline 100 mg and her own mood has been low since the spring.",
        ("sertraline",),
        "mood has been low",
    ),
    "mum … his own": (
        "Seen with mum. Mum has asthma and uses Clenil, his own chest has been wheezy for three nights.",
        ("asthma",),
        "wheezy",
    ),
    "her flatmate … her own": (
        "Her flatmate has coeliac disease and her own abdominal pain has been worse for a month.",
        ("coeliac disease",),
        "abdominal pain",
    ),
    "his father … his own": (
        "His father had a stroke at sixty and took clopidogrel, his own cough is dry and worse at night.",
        ("stroke", "clopidogrel"),
        "cough",
    ),
    "his wife … her own: the wife's": (
        "His wife has eczema and her own rash is worse this week.",
        ("eczema", "rash"),
        None,
    ),
}


def _build(text: str, relation: tuple[str, ...], own: str | None) -> Any:
    def build(n: Any) -> None:
        for word in relation:
            if word in ("sertraline", "clopidogrel"):
                n.med(word)
            else:
                n.condition(word, traits=FAMILY)
        if own is not None:
            n.condition(own)

    return build


def _where(d: dict[str, Any], word: str) -> list[tuple[str, dict[str, Any]]]:
    titles = (
        "Problems",
        "Medications",
        *OTHERS,
        "Plan and conditional",
        "Denied",
        "Not taking",
        "Past history",
    )
    return [(t, i) for t in titles for i in items(d, t) if word.split()[0] in i["text"].lower()]


@pytest.mark.parametrize("case", list(CASES))
def test_own_turns_the_subject_back_to_the_patient_only_when_its_pronoun_is_the_patients(
    case: str, backend: str, form: str
) -> None:
    # Given a relation's clause, then "her own / his own" and an item
    text, relation, own = CASES[case]
    # When it is drafted
    d = drafted(text, _build(text, relation, own), backend, form)
    # Then the relation's items are never unflagged current items
    for word in relation:
        assert [i for t, i in _where(d, word) if t in CURRENT and not i["flags"]] == [], (word, d)
    # And the patient's item is never filed unflagged under another person's section
    if own is not None:
        placed = _where(d, own)
        assert placed, (own, d)
        assert [i for t, i in placed if t in OTHERS and not i["flags"]] == [], (own, placed)


def test_a_finding_after_a_conditionals_drug_is_never_silently_conditional(backend: str, form: str) -> None:
    # Given a conditional with its drug and dose, then a finding named with nothing joining it
    text = (
        "COPD review. If her sputum turns green, start doxycycline 200 mg on day one then 100 mg daily. "
        "Wheeze at the right base today."
    )

    def build(n: Any) -> None:
        n.med("doxycycline", STRENGTH="200 mg").condition("Wheeze")

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then the wheeze is a current problem, or flagged: never an unflagged conditional
    placed = _where(d, "wheeze")
    assert placed, d
    assert [i for t, i in placed if t == "Plan and conditional" and not i["flags"]] == [], placed

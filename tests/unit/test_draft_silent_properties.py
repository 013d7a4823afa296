"""Properties of the draft's silent-error guards (issue 15, session 7), over generated dictation, on both backends
(the AWS-shaped responses carry no traits: the words alone must decide) and both written forms:

- a dose change said under a condition ("if …, increase X to B", "increase to B if …", "should …, raise the dose
  to B") never puts B, unflagged, on the prescription row;
- "ran out of X" never makes X a current prescription without a flag, and "ran out of X … restart X A" makes X a
  current row with dose A (the stop is its history: no CONTRADICTION);
- "hold X until …" never leaves X an unflagged prescription;
- a taper whose later steps are said without a unit shows every step, flagged DOSE_UNIT_UNSAID;
- a reaction said with a pronoun after an allergy ("which gave him hives") is never an unflagged Problem.
"""

from __future__ import annotations

import re
from typing import Any

from aws_shaped import AwsNote
from draft_cases import drafted, items
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DRUGS = ("amlodipine", "metformin", "atenolol", "sertraline", "ramipril", "gliclazide", "lisinopril")
CONDITIONS = (
    "the blood pressure is still above 140",
    "her sugars stay high",
    "the readings remain raised",
    "he has another hypo",
)
SHOULD = ("the pain persist", "her sugars rise", "the readings worsen")
CHANGES = (
    "{drug} {a} mg by mouth once daily. If {cond}, increase {ref} to {b} mg.",
    "{drug} {a} mg by mouth once daily; increase {ref} to {b} mg if {cond}.",
    "{drug} {a} mg by mouth once daily, reduce {ref} to {b} mg if {cond}.",
    "{drug} {a} mg by mouth once daily. Should {should}, raise {ref} to {b} mg.",
)
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
backends = st.sampled_from(("offline", "aws"))
forms = st.sampled_from(("punctuated", "recogniser"))
doses = st.sampled_from((5, 10, 20, 40, 80))


def _rows(d: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [i for i in items(d, "Medications") if drug in (i.get("name") or "").lower()]


def _states(item: dict[str, Any], mg: int) -> bool:
    """The item's own dose (not its "(was …)" note) says ``mg`` milligrams."""
    said = re.sub(r"\(was [^)]*\)", "", str(item.get("dose") or item["text"]))
    return re.search(rf"(?<![\d.]){mg}\s*mg", said) is not None


@EXAMPLES
@given(
    template=st.sampled_from(CHANGES),
    drug=st.sampled_from(DRUGS),
    cond=st.sampled_from(CONDITIONS),
    should=st.sampled_from(SHOULD),
    ref=st.sampled_from(("the dose", "it", "{drug}")),
    pair=st.tuples(doses, doses).filter(lambda p: p[0] != p[1]),
    backend=backends,
    form=forms,
)
def test_a_conditional_dose_change_never_puts_the_new_dose_unflagged_on_the_row(
    template: str,
    drug: str,
    cond: str,
    should: str,
    ref: str,
    pair: tuple[int, int],
    backend: str,
    form: str,
) -> None:
    # Given a current dose and a change said under a condition
    a, b = pair
    said = template.format(drug=drug, a=a, b=b, cond=cond, should=should, ref=ref.format(drug=drug))
    text = f"Review today. {said} Follow up in 3 months."

    def build(n: AwsNote) -> None:
        n.med(drug, STRENGTH=f"{a} mg", ROUTE_OR_MODE="by mouth", FREQUENCY="once daily")
        if ref == "{drug}":
            n.med(drug, after=text.index(drug) + len(drug), STRENGTH=f"{b} mg")

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then no unflagged prescription row states the conditional dose
    silent = [r for r in _rows(d, drug) if _states(r, b) and not r["flags"]]
    assert silent == [], (text, _rows(d, drug))


@EXAMPLES
@given(
    drug=st.sampled_from(DRUGS),
    when=st.sampled_from(("two weeks ago", "last month", "at the weekend", "some time ago")),
    restart=st.booleans(),
    a=doses,
    backend=backends,
    form=forms,
)
def test_ran_out_of_is_never_a_silent_prescription_and_a_restart_is_current(
    drug: str, when: str, restart: bool, a: int, backend: str, form: str
) -> None:
    # Given a drug the patient ran out of, restarted or not
    text = f"Review today. She ran out of {drug} {when}."
    if restart:
        text += f" Restart {drug} {a} mg once daily."
    text += " Follow up in 3 months."

    def build(n: AwsNote) -> None:
        n.med(drug)
        if restart:
            n.med(drug, after=text.index("Restart"), STRENGTH=f"{a} mg", FREQUENCY="once daily")

    # When it is drafted
    d = drafted(text, build, backend, form)
    rows = _rows(d, drug)
    if restart:  # Then a restart is a current row with its dose, not a contradiction
        assert [r for r in rows if _states(r, a)], (text, rows)
        assert all("CONTRADICTION" not in r["flags"] for r in rows)
    else:  # Then "ran out of" alone is never an unflagged prescription
        assert [r for r in rows if not r["flags"]] == [], (text, rows)


@EXAMPLES
@given(
    drug=st.sampled_from(DRUGS),
    event=st.sampled_from(
        ("the kidney function is rechecked", "her INR is back", "he is seen next week", "the rash settles")
    ),
    backend=backends,
    form=forms,
)
def test_hold_until_never_leaves_an_unflagged_prescription(
    drug: str, event: str, backend: str, form: str
) -> None:
    # Given a hold that lasts until an event
    text = f"Review today. Hold {drug} until {event}. Follow up in 3 months."

    # When it is drafted
    d = drafted(text, lambda n: n.med(drug), backend, form)
    # Then the drug is not a prescription stated as fact, and "Not taking" says how long it is held
    assert [r for r in _rows(d, drug) if not r["flags"]] == []
    held = [i for i in items(d, "Not taking") if drug in (i.get("name") or "").lower()]
    assert held
    assert "until" in held[0]["text"]


@EXAMPLES
@given(
    drug=st.sampled_from(("prednisolone", "quetiapine", "sertraline")),
    steps=st.lists(st.sampled_from((60, 50, 40, 30, 25, 20, 15, 10, 5)), min_size=3, max_size=4, unique=True),
    days=st.sampled_from(("three days", "5 days", "a week")),
    form=forms,
)
def test_taper_steps_said_without_a_unit_are_all_shown_and_flagged(
    drug: str, steps: list[int], days: str, form: str
) -> None:
    # Given a taper whose later steps are said as bare numbers
    first, *rest = steps
    text = (
        f"Start {drug} {first} mg once daily for {days}, then "
        + ", then ".join(map(str, rest))
        + ", then stop."
    )

    # When it is drafted (the pipeline's own path)
    d = drafted(text, lambda n: None, "offline", form)
    # Then its row shows every step in milligrams and says that a unit was supplied
    rows = _rows(d, drug)
    assert rows, text
    assert all(f"{s} mg" in rows[0]["text"] for s in steps), rows[0]["text"]
    assert "DOSE_UNIT_UNSAID" in rows[0]["flags"]


@EXAMPLES
@given(
    drug=st.sampled_from(("penicillin", "codeine", "trimethoprim", "amoxicillin")),
    lead=st.sampled_from(
        ("which gave him", "which gives her", "they cause", "it caused", "which brought her out in")
    ),
    reaction=st.sampled_from(("hives", "a rash", "vomiting", "swelling")),
    backend=backends,
    form=forms,
)
def test_a_reaction_said_with_a_pronoun_is_the_allergys_never_a_problem(
    drug: str, lead: str, reaction: str, backend: str, form: str
) -> None:
    # Given an allergy whose reaction is said in a clause of its own
    text = f"Review today. Allergic to {drug}, {lead} {reaction}. Follow up in 3 months."
    word = reaction.removeprefix("a ")

    def build(n: AwsNote) -> None:
        n.med(drug)
        n.condition(word)

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then the reaction is not a current problem stated as fact, and the allergy names it
    assert [i for i in items(d, "Problems") if word in (i.get("name") or "") and not i["flags"]] == []
    assert any(word in i["text"] for i in items(d, "Allergies")), items(d, "Allergies")

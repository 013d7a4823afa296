"""Properties of the draft (issue 15), over generated clauses, on both backends and both written forms:

- a clause whose subject is a family member or another person yields no Problems and no Medications item;
- any "from A to B" dose change yields dose B with "(was A";
- "if / return if / should … develop / consider / may start" never yields a Problems or Medications item
  stated as fact.
The AWS-shaped responses carry no traits: the words alone must decide.
"""

from __future__ import annotations

from fractions import Fraction

from draft_cases import EXAMPLES, backends, current, drafted, forms, items, tagged
from hypothesis import given
from hypothesis import strategies as st

from medscribe.logic.document.amounts import format_quantity

RELATIONS = (
    "mother",
    "father",
    "sister",
    "brother",
    "grandmother",
    "uncle",
    "aunt",
    "son",
    "daughter",
    "husband",
    "wife",
    "partner",
    "roommate",
    "friend",
)
VERBS = ("has", "had", "takes", "was diagnosed with", "is on", "uses", "was started on")
CONDITIONS = ("lupus", "diabetes", "asthma", "hypertension", "breast cancer", "epilepsy", "migraine")
DRUGS = ("warfarin", "metformin", "lisinopril", "atorvastatin", "sertraline", "levothyroxine", "amlodipine")
CHANGE_VERBS = ("increase", "raise", "decrease", "reduce", "change", "titrate", "adjust")
DOSES = (5, 10, Fraction(25, 2), 20, 25, 40, 50, 75, 100, 200)
TRIGGERS = ("if {x} develops", "return if {x} appears", "should {x} develop", "call if {x} occurs")
PLANS = ("consider starting {d}", "may start {d}", "if symptoms persist start {d}", "consider {d}")


@EXAMPLES
@given(
    relation=st.sampled_from(RELATIONS),
    verb=st.sampled_from(VERBS),
    concept=st.sampled_from(CONDITIONS + DRUGS),
    backend=backends,
    form=forms,
    lead=st.sampled_from(("Her ", "His ", "The patient's ", "")),
)
def test_another_persons_clause_yields_no_problem_and_no_prescription(
    relation: str, verb: str, concept: str, backend: str, form: str, lead: str
) -> None:
    text = f"{lead}{relation} {verb} {concept}. Follow up in 3 months."
    assert current(drafted(text, tagged(concept, DRUGS), backend, form), concept) == []


@EXAMPLES
@given(
    verb=st.sampled_from(CHANGE_VERBS),
    drug=st.sampled_from(DRUGS),
    pair=st.lists(st.sampled_from(DOSES), min_size=2, max_size=2, unique=True),
    unit_twice=st.booleans(),
    backend=backends,
    form=forms,
)
def test_a_from_a_to_b_change_yields_dose_b_with_was_a(
    verb: str, drug: str, pair: list[Fraction], unit_twice: bool, backend: str, form: str
) -> None:
    a, b = (format_quantity(Fraction(x)) for x in pair)
    said = f"from {a} mg to {b} mg" if unit_twice else f"from {a} to {b} mg"
    text = f"{verb.capitalize()} {drug} {said} by mouth daily."
    strength = f"{b} mg" if unit_twice else f"{a} to {b} mg"
    d = drafted(
        text,
        lambda n: n.med(drug, STRENGTH=strength, ROUTE_OR_MODE="by mouth", FREQUENCY="daily"),
        backend,
        form,
    )
    (row,) = [i for i in items(d, "Medications") if i.get("name") == drug]
    assert row["dose"] == f"{b} mg"
    assert row["text"].lower().startswith(f"{drug} {b} mg")  # names may print in Tall Man letters
    assert f"(was {a} mg" in row["text"]


@EXAMPLES
@given(
    template=st.sampled_from(TRIGGERS),
    condition=st.sampled_from(("rash", "fever", "chest pain", "shortness of breath", "swelling")),
    plan=st.sampled_from(PLANS),
    drug=st.sampled_from(DRUGS),
    backend=backends,
    form=forms,
)
def test_conditional_mentions_are_never_current_facts(
    template: str, condition: str, plan: str, drug: str, backend: str, form: str
) -> None:
    text = f"{template.format(x=condition).capitalize()}. {plan.format(d=drug).capitalize()}."
    d = drafted(text, lambda n: n.condition(condition).med(drug), backend, form)
    assert current(d, condition, unflagged=True) == []
    assert current(d, drug, unflagged=True) == []

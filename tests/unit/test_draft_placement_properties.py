"""Properties of draft placement (issue 15, items 1 and 4), over generated clauses, on both backends and both
written forms (the AWS-shaped responses carry no traits: the words alone must decide):

- a clause whose subject is another person — said as a possessive ("her husband's warfarin", "the carer's
  tablets, bendroflumethiazide,") as well as with a verb — yields no Problems item and no prescription;
- a negated item followed by a positive finding not coordinated with it (a recogniser's run: no comma, no "and"
  / "or") never puts the finding, unflagged, under Denied.
"""

from __future__ import annotations

from aws_shaped import AwsNote
from draft_cases import EXAMPLES, backends, current, drafted, forms, items, tagged
from hypothesis import given
from hypothesis import strategies as st

RELATIONS = (
    "mother",
    "father",
    "sister",
    "brother",
    "son",
    "daughter",
    "husband",
    "wife",
    "partner",
    "carer",
)
DRUGS = ("warfarin", "metformin", "atenolol", "atorvastatin", "sertraline", "levothyroxine", "amlodipine")
CONDITIONS = ("lupus", "diabetes", "asthma", "epilepsy", "migraine")
POSSESSIVES = (
    "{lead}{relation}'s {concept} is kept in the same cupboard.",
    "{lead}{relation}'s tablets, {concept}, were found in the dosette box and removed.",
    "{lead}{relation}'s {concept} was brought in by mistake.",
    "{lead}{relation} is on {concept} and has been for years.",
)
FINDINGS = (
    "fever",
    "rash",
    "cough",
    "wheeze",
    "chest pain",
    "headache",
    "vomiting",
    "palpitations",
    "dizziness",
)
CUES = ("no {a}", "denies {a}", "she denies {a}", "no {a} no {b}", "denies {a} or {b}", "no {a} {b}")
TAILS = ("", " on examination", " over the left ankle", " for two weeks", " since yesterday", " noted")


@EXAMPLES
@given(
    template=st.sampled_from(POSSESSIVES),
    relation=st.sampled_from(RELATIONS),
    concept=st.sampled_from(DRUGS + CONDITIONS),
    lead=st.sampled_from(("Her ", "His ", "The ")),
    backend=backends,
    form=forms,
)
def test_another_persons_clause_yields_no_problem_and_no_prescription(
    template: str, relation: str, concept: str, lead: str, backend: str, form: str
) -> None:
    # Given a clause about another person, in one of the shapes a dictation uses
    text = (
        "Review today. "
        + template.format(lead=lead, relation=relation, concept=concept)
        + " Follow up in 3 months."
    )
    # When it is drafted, Then the concept is neither a current problem nor a prescription
    assert current(drafted(text, tagged(concept, DRUGS), backend, form), concept) == []


@EXAMPLES
@given(
    data=st.data(),
    cue=st.sampled_from(CUES),
    tail=st.sampled_from(TAILS),
    backend=backends,
)
def test_a_finding_after_a_negated_item_is_never_silently_denied(
    data: st.DataObject, cue: str, tail: str, backend: str
) -> None:
    # Given a recogniser's run: a negation over one or two items, then a finding with no cue of its own
    a, b, finding = data.draw(st.lists(st.sampled_from(FINDINGS), min_size=3, max_size=3, unique=True))
    text = f"review today {cue.format(a=a, b=b)} {finding}{tail} start paracetamol 1 g as needed"

    def build(n: AwsNote) -> None:
        n.condition(a)
        if "{b}" in cue:
            n.condition(b, after=text.index(a) + len(a))
        n.condition(finding, after=text.index(cue.format(a=a, b=b)) + len(cue.format(a=a, b=b)))
        n.med("paracetamol")

    # When it is drafted
    d = drafted(text, build, backend, "recogniser")
    # Then the finding is under Denied only with a flag
    silent = [i for i in items(d, "Denied") if finding in i.get("name", "") and not i["flags"]]
    assert silent == [], (text, items(d, "Denied"))

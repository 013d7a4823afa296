"""A drug said as not yet taken (:mod:`medscribe.logic.document.planned`): planned for later ("due to start X next
month", "add X after the scan", "X to follow once the bloods are back") it is a plan item, never a prescription;
offered and declined ("she declined X", "X was offered but he declined it") it is not taken. A drug with a later
review or test in its sentence stays a prescription. Both backends (the AWS-shaped entities carry no trait: the
words alone say it), both written forms."""

from __future__ import annotations

from typing import Any

from draft_cases import EXAMPLES, backends, drafted, forms, items
from hypothesis import given
from hypothesis import strategies as st

from medscribe.logic.document.planned import declined, planned

DRUGS = ("apixaban", "sertraline", "allopurinol", "empagliflozin", "methotrexate")
CURRENT = "omeprazole"


def _named(d: dict[str, Any], title: str, drug: str) -> list[dict[str, Any]]:
    return [i for i in items(d, title) if drug in str(i.get("name") or i["text"]).lower()]


def _build(drug: str) -> Any:
    def build(n: Any) -> None:
        n.med(CURRENT.capitalize() if n.text.startswith("O") else CURRENT, STRENGTH="20 mg")
        dose = {"STRENGTH": "10 mg"} if "10 mg" in n.text or "ten milligrams" in n.text else {}
        n.med(drug if drug in n.text else drug.capitalize(), **dose)

    return build


@EXAMPLES
@given(
    drug=st.sampled_from(DRUGS),
    said=st.sampled_from(
        (
            "He is due to start {drug} 10 mg next month.",
            "She is going to begin {drug} 10 mg daily in two weeks.",
            "Add {drug} 10 mg once daily after the renal ultrasound.",
            "{Drug} 10 mg once daily to follow once the flare has settled.",
            "Start {drug} 10 mg once the bloods are back.",
            "We will commence {drug} 10 mg when the liver tests come back.",
            "{Drug} 10 mg is to start from next Monday.",
        )
    ),
    backend=backends,
    form=forms,
)
def test_a_drug_started_later_is_a_plan_item_never_a_prescription(
    drug: str, said: str, backend: str, form: str
) -> None:
    # Given a current drug, then a drug whose start the words put later
    text = f"Omeprazole 20 mg once daily. {said.format(drug=drug, Drug=drug.capitalize())}"
    d = drafted(text, _build(drug), backend, form)
    # Then the later one is under Plan and conditional and on no Medications row; the current one is a row
    assert not _named(d, "Medications", drug), (text, items(d, "Medications"))
    assert _named(d, "Plan and conditional", drug), (text, items(d, "Plan and conditional"))
    assert _named(d, "Medications", CURRENT), (text, items(d, "Medications"))


@EXAMPLES
@given(
    drug=st.sampled_from(DRUGS),
    said=st.sampled_from(
        (
            "She declined {drug}.",
            "{Drug} was offered but he declined it.",
            "He refused the {drug} we suggested.",
            "She was offered {drug} but declined.",
            "He turned down {drug}.",
        )
    ),
    backend=backends,
    form=forms,
)
def test_a_drug_offered_and_declined_is_not_taken_and_not_flagged_as_unexplained(
    drug: str, said: str, backend: str, form: str
) -> None:
    # Given a current drug, then a drug offered and declined
    text = f"Omeprazole 20 mg once daily. {said.format(drug=drug, Drug=drug.capitalize())}"
    d = drafted(text, _build(drug), backend, form)
    # Then it is under Not taking, on no Medications row, with no flag saying no negation word was said
    assert not _named(d, "Medications", drug), (text, items(d, "Medications"))
    declined_items = _named(d, "Not taking", drug)
    assert declined_items, (text, items(d, "Not taking"))
    assert all("NEGATION_SCOPE_UNCLEAR" not in i["flags"] for i in declined_items), declined_items
    assert _named(d, "Medications", CURRENT), (text, items(d, "Medications"))


@EXAMPLES
@given(
    drug=st.sampled_from(DRUGS),
    said=st.sampled_from(
        (
            "{Drug} 10 mg once daily, review in four weeks.",
            "Started {drug} 10 mg today; repeat the bloods in two weeks.",
            "Take {drug} 10 mg twice daily after food.",
            "{Drug} 10 mg once a day. No headaches.",
            "{Drug} 10 mg once daily, starting tomorrow.",
        )
    ),
    backend=backends,
    form=forms,
)
def test_a_later_review_or_a_schedule_does_not_make_a_drug_planned(
    drug: str, said: str, backend: str, form: str
) -> None:
    # Given a drug prescribed now, with a later review, a test, a meal, a schedule or its first day said after it
    text = f"Omeprazole 20 mg once daily. {said.format(drug=drug, Drug=drug.capitalize())}"
    d = drafted(text, _build(drug), backend, form)
    # Then it stays a prescription
    assert _named(d, "Medications", drug), (text, items(d, "Medications"), items(d, "Plan and conditional"))


def test_the_words_read_name_the_plan_and_the_refusal() -> None:
    text = "Start ramipril once the bloods are back. Atorvastatin 20 mg. She refused statins."
    at = text.index("ramipril")
    assert planned(text, at, at + len("ramipril")) == "Start ramipril once the bloods are back"
    at = text.index("Atorvastatin")
    assert planned(text, at, at + len("Atorvastatin")) == ""
    at = text.index("statins")
    assert declined(text, at, at + len("statins")) == "refused statins"
    # a refusal said after another drug in a run-on is not decided for the next one
    run_on = "offered sertraline but declined omeprazole 20 mg"
    spans = [(8, 18), (run_on.index("omeprazole"), run_on.index("omeprazole") + 10)]
    assert declined(run_on, *spans[1], spans) == ""
    assert declined(run_on, *spans[0], spans) == "offered sertraline but declined"

"""A drug named only as part of a condition (issue 15: no prescription stated as current on words that do not say
it is taken). "insulin-dependent diabetes", "lithium toxicity", "an overdose of amitriptyline": the row, if any,
names that it was said only within a condition; a drug said as taken and again inside a condition ("No signs of
lithium toxicity") is read from its own mention, never negated by the condition's; a condition of a drug ("lithium
toxicity", "overdose") is a problem printed with its drug; a sign said with "non-" is denied. Both backends
(offline detector, AWS-shaped entities), both written forms."""

from __future__ import annotations

import pytest
from draft_cases import BACKENDS, FORMS, drafted, items

from medscribe.evaluation.drafts import names_category

pytestmark = [pytest.mark.parametrize("backend", BACKENDS), pytest.mark.parametrize("form", FORMS)]

ONLY_IN_A_CONDITION = {
    "dependent": ("Insulin-dependent diabetes since childhood.", "Insulin"),
    "toxicity": ("Admitted with lithium toxicity.", "lithium"),
    "induced": ("She has steroid-induced hyperglycaemia.", "steroid"),
    "dependence": ("He has opioid dependence.", "opioid"),
    "overdose of": ("Took an overdose of amitriptyline last night.", "amitriptyline"),
    "exacerbated": ("She has aspirin-exacerbated respiratory disease.", "aspirin"),
    "naive": ("He is insulin-naive.", "insulin"),
}
# a drug's name said as the modifier of a service's or a test's noun (a closed class of nouns)
ONLY_IN_A_SERVICE_OR_TEST = {
    "clinic": ("She was discharged from the warfarin clinic in May.", "warfarin"),
    "monitoring": ("He is seen in the methotrexate monitoring clinic.", "methotrexate"),
    "challenge": ("An aspirin challenge was positive last year.", "aspirin"),
    "stress test": ("An adenosine stress MRI is booked.", "adenosine"),
    # a kind word between the drug and the test's noun
    "suppression test": ("An overnight dexamethasone suppression test was normal.", "dexamethasone"),
    "stimulation test": ("A short Synacthen stimulation test is booked.", "Synacthen"),
}
# a drug said as an organism's sensitivity or resistance (a culture's result): no drug taken, no allergy
ORGANISM_RESULTS = {
    "sensitive to": ("The urine culture grew E. coli sensitive to nitrofurantoin.", ("nitrofurantoin",)),
    "resistant to, a list": (
        "Sputum grew Pseudomonas, resistant to ciprofloxacin and to gentamicin.",
        ("ciprofloxacin", "gentamicin"),
    ),
    "drug sensitive": ("The wound swab grew Staph aureus, flucloxacillin sensitive.", ("flucloxacillin",)),
}


@pytest.mark.parametrize(("text", "drug"), ONLY_IN_A_CONDITION.values(), ids=ONLY_IN_A_CONDITION)
def test_a_drug_said_only_in_a_condition_is_no_unflagged_row(
    backend: str, form: str, text: str, drug: str
) -> None:
    # Given a drug whose name is said only as part of a condition
    d = drafted(text, lambda n: n.med(drug), backend, form)
    # Then no prescription row states it as taken without a flag that says why it is doubted
    rows = [i for i in items(d, "Medications") if drug.lower() in i["text"].lower()]
    assert all(names_category(i, "stopped") or names_category(i, "unclear") for i in rows), rows
    assert all(any("part of a condition" in r for r in i.get("reasons", [])) for i in rows), rows


@pytest.mark.parametrize(("text", "drug"), ONLY_IN_A_SERVICE_OR_TEST.values(), ids=ONLY_IN_A_SERVICE_OR_TEST)
def test_a_drug_said_only_in_a_service_or_test_name_is_no_unflagged_row(
    backend: str, form: str, text: str, drug: str
) -> None:
    # Given a drug whose name is said only as the modifier of a clinic's or test's noun
    d = drafted(text, lambda n: n.med(drug), backend, form)
    # Then no prescription row states it as taken without a flag that says why it is doubted
    rows = [i for i in items(d, "Medications") if drug.lower() in i["text"].lower()]
    assert all(names_category(i, "stopped") or names_category(i, "unclear") for i in rows), rows
    assert all(any("clinic's or test's name" in r for r in i.get("reasons", [])) for i in rows), rows


def test_a_drug_taken_and_named_in_its_clinic_is_not_doubted(backend: str, form: str) -> None:
    # Given a prescription and, later, the clinic named after the drug
    text = "Warfarin 3 mg once daily by mouth. INR checked at the warfarin clinic."
    d = drafted(text, lambda n: n.med("Warfarin", STRENGTH="3 mg").med("warfarin"), backend, form)
    rows = [i for i in items(d, "Medications") if "warfarin" in i["text"].lower()]
    # Then the row is the current prescription, not doubted for the clinic's name
    assert len(rows) == 1, rows
    assert not any("clinic's or test's name" in r for r in rows[0].get("reasons", [])), rows


def test_a_drug_taken_and_named_in_a_denied_condition_stays_taken(backend: str, form: str) -> None:
    # Given a prescription and, later, a condition about that drug said as absent
    text = "Lithium 400 mg at night by mouth. No signs of lithium toxicity."
    d = drafted(text, lambda n: n.med("Lithium", STRENGTH="400 mg").med("lithium"), backend, form)
    # Then the drug is the patient's current prescription, neither contradicted nor under Not taking
    rows = [i for i in items(d, "Medications") if "lithium" in i["text"].lower()]
    assert len(rows) == 1, rows
    assert "400 mg" in rows[0]["text"], rows
    assert not [i for i in items(d, "Not taking") if "lithium" in i["text"].lower()]
    assert not names_category(rows[0], "stopped"), rows


def test_a_drug_taken_plainly_is_not_doubted(backend: str, form: str) -> None:
    # Given a control: the drug said as taken, with a condition word elsewhere in the sentence
    text = "Insulin glargine 20 units at night, diabetes well controlled."
    d = drafted(text, lambda n: n.med("Insulin glargine", DOSAGE="20 units"), backend, form)
    rows = [i for i in items(d, "Medications") if "insulin" in i["text"].lower()]
    # Then its row carries no "part of a condition" reason
    assert rows
    assert not any("part of a condition" in r for i in rows for r in i.get("reasons", [])), rows


SUBSTANCE_CONDITIONS = {
    "toxicity": (
        "Admitted with lithium toxicity. She takes lithium 400 mg at night.",
        "lithium",
        "lithium toxicity",
    ),
    "overdose": ("She took an overdose of amitriptyline two days ago.", "amitriptyline", "overdose"),
    "withdrawal": ("He is in alcohol withdrawal.", "", "alcohol withdrawal"),
    "poisoning": ("Brought in with paracetamol poisoning.", "paracetamol", "paracetamol poisoning"),
}


@pytest.mark.parametrize(("text", "drug", "problem"), SUBSTANCE_CONDITIONS.values(), ids=SUBSTANCE_CONDITIONS)
def test_a_condition_of_a_drug_or_substance_is_a_problem(
    backend: str, form: str, text: str, drug: str, problem: str
) -> None:
    # Given a condition a drug or substance is the subject of ("lithium toxicity"); AWS returns the drug and the
    # condition's head as two entities
    head = problem.split()[-1]
    substance_in_name = not drug and problem != head

    def build(n):  # type: ignore[no-untyped-def]
        if drug:
            n.med(drug)
        n.condition(problem if substance_in_name else head, traits={"DIAGNOSIS": 0.85})
        if drug and text.count(drug) > 1:
            n.med(drug, after=1, STRENGTH="400 mg")
        return n

    d = drafted(text, build, backend, form)
    # Then the condition is a current problem, printed with the drug it is of
    assert any(i["text"].lower() == problem for i in items(d, "Problems")), items(d, "Problems")


def test_a_denied_drug_condition_is_denied_with_its_drug(backend: str, form: str) -> None:
    # Given "no signs of digoxin toxicity": the cue negates the condition, not the drug it names
    text = "Digoxin 125 micrograms once daily by mouth. No signs of digoxin toxicity."
    d = drafted(
        text,
        lambda n: (
            n.med("Digoxin", DOSAGE="125 micrograms")
            .med("digoxin", after=1)
            .condition("toxicity", traits={"NEGATION": 0.9})
        ),
        backend,
        form,
    )
    # Then the toxicity is under Denied, never a problem, and the digoxin stays prescribed
    assert not [i for i in items(d, "Problems") if "toxicity" in i["text"].lower()]
    assert [i for i in items(d, "Denied") if i["text"].lower() == "digoxin toxicity"], items(d, "Denied")
    assert [i for i in items(d, "Medications") if "125 mcg" in i["text"]]


def test_a_sign_said_with_non_is_denied_without_doubt(backend: str, form: str) -> None:
    # Given "non-tender": the prefix negates the sign said right after it
    text = "No rash, abdomen soft and non-tender."
    d = drafted(
        text,
        lambda n: n.condition("rash", traits={"NEGATION": 0.9}).condition("tender", traits={"NEGATION": 0.9}),
        backend,
        form,
    )
    # Then the sign is under Denied with no doubt flagged on it, and is no problem
    denied = [i for i in items(d, "Denied") if i["text"].lower().startswith("tender")]
    assert denied, items(d, "Denied")
    assert not denied[0]["flags"], denied
    assert not [i for i in items(d, "Problems") if "tender" in i["text"].lower()]


@pytest.mark.parametrize(("text", "drugs"), ORGANISM_RESULTS.values(), ids=ORGANISM_RESULTS)
def test_a_drug_said_as_an_organisms_result_is_no_allergy_and_no_unflagged_row(
    backend: str, form: str, text: str, drugs: tuple[str, ...]
) -> None:
    # Given a culture's result naming the drugs the organism is sensitive or resistant to
    d = drafted(text, lambda n: [n.med(drug) for drug in drugs] and None, backend, form)
    for drug in drugs:
        # Then the drug is no allergy of the patient
        assert not [i for i in items(d, "Allergies") if drug.lower() in i["text"].lower()], drug
        # And no prescription row states it as taken without a flag naming the culture's result
        rows = [i for i in items(d, "Medications") if drug.lower() in i["text"].lower()]
        assert all(names_category(i, "stopped") or names_category(i, "unclear") for i in rows), rows
        assert all(any("organism's sensitivity" in r for r in i.get("reasons", [])) for i in rows), rows


@pytest.mark.parametrize(
    "text",
    [
        "She is sensitive to penicillin, which gives her a rash.",
        "Urine culture negative, she is sensitive to penicillin.",
    ],
)
def test_the_patients_own_sensitivity_stays_an_allergy(backend: str, form: str, text: str) -> None:
    # Given a sensitivity said of the patient (after a culture word, her own subject between)
    d = drafted(text, lambda n: n.med("penicillin"), backend, form)
    # Then penicillin is her allergy, not a culture's result
    assert [i for i in items(d, "Allergies") if "penicillin" in i["text"].lower()], d

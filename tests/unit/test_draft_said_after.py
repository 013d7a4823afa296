"""Issue 15 (PROCEDURE.md section 21): a hold said after the drug and its schedule ("fluoxetine 20 mg once daily, to
be held for now") is never an unflagged prescription; a started drug whose "if" has a modal consequence of its own
("start metformin 500 mg with the evening meal if her sugars stay high she will need insulin …") is flagged, and so
is a drug said after that consequence with nothing joining it. Both backends, both written forms."""

from __future__ import annotations

from typing import Any

import pytest
from draft_cases import drafted, items
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DRUGS = ("fluoxetine", "ramipril", "amlodipine", "sertraline", "metformin", "bisoprolol")
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
backends = st.sampled_from(("offline", "aws"))
forms = st.sampled_from(("punctuated", "recogniser"))
CURRENT = ("Problems", "Medications")


def _silent(d: dict[str, Any], drug: str, titles: tuple[str, ...]) -> list[dict[str, Any]]:
    return [i for t in titles for i in items(d, t) if drug in _name(i) and not i["flags"]]


def _name(item: dict[str, Any]) -> str:
    return str(item.get("name") or item["text"]).lower()


@EXAMPLES
@given(
    drug=st.sampled_from(DRUGS),
    schedule=st.sampled_from(("once daily", "twice daily", "each morning", "once a day")),
    held=st.sampled_from(("to be held for now", "is to be held", "will be held until the bloods are back")),
    backend=backends,
    form=forms,
)
def test_a_hold_said_after_the_drug_and_its_schedule_is_not_taking(
    drug: str, schedule: str, held: str, backend: str, form: str
) -> None:
    # Given a drug, its dose and schedule, then a hold said after them
    text = f"Seen today. Her own tablets are {drug} 20 mg {schedule}, {held}. No vomiting."

    def build(n: Any) -> None:
        n.med(drug, STRENGTH="20 mg", FREQUENCY=schedule)

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then it is held: under Not taking, on no prescription row
    assert [i for i in items(d, "Medications") if drug in _name(i)] == [], (text, items(d, "Medications"))
    assert [i for i in items(d, "Not taking") if drug in _name(i)], (text, items(d, "Not taking"))


@EXAMPLES
@given(
    pair=st.permutations(("metformin", "folic acid", "aspirin", "ramipril")).map(lambda p: p[:2]),
    backend=backends,
    form=forms,
)
def test_a_drug_after_a_modal_consequence_is_never_silently_conditional(
    pair: list[str], backend: str, form: str
) -> None:
    # Given a started drug, an "if" with a modal consequence of its own, then another drug with its dose
    first, later = pair
    text = (
        f"Gestational diabetes. Start {first} 500 mg with the evening meal if her sugars stay high she will need "
        f"insulin at bedtime {later} 400 mg daily continues."
    )

    def build(n: Any) -> None:
        n.med(first, STRENGTH="500 mg").med("insulin").med(later, STRENGTH="400 mg", FREQUENCY="daily")

    # When it is drafted
    d = drafted(text, build, backend, form)
    # Then neither drug is an unflagged conditional only: current, or flagged
    for drug in (first, later):
        plan = _silent(d, drug, ("Plan and conditional",))
        current = [i for t in CURRENT for i in items(d, t) if drug in _name(i)]
        assert not plan or current, (drug, text, items(d, "Plan and conditional"))


@EXAMPLES
@given(
    drug=st.sampled_from(DRUGS),
    who=st.sampled_from(("we have", "we've", "the GP has", "I have")),
    done=st.sampled_from(("stopped", "discontinued", "held")),
    backend=backends,
    form=forms,
)
def test_a_stop_said_by_whoever_stopped_it_is_not_taking(
    drug: str, who: str, done: str, backend: str, form: str
) -> None:
    # Given "X 2.5 mg once daily, which we have stopped"
    text = f"She takes {drug} 2.5 mg once daily, which {who} {done}. No head injury."
    d = drafted(text, lambda n: n.med(drug, STRENGTH="2.5 mg", FREQUENCY="once daily"), backend, form)
    # Then it is on no prescription row
    assert [i for i in items(d, "Medications") if drug in _name(i)] == [], (text, items(d, "Medications"))


@EXAMPLES
@given(
    drug=st.sampled_from(("clopidogrel", "amoxicillin", "naproxen", "lamotrigine")),
    said=st.sampled_from(("He had a rash with", "She developed hives after", "He came out in a rash on")),
    backend=backends,
    form=forms,
)
def test_a_reaction_said_before_the_drug_makes_it_an_allergy_not_a_prescription(
    drug: str, said: str, backend: str, form: str
) -> None:
    # Given a reaction said first, then the drug that caused it, then a current symptom
    text = f"Reviewed today. {said} {drug}. Chest tightness on the stairs."
    d = drafted(text, lambda n: n.med(drug).condition("Chest tightness"), backend, form)
    # Then the drug is an allergy with that reaction, on no prescription row, and the symptom stays a problem
    assert [i for i in items(d, "Medications") if drug in _name(i)] == [], (text, items(d, "Medications"))
    allergy = [i for i in items(d, "Allergies") if drug in i["text"].lower()]
    assert allergy, (text, items(d, "Allergies"))
    assert "tightness" not in allergy[0]["text"].lower(), (text, allergy)
    assert [i for i in items(d, "Problems") if "tightness" in i["text"].lower()], (text, items(d, "Problems"))


def test_a_dosed_drug_marked_future_with_no_conditional_word_is_flagged() -> None:
    # Given a drug with a dose said with no conditional word, which a backend marks FUTURE
    text = "Chest tightness on the stairs twice; he will get GTN spray, 400 micrograms per dose as needed."

    def build(n: Any) -> None:
        n.med("GTN", traits={"FUTURE": 0.8}, DOSAGE="400 micrograms")

    d = drafted(text, build, "aws", "punctuated")
    # Then it is never an unflagged conditional: the words do not say it is one
    plan = [i for i in items(d, "Plan and conditional") if "gtn" in _name(i)]
    assert plan, items(d, "Plan and conditional")
    assert all("CONDITION_SCOPE_UNCLEAR" in i["flags"] for i in plan), plan


@EXAMPLES
@given(
    condition=st.sampled_from(
        ("Charcot arthropathy", "pulmonary embolism", "appendicitis", "septic arthritis")
    ),
    site=st.sampled_from(("", " of the left foot", " on the right")),
    said=st.sampled_from(("excluded on MRI", "has been ruled out", "was excluded", "ruled out on CT")),
    backend=backends,
    form=forms,
)
def test_a_condition_ruled_out_after_it_is_never_a_silent_problem(
    condition: str, site: str, said: str, backend: str, form: str
) -> None:
    # Given a condition, its site, then "excluded" / "ruled out" said after it
    text = f"Review of painful neuropathy. {condition}{site} {said} last month. Continue amitriptyline 10 mg."
    d = drafted(text, lambda n: n.condition("painful neuropathy").condition(condition), backend, form)
    # Then it is no unflagged problem, and "to be ruled out" is never read as denied
    key = condition.split()[0].lower()
    assert [i for i in items(d, "Problems") if key in _name(i) and not i["flags"]] == [], (text, d)


def test_a_condition_to_be_ruled_out_is_not_denied() -> None:
    text = "Chest pain since this morning. A pulmonary embolism is to be ruled out with a CT."
    d = drafted(
        text, lambda n: n.condition("Chest pain").condition("pulmonary embolism"), "aws", "punctuated"
    )
    assert [i for i in items(d, "Denied") if "embolism" in _name(i)] == [], items(d, "Denied")


@EXAMPLES
@given(
    said=st.sampled_from(
        (
            ("Pedal pulses", "absent on the right"),
            ("His weight", "has fallen from the 50th to the 25th centile"),
        )
    ),
    backend=backends,
    form=forms,
)
def test_a_measurement_said_with_an_abnormal_state_after_it_is_a_finding(
    said: tuple[str, str], backend: str, form: str
) -> None:
    # Given a measurement's name, then an abnormal state ("absent", "has fallen")
    test, state = said
    text = f"Reviewed today. {test} {state}. Continue aspirin 75 mg once daily."
    d = drafted(text, lambda n: n.test(test.split()[-1]), backend, form)
    # Then it is a problem, not a test done
    key = test.split()[-1].lower()
    assert [i for i in items(d, "Problems") if key in i["text"].lower()], (text, d)


@EXAMPLES
@given(
    state=st.sampled_from(("absent", "reduced", "diminished", "weak", "raised", "low")),
    site=st.sampled_from(("", "pedal ", "left radial ")),
    backend=backends,
    form=forms,
)
def test_a_measurement_said_with_an_abnormal_state_before_it_is_a_finding(
    state: str, site: str, backend: str, form: str
) -> None:
    # Given an abnormal state, then at most two words of site, then a measurement's name ("absent foot pulses")
    text = f"On examination, {state} {site}pulses on the right. Continue aspirin 75 mg once daily."
    d = drafted(text, lambda n: n.test("pulses"), backend, form)
    # Then it is a problem named with its state, never only a test done
    assert [i for i in items(d, "Problems") if f"{state} {site}pulses" in i["text"].lower()], (text, d)
    assert not [i for i in items(d, "Tests and procedures") if "pulses" in i["text"].lower()], (text, d)


@EXAMPLES
@given(kind=st.sampled_from(("diet", "target")), form=forms)
def test_a_measurement_said_as_a_kind_of_diet_or_goal_is_no_finding(kind: str, form: str) -> None:
    # Given a state word before a measurement that names a diet or a goal ("a low potassium diet"), the measurement
    # a test in an AWS-shaped response (the offline lexicon itself reads "low potassium" as a condition)
    text = f"Advised a low potassium {kind}. Continue aspirin 75 mg once daily."
    d = drafted(text, lambda n: n.test("potassium"), "aws", form)
    # Then no finding "low potassium" is drafted
    assert not [i for i in items(d, "Problems") if "potassium" in i["text"].lower()], d


@EXAMPLES
@given(
    verb=st.sampled_from(("adjusts", "changes", "titrates")),
    low=st.sampled_from((2, 4, 6)),
    backend=backends,
    form=forms,
)
def test_a_range_after_a_change_verb_is_a_range_not_a_new_dose(
    verb: str, low: int, backend: str, form: str
) -> None:
    # Given "adjusts her X with meals, A to B units depending on …" (a genuine range, no "from")
    high = low + 4
    text = f"On Lantus 30 units at night; she {verb} her Humalog with meals, {low} to {high} units depending on carbs."

    def build(n: Any) -> None:
        n.med("Lantus", DOSAGE="30 units").med("Humalog", DOSAGE=f"{low} to {high} units")

    d = drafted(text, build, backend, form)
    # Then no row shows B alone as a new dose, unflagged or flagged without naming the range
    rows = [i for i in items(d, "Medications") if "humalog" in _name(i)]
    assert rows, items(d, "Medications")
    assert all("DOSE_RANGE" in r["flags"] for r in rows), rows


@EXAMPLES
@given(
    pair=st.sampled_from(
        (("saxagliptin", "sitagliptin"), ("carbamazepine", "oxcarbazepine"), ("bupropion", "buspirone"))
    ),
    record=st.sampled_from(("the discharge letter says", "the GP list shows", "the referral lists")),
    backend=backends,
    form=forms,
)
def test_a_drug_said_as_a_records_claim_is_never_a_silent_prescription(
    pair: tuple[str, str], record: str, backend: str, form: str
) -> None:
    # Given a drug said as taken, then another named as what a record says
    taken, claim = pair
    text = f"On {taken} 5 mg once daily; {record} {claim}, please check with the pharmacy."
    d = drafted(text, lambda n: n.med(taken, STRENGTH="5 mg").med(claim), backend, form)
    # Then the claimed drug is on no unflagged row, and its flag names the possible confusion
    rows = [i for i in items(d, "Medications") if claim in _name(i)]
    assert [r for r in rows if not r["flags"]] == [], rows
    assert all("NAME_UNCLEAR" in r["flags"] for r in rows), rows


@EXAMPLES
@given(
    filler=st.sampled_from(("um, no,", "er, no,", "sorry,", "um, sorry,")),
    backend=backends,
    form=forms,
)
def test_a_dose_corrected_after_a_filler_is_the_last_one_said(filler: str, backend: str, form: str) -> None:
    # Given a change whose new dose the speaker corrects after a filler
    text = f"Hypertension review. Increase amlodipine from 5 mg to 10 mg, {filler} to 7.5 mg once daily."
    d = drafted(text, lambda n: n.med("amlodipine", STRENGTH="5 mg"), backend, form)
    # Then no unflagged row states the corrected-away 10 mg
    rows = [i for i in items(d, "Medications") if "amlodipine" in _name(i)]
    assert [r for r in rows if "10 mg" in r["text"].split("(was")[0] and not r["flags"]] == [], rows
    assert [r for r in rows if "7.5 mg" in r["text"]], rows


@EXAMPLES
@given(
    said=st.sampled_from(
        (
            "Past history of gout and sleep apnoea on CPAP; he takes allopurinol 300 mg daily.",
            "History of Paget's disease, she takes alendronic acid 70 mg weekly.",
        )
    ),
    form=forms,
)
def test_a_past_list_that_goes_on_with_a_current_treatment_is_never_silently_past(
    said: str, form: str
) -> None:
    # Given a condition a backend marks past history, in a list that goes on with a current treatment
    condition = "gout" if "gout" in said else "Paget's disease"

    def build(n: Any) -> None:
        n.condition(condition, traits={"PAST_HISTORY": 0.9})
        if "apnoea" in said:
            n.condition("sleep apnoea", traits={"PAST_HISTORY": 0.9})

    d = drafted(f"Reviewed today. {said}", build, "aws", form)
    # Then it is a current problem, or flagged where it is filed: never an unflagged past item
    key = condition.split()[0].lower()
    past = [i for i in items(d, "Past history") if key in i["text"].lower()]
    assert [i for i in past if not i["flags"]] == [], past


@EXAMPLES
@given(
    finding=st.sampled_from(("her ankles are swollen", "her sugar's been high", "a cough at night")),
    backend=backends,
)
def test_not_sure_is_no_negation_of_what_follows_in_a_run_on(finding: str, backend: str) -> None:
    # Given "not sure" said right before a finding with no sentence end (a recogniser's run-on)
    text = f"a cream for thrush something she's not sure {finding} since the weekend"
    word = finding.split()[-1] if "cough" not in finding else "cough"

    def build(n: Any) -> None:
        n.condition(word)

    d = drafted(text, build, backend, "recogniser")
    # Then the finding is never an unflagged denied item
    assert [i for i in items(d, "Denied") if word in i["text"].lower() and not i["flags"]] == [], d


@pytest.mark.parametrize("backend", ["offline", "aws"])
@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
@pytest.mark.parametrize(
    ("test", "state"),
    [("Sodium", "low on the bloods from Tuesday"), ("Her ferritin", "was raised last month")],
)
def test_a_measurement_said_low_or_raised_is_a_finding(
    test: str, state: str, backend: str, form: str
) -> None:
    # Given a measurement's name, then "low" / "raised" with no number: an abnormal result said as a state
    text = f"Reviewed today. {test} {state}. Continue aspirin 75 mg once daily."
    d = drafted(text, lambda n: n.test(test.split()[-1]), backend, form)
    # Then it is a current problem, never only a test done (the finding would be silently out of Problems)
    key = test.split()[-1].lower()
    assert [i for i in items(d, "Problems") if key in i["text"].lower()], (text, d)
    assert not [i for i in items(d, "Tests and procedures") if key in i["text"].lower() and not i["flags"]]


@pytest.mark.parametrize("backend", ["offline", "aws"])
@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
@pytest.mark.parametrize(
    ("said", "indication"),
    [
        ("Carry on with ramipril 2.5 mg once daily for her blood pressure.", True),
        ("Ramipril 2.5 mg once daily; she goes to the practice nurse for blood pressure checks.", False),
        ("Bloods sent today for blood pressure and kidney function.", False),
    ],
)
def test_a_measurement_named_as_what_a_dosed_drug_is_for_is_the_condition(
    said: str, indication: bool, backend: str, form: str
) -> None:
    # Given "… <drug> <dose> for (her) blood pressure", or the test said as a check or as what bloods are for
    text = f"Reviewed today. {said} See again in a month."

    def build(n: Any) -> None:
        n.test("blood pressure")
        if "amipril" in said:
            drug = "Ramipril" if "Ramipril" in n.text else "ramipril"
            n.med(drug, STRENGTH="2.5 mg", FREQUENCY="once daily")

    d = drafted(text, build, backend, form)
    # Then a drug's indication is a current problem, never only a test done; a check stays a test
    problems = [i for i in items(d, "Problems") if "blood pressure" in i["text"].lower()]
    tests = [i for i in items(d, "Tests and procedures") if "blood pressure" in i["text"].lower()]
    assert bool(problems) == indication, (text, d)
    assert bool(tests) != indication, (text, d)

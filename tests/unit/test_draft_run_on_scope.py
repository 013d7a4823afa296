"""A recogniser's run-on (lower case, no punctuation, numbers spoken) drafts like the punctuated note where the
words decide, and flags the item where they do not (issue 15; ``scripts/form_differences.py`` lists the items
placed differently in the two forms)."""

from __future__ import annotations

import pytest
from aws_shaped import AwsNote
from draft_cases import drafted, items

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.run_on import negated_clause_start, opens_negated_clause
from medscribe.textdraft import draft_sections


def _placed(text: str) -> dict[str, tuple[str, list[str]]]:
    """name -> (section, flags) of every drafted item but the review notes."""
    return {
        item["name"]: (section["title"], item["flags"])
        for section in draft_sections(text)["sections"]
        if section["title"] != "Needs review"
        for item in section["items"]
        if item.get("name")
    }


@pytest.mark.parametrize(
    ("note", "denied"),
    [
        ("Her uncle has gout and takes allopurinol. No joint swelling, no rash.", ("swelling", "rash")),
        ("His grandmother has Parkinson's disease. No tremor.", ("tremor",)),
    ],
)
def test_a_no_after_a_relations_noun_starts_the_patients_clause(note: str, denied: tuple[str, ...]) -> None:
    punctuated, recogniser = _placed(note), _placed(recogniser_form(note))
    for name in denied:
        assert punctuated[name] == ("Denied", [])
        assert recogniser[name] == ("Denied", [])  # was Family history, unflagged
    assert all(section == "Family history" for n, (section, _) in recogniser.items() if n not in denied)


def test_a_no_after_a_verb_or_preposition_stays_in_the_relations_clause() -> None:
    placed = _placed(recogniser_form("Her brother has coeliac disease with no symptoms."))
    assert placed["coeliac disease"][0] == "Family history"
    text = "her sister has no asthma and with no eczema"
    assert negated_clause_start(text, 0, len(text)) is None
    assert opens_negated_clause("his dad has copd no cough", len("his dad has copd "))
    assert not opens_negated_clause("his dad has copd, no cough", len("his dad has copd, "))


def test_a_concept_run_on_after_a_possible_drug_is_flagged_not_silently_planned() -> None:
    note = "We may add bisoprolol 2.5 mg daily. Echocardiogram in six weeks."
    assert _placed(note)["echocardiogram"] == ("Tests and procedures", [])
    section, flags = _placed(recogniser_form(note))["echocardiogram"]
    assert section == "Plan and conditional"
    assert flags == ["CONDITION_SCOPE_UNCLEAR"]  # was unflagged
    assert _placed(recogniser_form(note))["bisoprolol"] == ("Plan and conditional", [])


def test_an_examination_ends_a_negation_run_on() -> None:
    note = "He denies fever or rigors. On examination, wheeze at the right base."
    assert _placed(note)["wheeze"] == ("Problems", [])
    placed = _placed(recogniser_form(note))
    assert placed["wheeze"] == ("Problems", [])  # was Denied, flagged NEGATION_SCOPE_UNCLEAR
    assert placed["fever"] == placed["rigors"] == ("Denied", [])


def test_a_modal_should_after_its_subject_sets_no_condition() -> None:
    # "which she should not take": advice; "should" as "if" comes before its subject ("should her mood worsen")
    note = (
        "Her cousin lent her some diazepam, which she should not take. Weight and blood pressure are normal."
    )
    for text in (note, recogniser_form(note)):
        placed = _placed(text)
        assert (
            placed["weight"][0] == "Tests and procedures"
        )  # was Plan and conditional in the run-on, unflagged
        assert placed["blood pressure"][0] == "Tests and procedures"
    inverted = _placed(recogniser_form("Should her mood worsen start sertraline 50 mg."))
    assert inverted["sertraline"][0] == "Plan and conditional"


def test_where_possible_is_a_hedge_not_a_possible_diagnosis() -> None:
    note = "Avoid NSAIDs where possible. Discharge home with omeprazole 20 mg daily."
    section, _ = _placed(recogniser_form(note))["omeprazole"]
    assert section != "Plan and conditional"  # was "possible discharge home with omeprazole", unflagged
    assert _placed("Possible appendicitis.")["appendicitis"][0] == "Plan and conditional"


def test_a_condition_after_a_relations_clause_is_not_silently_theirs() -> None:
    note = "His sister has hay fever and uses a nasal spray. If the cough persists, bring him back."
    section, flags = _placed(recogniser_form(note))["cough"]
    assert section != "Family history" or "SUBJECT_UNCLEAR" in flags  # was the sister's, unflagged
    assert _placed(recogniser_form(note))["hay fever"] == ("Family history", [])


def test_a_concept_after_a_relations_errand_is_flagged_not_silently_theirs() -> None:
    # the relation's clause says what they do, not what they have: the run-on may have moved on to the patient
    note = "Her brother collects her prescriptions. Gout in the left big toe."
    assert _placed(note)["gout"] == ("Problems", [])
    section, flags = _placed(recogniser_form(note))["gout"]
    assert section == "Problems" or "SUBJECT_UNCLEAR" in flags  # was the brother's, unflagged
    kept = _placed(recogniser_form("Her brother has gout in the left big toe."))
    assert kept["gout"] == ("Family history", [])


@pytest.mark.parametrize("grandparent", ["Grandad", "Granny", "Gran"])
def test_a_grandparent_is_a_relation(grandparent: str) -> None:
    note = f"Her twin brother has eczema. {grandparent} has coeliac disease."
    for text in (note, recogniser_form(note)):
        placed = _placed(text)
        assert placed["coeliac disease"] == ("Family history", [])  # was Problems / the brother's


def test_one_word_a_repeated_no_may_take_as_its_item_leaves_the_next_concept_unclear() -> None:
    note = "Dry skin on both arms. No fever, no weeping. Itchy patches on the legs."
    assert _placed(note)["itchy"] == ("Problems", [])
    section, flags = _placed(recogniser_form(note))["itchy"]
    assert section == "Problems" or flags == ["NEGATION_SCOPE_UNCLEAR"]  # was Denied, unflagged
    assert _placed(recogniser_form("No exertional chest pain."))["chest pain"] == ("Denied", [])


def test_a_finding_said_in_the_past_tense_after_a_condition_is_not_the_conditions() -> None:
    note = (
        "Olive oil drops for a week, then Otex if still blocked. Her ferritin levels were normal and her vitamin D "
        "level was low, so start Adcal-D3 one tablet twice daily."
    )
    section, _ = _placed(recogniser_form(note))["vitamin d level was low"]
    assert section == "Problems"  # was Plan and conditional, unflagged
    assert _placed(recogniser_form(note))["adcal d 3"][0] == "Medications"


@pytest.mark.parametrize(
    ("note", "name"),
    [
        ("If the wheeze returns, consider montelukast. Her eczema is much better.", "eczema"),
        ("Should the cough persist, start doxycycline. His gout remains quiet.", "gout"),
    ],
)
def test_a_state_said_with_its_own_subject_after_the_instruction_is_not_the_conditions(
    note: str, name: str
) -> None:
    # Given a condition and its instruction, then a present-tense state with a possessive subject (a new clause)
    for text in (note, recogniser_form(note)):
        # Then the state is a current problem in both forms (the run-on was Plan and conditional, unflagged)
        assert _placed(text)[name][0] == "Problems", text
    # and the instruction's drug stays conditional
    drug = "montelukast" if "montelukast" in note else "doxycycline"
    assert _placed(recogniser_form(note))[drug][0] == "Plan and conditional"


def test_a_concept_run_on_after_a_verbless_condition_is_flagged() -> None:
    note = "Stop the metformin if vomiting. Vitamin B12 level is low, so start hydroxocobalamin."
    section, flags = _placed(recogniser_form(note))["vitamin b 12 level is low"]
    assert section == "Problems" or "CONDITION_SCOPE_UNCLEAR" in flags  # was Plan and conditional, unflagged


def test_a_scheduled_drug_run_on_after_a_condition_with_no_instruction_is_flagged() -> None:
    note = "If the rash spreads, think of cellulitis. Saline drops as needed."
    assert _placed(note)["saline"][0] == "Medications"
    section, flags = _placed(recogniser_form(note))["saline"]
    assert (
        section == "Medications" or "CONDITION_SCOPE_UNCLEAR" in flags
    )  # was Plan and conditional, unflagged


def test_the_start_of_a_symptom_is_no_instruction_to_start() -> None:
    note = "Paracetamol 500 mg, one tablet at the start of a headache. Keep a diary, and if still frequent, see me."
    for text in (note, recogniser_form(note)):
        assert _placed(text)["headache"] == ("Problems", [])  # was Plan and conditional in the run-on
    assert _placed("Start amlodipine 5 mg if the blood pressure stays high.")["amlodipine"][0] == (
        "Plan and conditional"
    )


def test_a_query_names_diagnoses_not_the_test_listed_after_them() -> None:
    note = "Leg shortened and rotated, query fractured neck of femur, X-ray pending."
    for text in (note, recogniser_form(note)):
        placed = {name.lower().replace("-", " "): where for name, where in _placed(text).items()}
        assert placed["x ray"][0] == "Tests and procedures"  # was only a queried diagnosis, punctuated
    assert _placed("Query appendicitis, ovarian torsion.")["ovarian torsion"][0] == "Plan and conditional"


def test_a_safety_net_said_with_its_subject_and_a_modal_is_the_conditions_own_consequence() -> None:
    note = "If the redness spreads or she gets a fever she should come back for oral antibiotics."
    for text in (note, recogniser_form(note)):
        # was flagged CONDITION_SCOPE_UNCLEAR ("should come back" read as a second condition)
        assert _placed(text)["antibiotics"] == ("Plan and conditional", [])


def test_a_safety_net_reaches_what_it_is_for_not_the_run_on_after_it() -> None:
    note = (
        "If the swelling spreads or she gets a fever she should come back to the clinic. Her asthma is unchanged "
        "on montelukast."
    )
    placed = _placed(recogniser_form(note))
    assert placed["asthma"] == ("Problems", [])  # not the safety net's, silently conditional
    assert placed["montelukast"][0] == "Medications"


def test_the_run_on_readings_leave_one_phrase_and_a_later_finding_alone() -> None:
    # guards on the rules above: a site before its condition is one phrase, and a gerund after a cue makes only
    # the concept named next unclear
    for text in (
        "Co-amoxiclav only in case of wound infection.",
        "co amoxiclav only in case of wound infection",
    ):
        assert _placed(text)["wound infection"] == ("Plan and conditional", [])  # one name since session 15
    note = "She's not eating. Urine dip positive for nitrites, so a urinary tract infection is likely."
    assert _placed(recogniser_form(note))["urinary tract infection"] == ("Problems", [])


def test_a_start_before_a_condition_with_an_option_of_its_own_after_it_is_flagged() -> None:
    note = (
        "Instead add dorzolamide one drop twice a day to the left eye. If the left pressure is still above 21 in "
        "three months, consider laser."
    )
    assert _placed(note)["dorzolamide"][0] == "Medications"
    section, flags = _placed(recogniser_form(note))["dorzolamide"]
    assert (
        section == "Medications" or "CONDITION_SCOPE_UNCLEAR" in flags
    )  # was Plan and conditional, unflagged


@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
@pytest.mark.parametrize("backend", ["offline", "aws"])
@pytest.mark.parametrize("outcome", ["no benefit", "no improvement", "no effect"])
def test_a_treatments_outcome_denied_never_takes_the_next_drug_off_the_list(
    backend: str, form: str, outcome: str
) -> None:
    # Given a stopped drug "with no benefit", then a new dosed drug (a recogniser's run-on joins the two; the
    # AWS-shaped response carries the NEGATION a detector spreading "no" would give it)
    text = f"Lymecycline was stopped in May after three weeks with {outcome}. Prednisolone 30 mg once daily."

    def build(n: AwsNote) -> None:
        n.med("Lymecycline", traits={"NEGATION": 0.9})
        n.med("Prednisolone", traits={"NEGATION": 0.9}, STRENGTH="30 mg")

    d = drafted(text, build, backend, form)
    # Then prednisolone is never an unflagged "Not taking" note: a current row, or flagged where it is put
    silent = [i for i in items(d, "Not taking") if "prednisolone" in i["text"].lower() and not i["flags"]]
    assert not silent, items(d, "Not taking")
    if backend == "offline":
        assert any("prednisolone" in i["text"].lower() for i in items(d, "Medications"))


# A question said while dictating and its denial (.answered): (text, the item asked about, a drug, the next item)
ANSWERED = [
    ("Still taking the warfarin? No. Apixaban 5 mg twice daily.", "warfarin", True),
    ("Any calf pain? None. Apixaban 5 mg twice daily.", "calf pain", False),
    ("Using the naproxen? Not any more. Paracetamol 1 g four times daily.", "naproxen", True),
    ("Any night sweats? Nil. Amoxicillin 500 mg three times daily.", "night sweats", False),
]


@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
@pytest.mark.parametrize("backend", ["offline", "aws"])
@pytest.mark.parametrize(("text", "asked", "drug"), ANSWERED, ids=[a[1] for a in ANSWERED])
def test_an_item_a_question_asks_about_and_its_answer_denies_is_never_an_unflagged_current_fact(
    backend: str, form: str, text: str, asked: str, drug: bool
) -> None:
    # Given an item named in a question answered with a denial (the recogniser form loses the question mark; the
    # AWS-shaped response gives the item no trait, as nothing in its own clause negates it)
    def build(n: AwsNote) -> None:
        (n.med if drug else n.condition)(asked)
        n.med(text.split(". ")[-1].split()[0], STRENGTH=" ".join(text.split(". ")[-1].split()[1:3]))

    d = drafted(text, build, backend, form)
    # Then it is never a current row or problem without a flag naming the negation
    said = [i for t in ("Problems", "Medications") for i in items(d, t) if asked in i["text"].lower()]
    assert all("NEGATION_SCOPE_UNCLEAR" in i["flags"] for i in said), said
    # and where the question is marked ("?") it is denied / not taken, and the drug after the answer prescribed
    if form == "punctuated":
        assert not said
        assert any(asked in i["text"].lower() for i in items(d, "Not taking" if drug else "Denied"))
    # and the drug said after the answer is a current row, or flagged where it is put (a recogniser's "not any more
    # paracetamol 1 g" may be read as its denial by the detector)
    prescribed = text.split(". ")[-1].split()[0].lower()
    placed = [
        i for t in ("Medications", "Not taking") for i in items(d, t) if prescribed in i["text"].lower()
    ]
    assert placed
    assert all(
        t == "Medications" or i["flags"]
        for t in ("Medications", "Not taking")
        for i in items(d, t)
        if prescribed in i["text"].lower()
    )


@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
def test_a_question_answered_yes_or_a_statement_with_no_is_no_denial(form: str) -> None:
    # Given a question answered "yes", and a statement that says "no" of something else
    yes = _placed(
        recogniser_form("Any wheeze? Yes, most mornings. Salbutamol 100 micrograms as needed.")
        if form == "recogniser"
        else "Any wheeze? Yes, most mornings. Salbutamol 100 micrograms as needed."
    )
    statement = "Still on aspirin, no side effects. Clopidogrel 75 mg daily."
    said = _placed(recogniser_form(statement) if form == "recogniser" else statement)
    # Then the item asked about stays current; the punctuated statement's drug is a current, unflagged row
    assert yes["wheeze"][0] == "Problems"
    assert said["aspirin"][0] == "Medications"
    if form == "punctuated":
        assert "NEGATION_SCOPE_UNCLEAR" not in said["aspirin"][1]


@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
@pytest.mark.parametrize("backend", ["offline", "aws"])
@pytest.mark.parametrize("answer", ["Yes", "No"])
def test_a_denial_answers_only_its_own_question_not_the_next_one(
    backend: str, form: str, answer: str
) -> None:
    # Given a question answered "No", then another question right after it (the recogniser form runs them together:
    # "any fever no any cough yes"), the AWS-shaped response giving neither item a trait
    text = f"Any fever? No. Any cough? {answer}, at night. Salbutamol 100 micrograms as needed."
    d = drafted(text, lambda n: n.condition("fever").condition("cough"), backend, form)
    # Then the first item is denied
    assert any("fever" in i["text"].lower() for i in items(d, "Denied"))
    # and the second is denied only by its own answer: "Yes" leaves it a problem, never an unflagged denial
    denied = [i for i in items(d, "Denied") if "cough" in i["text"].lower()]
    if answer == "Yes":
        assert not [i for i in denied if not i["flags"]], denied
        assert any("cough" in i["text"].lower() for i in items(d, "Problems"))
    else:
        assert denied

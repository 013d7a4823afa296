"""Issue 15, both directions of a relation's reach in a run-on (docs/draft.md "Whose"): the patient's own items
said after a relative's clause with no sentence end between are never filed under Family history, and shortening
that reach never lets the relative's condition or drug become the patient's current problem or prescription.

Each case runs on both backends (the offline detector; a hand-built AWS-shaped DetectEntitiesV2 response, with
PERTAINS_TO_FAMILY on the relative's condition as Comprehend Medical gives it) and in both written forms
(commas only; recogniser-style, lower case without punctuation).
"""

from __future__ import annotations

import pytest
from draft_cases import BACKENDS, FORMS, Placed, check_placed, drafted, items, names, texts

pytestmark = [pytest.mark.parametrize("backend", BACKENDS), pytest.mark.parametrize("form", FORMS)]

FAMILY = {"DIAGNOSIS": 0.9, "PERTAINS_TO_FAMILY": 0.85}

CASES = {
    # the relation speaks: what it says of "he" is drafted as the patient's (flagged), never Family history
    "dad says he is not sleeping: the patient's problem": Placed(
        "Anxiety disorder, seen with his father, dad says he is not sleeping and paces at night, diazepam 5 mg "
        "three times daily",
        lambda n: n.condition("Anxiety disorder").condition("not sleeping").med("diazepam", STRENGTH="5 mg"),
        under={"Problems": {"not sleeping"}, "Medications": {"diazepam"}},
        not_under={"Family history": {"not sleeping", "diazepam"}},
    ),
    # the clinician's plan ends the father's clause (the anxiety is the patient's: a problem, or the plan's
    # condition where the backend marks it hypothetical); his condition and drug stay his
    "consider CBT after the father's clause: the patient's plan": Placed(
        "Anxiety disorder, his father has panic disorder and takes pregabalin, consider CBT if the anxiety "
        "persists",
        lambda n: (
            n.condition("Anxiety disorder")
            .condition("panic disorder", traits=FAMILY)
            .med("pregabalin")
            .condition("anxiety", after=30)
        ),
        under={"Family history": {"panic disorder", "pregabalin"}},
        not_under={
            "Family history": {"anxiety"},
            "Problems": {"panic disorder"},
            "Medications": {"pregabalin"},
        },
    ),
    # a drug with a dose of its own after the brother's clause: a new prescription line, the patient's (flagged)
    "a dosed drug after the brother's clause: the patient's prescription": Placed(
        "Asthma attack, her brother has asthma and is on omalizumab injections montelukast 10 mg at night, new",
        lambda n: (
            n.condition("Asthma attack")
            .condition("asthma", traits=FAMILY, after=20)
            .med("omalizumab")
            .med("montelukast", STRENGTH="10 mg", FREQUENCY="at night")
        ),
        under={"Medications": {"montelukast"}, "Family history": {"omalizumab"}},
        not_under={"Family history": {"montelukast"}, "Medications": {"omalizumab"}},
    ),
    # a dosed drug after the brother's clause with no concept before it, and nothing giving him a drug
    "a dosed drug after a clause that gives the brother no drug: the patient's prescription": Placed(
        "Alcohol withdrawal, his brother drinks heavily too zopiclone 7.5 mg at night",
        lambda n: n.condition("Alcohol withdrawal").med("zopiclone", STRENGTH="7.5 mg", FREQUENCY="at night"),
        under={"Medications": {"zopiclone"}},
        not_under={"Family history": {"zopiclone"}},
    ),
    # "his own" after the wife's clause: gender makes it the patient's, a new subject
    "his own after his wife's clause: the patient's problem": Placed(
        "Review today, his wife is on atorvastatin and his own asthma is poorly controlled",
        lambda n: n.med("atorvastatin").condition("asthma"),
        under={"Problems": {"asthma"}, "Other people": {"atorvastatin"}},
        not_under={
            "Other people": {"asthma"},
            "Family history": {"atorvastatin"},
            "Medications": {"atorvastatin"},
        },
    ),
    # a family trait said of the patient's own condition: still the patient's problem
    "gout, which also runs in his father's family: the patient's problem": Placed(
        "Review today, he has psoriasis and gout, which also runs in his father's family",
        lambda n: n.condition("psoriasis").condition("gout"),
        under={"Problems": {"psoriasis", "gout"}},
    ),
}
# the reverse: the relative's own dosed drug, said in the relative's clause, stays the relative's
THEIRS = {
    "her husband takes warfarin 5 mg": Placed(
        "Review today, her husband takes warfarin 5 mg daily",
        lambda n: n.med("warfarin", STRENGTH="5 mg", FREQUENCY="daily"),
        not_under={"Medications": {"warfarin"}},
    ),
    "her mother has diabetes and takes metformin 500 mg": Placed(
        "Review today, her mother has diabetes and takes metformin 500 mg twice daily",
        lambda n: n.condition("diabetes", traits=FAMILY).med("metformin", STRENGTH="500 mg"),
        not_under={"Medications": {"metformin"}, "Problems": {"diabetes"}},
    ),
    # the relation speaks, and gender gives the pronoun (or the possessive) to the speaker
    "his wife says she is on Rybelsus herself": Placed(
        "Diabetes review, seen with his wife, his wife says she is on Rybelsus herself and asked about it",
        lambda n: n.condition("Diabetes").med("Rybelsus"),
        not_under={"Medications": {"rybelsus"}},
    ),
    "mum says he has a cough and she has pemphigoid": Placed(
        "Seen with mum, mum says he has had a barking cough for two nights and she has pemphigoid herself",
        lambda n: n.condition("cough").condition("pemphigoid", traits=FAMILY),
        under={"Problems": {"cough"}},
        not_under={"Problems": {"pemphigoid"}},
    ),
    "grandma said he sometimes has her Seretide": Placed(
        "Asthma review, grandma said he sometimes has her Seretide when he runs out",
        lambda n: n.condition("Asthma").med("Seretide"),
        not_under={"Medications": {"seretide"}},
    ),
    "his wife's atenolol 50 mg": Placed(
        "Review today, his wife's atenolol 50 mg was in the bag",
        lambda n: n.med("atenolol", STRENGTH="50 mg"),
        not_under={"Medications": {"atenolol"}},
    ),
    # "his own" of the brother's gender, the patient "her": the brother's
    "her brother is on omalizumab for his own asthma": Placed(
        "Review today, her brother is on omalizumab for his own asthma",
        lambda n: n.med("omalizumab").condition("asthma"),
        not_under={"Medications": {"omalizumab"}, "Problems": {"asthma"}},
    ),
    # the family said after the condition: a family trait, never the patient's problem
    "haemochromatosis runs in the family": Placed(
        "Review today, she has asthma, haemochromatosis runs in the family so she wants testing",
        lambda n: n.condition("asthma").condition("haemochromatosis"),
        under={"Problems": {"asthma"}, "Family history": {"haemochromatosis"}},
        not_under={"Problems": {"haemochromatosis"}},
    ),
    # another person's allergy: the allergy cue gives the husband the substance; the patient's own clause follows
    "her husband is allergic to penicillin, she takes sertraline": Placed(
        "Low mood, her husband is allergic to penicillin and she takes sertraline 50 mg daily",
        lambda n: n.condition("Low mood").med("penicillin").med("sertraline", STRENGTH="50 mg"),
        under={"Medications": {"sertraline"}, "Other people": {"penicillin"}},
        not_under={"Allergies": {"penicillin"}, "Other people": {"sertraline"}},
    ),
    # a subject pronoun of the other gender than the relation's opens the patient's clause
    "his mother has angina he has a cough": Placed(
        "Review today, his mother has angina he has a cough",
        lambda n: n.condition("angina", traits=FAMILY).condition("cough"),
        under={"Problems": {"cough"}, "Family history": {"angina"}},
        not_under={"Family history": {"cough"}},
    ),
    "dad says his mother had a stroke": Placed(
        "Review today, dad says his mother had a stroke",
        lambda n: n.condition("stroke", traits=FAMILY),
        not_under={"Problems": {"stroke"}},
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_the_patients_items_after_a_relatives_run_on_are_never_family_history(
    case: str, backend: str, form: str
) -> None:
    d = drafted(CASES[case].text, CASES[case].build, backend, form)
    check_placed(d, CASES[case])


@pytest.mark.parametrize("case", list(THEIRS), ids=list(THEIRS))
def test_a_relatives_own_items_stay_theirs(case: str, backend: str, form: str) -> None:
    d = drafted(THEIRS[case].text, THEIRS[case].build, backend, form)
    check_placed(d, THEIRS[case])


def test_what_the_words_leave_open_is_flagged_naming_the_speaker(backend: str, form: str) -> None:
    # Given a relation who speaks of "he" in a run-on
    text = "Seen with his father, dad says he is not sleeping"
    d = drafted(text, lambda n: n.condition("not sleeping"), backend, form)
    # Then the item is drafted as the patient's with a flag naming the doubt (never placed silently)
    (problem,) = [i for i in items(d, "Problems") if "not sleeping" in i.get("name", "")]
    assert problem["flags"] == ["SUBJECT_UNCLEAR"]
    assert any("dad speaks" in r for r in problem["reasons"]), problem["reasons"]


def test_a_new_dosed_line_is_flagged_naming_that_structure(backend: str, form: str) -> None:
    # Given a drug with its own dose after the brother's clause, joined to it by no "and" nor verb of taking
    text = "Asthma attack, her brother has asthma montelukast 10 mg at night, new"
    build = lambda n: n.condition("asthma", traits=FAMILY, after=10).med("montelukast", STRENGTH="10 mg")  # noqa: E731
    d = drafted(text, build, backend, form)
    # Then it is the patient's, flagged with the structure that left whose open (not "said some way after")
    (drug,) = [i for i in items(d, "Medications") if "montelukast" in i.get("name", "")]
    assert "SUBJECT_UNCLEAR" in drug["flags"]
    assert any("new dosed line after the brother's clause" in r for r in drug["reasons"]), drug["reasons"]


def test_her_own_after_her_mother_is_flagged_naming_the_words(backend: str, form: str) -> None:
    # Given "her own" after "her mother": the patient and the mother are both "her"
    text = "Review today, her mother has diabetes and her own sugars are fine on metformin 500 mg twice daily"
    build = lambda n: n.condition("diabetes", traits=FAMILY).med("metformin", STRENGTH="500 mg")  # noqa: E731
    d = drafted(text, build, backend, form)
    # Then the drug is drafted as the patient's, flagged with the words that leave whose open
    (drug,) = [i for i in items(d, "Medications") if "metformin" in i.get("name", "")]
    assert "SUBJECT_UNCLEAR" in drug["flags"]
    assert any("“her own” in the mother's clause" in r for r in drug["reasons"]), drug["reasons"]
    assert "metformin" not in names(d, "Family history")


@pytest.mark.parametrize(
    ("text", "condition", "relations"),
    [
        ("Mother and father both had strokes. He has asthma.", "strokes", ("mother", "father")),
        (
            "Her mum and her aunt both have breast cancer. She has eczema.",
            "breast cancer",
            ("mum", "aunt"),
        ),
        ("His two brothers and his sister all have gout. He has psoriasis.", "gout", ("brothers", "sister")),
        # family and other people named together; a quantifier's "of"; a recogniser's list with no "and" but a
        # determiner per name
        ("His wife and daughter have shingles. He has gout.", "shingles", ("wife", "daughter")),
        ("Both of her brothers had heart attacks. She has asthma.", "heart attacks", ("brothers",)),
        (
            "Her father her uncle and her grandmother all had glaucoma. She has eczema.",
            "glaucoma",
            ("father", "uncle", "grandmother"),
        ),
    ],
)
def test_every_relation_of_a_list_said_as_one_subject_is_named(
    backend: str, form: str, text: str, condition: str, relations: tuple[str, ...]
) -> None:
    # Given relations listed with "and" as the one subject of a condition
    build = lambda n: n.condition(condition, traits=FAMILY)  # noqa: E731
    d = drafted(text, build, backend, form)
    # Then its Family history line names every one of them, not the last alone
    (line,) = [i["text"].lower() for i in items(d, "Family history") if condition in i["text"].lower()]
    assert all(r in line.split(":")[0] for r in relations), line


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        (
            "Genetic testing today, since bowel cancer runs in the family. She has migraine.",
            "bowel cancer",
        ),
        ("Diabetes runs in her family. She has asthma.", "Diabetes"),
        ("Heart disease is in his family. He has gout.", "Heart disease"),
    ],
)
def test_a_condition_said_to_run_in_the_family_is_family_history(
    backend: str, form: str, text: str, condition: str
) -> None:
    # Given a condition said to run in the family (its owner said after it; the AWS-shaped response gives it no
    # trait)
    d = drafted(text, lambda n: n.condition(condition), backend, form)
    # Then it is under Family history, never an unflagged current problem
    assert condition.lower() in texts(d, "Family history")
    assert not [i for i in items(d, "Problems") if condition.lower() in i["text"].lower() and not i["flags"]]


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("He and his brother both have asthma. Salbutamol 100 micrograms as needed.", "asthma"),
        ("Her mother has gout. She and her sister have hay fever. Cetirizine 10 mg daily.", "hay fever"),
        ("I and my husband have had gastroenteritis. Oral rehydration salts as needed.", "gastroenteritis"),
    ],
)
def test_the_patient_named_first_in_a_list_of_people_keeps_the_condition(
    backend: str, form: str, text: str, condition: str
) -> None:
    # Given a subject that lists the patient first, then a relation ("she and her sister")
    d = drafted(text, lambda n: n.condition(condition), backend, form)
    # Then the condition is the patient's current problem, never only the relation's family history
    assert condition in names(d, "Problems")
    assert condition not in names(d, "Family history")

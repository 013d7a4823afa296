"""Draft placement (issue 15, items 1, 2 and 4): stop, other-person and conditional shapes said without the usual
cue words, negation runs in recogniser form, and flags that name the real category of a wrong item.

Every case goes through ``draft_sections`` (the code behind ``medscribe draft``), in the punctuated form and in
the recogniser form (lower case, no punctuation, numbers spoken), and checks the rule, not one output: a wrong
item is never a current fact stated without a flag naming its category; a current item is never silently placed
under Denied, Not taking, Family history or Plan and conditional.
"""

from __future__ import annotations

import pytest
from draft_cases import FORMS, Sections, draft, rows

from medscribe.evaluation.drafts import names_category
from medscribe.logic.document.sections import SectionItem, _name_elsewhere
from medscribe.textdraft import draft_sections

CURRENT = ("Problems", "Medications")


def never_current_unless_named(sections: Sections, name: str, category: str) -> None:
    """``name`` is in no current section, or is there flagged with a flag naming ``category``."""
    for title in CURRENT:
        for item in rows(sections, title, name):
            assert item["flags"], (title, item)
            assert names_category(item, category), (title, item)


def current(sections: Sections, name: str) -> None:
    """``name`` is a current item, or wherever it is, it is flagged (never silently elsewhere)."""
    if any(rows(sections, t, name) for t in CURRENT):
        return
    elsewhere = [
        i for t, items in sections.items() if t not in CURRENT for i in items if name in i["text"].lower()
    ]
    assert elsewhere, name
    assert all(i["flags"] for i in elsewhere), (name, elsewhere)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "stopped", "taken"),
    [
        (
            "She ran out of mirtazapine two weeks ago. Start sertraline 50 mg once daily.",
            "mirtazapine",
            "sertraline",
        ),
        ("Completed nitrofurantoin. Continue donepezil 10 mg at night.", "nitrofurantoin", "donepezil"),
        ("Warfarin was switched to apixaban 5 mg twice daily in March.", "warfarin", "apixaban"),
        (
            "Switched from gliclazide to sitagliptin 100 mg once daily last month.",
            "gliclazide",
            "sitagliptin",
        ),
        (
            "Treated with IV co-amoxiclav and then switched to oral doxycycline 100 mg once daily.",
            "amoxiclav",
            "doxycycline",
        ),
        (
            "The GP had started amlodipine but that has been discontinued. Ramipril 5 mg once daily.",
            "amlodipine",
            "ramipril",
        ),
        (
            "Doxazosin was started, then stopped because of dizziness. Nifedipine 30 mg once daily.",
            "doxazosin",
            "nifedipine",
        ),
        (
            "She takes apixaban 5 mg twice daily, last dose this morning, hold it pending review. Morphine 2 mg given.",
            "apixaban",
            "morphine",
        ),
        (
            "The ferrous fumarate liquid, 5 ml twice daily, was stopped last month. Continue vitamin D 800 units daily.",
            "ferrous",
            "vitamin d",
        ),
    ],
)
def test_a_drug_stopped_in_other_words_is_never_prescribed_and_the_drug_after_it_is(
    text: str, stopped: str, taken: str, form: str
) -> None:
    sections = draft(text, form)
    never_current_unless_named(sections, stopped, "stopped")
    current(sections, taken)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        "Hypertension. Amlodipine 5 mg was switched to the evening because of flushing.",
        "Intravenous furosemide was switched to oral furosemide 40 mg once daily.",
        "Ramipril was changed to 10 mg once daily.",
    ],
)
def test_a_change_of_time_route_or_dose_is_not_a_stop(text: str, form: str) -> None:
    sections = draft(text, form)
    drug = next(d for d in ("amlodipine", "furosemide", "ramipril") if d in text.lower())
    assert rows(sections, "Medications", drug), sections
    assert not [i for i in rows(sections, "Not taking", drug) if not i["flags"]]


WRONG = {
    "other person: the carer's tablets, named after them": (
        "The carer's blood pressure tablets, bendroflumethiazide, were found in her dosette box.",
        "bendroflumethiazide",
        "other person",
    ),
    "other person: his wife's tablets": (
        "His wife's atenolol tablets look like his and are kept separately.",
        "atenolol",
        "other person",
    ),
    "other person: her son's drug at home": (
        "Her son's amoxicillin is at home; she should not take it.",
        "amoxicillin",
        "other person",
    ),
    "other person: she after his wife's prescriptions": (
        "He collects his wife's prescriptions and she is on methotrexate weekly, that is not his.",
        "methotrexate",
        "other person",
    ),
    "conditional: a diagnosis to be considered": (
        "Abdominal pain for one day. Appendicitis to be considered.",
        "appendicitis",
        "conditional",
    ),
    "conditional: a drug to be considered should a value stay high": (
        "Atrial fibrillation. Digoxin to be considered should the rate stay above 110.",
        "digoxin",
        "conditional",
    ),
    "conditional: a drug with its dose to be considered": (
        "Anxiety. Propranolol 10 mg as needed to be considered.",
        "propranolol",
        "conditional",
    ),
    "conditional: should be started in case of": (
        "Eczema. Flucloxacillin should be started in case of infection.",
        "flucloxacillin",
        "conditional",
    ),
    "conditional: to be started should a symptom persist": (
        "Fever. Amoxicillin to be started should the fever persist beyond 48 hours.",
        "amoxicillin",
        "conditional",
    ),
    "conditional: only in case of": (
        "Laceration. Co-amoxiclav only in case of wound infection.",
        "amoxiclav",
        "conditional",
    ),
    "conditional: a rescue pack to be used in case of": (
        "COPD. Rescue pack of amoxicillin to be used in case of a further flare.",
        "amoxicillin",
        "conditional",
    ),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("text", "name", "category"), WRONG.values(), ids=WRONG)
def test_another_persons_or_a_planned_item_is_never_a_current_fact(
    text: str, name: str, category: str, form: str
) -> None:
    # Then it is in no current section, or is there flagged naming its category
    never_current_unless_named(draft(text, form), name, category)


THE_PATIENTS = {
    "mum gives him: the child's inhaler": (
        "Asthma in a seven-year-old. Mum gives him salbutamol 2 puffs as needed.",
        "salbutamol",
    ),
    "mum gives him: the child's antihistamine": (
        "Eczema. Mum gives him cetirizine 2.5 mg at night for the itch.",
        "cetirizine",
    ),
    "his daughter is with him: the next drug is his": (
        "Heart failure. His daughter is with him. Furosemide 40 mg each morning.",
        "furosemide",
    ),
    "a new clause ends a start whose condition comes later": (
        "Palpitations. Start bisoprolol 1.25 mg once daily. He denies syncope. If the test is positive consider an ICD.",
        "bisoprolol",
    ),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("text", "drug"), THE_PATIENTS.values(), ids=THE_PATIENTS)
def test_a_drug_the_patient_is_given_is_current_or_flagged(text: str, drug: str, form: str) -> None:
    current(draft(text, form), drug)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("no fever no rash chest clear abdomen tender in the right iliac fossa", "tender"),
        ("gestational diabetes no headaches no visual disturbance ankle swelling on both sides", "swelling"),
        ("ankle injury no bony tenderness swelling over the lateral ligament", "swelling"),
        ("copd no fever no purulent sputum breathless on exertion only", "breathless"),
        ("she denies fever cough for two days", "cough"),
        ("she denies suicidal thoughts however reports low mood", "low mood"),
        ("no cough but wheeze on both sides", "wheeze"),
    ],
)
def test_a_finding_after_a_negation_run_is_never_silently_denied(text: str, finding: str) -> None:
    # Given a recogniser's run: a negated list, then a positive finding with no cue of its own
    sections = {s["title"]: s["items"] for s in draft_sections(text)["sections"]}
    # Then the finding is a current item, or it is flagged wherever it is
    for item in rows(sections, "Denied", finding):
        assert "NEGATION_SCOPE_UNCLEAR" in item["flags"], item


def test_a_closed_recogniser_list_is_still_denied_without_a_flag() -> None:
    sections = {
        s["title"]: s["items"]
        for s in draft_sections("she denies palpitations weight loss or tremor")["sections"]
    }
    assert {i["name"] for i in sections["Denied"] if not i["flags"]} >= {
        "palpitations",
        "weight loss",
        "tremor",
    }


@pytest.mark.parametrize("form", FORMS)
def test_a_guessed_drug_name_is_flagged_naming_the_doubt(form: str) -> None:
    text = "She also takes something for migraines but couldn't remember the name, possibly sumatriptan or rizatriptan."
    sections = draft(text, form)
    for drug in ("sumatriptan", "rizatriptan"):
        for item in rows(sections, "Medications", drug):
            assert "NAME_UNCLEAR" in item["flags"]
            assert names_category(item, "unclear")


def test_a_flagged_current_item_said_in_another_section_names_that_category() -> None:
    # Given a flagged prescription row for a drug also under Not taking and under Family history
    row = SectionItem(text="warfarin", flags=["BLANK_CELL"], kind="medication", name="warfarin")
    items = {
        "Not taking": [SectionItem(text="warfarin: stopped", name="warfarin")],
        "Family history": [SectionItem(text="husband: warfarin", name="warfarin")],
        "Other people": [],
        "Plan and conditional": [],
        "Denied": [],
        "Allergies": [],
    }
    # When the sections are put together
    named_row = _name_elsewhere(row, items)
    # Then the row's flags name both categories before the blank cell (the most serious reason first)
    assert named_row.flags == ["PERTAINS_TO_FAMILY", "NOT_TAKING", "BLANK_CELL"]
    as_dict = named_row.model_dump()
    assert names_category(as_dict, "stopped")
    assert names_category(as_dict, "other person")
    # and an unflagged item is left as it is (no new flag on an item stated as fact)
    plain = SectionItem(text="warfarin 5 mg", flags=[], kind="medication", name="warfarin")
    assert _name_elsewhere(plain, items).flags == []


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "staged", "other"),
    [
        ("Background of CKD stage 4 and gout.", "ckd", "gout"),
        ("Known COPD, GOLD stage 3, and osteoarthritis.", "copd", "osteoarthritis"),
    ],
)
def test_a_stage_is_never_printed_on_the_next_condition(
    form: str, text: str, staged: str, other: str
) -> None:
    # Given a stage said after one condition and another condition after it
    sections = draft(text, form)
    # Then the next condition is never printed with that stage
    for item in rows(sections, "Problems", other):
        assert "stage" not in item["text"].lower(), item
    # And the staged condition is drafted
    assert rows(sections, "Problems", staged)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "denied", "finding"),
    [
        ("No ankle swelling, no orthopnoea, and the murmur is louder today.", ("orthopnoea",), "murmur"),
        (
            "Denies fever or night sweats, and her cough has been productive since Monday.",
            ("fever",),
            "cough",
        ),
    ],
)
def test_a_concept_opening_its_own_clause_after_a_negated_list_is_never_silently_denied(
    text: str, denied: tuple[str, ...], finding: str, form: str
) -> None:
    # Given a negated list, then ", and the <concept> is …": the concept is the subject of a clause of its own
    sections = draft(text, form)
    # Then it is never an unflagged denied item (a current problem, or flagged where a detector's negation trait
    # put it), and the list's items are still denied
    assert [i for i in rows(sections, "Denied", finding) if not i["flags"]] == [], sections
    assert rows(sections, "Problems", finding) or rows(sections, "Denied", finding), sections
    for item in denied:
        assert rows(sections, "Denied", item), sections


@pytest.mark.parametrize("form", FORMS)
def test_the_words_alone_end_a_negated_list_at_a_clause_of_its_own(form: str) -> None:
    # Given a clause of its own after a negated list, its concept marked negated by no detector trait
    sections = draft("No splinter haemorrhages, no rash, and the murmur is unchanged.", form)
    # Then the concept is a current problem
    assert rows(sections, "Problems", "murmur"), sections
    assert not rows(sections, "Denied", "murmur"), sections

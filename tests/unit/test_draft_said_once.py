"""Each problem of a draft item said once (issue 15, flag precision): a row's blank cells are one flag, and a row
flagged for a named problem gets no separate line for its blank route or frequency; no item is left unflagged."""

from __future__ import annotations

import pytest

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.logic.document.about import condition_object
from medscribe.logic.document.findings import negated_pair
from medscribe.logic.document.guards import GuardInput
from medscribe.logic.document.model import Draft, PrescriptionRow, ReviewFlag
from medscribe.logic.document.placement_guard import PLACEMENT_DOUBTED, placement_unverified
from medscribe.logic.document.said_once import said_once
from medscribe.logic.document.sections import build_sections
from medscribe.textdraft import draft_from_text


def _blank(name: str, cells: str, entity_id: int = 1) -> ReviewFlag:
    return ReviewFlag(
        kind="BLANK_CELL", subject=name, message=f"{name}: no {cells} stated", entity_id=entity_id
    )


def _draft(*flags: ReviewFlag) -> Draft:
    rows = (
        PrescriptionRow(name="amlodipine", ids=(1, 2), spans=((10, 20),), flagged=True),
        PrescriptionRow(name="metformin", ids=(5,), spans=((40, 49),), flagged=True),
    )
    return Draft(min_score=0.5, review_threshold=0.8, prescriptions=rows, flags=flags)


def test_a_row_with_no_other_flag_keeps_its_blank_cells() -> None:
    draft = _draft(_blank("amlodipine", "route or frequency"))
    assert said_once(draft).flags == draft.flags


def test_a_row_flagged_for_another_problem_drops_its_blank_route_and_frequency() -> None:
    whose = ReviewFlag(
        kind="SUBJECT_UNCLEAR", subject="amlodipine", message="whose?", begin_offset=10, end_offset=20
    )
    other_row = _blank("metformin", "route", entity_id=5)
    out = said_once(_draft(_blank("amlodipine", "route or frequency"), whose, other_row))
    assert [(f.kind, f.subject) for f in out.flags] == [
        ("SUBJECT_UNCLEAR", "amlodipine"),
        ("BLANK_CELL", "metformin"),
    ]


def test_a_blank_dose_stays_said_beside_another_flag() -> None:
    contradiction = ReviewFlag(kind="CONTRADICTION", subject="amlodipine", message="two routes", entity_id=2)
    out = said_once(_draft(_blank("amlodipine", "dose, route or frequency"), contradiction))
    assert [f.message for f in out.flags] == ["amlodipine: no dose stated", "two routes"]


def test_an_unread_form_beside_a_named_problem_is_not_a_line_of_its_own_but_an_unread_dose_is() -> None:
    unread_form = ReviewFlag(
        kind="NOT_NORMALISED", subject="XL", message="amlodipine: form “XL” could not be read", entity_id=2
    )
    unread_dose = ReviewFlag(
        kind="NOT_NORMALISED",
        subject="5 mgs",
        message="amlodipine: dose “5 mgs” could not be read",
        entity_id=2,
    )
    whose = ReviewFlag(kind="SUBJECT_UNCLEAR", subject="amlodipine", message="whose?", entity_id=1)
    out = said_once(_draft(unread_form, unread_dose, _blank("amlodipine", "route"), whose))
    assert [f.subject for f in out.flags] == ["5 mgs", "amlodipine"]
    # with no named problem the unread form stays, and the row's blank route is said by it
    alone = said_once(_draft(unread_form, _blank("amlodipine", "route")))
    assert [f.kind for f in alone.flags] == ["NOT_NORMALISED"]


@pytest.mark.parametrize(
    "text",
    [
        "Amlodipine 5 mg. Her husband takes amlodipine too.",
        "Continue metformin. Ramipril 5 mg daily, ramipril 10 mg daily mentioned by the pharmacy.",
        "Atorvastatin 20 mg daily. Tylenol 1 to 2 tablets every 6 hours as needed.",
        "Amoxicillin. Increase sertraline from 50 mg to 100 mg.",
    ],
)
def test_every_item_flagged_before_is_flagged_after(text: str) -> None:
    # Given a real draft with a separate BLANK_CELL line restored for every blank cell of every row
    _, draft = draft_from_text(text)
    restored = list(draft.flags)
    for row in draft.prescriptions:
        cells = [
            c for c, v in (("dose", row.dose), ("route", row.route), ("frequency", row.frequency)) if not v
        ]
        if cells and row.name and row.ids:
            restored.append(_blank(row.name, " or ".join(cells), entity_id=row.ids[0]))
    full = draft.model_copy(update={"flags": tuple(restored)})
    # When each problem is said once, then every item of every section is flagged exactly as before
    before, after = build_sections(full), build_sections(said_once(full))
    for sec_before, sec_after in zip(before.sections, after.sections, strict=True):
        if sec_before.title != "Needs review":
            assert [bool(i.flags) for i in sec_before.items] == [bool(i.flags) for i in sec_after.items]
    assert len(said_once(full).flags) <= len(restored)


def test_a_dose_change_printed_with_its_old_dose_names_no_doubt_about_which_dose() -> None:
    # "from 5 mg to 10 mg": the row prints "10 mg (was 5 mg: dose increased)"; both amounts are accounted for
    _, draft = draft_from_text("Increase amlodipine from 5 mg to 10 mg once daily.")
    (row,) = draft.prescriptions
    assert (row.dose_text, row.change and row.change.previous) == ("10 mg", "5 mg")
    assert [(f.kind, f.message) for f in draft.flags] == [("BLANK_CELL", "amlodipine: no route stated")]


@pytest.mark.parametrize(
    ("text", "doubted"),
    [
        ("his brother has diabetes he has had a cough for a week", ["cough"]),
        # "she" may be the sister or the patient ("her son brought her in she had …": not the son's, the patient's)
        ("her sister brought her in she had a fall and hip pain", ["fall", "hip pain"]),
    ],
)
def test_a_family_item_whose_subject_is_doubted_already_gets_no_second_placement_flag(
    text: str, doubted: list[str]
) -> None:
    normalised, draft = draft_from_text(text)
    # the item is under Family history, flagged "whose unclear" once, and no PLACEMENT_UNVERIFIED beside it
    assert [(f.kind, f.subject) for f in draft.flags] == [("SUBJECT_UNCLEAR", s) for s in doubted]
    sections = build_sections(draft)
    family = {i.name: i.flags for i in sections.section("Family history").items}
    assert all(family[s] == ["SUBJECT_UNCLEAR"] for s in doubted)
    # without that flag the placement guard does flag it: the doubt is said once, never dropped
    bare = draft.model_copy(
        update={"flags": tuple(f for f in draft.flags if f.kind not in PLACEMENT_DOUBTED)}
    )
    assert [f.subject for f in placement_unverified(GuardInput(bare, normalised))] == doubted


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ("Return if she develops ankle ", True),
        ("should he develop a tremor or ", True),
        ("come straight back if she is ", True),
        ("unless he gets ", True),
        ("if there is ", True),
        ("Return if she develops stridor at rest or ", True),
        # not the condition's object: something else said between, or no subject and verb of the condition
        ("if she has another night time hypo ", False),
        ("repeat in 10 days if normal ", False),
        ("should her mood worsen the crisis team is to be contacted start ", False),
        ("if he has another fit lasting more than 5 minutes buccal ", False),
        ("return if she develops fever cough ongoing ", False),
    ],
)
def test_a_mention_is_the_conditions_object_only_right_after_its_verb(before: str, expected: bool) -> None:
    assert condition_object(before + "item", len(before)) is expected


def test_the_object_of_a_condition_is_listed_conditional_without_a_scope_flag() -> None:
    _, draft = draft_from_text("Cough for a week. Return if she develops a fever or rigors.")
    plan = build_sections(draft).section("Plan and conditional").items
    assert plan
    assert all("fever" in i.text for i in plan)
    assert not [f for f in draft.flags if f.kind == "CONDITION_SCOPE_UNCLEAR"]
    assert [c.name for c in draft.problems] == ["Cough"]


@pytest.mark.parametrize(
    ("before", "expected"),
    [
        ("He denies palpitations or ", True),
        ("no tongue biting or ", True),
        ("She denies pain at rest or ", True),
        ("Denies chest pain, or ", True),
        # not the pair the cue opens: a list with a comma before, a finding of its own, no cue
        ("No calf swelling, recent travel or ", False),
        ("denies chest pain or claudication bit of calf ", False),
        ("she has palpitations or ", False),
    ],
)
def test_the_second_of_a_negated_pair_is_the_negations_own(before: str, expected: bool) -> None:
    assert negated_pair(before + "item", len(before)) is expected


@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
def test_a_negated_pair_is_denied_without_a_scope_flag_and_the_finding_after_it_stays_flagged(
    form: str,
) -> None:
    text = "Seizure this morning. No tongue biting or incontinence his gait is unsteady."
    _, draft = draft_from_text(text if form == "punctuated" else recogniser_form(text))
    sections = build_sections(draft)
    denied = {i.name: i.flags for i in sections.section("Denied").items}
    assert denied == {"incontinence": []}
    assert [(i.name, i.flags) for i in sections.section("Problems").items if i.name == "unsteady"] == [
        ("unsteady", ["NEGATION_SCOPE_UNCLEAR"])
    ]

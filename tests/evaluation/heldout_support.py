"""What the held-out batch tests share (PROCEDURE.md sections 2, 9 and 11): the corpus folder, the hazards every
set must cover, a draft holding nothing (every expected item an omission, so every note has findings) and the
validity checks of an entity tuning set, an entity check set and a draft check set; the readers of a batch's aims
(the drugs that are not current); and the table of every check set as written (:data:`CHECK_SETS`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medscribe.evaluation import entity_set
from medscribe.evaluation.drafts import TUNING_SPLITS, check_notes, load_notes
from medscribe.evaluation.report import splits_of

DRAFTS = Path(__file__).resolve().parents[2] / "corpus" / "drafts"
# PROCEDURE.md section 2: the hazards every set must cover
HAZARDS = {
    "family",
    "other_person",
    "hypothetical",
    "dose_change",
    "range",
    "taper",
    "negation",
    "negation_unpunctuated",
    "allergy",
    "stopped",
    "look_alike",
    "sound_alike",
    "fraction",
    "unclear",
}


# the expectation lists of the headings other than a current problem or drug (denied, family, conditional, not taking,
# allergy): a note saying an item under one of them beside a current item can show an omission or a misplaced item
OTHER_HEADINGS = ("denied", "family_history", "conditional", "not_taking", "allergies")
# a time reference of a symptom that recurs at a habitual time ("at night", "most afternoons", "mid-morning", "each
# evening")
HABITUAL = {"every", "each", "most", "night", "mornings", "afternoons", "evenings", "mid-morning"}


def _words(text: str) -> str:
    return " " + " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split()) + " "


def not_current(note: dict[str, Any]) -> list[str]:
    """The note's MEDICATION references that name none of its current prescriptions (a drug held before a procedure
    is not current): a stopped, tried, held, retracted, conditional, allergy, another person's or unclear drug, a
    class said in passing."""
    expect = note["expect"]
    held = {_words(f["name"]) for f in expect["forbidden"] if f["why"] == "held"}
    current = [_words(m["name"]) for m in expect["medications"] if _words(m["name"]) not in held]
    return [
        e["text"]
        for e in expect["entities"]
        if e["category"] == "MEDICATION"
        and not any(_words(e["text"]) in c or c in _words(e["text"]) for c in current)
    ]


def empty_draft(_: str) -> dict[str, Any]:
    """A draft holding nothing: every expected item of every note is an omission (a finding per note)."""
    return {"sections": [{"title": "Needs review", "items": [{"text": "Nothing flagged", "flags": []}]}]}


def assert_entity_tuning_split(notes: list[dict[str, Any]], split: str) -> None:
    """A stored entity tuning set is valid: recogniser forms derived from its texts, offsets giving its texts, every
    note of ``split`` (its own column), at least 24 notes, the procedure's specialties in turn."""
    assert len(notes) >= 24
    assert check_notes(notes) == []
    assert entity_set.check(notes) == []
    assert {n["split"] for n in notes} == {split}
    assert splits_of(notes) == ("dev", "final", split)
    specialties = ["cardiology", "diabetes", "psychiatry", "paediatrics", "emergency", "discharge", "gp"]
    assert [n["specialty"] for n in notes[:7]] == specialties


def draft_check_set(name: str, *, at_least: int = 0) -> list[dict[str, Any]]:
    """The notes of a draft check set (``corpus/drafts/<name>``), checked: recogniser forms derived from their texts,
    split "tuning" (no scorer treats it as held out), in no tuning split (so no tuning script reads or itemises it),
    at least ``at_least`` notes."""
    notes = load_notes(DRAFTS / name)
    assert check_notes(notes) == []
    assert {n["split"] for n in notes} == {"tuning"}
    assert len(notes) >= at_least
    assert all(Path(p).name != name for p in TUNING_SPLITS.values())
    return notes


def entity_check_set(path: Path, *, at_least: int) -> list[dict[str, Any]]:
    """The notes of an entity check set, checked: recogniser forms and offsets derived from their texts, entity-only
    (:func:`entity_set.check`), split "tuning" (no scorer treats it as held out), at least ``at_least`` notes."""
    notes = load_notes(path)
    assert check_notes(notes) == []
    assert entity_set.check(notes) == []
    assert {n["split"] for n in notes} == {"tuning"}
    assert len(notes) >= at_least
    return notes


@dataclass(frozen=True)
class CheckSet:
    """What one stored check set holds, as written (a check set is committed before the change it measures and never
    changed after): the rows of :data:`CHECK_SETS`, read by test_check_sets.py beside the rules every check set keeps
    (recogniser forms derived from the texts, split "tuning", outside every tuning split)."""

    notes: int  # exactly this many
    entity_only: bool = False  # an entity check set (:func:`entity_check_set`), else a draft check set
    references: dict[str, int] = field(default_factory=dict)  # entity references per category, exactly
    one_specialty_a_note: bool = False
    specialties_in_turn: bool = False  # the procedure's seven specialties, in turn
    specialties_among: frozenset[str] = frozenset()  # specialties the set's notes include
    # expectation lists every note fills: at least one list of each group
    each_note: tuple[tuple[str, ...], ...] = ()
    references_only: str = ""  # every note references this category and no other (a draft set's references)
    known_whys: bool = False  # every forbidden fact has a category the scorer knows (WHY_CATEGORY)
    # notes each hazard is in, at least; a tuple of hazards: the notes of all of them together
    hazards: dict[str | tuple[str, ...], int] = field(default_factory=dict)
    dates_every_owner: bool = False  # every reference is a time dating an entity; every kind of owner dated
    # words of a note said of no medical event (a habit, a schedule, a number): no reference starts in them
    no_reference: dict[str, str] = field(default_factory=dict)


def _each(hazards: tuple[str, ...], least: int) -> dict[str | tuple[str, ...], int]:
    return dict.fromkeys(hazards, least)


PROBLEM_AND_DRUG = (("problems",), ("medications",))
FIVE_SPECIALTIES = frozenset(("cardiology", "diabetes", "psychiatry", "paediatrics", "gp"))
CHECK_SETS = {
    # entity check sets (PROCEDURE.md: the section of each); the first three written with the tuning sets of
    # test_tuning_ner4_med.py, test_tuning_ner5_anat.py and test_tuning_ner5_cond.py
    "check_ner4_med.jsonl": CheckSet(12, True, {"MEDICATION": 70}, specialties_among=FIVE_SPECIALTIES),
    "check_ner5_anat.jsonl": CheckSet(10, True, {"ANATOMY": 29, "MEDICATION": 11, "TIME_EXPRESSION": 18}),
    "check_ner5_cond.jsonl": CheckSet(
        12, True, {"MEDICAL_CONDITION": 85}, specialties_among=FIVE_SPECIALTIES
    ),
    "check_ner6_time.jsonl": CheckSet(14, True, {"ANATOMY": 39, "TIME_EXPRESSION": 50}),
    "check_ner6_cond.jsonl": CheckSet(17, True, {"MEDICAL_CONDITION": 148}, one_specialty_a_note=True),
    "check_ner6_med.jsonl": CheckSet(14, True, {"MEDICATION": 100}, specialties_in_turn=True),
    "check_ner7_cond.jsonl": CheckSet(16, True, {"MEDICAL_CONDITION": 121}, one_specialty_a_note=True),
    # the tuning set written with check_ner7_cond (section 28), kept to the same rules
    "tuning_ner7_cond.jsonl": CheckSet(18, True, {"MEDICAL_CONDITION": 136}, one_specialty_a_note=True),
    "check_ner9_cond.jsonl": CheckSet(14, True, {"MEDICAL_CONDITION": 127}, one_specialty_a_note=True),
    "check_ner9_time.jsonl": CheckSet(14, True, {"TIME_EXPRESSION": 61}),
    "check_ner10_anat.jsonl": CheckSet(14, True, {"ANATOMY": 49, "TIME_EXPRESSION": 41}),
    "check_timeform10.jsonl": CheckSet(14, True, {"TIME_EXPRESSION": 57}),
    "check_anat11.jsonl": CheckSet(12, True, {"ANATOMY": 36}),
    "check_timelink11.jsonl": CheckSet(
        12,
        True,
        {"TIME_EXPRESSION": 42},
        dates_every_owner=True,
        no_reference={
            "k01-gastro": "moved to a new flat last month",
            "k03-cardiology": "came with him today",
            "k09-paediatrics": "sent him home on Tuesday",
            "k10-psychiatry": "back to work on Monday",
            "k11-urology": "cruise next month",
            "k07-respiratory": "on the first day, then 100 mg daily for a further four days",
        },
    ),
    "check_site12.jsonl": CheckSet(12, True, {"ANATOMY": 31}),
    "check_anat13.jsonl": CheckSet(
        12, True, {"ANATOMY": 16, "MEDICAL_CONDITION": 36}, one_specialty_a_note=True
    ),
    "check_anat13b.jsonl": CheckSet(10, True, {"ANATOMY": 19}, one_specialty_a_note=True),
    "check_time12.jsonl": CheckSet(
        12,
        True,
        {"TIME_EXPRESSION": 45},
        dates_every_owner=True,
        no_reference={
            "t01-respiratory": "sees her grandparents at weekends",
            "t03-orthopaedics": "ward 7, bed 14",
            "t06-psychiatry": "PHQ-9 score 17",
            "t08-urology": "drives a taxi most nights",
            "t10-gynaecology": "works 3 days a week",
            "t12-elderly": "plays bingo on Fridays",
        },
    ),
    "check_time13.jsonl": CheckSet(
        12,
        True,
        {"TIME_EXPRESSION": 41},
        dates_every_owner=True,
        no_reference={
            "u01-cardiology": "He retired 2 years ago",
            "u03-respiratory": "the lift has been broken for a month",
            "u04-paediatrics": "She had croup at 18 months",
            "u06-psychiatry": "works 3 night shifts a week",
            "u07-neurology": "no more than 2 doses in 24 hours",
            "u08-rheumatology": "once a week on Mondays",
            "u09-dermatology": "then once a day for a week",
            "u10-urology": "He goes fishing every weekend",
            "u12-renal": "Fluid limit 1.5 litres a day",
        },
    ),
    # draft check sets scored on their references (condition recall, medication precision)
    "check_condrec10.jsonl": CheckSet(10, references={"MEDICAL_CONDITION": 63}, one_specialty_a_note=True),
    "check_ner10_cond.jsonl": CheckSet(15, references={"MEDICAL_CONDITION": 83}, one_specialty_a_note=True),
    "check_medprec10.jsonl": CheckSet(14, references={"MEDICATION": 41}, specialties_in_turn=True),
    "check_condname11.jsonl": CheckSet(12, references={"MEDICAL_CONDITION": 76}, one_specialty_a_note=True),
    "check_condrec12.jsonl": CheckSet(12, references={"MEDICAL_CONDITION": 77}, one_specialty_a_note=True),
    "check_condrec13.jsonl": CheckSet(12, references={"MEDICAL_CONDITION": 96}, one_specialty_a_note=True),
    # draft check sets
    "check_runon8.jsonl": CheckSet(
        22,
        each_note=(("problems", "medications"),),
        hazards=_each(("negation_unpunctuated", "family", "hypothetical", "stopped"), 3),
    ),
    "check_omit9.jsonl": CheckSet(20, each_note=(("problems",),)),
    "check_vitals9.jsonl": CheckSet(
        22, hazards={"abnormal_value": 10, "normal_value": 4, "value_unclear": 2, "child": 2}
    ),
    "check_selfcorr9.jsonl": CheckSet(
        45,
        known_whys=True,
        hazards={
            **_each(("xs_name", "xs_dose", "xs_condition", "xs_side", "xs_frequency", "retract_only"), 3),
            ("unclear_two", "unclear_type"): 4,
        },
    ),
    "check_b9dev.jsonl": CheckSet(
        13,
        each_note=(("problems", "medications"), ("forbidden", "denied")),
        hazards=_each(
            (
                "unclear_alternative",
                "unclear_whether",
                "other_person_noun",
                "negation_then_clause",
                "record_contrast_after",
            ),
            2,
        ),
    ),
    "check_b10dev.jsonl": CheckSet(
        10,
        each_note=PROBLEM_AND_DRUG,
        hazards=_each(("site_condition", "unknown_brand_count", "lay_after_condition"), 3),
    ),
    "check_weak10.jsonl": CheckSet(
        16,
        each_note=(("problems",), ("medications", "forbidden")),
        hazards=_each(
            (
                "loading_dose",
                "past_reaction",
                "percent_strength",
                "fraction_said",
                "allergy_class",
                "hypothetical_blank",
                "two_cues",
            ),
            2,
        ),
    ),
    "check_b11dev.jsonl": CheckSet(
        14,
        each_note=PROBLEM_AND_DRUG,
        hazards=_each(
            (
                "intro_with",
                "possessive_site",
                "family_after",
                "structure_state",
                "now_with",
                "outcome_then_drug",
            ),
            2,
        ),
    ),
    "check_weak11.jsonl": CheckSet(
        16,
        each_note=(("problems",), ("forbidden",)),
        hazards=_each(
            (
                "given_procedure",
                "doses_from_crew",
                "allergy_contraindication",
                "allergen_as_row",
                "restart_later",
                "last_mention_stop",
            ),
            2,
        ),
    ),
    "check_place11.jsonl": CheckSet(
        16,
        each_note=(("medications",),),
        known_whys=True,
        hazards=_each(("past_cue_after", "now_after_past", "resolved_after", "ing_form"), 3),
    ),
    "check_b12dev.jsonl": CheckSet(
        12,
        each_note=PROBLEM_AND_DRUG,
        references_only="MEDICATION",
        hazards=_each(("resolved_phrase", "past_until", "shape_modifier", "salt_name"), 3),
    ),
    "check_medprec12.jsonl": CheckSet(
        14,
        each_note=(("medications",), ("forbidden",)),
        references_only="MEDICATION",
        hazards=_each(
            (
                "drug_in_name",
                "class_in_passing",
                "given_once",
                "stopped",
                "other_person",
                "allergy",
                "not_started",
            ),
            2,
        ),
    ),
    "check_medprec13.jsonl": CheckSet(
        24,
        each_note=(("medications",), ("forbidden",)),
        references_only="MEDICATION",
        known_whys=True,
        hazards={
            "susceptibility": 6,
            "test_kind": 6,
            "allergy_guard": 2,
            "swap": 2,
            "no_effect": 3,
            "cannot_tolerate": 2,
            "gave_up": 2,
            "condition_word": 4,
        },
    ),
    "check_people12.jsonl": CheckSet(
        16,
        each_note=(("medications",),),
        known_whys=True,
        hazards={
            "coordinated_subject": 5,
            "question_answer": 6,
            "retracted_allergen": 2,
            ("allergy_other_speaker", "allergy_other_person"): 2,
        },
    ),
    "check_people13.jsonl": CheckSet(  # session 16: planned, declined, corrected allergy lists
        16,
        each_note=(("medications",),),
        known_whys=True,
        hazards={
            "planned_drug": 6,
            "declined_drug": 3,
            ("corrected_allergy_list", "retracted_nkda"): 4,
            "current_with_future_review": 2,
        },
    ),
    "check_b13dev.jsonl": CheckSet(  # session 16: batch13-dev's silent errors, by cause
        13,
        each_note=PROBLEM_AND_DRUG,
        references_only="MEDICATION",
        hazards=_each(("resolved_after_date", "state_before_test", "filler_list", "answer_then_question"), 3),
    ),
}

"""Allergies and conditional holds in the draft, read from the transcript whatever the entity backend says.

Every phrase is drafted twice: from a hand-built DetectEntitiesV2 response (offsets into the text, traits as a
backend might give them: none for an allergy, NEGATION or HYPOTHETICAL for a hold) and from the offline
detector's own response. A drug the patient is allergic to is never in the prescription table. The reader of one
mention's context: test_draft_mention_context.py; the rendered PDF: test_draft_allergy_pdf.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from draft_notes import Note

from medscribe.logic.document import Draft, build_draft
from medscribe.logic.document.allergies import ALLERGY_REASON
from medscribe.offline.ner import OfflineEntityDetector
from medscribe.shapes import DetectEntitiesV2Response

Drug = tuple[str, int, dict[str, float], dict[str, str]]  # text, occurrence, traits, attributes


@dataclass(frozen=True)
class Case:
    text: str
    drugs: tuple[Drug, ...]  # the hand-built response's MEDICATION entities
    prescribed: dict[str, tuple[str, ...]]  # row name -> its "hold …" qualifiers
    allergic: frozenset[str] = frozenset()  # drugs shown as allergies
    notes: dict[str, str] = field(default_factory=dict)  # other "Not taking" drugs -> reason
    flags: dict[str, int] = field(default_factory=dict)  # ALLERGY_CONFLICT / CONDITIONAL_HOLD counts


NEG = {"NEGATION": 0.86}
CASES = {
    "allergic to": Case(
        "Patient is allergic to penicillin. Continue lisinopril 10 mg daily.",
        (("penicillin", 0, {}, {}), ("lisinopril", 0, {}, {"STRENGTH": "10 mg", "FREQUENCY": "daily"})),
        {"lisinopril": ()},
        frozenset({"penicillin"}),
    ),
    "allergy to": Case(
        "Allergy to sulfamethoxazole. Takes metformin 500 mg twice daily.",
        (("sulfamethoxazole", 0, {}, {}), ("metformin", 0, {}, {"STRENGTH": "500 mg"})),
        {"metformin": ()},
        frozenset({"sulfamethoxazole"}),
    ),
    "allergies: list": Case(
        "Allergies: penicillin, codeine. Takes aspirin 81 mg daily.",
        (("penicillin", 0, {}, {}), ("codeine", 0, {}, {}), ("aspirin", 0, {}, {"STRENGTH": "81 mg"})),
        {"aspirin": ()},
        frozenset({"penicillin", "codeine"}),
    ),
    "X allergy": Case(  # Comprehend-like: the drug is a MEDICATION; offline: "Penicillin allergy" a condition
        "Penicillin allergy. Takes aspirin 81 mg daily.",
        (("Penicillin", 0, {}, {}), ("aspirin", 0, {}, {"STRENGTH": "81 mg"})),
        {"aspirin": ()},
        frozenset({"penicillin"}),
    ),
    "X intolerance": Case(
        "Codeine intolerance. Takes aspirin 81 mg daily.",
        (("Codeine", 0, {}, {}), ("aspirin", 0, {}, {"STRENGTH": "81 mg"})),
        {"aspirin": ()},
        frozenset({"codeine"}),
    ),
    "intolerant of": Case(
        "Intolerant of codeine. Start ibuprofen 400 mg by mouth as needed.",
        (("codeine", 0, {}, {}), ("ibuprofen", 0, {}, {"STRENGTH": "400 mg"})),
        {"ibuprofen": ()},
        frozenset({"codeine"}),
    ),
    "reaction to": Case(
        "Had a reaction to amoxicillin last year.",
        (("amoxicillin", 0, {"PAST_HISTORY": 0.8}, {}),),
        {},
        frozenset({"amoxicillin"}),
    ),
    "NKDA": Case(
        "NKDA. Takes lisinopril 10 mg daily.",
        (("lisinopril", 0, {}, {"STRENGTH": "10 mg"}),),
        {"lisinopril": ()},
    ),
    "no known drug allergies": Case(
        "No known drug allergies, takes lisinopril 10 mg daily.",
        (("lisinopril", 0, {}, {"STRENGTH": "10 mg"}),),
        {"lisinopril": ()},
    ),
    "allergy then another drug in the sentence": Case(
        "Allergic to penicillin, continue amoxicillin 500 mg three times daily.",
        (("penicillin", 0, {}, {}), ("amoxicillin", 0, {}, {"STRENGTH": "500 mg"})),
        {"amoxicillin": ()},
        frozenset({"penicillin"}),
    ),
    "allergy and taken: contradiction": Case(
        "Allergic to aspirin. Takes aspirin 81 mg daily.",
        (("aspirin", 0, {}, {}), ("aspirin", 1, {}, {"STRENGTH": "81 mg"})),
        {},
        frozenset({"aspirin"}),
        flags={"ALLERGY_CONFLICT": 1},
    ),
    "allergy under another spelling": Case(
        "Allergic to penicillin. Start penicillin V 500 mg by mouth daily.",
        (("penicillin", 0, {}, {}), ("penicillin V", 0, {}, {"STRENGTH": "500 mg"})),
        {},
        frozenset({"penicillin", "penicillin v"}),
        flags={"ALLERGY_CONFLICT": 1},
    ),
    "NKDA and an allergy": Case(
        "NKDA. Allergic to codeine.",
        (("codeine", 0, {}, {}),),
        {},
        frozenset({"codeine"}),
        flags={"ALLERGY_CONFLICT": 1},
    ),
    "allergies with an exception": Case(
        "No known drug allergies except codeine. Takes aspirin 81 mg daily.",
        (("codeine", 0, NEG, {}), ("aspirin", 0, {}, {"STRENGTH": "81 mg"})),
        {"aspirin": ()},
        frozenset({"codeine"}),
    ),
    "allergy denied": Case(
        "Not allergic to penicillin.",
        (("penicillin", 0, NEG, {}),),
        {},
        notes={"penicillin": "allergy denied"},
    ),
    "conditional hold beside the prescription": Case(
        "Hold metformin if eGFR below 30. Continue metformin 500 mg twice daily.",
        (("metformin", 0, {"HYPOTHETICAL": 0.7}, {}), ("metformin", 1, {}, {"STRENGTH": "500 mg"})),
        {"metformin": ("hold if eGFR below 30",)},
        flags={"CONDITIONAL_HOLD": 1},
    ),
    "conditional hold alone": Case(
        "Hold aspirin for 5 days before surgery.",
        (("aspirin", 0, NEG, {"DURATION": "for 5 days"}),),
        {"aspirin": ("hold for 5 days before surgery",)},
        flags={"CONDITIONAL_HOLD": 1},
    ),
    "conditional hold of two drugs": Case(
        "Hold metformin and lisinopril for 2 days after contrast.",
        (("metformin", 0, NEG, {}), ("lisinopril", 0, NEG, {})),
        {"metformin": ("hold for 2 days after contrast",), "lisinopril": ("hold for 2 days after contrast",)},
        flags={"CONDITIONAL_HOLD": 2},
    ),
    "plain hold": Case(
        "Hold lisinopril.",
        (("lisinopril", 0, NEG, {}),),
        {},
        notes={"lisinopril": "on hold"},
    ),
    "hold for now": Case(
        "Hold lisinopril for now.",
        (("lisinopril", 0, {}, {}),),  # no trait at all: still not prescribed
        {},
        notes={"lisinopril": "on hold"},
    ),
}


def hand_built(case: Case) -> dict[str, Any]:
    note = Note(case.text)
    for text, occurrence, traits, attributes in case.drugs:
        note.drug(text, occurrence=occurrence, traits=traits, attributes=attributes)
    return note.response


@pytest.fixture(scope="module")
def detector() -> OfflineEntityDetector:
    return OfflineEntityDetector()


ALLERGY_PROBLEM = re.compile(r"^(.+?)\s+(?:allergy|intolerance)$", re.IGNORECASE)


def shown_as_allergy(draft: Draft) -> set[str]:
    """Drugs the draft shows as allergies: "Not taking" notes with the ALLERGY reason, "X allergy" problems,
    and (issue 15) the Allergies section, where an "X allergy" condition now goes instead of Problems."""
    notes = {n.name.lower() for n in draft.not_taking if n.reason.startswith(ALLERGY_REASON)}
    problems = {m[1].lower() for p in draft.problems if (m := ALLERGY_PROBLEM.match(p.name))}
    return notes | problems | {a.name for a in draft.allergies}


def check(case: Case, draft: Draft) -> None:
    rows = {r.name.lower(): r for r in draft.prescriptions}
    assert {
        n: tuple(q for q in r.qualifiers if q.startswith("hold")) for n, r in rows.items()
    } == case.prescribed
    assert not set(rows) & case.allergic, "an allergen is in the prescription table"
    assert shown_as_allergy(draft) == set(case.allergic)
    others = {n.name.lower(): n.reason for n in draft.not_taking if not n.reason.startswith(ALLERGY_REASON)}
    assert set(others) == set(case.notes)
    for name, reason in case.notes.items():
        assert others[name].startswith(reason), others[name]
    counted = {k: sum(f.kind == k for f in draft.flags) for k in ("ALLERGY_CONFLICT", "CONDITIONAL_HOLD")}
    assert counted == {"ALLERGY_CONFLICT": 0, "CONDITIONAL_HOLD": 0, **case.flags}
    for name, holds in case.prescribed.items():
        if holds:  # a held row is always marked for review
            assert rows[name].flagged
            assert rows[name].label.endswith("[REVIEW]")


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_phrase_with_a_hand_built_detect_entities_v2_response(case: Case) -> None:
    # Given a DetectEntitiesV2 response whose offsets point into the transcript
    response = hand_built(case)
    DetectEntitiesV2Response.model_validate(response)
    for e in response["Entities"]:
        assert case.text[e["BeginOffset"] : e["EndOffset"]] == e["Text"]
    # When the draft is built, Then rows, allergies, notes and flags are as expected
    check(case, build_draft(response, case.text))


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_phrase_with_the_offline_detector(case: Case, detector: OfflineEntityDetector) -> None:
    # Given the offline detector's response (no ALLERGY trait; "hold X" comes back as NEGATION)
    response = detector.detect_entities(case.text)
    # When the draft is built, Then it says the same as with the hand-built response
    check(case, build_draft(response, case.text))


def test_allergy_cases_rely_on_the_transcript_not_on_traits() -> None:
    # Given the hand-built allergy cases whose allergens carry no trait that keeps a drug out of the table
    untraited = [
        case
        for case in CASES.values()
        if case.allergic
        and all(not e["Traits"] for e in hand_built(case)["Entities"] if e["Text"].lower() in case.allergic)
    ]
    # Then most allergy cases are of that kind: they test the context reading, not the traits
    assert len(untraited) >= 10
    allergens = {n for c in untraited for n in c.allergic}
    assert {"penicillin", "codeine", "aspirin", "sulfamethoxazole"} <= allergens


def test_allergy_is_read_even_when_the_offsets_do_not_point_at_the_drug() -> None:
    # Given "allergic to penicillin" whose entity offsets are shifted (a response for a re-normalised text)
    case = CASES["allergic to"]
    response = hand_built(case)
    response["Entities"][0]["BeginOffset"] += 3
    response["Entities"][0]["EndOffset"] += 3
    # When drafted, Then penicillin (found by its text) is still an allergy, not a prescription
    draft = build_draft(response, case.text)
    assert [r.name for r in draft.prescriptions] == ["lisinopril"]
    assert shown_as_allergy(draft) == {"penicillin"}


def test_hold_condition_attributes_are_not_the_row_duration() -> None:
    # Given "Hold aspirin for 5 days before surgery" with "for 5 days" linked as the drug's DURATION
    case = CASES["conditional hold alone"]
    (row,) = build_draft(hand_built(case), case.text).prescriptions
    # Then the row's duration is not stated (the 5 days are the hold's) and the hold is shown whole
    assert row.duration == ()
    assert row.qualifiers[-1] == "hold for 5 days before surgery"


def test_allergy_conflict_flag_quotes_the_allergy_and_points_at_the_taken_mention() -> None:
    case = CASES["allergy and taken: contradiction"]
    draft = build_draft(hand_built(case), case.text)
    (flag,) = [f for f in draft.flags if f.kind == "ALLERGY_CONFLICT"]
    assert "“Allergic to aspirin”" in flag.message
    assert case.text[flag.begin_offset : flag.end_offset] == "aspirin"  # type: ignore[misc]
    assert flag.begin_offset == case.text.index("Takes aspirin") + len("Takes ")
    (note,) = draft.not_taking
    assert note.reason == f"{ALLERGY_REASON}; also mentioned as taken: check"
    assert len(note.evidence) == 2


@pytest.mark.parametrize(
    "said", ["Warfarin held for the procedure.", "warfarin is on hold", "Warfarin was held."]
)
def test_a_drug_said_held_after_its_name_is_not_prescribed(said: str) -> None:
    # (issue 15) "X held" says the hold after the drug: it is a "Not taking" note, never a prescription row
    note = Note(said)
    note.drug(said.split()[0])
    draft = build_draft(note.response, note.text)
    assert draft.prescriptions == ()
    assert [n.reason for n in draft.not_taking] == ["on hold: not prescribed"]

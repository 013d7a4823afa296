"""Nothing lost silently (issue 15 item 7) and "Nothing flagged" only when every guard ran (item 3 of the
guards brief), through build_draft."""

from __future__ import annotations

from typing import Any

import pytest
from draft_notes import Note, clonidine_note

from medscribe.logic.document import build_draft
from medscribe.logic.document import guards as guard_registry
from medscribe.logic.document.guards import run_guards
from medscribe.logic.document.not_captured import drug_match
from medscribe.shapes import TranscriptItem


def _kinds(draft: Any, kind: str) -> list[Any]:
    return [f for f in draft.flags if f.kind == kind]


def test_a_drug_named_in_the_transcript_with_no_row_is_flagged_not_captured() -> None:
    # Given a transcript that names metformin, which the detector missed
    text = "Continue lisinopril 10 mg daily. Also takes metformin with meals."
    n = Note(text).drug("lisinopril", attributes={"STRENGTH": "10 mg", "FREQUENCY": "daily"})
    # When the draft is built
    draft = build_draft(n.response, text)
    # Then metformin is flagged as a possible medication not captured, lisinopril is not
    (flag,) = _kinds(draft, "POSSIBLE_MEDICATION_NOT_CAPTURED")
    assert flag.subject == "metformin"
    assert text[flag.begin_offset : flag.end_offset] == "metformin"
    assert not draft.nothing_flagged


def test_a_misheard_drug_name_is_matched_fuzzily() -> None:
    text = "Continue metforming 500 mg twice a day."
    draft = build_draft(Note(text).response, text)
    (flag,) = _kinds(draft, "POSSIBLE_MEDICATION_NOT_CAPTURED")
    assert "metFORMIN" in flag.message


@pytest.mark.parametrize("word", ["insulting", "concert", "singular", "ambient", "aspiring", "methane"])
def test_ordinary_words_close_to_a_drug_name_are_not_drugs(word: str) -> None:
    assert drug_match(word) is None


def test_a_drug_the_draft_holds_elsewhere_is_not_flagged() -> None:
    text = "Patient is not taking warfarin."
    n = Note(text).drug("warfarin", traits={"NEGATION": 0.95})
    assert _kinds(build_draft(n.response, text), "POSSIBLE_MEDICATION_NOT_CAPTURED") == []


def _allergy_kept(draft: Any, substance: str) -> bool:
    """The substance is in the draft's Allergies section (the draft's own allergy reader found it)."""
    return any(substance.lower() in f"{a.substance} {a.name}".lower() for a in draft.allergies)


def test_an_allergy_is_never_lost_silently() -> None:
    # An allergy the detector did not return as an entity: the draft's Allergies section holds it, or the
    # guard flags it; never neither
    text = "She is allergic to sulfa drugs. Continue lisinopril 10 mg daily."
    n = Note(text).drug("lisinopril", attributes={"STRENGTH": "10 mg"})
    draft = build_draft(n.response, text)
    flagged = [f.subject for f in _kinds(draft, "POSSIBLE_ALLERGY_NOT_CAPTURED")]
    assert _allergy_kept(draft, "sulfa") or flagged == ["sulfa"]


def test_an_allergy_word_in_no_item_is_flagged() -> None:
    # Given a draft that (as a stored or older draft might) holds no Allergies item for the statement
    text = "She is allergic to sulfa drugs. Continue lisinopril 10 mg daily."
    n = Note(text).drug("lisinopril", attributes={"STRENGTH": "10 mg"})
    draft = build_draft(n.response, text).model_copy(update={"allergies": (), "flags": ()})
    (flag,) = _kinds(run_guards(draft, text), "POSSIBLE_ALLERGY_NOT_CAPTURED")
    assert flag.subject == "sulfa"


def test_no_known_drug_allergies_raises_no_allergy_flag() -> None:
    text = "No known drug allergies. Continue lisinopril 10 mg daily."
    n = Note(text).drug("lisinopril", attributes={"STRENGTH": "10 mg"})
    assert _kinds(build_draft(n.response, text), "POSSIBLE_ALLERGY_NOT_CAPTURED") == []


def test_a_clean_draft_where_every_guard_ran_says_nothing_flagged() -> None:
    text = "Continue lisinopril 10 mg by mouth daily."
    n = Note(text).drug(
        "lisinopril", attributes={"STRENGTH": "10 mg", "ROUTE_OR_MODE": "by mouth", "FREQUENCY": "daily"}
    )
    draft = build_draft(n.response, text)
    assert draft.flags == ()
    assert set(draft.guards_run) == set(guard_registry.GUARDS)
    assert draft.nothing_flagged


def test_a_guard_that_raises_is_its_own_flag_and_the_draft_never_says_nothing_flagged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a guard that fails on this draft
    def broken(_: Any) -> list[Any]:
        raise ValueError("boom")

    monkeypatch.setitem(guard_registry.GUARDS, "look_alike", broken)
    text = "Continue lisinopril 10 mg by mouth daily."
    n = Note(text).drug(
        "lisinopril", attributes={"STRENGTH": "10 mg", "ROUTE_OR_MODE": "by mouth", "FREQUENCY": "daily"}
    )
    # When the draft is built
    draft = build_draft(n.response, text)
    # Then the failure is a Needs-review item, the guard is not recorded as run, and no "Nothing flagged"
    (flag,) = _kinds(draft, "GUARD_NOT_RUN")
    assert "look alike" in flag.message
    assert "ValueError" in flag.message
    assert "look_alike" not in draft.guards_run
    assert not draft.nothing_flagged


def test_audio_words_without_confidences_skip_the_asr_guards_visibly() -> None:
    text = "Continue lisinopril 10 mg by mouth daily."
    items = [
        TranscriptItem.model_validate(
            {"type": "pronunciation", "alternatives": [{"confidence": "n/a", "content": w}]}
        )
        for w in text.split()
    ]
    n = Note(text).drug(
        "lisinopril", attributes={"STRENGTH": "10 mg", "ROUTE_OR_MODE": "by mouth", "FREQUENCY": "daily"}
    )
    draft = build_draft(n.response, text, asr_items=items)
    skipped = {f.subject for f in _kinds(draft, "GUARD_NOT_RUN")}
    assert {"look_alike", "sound_alike", "intelligibility"} <= skipped
    assert not draft.nothing_flagged


def test_a_stored_draft_without_guards_run_never_says_nothing_flagged() -> None:
    draft = build_draft(clonidine_note().response, clonidine_note().text)
    stored = draft.model_copy(update={"flags": (), "guards_run": ()})
    assert not stored.nothing_flagged


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She has allergies to penicillin. Continue lisinopril 10 mg daily.", "penicillin"),
        ("Sulfa allergy. Continue lisinopril 10 mg daily.", "Sulfa"),
        ("Codeine gave her hives. Continue lisinopril 10 mg daily.", "Codeine"),
        ("She has seasonal allergies. Continue lisinopril 10 mg daily.", None),
        ("The rash gave her hives. Continue lisinopril 10 mg daily.", None),
    ],
)
def test_allergy_statements_name_their_substance(text: str, expected: str | None) -> None:
    n = Note(text).drug("lisinopril", attributes={"STRENGTH": "10 mg"})
    draft = build_draft(n.response, text)
    subjects = [f.subject for f in _kinds(draft, "POSSIBLE_ALLERGY_NOT_CAPTURED")]
    if expected is None:
        assert subjects == []
        assert not draft.allergies
    else:  # kept in the Allergies section, or flagged: never lost silently
        assert _allergy_kept(draft, expected) or subjects == [expected]


@pytest.mark.parametrize(
    ("text", "substance"),
    [
        ("He reacts badly to amoxicillin with hives. Continue metformin 500 mg twice daily.", "amoxicillin"),
        ("she cannot take ibuprofen because it gives her wheeze", "ibuprofen"),
    ],
)
def test_an_allergy_said_another_way_is_never_only_a_prescription(text: str, substance: str) -> None:
    # Given an allergy said in words the draft's allergy reader may not know, through the text draft path
    from medscribe.textdraft import draft_from_text

    _, draft = draft_from_text(text)
    # Then the substance is among the draft's allergies, or a flag names it (saying where the draft put it)
    flagged = [f for f in _kinds(draft, "POSSIBLE_ALLERGY_NOT_CAPTURED") if f.subject.lower() == substance]
    assert _allergy_kept(draft, substance) or flagged
    if flagged and any(r.name.lower() == substance for r in draft.prescriptions):
        assert "prescription draft" in flagged[0].message


@pytest.mark.parametrize(
    "text",
    [
        "She is not allergic to penicillin. Start amoxicillin 500 mg three times daily.",
        "No reaction to amoxicillin last time. Start amoxicillin 500 mg three times daily.",
        "She cannot take tablets easily, so give liquid paracetamol 500 mg.",
    ],
)
def test_a_denied_reaction_or_a_difficulty_is_no_allergy_flag(text: str) -> None:
    from medscribe.textdraft import draft_from_text

    _, draft = draft_from_text(text)
    assert _kinds(draft, "POSSIBLE_ALLERGY_NOT_CAPTURED") == []


@pytest.mark.parametrize(
    "text",
    [
        "Allergic to penicillin, which gives him a rash, and to elastoplast. Continue lisinopril 10 mg daily.",
        "allergic to penicillin which gives him a rash and to elastoplast continue lisinopril 10 mg daily",
    ],
)
def test_a_second_allergen_joined_by_and_to_is_never_lost(text: str) -> None:
    # Given an allergy to a drug and, joined by "and to", to a substance no list knows
    n = Note(text).drug("lisinopril", attributes={"STRENGTH": "10 mg"})
    draft = build_draft(n.response, text)
    # Then the second substance is kept or flagged as an allergy not captured
    subjects = [f.subject.lower() for f in _kinds(draft, "POSSIBLE_ALLERGY_NOT_CAPTURED")]
    assert _allergy_kept(draft, "elastoplast") or "elastoplast" in subjects

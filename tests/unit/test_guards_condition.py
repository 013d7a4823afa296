"""Nothing lost silently, for conditions (issue 15 item 7): a condition said in the transcript is in an item of the
draft or named by a POSSIBLE_CONDITION_NOT_CAPTURED flag; ordinary words raise nothing."""

from __future__ import annotations

from typing import Any

import pytest
from draft_notes import Note

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.evaluation.matching import norm_name
from medscribe.logic.document import build_draft
from medscribe.logic.document.condition_guard import condition_mentions
from medscribe.logic.document.guards import GUARDS
from medscribe.textdraft import draft_from_text, draft_sections

KIND = "POSSIBLE_CONDITION_NOT_CAPTURED"


def _flags(obj: dict[str, Any]) -> list[str]:
    return [
        i["text"]
        for s in obj["sections"]
        if s["title"] == "Needs review"
        for i in s["items"]
        if KIND in i["flags"]
    ]


def _accounted(obj: dict[str, Any], said: str) -> bool:
    """Some item of the draft (a condition of any section, or a flag naming it) holds the words said."""
    words = norm_name(said)
    return any(
        words in norm_name(f"{i.get('name', '')} {i['text']}") for s in obj["sections"] for i in s["items"]
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Seen today with gastroparesis, worse after meals.", "gastroparesis"),  # ICD title word
        ("She has had recurrent boils in the axilla.", "boils"),  # plural of an ICD title word
        ("He was concussed briefly after the tackle.", "concussed"),  # a related form
        ("Large pressure sore over the sacrum.", "pressure sore"),  # lay term (alias)
        (
            "known afib rate controlled on bisoprolol five milligrams daily",
            "afib",
        ),  # abbreviation, recogniser form
        ("Haemorrhoids bleeding occasionally.", "haemorrhoids"),  # British spelling
        ("Admitted after a fall on the ward with delirium.", "delirium"),
        (
            "ulcerative colitis flare the runs since monday cramping and urgency",
            "cramping",
        ),  # a verb's -ing form
    ],
)
def test_a_condition_said_is_in_an_item_or_named_by_a_flag(text: str, said: str) -> None:
    # Given a transcript naming a condition (the offline detector may or may not find it)
    # When the text goes through the draft path
    obj = draft_sections(text)
    # Then the condition is in some item of the draft, or a Needs review flag names it: never lost silently
    assert _accounted(obj, said), obj


def test_the_guard_names_the_word_and_the_condition_an_abbreviation_stands_for() -> None:
    # Given a draft that holds nothing for "DVT" (a response with no entities)
    text = "Admitted with a DVT of the left calf."
    draft = build_draft(Note(text).response, text)
    # Then the flag names the words said and the condition, with the transcript offsets
    (flag,) = [f for f in draft.flags if f.kind == KIND]
    assert flag.subject == "DVT"
    assert "deep vein thrombosis" in flag.message
    assert text[flag.begin_offset : flag.end_offset] == "DVT"
    assert not draft.nothing_flagged


def test_a_condition_the_draft_holds_under_its_full_name_is_not_flagged() -> None:
    # Given "afib" said and an item "atrial fibrillation" in the draft
    text = "Known atrial fibrillation. The afib is rate controlled."
    draft = build_draft(Note(text).condition("atrial fibrillation").response, text)
    # Then neither the full name nor the abbreviation is flagged
    assert [f.subject for f in draft.flags if f.kind == KIND] == []


def test_a_longer_term_is_held_by_its_condition_word() -> None:
    text = "Chest tightness on exertion, likely stable angina."
    n = Note(text).condition("Chest tightness").condition("angina")
    assert [f.subject for f in build_draft(n.response, text).flags if f.kind == KIND] == []


def test_a_denied_condition_the_draft_misses_is_flagged_too() -> None:
    # "Denied" is part of the draft: a denied condition in no item is a loss as well
    text = "No DKA admissions this year."
    (flag,) = [f for f in build_draft(Note(text).response, text).flags if f.kind == KIND]
    assert "diabetic ketoacidosis" in flag.message


@pytest.mark.parametrize(
    "text",
    [
        "Blood pressure today is 130/80 and heart rate 72. Tetanus is up to date.",
        "day three of the illness saturations ninety five percent in air weight stable",
        "The sinus rhythm is regular. Left hand and right wrist examined, abdomen soft.",
        "Continue the same dose and review in six weeks with a fasting blood test.",
    ],
)
def test_ordinary_words_are_not_conditions(text: str) -> None:
    assert list(condition_mentions(text)) == []
    assert _flags(draft_sections(text)) == []


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Ward round, woman with small bowel obstruction from adhesions.", "small bowel obstruction"),
        ("seen on the take with a large bowel obstruction no flatus", "large bowel obstruction"),
        (
            "Clinic, 71-year-old man with bladder outlet obstruction and nocturia.",
            "bladder outlet obstruction",
        ),
    ],
)
def test_a_flagged_term_is_quoted_with_the_site_said_before_it(text: str, said: str) -> None:
    # Given a condition term said after the site it affects, the site found by the detector, the term not
    # When drafted by the production path (both forms)
    for form in (text, recogniser_form(text)):
        obj = draft_sections(form)
        # Then the whole name said is in an item or a flag, not only its generic end ("bowel obstruction")
        assert _accounted(obj, said), (form, _flags(obj))


@pytest.mark.parametrize(
    "text",
    [
        "ICU admission, woman with convulsive status epilepticus, fitting since 5 am.",
        "icu admission woman with convulsive status epilepticus fitting since five am",
        "He had a fit at the bus stop this morning and bit his tongue.",
    ],
)
def test_a_lay_word_for_a_seizure_is_held_or_flagged(text: str) -> None:
    # Given a lay word for a seizure after another condition (no comma in the recogniser's form) or alone
    obj = draft_sections(text)
    # Then an item or a flag holds it (the lexicon guard names the condition it stands for)
    flags = _flags(obj)
    assert any("fitting" in f or "had a fit" in f for f in flags) or _accounted(obj, "seizure"), flags


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Denture review: ill-fitting dentures, sore gums. Refer to the dentist.", id="ill-fitting"
        ),
        pytest.param("Wrist sprain: a well-fitting splint was applied today.", id="well-fitting"),
        pytest.param("Loose, badly-fitting shoes; advice given about footwear.", id="badly-fitting"),
    ],
)
def test_a_lay_alias_inside_a_hyphenated_word_names_no_condition(text: str) -> None:
    # Given a lay word for a seizure ("fitting") as a part of a hyphenated word: the compound is one word
    # When drafted by the production path
    flags = _flags(draft_sections(text))
    # Then no seizure is read there (on main every one raised a "fitting (seizure)" flag)
    assert [s.term for s in condition_mentions(text) if s.term == "seizure"] == []
    assert not [f for f in flags if "seizure" in f], flags


@pytest.mark.parametrize(
    ("text", "said", "condition"),
    [
        pytest.param(
            "Post-MI review in clinic, no chest pain since.", "MI", "myocardial infarction", id="post-MI"
        ),
        pytest.param(
            "Known IBS-D, loose stools most mornings.", "IBS", "irritable bowel syndrome", id="IBS-D"
        ),
        pytest.param(
            "Seen with a sacral pressure-sore today.",
            "pressure-sore",
            "pressure ulcer",
            id="a whole compound",
        ),
    ],
)
def test_an_abbreviation_or_a_whole_compound_stays_a_condition(text: str, said: str, condition: str) -> None:
    # Given an abbreviation in capitals inside a hyphenated word, or an alias said hyphenated as a whole
    # Then it is still read as the condition it names, and held by an item or named by a flag
    assert (said, condition) in [(s.text, s.term) for s in condition_mentions(text)]
    assert _accounted(draft_sections(text), said)


def test_nothing_flagged_only_when_the_condition_guard_ran() -> None:
    # Given a clean text, when drafted
    _, draft = draft_from_text("Continue lisinopril 10 mg by mouth once daily for hypertension.")
    # Then the condition guard is registered and ran, and the draft may say "Nothing flagged"
    assert "condition_not_captured" in GUARDS
    assert "condition_not_captured" in draft.guards_run
    assert [f for f in draft.flags if f.kind == KIND] == []

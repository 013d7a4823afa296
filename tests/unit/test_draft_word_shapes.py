"""Nothing lost silently, whatever the detector knows (issue 15 item 7): a transcript word shaped like a condition
or a drug name ("-itis", "-osis", "-xaban", "cef-"), an eponym ("Raynaud's") or an abbreviation said as letters
("C O P D"), and an item of a problem list read out ("PMH: …", "Also has …"), is in an item of the draft or named by
a NOT_CAPTURED flag that quotes it and says why — on a DetectEntitiesV2 (Comprehend Medical) response as on the
offline one, in punctuated and recogniser form."""

from __future__ import annotations

import pytest
from draft_notes import Note

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.logic.document import build_draft
from medscribe.logic.document.condition_guard import lexicon
from medscribe.logic.document.guard_data import drug_names
from medscribe.logic.document.model import Draft
from medscribe.logic.document.word_shapes import shape_of, shaped_words
from medscribe.textnorm import normalize_clinical_text

KINDS = ("POSSIBLE_CONDITION_NOT_CAPTURED", "POSSIBLE_MEDICATION_NOT_CAPTURED")


def _draft(text: str, note: Note | None = None) -> Draft:
    return build_draft((note or Note(text)).response, text)


def _naming(draft: Draft, word: str) -> list[tuple[str, str]]:
    return [(f.kind, f.message) for f in draft.flags if f.kind in KINDS and word in f.message.lower()]


# invented words no list of the project holds, shaped like a condition or a drug (so only the shape can catch them)
SHAPED = [
    ("Troubled by zorbinitis again.", "zorbinitis", "POSSIBLE_CONDITION_NOT_CAPTURED", "-itis"),
    ("Also troubled by kelvanosis lately.", "kelvanosis", "POSSIBLE_CONDITION_NOT_CAPTURED", "-osis"),
    ("Sleeps badly with fendralgia most nights.", "fendralgia", "POSSIBLE_CONDITION_NOT_CAPTURED", "-algia"),
    ("He uses velmoxaban as before.", "velmoxaban", "POSSIBLE_MEDICATION_NOT_CAPTURED", "-xaban"),
    ("Pharmacy supplied cefdarozine this week.", "cefdarozine", "POSSIBLE_MEDICATION_NOT_CAPTURED", "cef-"),
]


@pytest.mark.parametrize(("text", "word", "kind", "stem"), SHAPED)
@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
def test_a_word_shaped_like_a_condition_or_a_drug_that_no_item_holds_is_flagged_with_its_reason(
    text: str, word: str, kind: str, stem: str, form: str
) -> None:
    # Given a sentence whose only clinical word is invented (no lexicon or detector knows it), with no cue before it
    assert word not in drug_names()
    assert word not in lexicon().words
    said = text if form == "punctuated" else recogniser_form(text)
    # When the draft is built with a detector that found nothing
    draft = _draft(said)
    # Then a NOT_CAPTURED flag of the word's kind quotes it and names its shape as the reason
    flags = _naming(draft, word)
    assert [k for k, _ in flags] == [kind], draft.flags
    assert "shape of" in flags[0][1]
    assert stem in flags[0][1]
    assert not draft.nothing_flagged


# a condition-shaped word said with the words that modify it: the quote is the condition whole, up to a word of a
# closed class ("and", "has", "the", a dose)
MODIFIED = [
    ("He has gum zorbinitis.", "gum zorbinitis"),
    ("Metformin 500 mg daily, and tendon kelvanosis.", "tendon kelvanosis"),
    ("Examined today with severe nail fendralgia of both feet.", "severe nail fendralgia"),
]


@pytest.mark.parametrize(("text", "quote"), MODIFIED)
@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
def test_a_condition_shaped_word_is_quoted_with_the_words_that_modify_it(
    text: str, quote: str, form: str
) -> None:
    said = text if form == "punctuated" else recogniser_form(text)
    draft = _draft(said)
    quotes = [f.subject.lower() for f in draft.flags if f.kind == "POSSIBLE_CONDITION_NOT_CAPTURED"]
    assert quotes == [quote], draft.flags


def test_an_aws_entity_list_that_misses_a_shaped_word_gets_a_flag_and_one_that_holds_it_does_not() -> None:
    # Given a dictation, and a Comprehend Medical (DetectEntitiesV2-shaped) response that found "hypertension" but
    # neither the invented condition nor the invented drug (no list holds them; no cue introduces them)
    text = "Hypertension and zorbiectasis. He uses velmoxaban as before."
    partial = Note(text).condition("Hypertension")
    # When the draft is built from it
    draft = _draft(text, partial)
    # Then each word it missed is named by a flag of its kind, and what it found is not
    assert [k for k, _ in _naming(draft, "zorbiectasis")] == ["POSSIBLE_CONDITION_NOT_CAPTURED"]
    assert [k for k, _ in _naming(draft, "velmoxaban")] == ["POSSIBLE_MEDICATION_NOT_CAPTURED"]
    assert _naming(draft, "hypertension") == []
    # And when the response found them too, no flag names them
    full = Note(text).condition("Hypertension").condition("zorbiectasis").drug("velmoxaban")
    found = _draft(text, full)
    assert _naming(found, "zorbiectasis") == []
    assert _naming(found, "velmoxaban") == []


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Also has Zelbarn's. Reviewed today.", "zelbarn's"),  # a possessive with nothing after it
        ("Coeliac and Zelbarn's, seen in clinic.", "zelbarn's"),
        ("Background of a fib, C O P D and gout.", "c o p d"),  # letters
        ("Seen today: she has Zelbarn's elbow on the right.", "zelbarn's elbow"),  # quoted with its noun
        ("Coeliac and Zelbarn's oesophagus, seen in clinic.", "zelbarn's oesophagus"),
    ],
)
@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
def test_an_eponym_or_an_abbreviation_said_as_letters_is_flagged_in_both_forms(
    text: str, quoted: str, form: str
) -> None:
    # Given an eponym no list holds, or an abbreviation spelt out, and no entity found
    said = text if form == "punctuated" else recogniser_form(text)
    # When the draft is built
    draft = _draft(said)
    # Then a condition flag quotes it
    assert any(
        k == "POSSIBLE_CONDITION_NOT_CAPTURED" and quoted in m.lower() for k, m in _naming(draft, quoted)
    ), draft.flags


@pytest.mark.parametrize(
    "text",
    [
        "She is staying at her sister's, and feels fine.",  # a person's place
        "The diagnosis is clear; his prognosis is good.",  # ordinary words of a condition's shape
        "HbA1c is 71 today.",  # a test's code, spelt out with its number in recogniser form
        "Like his father's, the garden is large.",
    ],
)
def test_ordinary_words_and_a_persons_possessive_raise_no_shape_flag(text: str) -> None:
    # Given sentences with no condition or drug in them, in both forms
    for said in (text, recogniser_form(text)):
        # Then no word of them is read as a shaped name, an eponym or letters
        assert list(shaped_words(said)) == [], said


def test_an_indication_after_a_dose_with_an_article_is_read_but_a_duration_is_not() -> None:
    # Given a drug's indication said with an article ("for a left atrial thrombus") and a duration ("for a week")
    text = (
        "Now on Zelvix 5 mg twice daily for a left atrial zorbthrombus. Zelvix 5 mg daily for a further week."
    )
    # When the draft is built with a detector that found the drug only
    draft = _draft(text, Note(text).drug("Zelvix", attributes={"DOSAGE": "5 mg"}))
    # Then the indication is named by a condition flag, and the duration is not
    assert [k for k, _ in _naming(draft, "zorbthrombus")] == ["POSSIBLE_CONDITION_NOT_CAPTURED"]
    assert _naming(draft, "further") == []


def test_shapes_name_their_kind() -> None:
    # Given words of each kind of shape, and ordinary words of the same ending
    # Then the shape says condition or medication, and ordinary words have none
    kinds = {w: getattr(shape_of(w), "kind", None) for w in ("bronchiectasis", "dapagliflozin", "finerenone")}
    assert kinds == {"bronchiectasis": "condition", "dapagliflozin": "medication", "finerenone": None}
    assert [shape_of(w) for w in ("diagnosis", "sympathy", "april", "mechanism")] == [None] * 4


def test_a_header_list_is_read_to_its_sentence_end_past_an_items_tail() -> None:
    # Given a problem list dictated under a header, whose first item ends in a clause ("repaired last year") and
    # whose other items no list holds
    text = (
        "Problem list: zorbism repaired last year, kelvanic testoid on the right awaiting surgery, and gout."
    )
    # When the draft is built with a detector that found only "gout"
    draft = _draft(text, Note(text).condition("gout"))
    # Then the item after the first one's tail is named by a condition flag too
    assert [k for k, _ in _naming(draft, "kelvanic testoid")] == ["POSSIBLE_CONDITION_NOT_CAPTURED"], (
        draft.flags
    )
    assert _naming(draft, "gout") == []


def test_the_drafts_own_labels_hold_no_word_of_the_transcript() -> None:
    # Given a finding after a cue whose first word looks like a label of the draft ("frequent" / a frequency
    # attribute's type "FREQUENCY"), beside a drug row with a frequency
    text = "Start Zelvix 5 mg once daily. A Holter showed frequent zorbectopics."
    # When the draft is built with a detector that found the drug only
    note = Note(text).drug("Zelvix", attributes={"DOSAGE": "5 mg", "FREQUENCY": "once daily"})
    draft = _draft(text, note)
    # Then the finding is named by a condition flag: the draft's kinds, types and checks are not its items
    assert [k for k, _ in _naming(draft, "zorbectopics")] == ["POSSIBLE_CONDITION_NOT_CAPTURED"], draft.flags


@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
def test_an_indication_said_before_its_drug_is_read(form: str) -> None:
    # Given an indication said before its drug ("For X, <drug> 5 mg …"), and a duration said with "for"
    text = "For zorbwell, Zelvix 5 mg twice daily. Rash for months, uses Kelvix cream twice daily."
    said = (
        text if form == "punctuated" else normalize_clinical_text(recogniser_form(text))
    )  # as the pipeline does
    # When the draft is built with a detector that found the drugs only
    note = Note(said).drug("Zelvix" if form == "punctuated" else "zelvix", attributes={"DOSAGE": "5 mg"})
    draft = _draft(said, note.drug("Kelvix" if form == "punctuated" else "kelvix"))
    # Then the indication is named by a condition flag; the duration is not
    assert [k for k, _ in _naming(draft, "zorbwell")] == ["POSSIBLE_CONDITION_NOT_CAPTURED"], draft.flags
    assert _naming(draft, "months") == []

"""Nothing lost silently, by structure (issue 15 item 7): what a clinical cue introduces ("complains of …",
"started on … 20 mg", "allergic to …") is in an item of the draft or quoted by a NOT_CAPTURED flag, whatever the
words — no lexicon holds the invented names these tests use — and the recogniser form says the same as the
punctuated one."""

from __future__ import annotations

import string

import pytest
from draft_notes import Note
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.logic.document import build_draft
from medscribe.logic.document.condition_guard import lexicon
from medscribe.logic.document.cue_guard import NOT_CAPTURED
from medscribe.logic.document.cue_parts import not_naming
from medscribe.logic.document.cue_spans import cue_spans, cues
from medscribe.logic.document.guard_data import drug_names
from medscribe.logic.document.guards import GUARDS
from medscribe.logic.document.model import Draft

KINDS = frozenset(NOT_CAPTURED.values())
CUES = {
    k: sorted(" ".join(c.words) for c in cues() if c.kind == k)
    for k in ("condition", "medication", "allergy")
}


def _invented(word: str) -> bool:
    """A word no list of the project holds (so only structure can catch it)."""
    return (
        word not in drug_names()
        and word not in lexicon().words
        and word not in not_naming()
        and not word.endswith(("ed", "ing"))
    )


# An invented name: consonant-vowel syllables ("zorbitan"), 6-10 letters.
_SYLLABLE = st.tuples(st.sampled_from("bdfgklmnprstvz"), st.sampled_from("aeiou")).map("".join)
NAMES = (
    st.lists(_SYLLABLE, min_size=3, max_size=5)
    .map(lambda s: "z" + "".join(s) + "x")
    .filter(lambda w: _invented(w) and set(w) <= set(string.ascii_lowercase))
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _statement(kind: str, cue: str, name: str) -> str:
    if kind == "medication":
        return f"She {cue} {name.capitalize()} 20 mg once daily."
    if kind == "allergy" and cue.startswith("allergic"):
        return f"She is {cue} {name}, which gives her hives."
    if kind == "allergy" and cue.startswith("allerg"):  # a header: "Allergies: X (hives)."
        return f"{cue.capitalize()}: {name} (hives)."
    if kind == "allergy":
        return f"She {cue} {name} with hives."
    return f"{cue.capitalize()} {name}."  # "Complains of X.", "Known X.", "She has X.", "Man with X."


def _draft(text: str, note: Note | None = None) -> Draft:
    return build_draft((note or Note(text)).response, text)


def _naming(draft: Draft, name: str) -> list[str]:
    return [f.kind for f in draft.flags if f.kind in KINDS and name in f.message.lower()]


NOT_CAPTURED_FLAG = {
    "condition": "POSSIBLE_CONDITION_NOT_CAPTURED",
    "medication": "POSSIBLE_MEDICATION_NOT_CAPTURED",
    "allergy": "POSSIBLE_ALLERGY_NOT_CAPTURED",
}


@pytest.mark.parametrize("kind", NOT_CAPTURED_FLAG)
@SETTINGS
@given(name=NAMES, data=st.data())
def test_a_cue_and_an_unknown_name_yield_a_flag_of_its_kind_naming_it(
    kind: str, name: str, data: st.DataObject
) -> None:
    # Given a statement "<cue> <a name no lexicon holds>" (a condition, a drug before a dose, an allergy) and a
    # detector that found nothing in it
    text = _statement(kind, data.draw(st.sampled_from(CUES[kind]), label="cue"), name)
    # When the draft is built
    draft = _draft(text)
    # Then a NOT_CAPTURED flag of the cue's kind quotes the name, and the draft never says "Nothing flagged"
    assert NOT_CAPTURED_FLAG[kind] in _naming(draft, name), (text, draft.flags)
    assert not draft.nothing_flagged


FOUND = {
    "condition": lambda text, name: Note(text).condition(name),
    "medication": lambda text, name: Note(text).drug(name.capitalize()),
}


@pytest.mark.parametrize("kind", FOUND)
@SETTINGS
@given(name=NAMES, data=st.data())
def test_a_name_the_detector_found_yields_no_flag(kind: str, name: str, data: st.DataObject) -> None:
    # Given the same statement, and a detector that found the name (a condition; a drug on a row)
    text = _statement(kind, data.draw(st.sampled_from(CUES[kind]), label="cue"), name)
    draft = _draft(text, FOUND[kind](text, name))
    # Then the draft holds it, and no NOT_CAPTURED flag names it
    assert _naming(draft, name) == [], draft.flags


def _said(text: str) -> set[tuple[str, str]]:
    """(kind, quoted words) of the structural flags of a draft built with no entities."""
    draft = _draft(text)
    return {(f.kind, " ".join(recogniser_form(f.subject).split())) for f in draft.flags if f.kind in KINDS}


@SETTINGS
@given(
    names=st.lists(NAMES, min_size=3, max_size=3, unique=True),
    cues=st.tuples(*(st.sampled_from(CUES[k]) for k in ("condition", "medication", "allergy"))),
)
def test_the_recogniser_form_quotes_the_same_spans_as_the_punctuated_form(
    names: list[str], cues: tuple[str, str, str]
) -> None:
    # Given a note of three statements, and its recogniser form (lower case, no punctuation, numbers spoken)
    text = " ".join(
        _statement(k, c, n)
        for k, c, n in zip(("condition", "medication", "allergy"), cues, names, strict=True)
    )
    # When each form is drafted (no entities found)
    punctuated, recognised = _said(text), _said(recogniser_form(text))
    # Then both quote the same spans under the same kinds
    assert punctuated == recognised, (text, punctuated, recognised)
    assert {k for k, _ in punctuated} == KINDS


@pytest.mark.parametrize(
    "text",
    [
        "No known drug allergies.",
        "She is not allergic to plasters.",
        "No history of zorbitis.",
        "He takes the bus to clinic.",  # a medication cue with no dose, form or frequency after it
        "She is known to the team.",
        "Her pupils react to light.",  # "react to" is no allergy cue; "reacts to" needs a reaction
        "She reacts to loud noises.",
        "Seen with her mother.",  # people name no condition
        "She has a good support network and two children.",
        "He has an appointment with the dentist.",
        "She has had a good response and no side effects.",
        "He has a dog at home and lives alone. He has had a busy week at work.",  # "has" is no cue
        "Family history: nothing of note. Allergies: none known.",
        "Diagnosis is uncertain at this stage. Admitted with a view to an MRI scan.",
        "She reports the very long story.",  # "reports" is no cue: what is reported is not always a finding
        "Take 5 mg once daily, then restarted 10 mg.",  # a verb before a dose names no drug
        "Transfuse 2 units today; give orally 10 mg.",  # a verb or a route before a dose: no drug name
        "Take 3 mg tablets, that's 4.5 mg, sorry, I mean 5 mg.",  # a gloss before a dose names no drug
        "Nasal spray twice daily and steroid cream once daily.",  # the kind of a form names no drug
        "Chest x-ray shows clear lung fields.",
        "known atrial fibrillation on apixaban 5 mg twice daily",  # recogniser form, all in items
    ],
)
def test_statements_that_name_nothing_new_raise_no_structural_flag(text: str) -> None:
    note = Note(text)
    if "apixaban" in text:
        note = note.condition("atrial fibrillation").drug("apixaban")
    draft = _draft(text, note)
    assert [f.subject for f in draft.flags if f.kind in KINDS] == []


@pytest.mark.parametrize(
    ("text", "kind", "quoted"),
    [
        ("Zorbanex spray, one spray three times a day.", "POSSIBLE_MEDICATION_NOT_CAPTURED", "Zorbanex"),
        ("X-ray shows zorbitis of the wrist.", "POSSIBLE_CONDITION_NOT_CAPTURED", "zorbitis of the wrist"),
        # a dose counted in vials or ampoules, after a verb of giving and a comma
        ("Give Zorbafab, two vials IV over 30 minutes.", "POSSIBLE_MEDICATION_NOT_CAPTURED", "Zorbafab"),
        ("Administer Zorvex, one ampoule IV now.", "POSSIBLE_MEDICATION_NOT_CAPTURED", "Zorvex"),
    ],
)
def test_a_name_before_a_dosed_form_and_a_test_finding_are_read_by_structure(
    text: str, kind: str, quoted: str
) -> None:
    for form in (text, recogniser_form(text)):
        flags = [f for f in _draft(form).flags if f.kind == kind]
        assert any(f.subject.lower().startswith(quoted.lower()) for f in flags), (form, flags)


def test_a_comma_before_a_dose_names_no_drug_without_a_verb_of_giving() -> None:
    # "For itching, 2 tablets at night": the word before the comma is the indication, not the drug
    spans = [s for s in cue_spans("For itching, 2 tablets at night.") if s.kind == "medication"]
    assert spans == []


def test_a_header_cue_reads_past_its_colon() -> None:
    # Given a header and a list, in both forms, with a substance no list holds
    text = "Allergies: zorbitol (blisters). Impression: zorbitis."
    for form in (text, recogniser_form(text)):
        # Then both are flagged, the cue named without its colon
        said = [(f.kind, f.message) for f in _draft(form).flags if f.kind in KINDS]
        allergy = [m for k, m in said if k == "POSSIBLE_ALLERGY_NOT_CAPTURED" and "zorbitol" in m.lower()]
        condition = [m for k, m in said if k == "POSSIBLE_CONDITION_NOT_CAPTURED" and "zorbitis" in m.lower()]
        assert any("after “allergies”" in m for m in allergy), said
        assert any("after “impression”" in m for m in condition), said


def test_a_term_the_condition_guard_flags_is_not_flagged_twice() -> None:
    # Given "DVT" said after a cue, held by no item: the lexicon guard names it
    draft = _draft("Admitted with a DVT.")
    # Then one flag names it (the lexicon guard's, with the condition it stands for), not two
    flags = [f for f in draft.flags if f.kind in KINDS]
    assert len(flags) == 1
    assert "deep vein thrombosis" in flags[0].message


def test_a_run_on_recogniser_span_ends_at_the_next_clause() -> None:
    # Given recogniser text with no punctuation between statements
    text = (
        "he presents with a fluttering in his chest that comes and goes known brugada pattern on an old ecg "
        "he also takes vericiguat 2.5 mg once daily"
    )
    # Then each cue's span ends where the next clause starts, and each is quoted with its place
    quoted = {(s.kind, text[s.parts[0].begin : s.parts[-1].end]) for s in cue_spans(text)}
    assert quoted == {
        ("condition", "a fluttering in his chest"),
        ("condition", "brugada pattern on an old ecg"),
        ("medication", "vericiguat"),
    }


def test_a_list_after_a_cue_is_quoted_from_its_first_missing_part() -> None:
    # Given a list after a cue whose first part the draft holds
    text = "She complains of headache and zorbic twinges in both feet."
    draft = _draft(text, Note(text).condition("headache"))
    # Then the flag quotes the parts that are missing, with their place
    (flag,) = [f for f in draft.flags if f.kind in KINDS]
    assert flag.subject == "zorbic twinges in both feet"
    assert text[flag.begin_offset : flag.end_offset] == flag.subject


def test_the_structural_guard_is_registered_and_runs_after_the_lexicon_guards() -> None:
    names = list(GUARDS)
    assert names.index("cue_not_captured") > names.index("condition_not_captured")
    assert names.index("cue_not_captured") > names.index("medication_not_captured")
    draft = _draft("Known zorbitanix.")
    assert "cue_not_captured" in draft.guards_run


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # the patient introduced by age and any noun naming them, then "with": the presenting condition
        (
            "Clinic, 44-year-old bus driver with zelbarn vibration syndrome, worse in winter.",
            "zelbarn vibration",
        ),
        (
            "Seen today, 31-year-old student with delayed zorbic phase disorder.",
            "delayed zorbic phase disorder",
        ),
        # a structure named with its lesion's state (no condition word, the structure a site or an unknown noun)
        ("Listed for surgery after a fall: a sequestrated disc at L3/4.", "sequestrated disc"),
        ("Ortho review for a torn zelbaris in the left knee.", "torn zelbaris"),
        # a complication said after "now with"
        ("Known migraine, now with zorbiflux most mornings.", "zorbiflux"),
    ],
)
@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
def test_a_condition_said_by_structure_alone_is_quoted_whole(text: str, quoted: str, form: str) -> None:
    # Given a condition no list holds, said by its place in the sentence, and a detector that found nothing
    said = text if form == "punctuated" else recogniser_form(text)
    # When the draft is built
    draft = _draft(said)
    # Then a condition flag quotes every word of it
    assert "POSSIBLE_CONDITION_NOT_CAPTURED" in _naming(draft, quoted), draft.flags


@pytest.mark.parametrize(
    "text",
    [
        "She collapsed at home and slipped on the ice.",  # a participle of the list before no structure
        "No torn ligament on the scan.",  # negated: the lexicon guards' to read
        "The 52-year-old with him is his brother.",  # "with" after the age, no noun naming the patient
    ],
)
def test_no_structural_condition_is_read_where_none_is_said(text: str) -> None:
    for said in (text, recogniser_form(text)):
        draft = _draft(said)
        assert [f for f in draft.flags if f.kind == "POSSIBLE_CONDITION_NOT_CAPTURED"] == [], draft.flags

"""The "possible medication not captured" guard knows the brands the offline detector's lists add (session 11): a
brand the detector (or AWS) misses is still flagged, on AWS-shaped responses, through build_draft."""

from __future__ import annotations

from typing import Any

import pytest
from draft_notes import Note

from medscribe.logic.document import build_draft
from medscribe.logic.document.guard_data import drug_names


def _kinds(draft: Any, kind: str) -> list[Any]:
    return [f for f in draft.flags if f.kind == kind]


def test_every_single_word_name_the_detector_adds_is_a_guard_name() -> None:
    # Given the detector's own drug lists (add_brand / add_generic) and its English word list
    lex = pytest.importorskip("medscribe.offline.ner_lexicon")
    english = lex.english_words()
    added = {
        k for k in lex.added_drugs() if " " not in k and k.isalpha() and len(k) >= 5 and k not in english
    }
    # Then the guard compares transcript words with each of them
    assert added - drug_names() == set()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Seizures controlled on Epilim Chrono 500 mg twice a day.", "Epilim"),
        ("Tacrolimus switched to Envarsus after the transplant.", "Envarsus"),
        ("She uses Movicol most days and Sytron for her iron.", "Sytron"),
    ],
)
def test_a_brand_of_last_session_the_detector_missed_is_flagged_not_captured(text: str, said: str) -> None:
    # Given an AWS-shaped response that holds no entity for the brand (the detector missed it)
    n = Note(text)
    # When the draft is built
    draft = build_draft(n.response, text)
    # Then the brand is flagged as a possible medication not captured, at its words
    flags = [f for f in _kinds(draft, "POSSIBLE_MEDICATION_NOT_CAPTURED") if f.subject == said]
    assert len(flags) == 1
    assert text[flags[0].begin_offset : flags[0].end_offset] == said
    assert not draft.nothing_flagged


def test_a_brand_the_draft_holds_is_not_flagged() -> None:
    text = "Seizures controlled on Epilim 500 mg twice a day."
    n = Note(text).drug("Epilim", attributes={"STRENGTH": "500 mg", "FREQUENCY": "twice a day"})
    flags = _kinds(build_draft(n.response, text), "POSSIBLE_MEDICATION_NOT_CAPTURED")
    assert [f.subject for f in flags] == []

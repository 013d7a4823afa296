"""Spoken dose numbers that run together reach the draft as a flagged row (DOSE_NUMBER_UNCLEAR), never as a fact:
through ``medscribe draft -`` and ``medscribe.textdraft``, and through build_draft on an AWS-shaped response."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from draft_notes import Note

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.logic.document import build_draft
from medscribe.logic.document import guards as guard_registry
from medscribe.textdraft import draft_from_text, draft_sections
from medscribe.textnorm import normalize_clinical_text

NOTE = "Wrist fracture, backslab applied. Co-codamol 30/500 2 tablets qds prn. Review in fracture clinic."
SPOKEN = recogniser_form(NOTE)  # "... co codamol thirty over five hundred two tablets qds prn ..."


def _items(sections: dict[str, Any], title: str) -> list[dict[str, Any]]:
    return next(s["items"] for s in sections["sections"] if s["title"] == title)


def _co_codamol(sections: dict[str, Any]) -> dict[str, Any]:
    (row,) = [i for i in _items(sections, "Medications") if "codamol" in i["name"]]
    return row


def test_recogniser_text_flags_the_dose_row_quoting_the_words() -> None:
    # Given the recogniser form of "co-codamol 30/500 2 tablets", when it is drafted
    sections = draft_sections(SPOKEN)
    # Then the row carries DOSE_NUMBER_UNCLEAR, and its reason quotes the words and both readings
    row = _co_codamol(sections)
    assert "DOSE_NUMBER_UNCLEAR" in row["flags"]
    [reason] = [r for r in row["reasons"] if "run together" in r]
    assert "“thirty over five hundred two tablets”" in reason
    assert "“30 over 502 tablets”" in reason
    assert "“30 over 500, then 2 tablets”" in reason
    # And the Needs review list names it
    assert any(i["flags"] == ["DOSE_NUMBER_UNCLEAR"] for i in _items(sections, "Needs review"))


def test_the_punctuated_note_raises_no_number_flag_and_every_guard_ran() -> None:
    _, draft = draft_from_text(NOTE)
    assert [f for f in draft.flags if f.kind == "DOSE_NUMBER_UNCLEAR"] == []
    assert "dose_number_unclear" in draft.guards_run
    assert set(draft.guards_run) == set(guard_registry.GUARDS)


def test_a_certain_split_is_drafted_without_a_number_flag() -> None:
    # "one hundred micrograms two puffs": the unit closes the strength, so the count is certain
    sections = draft_sections("salbutamol one hundred micrograms two puffs four times a day as needed")
    (row,) = [i for i in _items(sections, "Medications") if i["name"] == "salbutamol"]
    assert "DOSE_NUMBER_UNCLEAR" not in row["flags"]
    assert "100 mcg" in row["text"]
    assert "2 puffs" in row["text"]


def test_medscribe_draft_stdin_prints_the_flagged_row() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "medscribe.cli", "draft", "-"],
        input=SPOKEN,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    sections = json.loads([line for line in proc.stdout.splitlines() if line.strip()][-1])
    assert "DOSE_NUMBER_UNCLEAR" in _co_codamol(sections)["flags"]


def test_on_an_aws_shaped_response_the_flag_attaches_to_the_drug_named_before_the_words() -> None:
    # Given Comprehend Medical's entities over the normalised transcript, the dose not linked to the drug
    text = normalize_clinical_text("start co codamol thirty over five hundred two tablets four times a day")
    note = Note(text).drug("co codamol", attributes={"FREQUENCY": "4 times a day"})
    draft = build_draft(note.response, text)
    # Then the flag names the drug's entity and the words' offsets in the transcript
    (flag,) = [f for f in draft.flags if f.kind == "DOSE_NUMBER_UNCLEAR"]
    assert flag.entity_id == note.entities[0]["Id"]
    assert text[flag.begin_offset : flag.end_offset] == "thirty over five hundred two tablets"
    assert not draft.nothing_flagged


def test_without_the_number_reader_the_guard_is_not_run_visibly(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a Lambda without text2num (the reader cannot be imported), when the draft is built
    text = "Continue lisinopril 10 mg by mouth daily."
    response = Note(text).drug("lisinopril", attributes={"STRENGTH": "10 mg", "FREQUENCY": "daily"}).response
    monkeypatch.setitem(sys.modules, "medscribe.textnorm", None)
    draft = build_draft(response, text)
    # Then the check is listed as not run, and the draft never says "Nothing flagged"
    assert "dose_number_unclear" not in draft.guards_run
    assert any(f.kind == "GUARD_NOT_RUN" and f.subject == "dose_number_unclear" for f in draft.flags)
    assert not draft.nothing_flagged


def test_the_flag_goes_to_the_drug_whose_attribute_holds_the_words() -> None:
    # Given the words said before the drug they belong to (another drug named just before them)
    text = normalize_clinical_text(
        "paracetamol one gram qds and thirty over five hundred two tablets of co codamol"
    )
    note = Note(text).drug("paracetamol", attributes={"DOSAGE": "1 g", "FREQUENCY": "qds"})
    note.drug("co codamol")
    note.entities[1]["Attributes"].append(note.attribute("DOSAGE", "five hundred two tablets"))
    draft = build_draft(note.response, text)
    # Then the flag is co-codamol's (its attribute holds the words), not paracetamol's (named before them)
    (flag,) = [f for f in draft.flags if f.kind == "DOSE_NUMBER_UNCLEAR"]
    assert flag.entity_id == note.entities[1]["Id"]


def test_a_drug_of_an_earlier_sentence_does_not_take_the_flag() -> None:
    # Given the number words after a full stop, with no attribute linking them to the drug before it
    text = normalize_clinical_text("Start co-codamol. Then twenty two puffs of something.")
    draft = build_draft(Note(text).drug("co-codamol").response, text)
    # Then the flag is listed in Needs review, on no drug
    (flag,) = [f for f in draft.flags if f.kind == "DOSE_NUMBER_UNCLEAR"]
    assert flag.entity_id is None
    assert flag.subject == "twenty two puffs"

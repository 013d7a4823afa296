"""An allergy and a conditional hold as the rendered PDF shows them, from a hand-built DetectEntitiesV2 response and
from the offline detector's: the allergen never in the prescription table, shown under Allergies with its words;
the hold on its row and in the review list."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pypdf
import pytest
from draft_notes import Note

from medscribe.logic.document import Draft, build_draft, build_summary, render
from medscribe.offline.ner import OfflineEntityDetector

NEG = {"NEGATION": 0.86}


@pytest.fixture(scope="module")
def detector() -> OfflineEntityDetector:
    return OfflineEntityDetector()


RECEIVED = datetime(2026, 11, 22, 6, 30, 15, tzinfo=UTC)


def pdf_text(draft: Draft, text: str) -> str:
    view = build_summary("rec-1", "clinic-a", RECEIVED, 61.0, text, draft=draft)
    pages = pypdf.PdfReader(io.BytesIO(render(view).pdf)).pages
    return "\n".join(p.extract_text() for p in pages)


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) + len(start) : text.index(end, text.index(start))]


@pytest.mark.parametrize("backend", ["hand-built", "offline"])
def test_rendered_pdf_shows_penicillin_as_an_allergy_and_not_in_the_prescription_table(
    backend: str, detector: OfflineEntityDetector
) -> None:
    # Given "allergic to penicillin" beside a drug that is prescribed, and a conditional hold
    text = (
        "Patient is allergic to penicillin. Continue lisinopril 10 mg daily. "
        "Hold metformin if eGFR below 30. Continue metformin 500 mg twice daily."
    )
    if backend == "offline":
        response = detector.detect_entities(text)
    else:
        note = Note(text)
        note.drug("penicillin")
        note.drug("lisinopril", attributes={"STRENGTH": "10 mg", "FREQUENCY": "daily"})
        note.drug("metformin", traits=NEG)
        note.drug("metformin", occurrence=1, attributes={"STRENGTH": "500 mg", "FREQUENCY": "twice daily"})
        response = note.response
    # When the draft is rendered to PDF and read back
    rendered = pdf_text(build_draft(response, text), text)
    # (issue 15: sections in the contract's order; allergies have their own section)
    prescriptions = section(rendered, "Medications", "Allergies")
    allergies = section(rendered, "Allergies", "Family history")
    review = section(rendered, "Needs review", "Problems")
    flat = " ".join(prescriptions.split())
    # Then penicillin is not a prescription row (only lisinopril and metformin are) ...
    assert "penicillin" not in prescriptions.lower()
    assert "lisinopril" in prescriptions
    assert "metformin" in prescriptions
    # ... it is shown as an allergy, with the words that said so ...
    assert "• penicillin" in " ".join(allergies.split())
    assert "allergic to penicillin" in " ".join(allergies.split())  # the evidence
    # ... and the conditional hold is on the metformin row and in the review list
    assert "hold if eGFR below 30" in flat
    assert "Conditional hold: metformin: conditional hold" in " ".join(review.split())

"""The rendered draft's layout, read back from the PDF: type sizes, section order, page breaks, margins.

The text is extracted with pypdf, whose visitor reports each text run's font size and position.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import get_args

import pypdf
import pytest
from draft_notes import Note, negation_note, orphan_note

from medscribe.logic.document import build_draft, build_summary, render
from medscribe.logic.document.cell_text import clip
from medscribe.logic.document.flag_kinds import FLAG_HEADINGS, FlagKind
from medscribe.logic.document.guard_data import tall_man

RECEIVED = datetime(2026, 11, 22, 6, 30, tzinfo=UTC)
SECTIONS = (  # issue 15: the draft contract's sections, "Needs review" first
    "Needs review",
    "Problems",
    "Medications",
    "Allergies",
    "Family history",
    "Other people",
    "Plan and conditional",
    "Denied",
    "Not taking",
    "Past history",
    "Social history",
    "Tests and procedures",
    "Clinician signature:",
    "Transcript",
)
DRUGS = (
    "Aspirin",
    "Metformin",
    "Lisinopril",
    "Atorvastatin",
    "Amlodipine",
    "Gabapentin",
    "Omeprazole",
    "Sertraline",
    "Levothyroxine",
    "Furosemide",
    "Warfarin",
    "Prednisone",
    "Metoprolol",
    "Clopidogrel",
    "Tamsulosin",
    "Montelukast",
)
LONG_NAME = "Supercalifragilisticexpialidociousmedicationnamewithoutanyspaceswhatsoever"


@dataclass(frozen=True)
class Run:
    page: int
    text: str
    size: float
    x: float
    y: float


def runs(pdf: bytes) -> tuple[list[Run], float]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    out: list[Run] = []
    for number, page in enumerate(reader.pages, start=1):

        def visit(
            text: str, cm: list[float], tm: list[float], font: object, size: float, n: int = number
        ) -> None:
            if text.strip():
                out.append(Run(n, text.strip(), round(size * tm[0], 1), tm[4], tm[5]))

        page.extract_text(visitor_text=visit)
    return out, float(reader.pages[0].mediabox.width)


def render_note(note: Note) -> bytes:
    draft = build_draft(note.response, note.text)
    return render(build_summary("rec-1", "clinic-a", RECEIVED, 60.0, note.text, draft=draft)).pdf


def long_note() -> Note:
    """Sixteen drugs with long evidence sentences, a name with no spaces, many flags: several pages."""
    filler = "very " * 12
    text = " ".join(
        f"{d} {10 + i} mg by mouth twice daily, denies nausea at night, and reports the {filler}long story {i}."
        for i, d in enumerate(DRUGS)
    )
    note = Note(f"{text} {LONG_NAME} 5 mg daily.")
    for i, d in enumerate(DRUGS):
        note.drug(
            d,
            attributes={
                "STRENGTH": f"{10 + i} mg",
                "ROUTE_OR_MODE": ("by mouth", 0.6),
                "FREQUENCY": "twice daily",
            },
        )
        note.entities[-1]["Attributes"].append(
            note.attribute("FREQUENCY", "at night", after=note.entities[-1]["BeginOffset"])
        )
    note.drug(LONG_NAME, attributes={"STRENGTH": "5 mg", "FREQUENCY": "daily"})
    return note


def note_of(name: str) -> Note:
    """The note a test's id names: ``negation``, ``orphan``, ``long`` or ``N drugs`` (:func:`short_note`)."""
    fixed = {"negation": negation_note, "orphan": orphan_note, "long": long_note}
    return fixed[name]() if name in fixed else short_note(int(name.removesuffix(" drugs")))


@functools.cache
def pdf_of(name: str) -> bytes:
    """The note ``name`` drafted and rendered once per module (several tests read the same pages; none
    changes them)."""
    return render_note(note_of(name))


@functools.cache
def runs_of(name: str) -> tuple[list[Run], float]:
    return runs(pdf_of(name))


def test_body_text_is_10_pt_evidence_8_pt_and_nothing_smaller() -> None:
    # Given a draft with evidence under rows and list items
    found, _ = runs_of("negation")
    # When the font size of every text run is read back
    evidence = [r for r in found if r.text.startswith("Evidence:")]
    body = [
        r for r in found if r.text in {"oxycodone: not taking", "None."} or r.text.startswith("Metformin ")
    ]
    # Then evidence is small but readable, and the body is larger than the evidence
    assert evidence
    assert {r.size for r in evidence} == {8.0}
    assert {r.size for r in body} == {10.0}
    assert min(r.size for r in found) >= 8.0


@pytest.mark.parametrize("note", ["negation", "orphan", "long"])
def test_sections_appear_once_in_the_order_a_clinician_reads_them(note: str) -> None:
    found, _ = runs_of(note)
    headings = [r.text for r in found if r.size == 12.5]
    assert headings == [s for s in SECTIONS if s != "Clinician signature:"]
    text = "\n".join(r.text for r in found)
    positions = [text.index(s) for s in SECTIONS]
    assert positions == sorted(positions)


def short_note(drugs: int) -> Note:
    """``drugs`` one-line prescriptions, a denied symptom and a problem: each count moves the headings down."""
    text = " ".join(f"{d} {10 + i} mg by mouth daily." for i, d in enumerate(DRUGS[:drugs]))
    note = Note(f"{text} Denies chest pain. Type 2 diabetes.")
    for i, d in enumerate(DRUGS[:drugs]):
        note.drug(
            d, attributes={"STRENGTH": f"{10 + i} mg", "ROUTE_OR_MODE": "by mouth", "FREQUENCY": "daily"}
        )
    note.condition("chest pain", traits={"SYMPTOM": 0.9, "NEGATION": 0.95})
    note.condition("Type 2 diabetes", traits={"DIAGNOSIS": 0.95})
    return note


@pytest.mark.parametrize("note", ["long", *(f"{n} drugs" for n in range(4, 17))])
def test_a_heading_is_never_stranded_at_the_bottom_of_a_page(note: str) -> None:
    # Given drafts whose sections fall at every height of the page
    found, _ = runs_of(note)
    pages = max(r.page for r in found)
    # When each page's last run above the footer is read
    for page in range(1, pages + 1):
        on_page = [r for r in found if r.page == page and not r.text.startswith("Page ")]
        lowest = min(on_page, key=lambda r: r.y)  # PDF y grows upwards
        # Then it is never a section heading (a heading always has its first lines under it)
        assert lowest.text not in SECTIONS, f"page {page} ends with heading {lowest.text!r}"


def medication_runs(found: list[Run]) -> list[Run]:
    """The runs of the Medications section (between its heading and the next one)."""
    headings = [i for i, r in enumerate(found) if r.size == 12.5]
    start = next(i for i in headings if found[i].text == "Medications")
    end = next(i for i in headings if i > start)
    return found[start:end]


def test_a_prescription_row_and_its_evidence_are_on_the_same_page() -> None:
    found = medication_runs(runs_of("long")[0])
    for drug in DRUGS:
        row = [r.page for r in found if r.text.startswith(f"{tall_man(drug)} ") and r.size == 10]
        evidence = [r.page for r in found if r.text.startswith(f"Evidence: “{drug} ")]
        assert len(row) == 1, drug
        assert evidence == row, drug


def test_no_text_starts_outside_the_printable_width() -> None:
    # Given a name with no spaces, wider than its column
    found, width = runs_of("long")
    # Then it is wrapped inside its cell: every run starts inside the margins (10 mm = 28.35 pt)
    assert all(28 <= r.x <= width - 28 for r in found), [r for r in found if not 28 <= r.x <= width - 28][:3]
    # And the name is drawn whole inside its cell (issue 15: the row is one text cell as wide as the page, so
    # the name may fit on one line; when it does not, it is broken over lines of the cell, never cut)
    pieces = [r.text.split(" ")[0] for r in medication_runs(found) if r.size == 10]
    pieces = [p for p in pieces if len(p) > 3 and p in LONG_NAME]
    assert "".join(pieces) == LONG_NAME


def worst_row_note(words: int) -> Note:
    """One drug said eight times, each with a different long frequency and route: the tallest row possible."""
    tail = " ".join(f"word{i}" for i in range(words))
    text = " ".join(
        f"Metformin {100 * (i + 1)} mg every {i + 2} hours when {tail} by mouth route{i} then."
        for i in range(8)
    )
    note = Note(text)
    for i in range(8):
        note.drug(
            "Metformin",
            occurrence=i,
            traits={"LOW_CONFIDENCE": 0.9},  # (issue 15: a FUTURE drug is not a prescription row any more)
            attributes={
                "STRENGTH": f"{100 * (i + 1)} mg",
                "FREQUENCY": f"every {i + 2} hours when {tail}",
                "ROUTE_OR_MODE": f"by mouth route{i}",
            },
        )
    return note


@pytest.mark.parametrize("words", [2, 60, 150])
def test_the_tallest_possible_row_still_renders_on_one_page_with_long_text_visibly_cut(words: int) -> None:
    # Given eight mentions of one drug whose frequencies run to hundreds of words (a row can't split pages)
    found, _ = runs(render_note(worst_row_note(words)))
    # Then the draft renders, the row and its evidence share a page, and long cell text ends in "…"
    (row,) = [r for r in medication_runs(found) if r.text.startswith("metFORMIN 100 mg")]
    evidence = [r for r in medication_runs(found) if r.text.startswith("Evidence:")]
    assert evidence
    assert evidence[0].page == row.page
    text = "\n".join(r.text for r in found)
    assert "(+2 more)" in text  # values beyond the cell's bound are counted, not dropped silently
    assert ("…" in section_text(text)) == (words > 2)


def section_text(text: str) -> str:
    return text[text.index("Medications") : text.index("Allergies")]


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("every 6 hours", 60, "every 6 hours"),
        ("every 6 hours as needed for pain", 20, "every 6 hours as…"),
        ("x" * 30, 10, "x" * 9 + "…"),
    ],
)
def test_clip_cuts_at_a_word_and_marks_the_cut(text: str, limit: int, expected: str) -> None:
    assert clip(text, limit) == expected
    assert len(clip(text, limit)) <= limit


def test_every_review_flag_is_introduced_by_its_kind_on_the_page() -> None:
    # Given every kind of flag the draft can raise
    assert set(FLAG_HEADINGS) == set(get_args(FlagKind))
    # When the orphan note (orphan doses, blank cells, a dropped drug) is rendered
    text = " ".join(r.text for r in runs_of("orphan")[0])  # bold heading and text: two runs
    review = text[text.index("Needs review") : text.index("Problems")]
    # Then each flag line starts with what kind of problem it is
    assert (
        "No medication: dose “40 mg”, route “by mouth”, frequency “at bedtime” with no medication identified"
        in review
    )
    assert "Blank cell: Atorvastatin: no route stated" in review
    assert "Dropped: possible medication “warfarin”" in review


# Justified text is spread by word spacing: a "Tw" operator, character spacing "Tc", horizontal scaling "Tz",
# or a TJ array with numeric adjustments between the glyphs. Left-aligned text has none of them: every line is
# one or more plain Tj strings drawn at their natural widths.
_JUSTIFIED = re.compile(rb"\b(?:Tw|Tc|Tz)\b|\[[^\]]*[<(][^\]]*-?\d+(?:\.\d+)?\s*[<(][^\]]*\]\s*TJ")


def _content_streams(pdf: bytes) -> bytes:
    return b"".join(page.get_contents().get_data() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(
    "stream",
    [
        b"BT /F1 10 Tf 1.25 Tw 31.18 700 Td <00280029> Tj ET",  # word spacing
        b"BT /F1 10 Tf 31.18 700 Td [<0028> -120.5 <0001> <0029>] TJ ET",  # adjusted glyph positions
        b"BT /F1 10 Tf 0.3 Tc 31.18 700 Td <00280029> Tj ET",  # character spacing
    ],
)
def test_the_detector_of_justified_text_sees_spread_text(stream: bytes) -> None:
    # Given content streams that spread a line (the check below must be able to fire)
    # Then the detector sees it
    assert _JUSTIFIED.search(stream)


def test_cells_and_evidence_are_left_aligned_never_justified() -> None:
    # Given a several-page draft with long evidence sentences in narrow cells
    pdf = pdf_of("long")
    streams = _content_streams(pdf)
    # Then no text on any page is spread by word spacing (justified text in narrow cells reads badly)
    assert b" Tj" in streams
    assert not _JUSTIFIED.search(streams)
    # And the wrapped lines of each list item and paragraph start at the same left edge
    found, _ = runs(pdf)
    # (the evidence's sentences, not the "Said but not drafted" line quoting a clause: “… long story 2”;)
    transcript = [
        r
        for r in found
        if r.y < 800 and r.size == 10 and "long story" in r.text and not re.search(r"long story \d+”", r.text)
    ]
    assert len({round(r.x, 1) for r in transcript}) == 1, transcript[:3]

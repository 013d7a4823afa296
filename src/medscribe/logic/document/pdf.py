"""Rendering: a :class:`SummaryView` (header fields + :class:`Draft`) -> PDF bytes.

The jinja2 template ``templates/summary.html.j2`` (autoescape on, so transcript text such as ``<b>`` is shown
literally) is laid out by fpdf2's ``write_html``: left-aligned cells, row rules, evidence in small type
(8 pt beside 10 pt body text), a "Page X of Y" footer on every page; a section that would start in the last
lines of a page starts on the next one, so no heading is stranded from its content.

- Text is drawn with an embedded DejaVu Sans subset (``templates/fonts``): accented Latin, Greek, Cyrillic,
  dashes and clinical symbols render; any character outside the subset becomes U+FFFD before rendering, so
  fpdf2 never logs a "missing glyph" warning quoting patient text.
- Output is byte-stable: the PDF creation date is the recording's ``received_at``, and fpdf2 derives the
  file id from the content.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import re
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from fontTools.ttLib import TTFont
from pydantic import BaseModel, ConfigDict

# Pillow is not in the Lambda's PDF layer: fpdf2 imports it only to draw images (the draft has none) and warns
# once, at import, when it is absent. That one warning is expected; any other still shows.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Pillow could not be imported", category=UserWarning)
    from fpdf import FPDF, TextStyle

from medscribe.errors import DocumentRenderFailed
from medscribe.logic.document.draft import build_draft
from medscribe.logic.document.model import Draft
from medscribe.models import RecordingDetails

TEMPLATE_NAME = "summary.html.j2"
FONT_FAMILY = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
REPLACEMENT_CHARACTER = "\ufffd"
SECTION_MARK = "<!-- section -->"  # the template starts each section with it
BODY_SIZE_PT = 10  # body text; evidence is 8 pt, the footer 8 pt
MIN_SECTION_START_MM = 35  # a section (heading + first lines) starting lower than this goes to the next page
_HEADING = "#960000"
TAG_STYLES = {
    "h1": TextStyle(font_size_pt=17, color=_HEADING, t_margin=0, b_margin=0.3),
    "h2": TextStyle(font_size_pt=12.5, color=_HEADING, t_margin=5, b_margin=0.3),
    "p": TextStyle(t_margin=0, b_margin=1.5),
    "ul": TextStyle(t_margin=0),
    "li": TextStyle(l_margin=5, t_margin=1.2),
}


class SummaryView(BaseModel):
    """Everything the page shows: the recording's header fields and the :class:`Draft`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    recording_id: str
    tenant: str
    received_at: datetime
    duration_seconds: float
    transcript_text: str
    draft: Draft
    date_of_service: date | None = None
    clinician_name: str | None = None
    patient_reference: str | None = None

    @property
    def received_at_utc(self) -> datetime:
        aware = self.received_at if self.received_at.tzinfo else self.received_at.replace(tzinfo=UTC)
        return aware.astimezone(UTC)

    @property
    def received_at_text(self) -> str:
        return self.received_at_utc.strftime("%Y-%m-%d %H:%M:%S UTC")

    @property
    def date_of_service_text(self) -> str:
        if self.date_of_service is not None:
            return self.date_of_service.isoformat()
        return f"{self.received_at_utc.date().isoformat()} (date received; no date of service given)"

    @property
    def duration_text(self) -> str:
        total = max(0, math.floor(self.duration_seconds + 0.5))
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    @property
    def transcript_paragraphs(self) -> list[str]:
        return [p for p in (" ".join(b.split()) for b in re.split(r"\n\s*\n", self.transcript_text)) if p]


def build_summary(
    recording_id: str,
    tenant: str,
    received_at: datetime,
    duration_seconds: float,
    transcript_text: str,
    entities: list[dict[str, Any]] | None = None,
    *,
    draft: Draft | None = None,
    details: RecordingDetails | None = None,
    min_score: float = 0.5,
) -> SummaryView:
    """The page's content: a stored :class:`Draft` (from FilterEntities), or one built from ``entities``."""
    if draft is None:
        response = {"Entities": entities or [], "UnmappedAttributes": [], "ModelVersion": "unknown"}
        draft = build_draft(response, transcript_text, min_score=min_score)
    return SummaryView(
        recording_id=recording_id,
        tenant=tenant,
        received_at=received_at,
        duration_seconds=duration_seconds,
        transcript_text=transcript_text,
        draft=draft,
        date_of_service=details.date_of_service if details else None,
        clinician_name=details.clinician_name if details else None,
        patient_reference=details.patient_reference if details else None,
    )


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


# ---------------------------------------------------------------------------------------------------------
# View -> PDF
# ---------------------------------------------------------------------------------------------------------


@functools.cache
def _environment() -> jinja2.Environment:
    # fpdf2 subsets the fonts with fontTools, whose INFO records list the glyph names used (a trace of the
    # text): keep them out of the logs.
    logging.getLogger("fontTools.subset").setLevel(logging.WARNING)
    return jinja2.Environment(
        loader=jinja2.PackageLoader("medscribe", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _font_path(style: str) -> Path:
    return Path(str(resources.files("medscribe").joinpath("templates", "fonts", _FONT_FILES[style])))


@functools.cache
def _font_coverage() -> frozenset[int]:
    """Code points every embedded face can draw."""
    coverage: frozenset[int] | None = None
    for style in _FONT_FILES:
        with TTFont(_font_path(style), lazy=True) as font:
            cmap = frozenset(font.getBestCmap())
        coverage = cmap if coverage is None else coverage & cmap
    return coverage or frozenset()


def drawable(text: str) -> str:
    """``text`` as the embedded fonts can draw it: whitespace becomes a space, invisible control and format
    characters are dropped, characters outside the font subset become U+FFFD."""
    coverage = _font_coverage()
    out: list[str] = []
    for ch in text:
        if ch.isspace():
            out.append(" ")
        elif not ch.isprintable():
            continue
        else:
            out.append(ch if ord(ch) in coverage else REPLACEMENT_CHARACTER)
    return "".join(out)


def _drawable(value: Any) -> Any:
    if isinstance(value, str):
        return drawable(value)
    if isinstance(value, tuple):
        return tuple(_drawable(v) for v in value)
    if isinstance(value, BaseModel):
        return value.model_copy(update={k: _drawable(v) for k, v in value.__dict__.items()})
    return value


def _drawable_view(view: SummaryView) -> SummaryView:
    """A copy of the view whose every string is drawable; the transcript keeps its paragraph breaks."""
    update = {k: _drawable(v) for k, v in view.__dict__.items() if k != "transcript_text"}
    update["transcript_text"] = "\n\n".join(drawable(p) for p in view.transcript_paragraphs)
    return view.model_copy(update=update)


class _Pdf(FPDF):
    """A4 with a "Page X of Y" footer on every page."""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT_FAMILY, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def render_html(view: SummaryView) -> str:
    """The template's output (escaped HTML) for ``view``."""
    return _environment().get_template(TEMPLATE_NAME).render(view=view)


def render(view: SummaryView) -> RenderedDocument:
    """Draw the PDF; ``DocumentRenderFailed`` (naming only the failure's type) if anything goes wrong."""
    try:
        html = render_html(_drawable_view(view))
        pdf = _Pdf(format="A4")
        pdf.set_creation_date(view.received_at_utc)
        pdf.set_title(f"Clinical summary {view.recording_id}")
        pdf.set_author("medscribe")
        for style in _FONT_FILES:
            pdf.add_font(FONT_FAMILY, style, _font_path(style))
        pdf.set_auto_page_break(auto=True, margin=18)
        pdf.add_page()
        pdf.set_font(FONT_FAMILY, "", BODY_SIZE_PT)
        for section in html.split(SECTION_MARK):
            if pdf.get_y() > pdf.page_break_trigger - MIN_SECTION_START_MM:  # keep a heading with its content
                pdf.add_page()
            pdf.write_html(
                section, font_family=FONT_FAMILY, table_line_separators=True, tag_styles=TAG_STYLES
            )
        data = bytes(pdf.output())
        pages = pdf.pages_count
    except Exception as exc:
        raise DocumentRenderFailed(f"PDF rendering failed: {type(exc).__name__}") from exc
    return RenderedDocument(pdf=data, pages=pages)


def render_pdf(view: SummaryView) -> bytes:
    """The PDF bytes for ``view`` (see :func:`render` for the page count)."""
    return render(view).pdf


_PAGES_DICTIONARY = re.compile(rb"<<(?:(?!>>).)*?/Type\s*/Pages\b(?:(?!>>).)*?>>", re.DOTALL)
_COUNT = re.compile(rb"/Count\s+(\d+)")


def count_pages(pdf: bytes) -> int:
    """Pages of a PDF made by :func:`render_pdf` (fpdf2 writes its page tree root uncompressed).

    ``render`` returns the count without parsing; this is for callers that only kept the bytes.
    """
    for match in _PAGES_DICTIONARY.finditer(pdf):
        count = _COUNT.search(match.group(0))
        if count:
            return int(count.group(1))
    raise DocumentRenderFailed("PDF has no page tree with a page count")

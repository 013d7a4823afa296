"""Rendering: a :class:`SummaryView` (header fields + :class:`Draft`) -> PDF bytes.

The jinja2 template ``templates/summary.html.j2`` (autoescape on, so transcript text such as ``<b>`` is shown
literally) is parsed with the stdlib ``html.parser`` (:mod:`.htmlblocks`), laid out by :mod:`.layout` and
written by :mod:`.pdfwriter`, an in-house PDF writer (no fpdf2, no fontTools at run time: the PDF step's cold
start is what the other steps pay). Left-aligned lines and cells, row rules, evidence in small type (8 pt beside
10 pt body text), a "Page X of Y" footer on every page; a section that would start in the last 35 mm of a page
starts on the next one, so no heading is stranded from its content.

- Text is drawn with an embedded DejaVu Sans subset built once by ``scripts/build_pdf_fonts.py``
  (``templates/fonts``): accented Latin, Greek, Cyrillic, dashes and clinical symbols render; any character
  outside the subset becomes U+FFFD before rendering.
- Output is byte-stable: the PDF creation date is the recording's ``received_at``, and the file id is
  derived from the content.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import jinja2
from pydantic import BaseModel, ConfigDict

from medscribe.errors import DocumentRenderFailed
from medscribe.logic.document.draft import build_draft
from medscribe.logic.document.htmlblocks import Style, parse, parse_color
from medscribe.logic.document.layout import Layout, footer
from medscribe.logic.document.model import Draft
from medscribe.logic.document.pdfwriter import PdfDocument, load_font
from medscribe.models import RecordingDetails

TEMPLATE_NAME = "summary.html.j2"
FACES = ("regular", "bold")
REPLACEMENT_CHARACTER = "\ufffd"
BODY_SIZE_PT = 10  # body text; evidence is 8 pt, the footer 8 pt
_HEADING = parse_color("#960000")
TAG_STYLES = {
    "h1": Style(size=17, color=_HEADING),
    "h2": Style(size=12.5, color=_HEADING),
    "p": Style(size=BODY_SIZE_PT),
    "li": Style(size=BODY_SIZE_PT),
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
    return jinja2.Environment(
        loader=jinja2.PackageLoader("medscribe", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def _font_coverage() -> frozenset[int]:
    """Code points every embedded face can draw."""
    return frozenset.intersection(*(frozenset(load_font(face).cmap) for face in FACES))


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


def render_html(view: SummaryView) -> str:
    """The template's output (escaped HTML) for ``view``."""
    return _environment().get_template(TEMPLATE_NAME).render(view=view)


def render(view: SummaryView) -> RenderedDocument:
    """Draw the PDF; ``DocumentRenderFailed`` (naming only the failure's type) if anything goes wrong."""
    try:
        html = render_html(_drawable_view(view))
        document = PdfDocument(
            title=f"Clinical summary {view.recording_id}", author="medscribe", created=view.received_at_utc
        )
        Layout(document, TAG_STYLES).blocks(parse(html, TAG_STYLES))
        footer(document)
        data = document.output()
        pages = len(document.pages)
    except Exception as exc:
        raise DocumentRenderFailed(f"PDF rendering failed: {type(exc).__name__}") from exc
    return RenderedDocument(pdf=data, pages=pages)


def render_pdf(view: SummaryView) -> bytes:
    """The PDF bytes for ``view`` (see :func:`render` for the page count)."""
    return render(view).pdf


_PAGES_DICTIONARY = re.compile(rb"<<(?:(?!>>).)*?/Type\s*/Pages\b(?:(?!>>).)*?>>", re.DOTALL)
_COUNT = re.compile(rb"/Count\s+(\d+)")


def count_pages(pdf: bytes) -> int:
    """Pages of a PDF made by :func:`render_pdf` (:mod:`.pdfwriter` writes its page tree root uncompressed).

    ``render`` returns the count without parsing; this is for callers that only kept the bytes.
    """
    for match in _PAGES_DICTIONARY.finditer(pdf):
        count = _COUNT.search(match.group(0))
        if count:
            return int(count.group(1))
    raise DocumentRenderFailed("PDF has no page tree with a page count")

"""The clinical summary / prescription draft PDF.

``build_summary`` turns the kept DetectEntitiesV2 entities into a :class:`SummaryView` (pure data: what the
document says); ``render_pdf`` draws it: the jinja2 template ``templates/summary.html.j2`` (autoescape on,
so transcript text such as ``<b>`` is shown literally) is laid out by fpdf2's ``write_html``.

- Medications with a NEGATION trait are not in the prescription draft: they are listed under
  "Discontinued / not taking".
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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from fontTools.ttLib import TTFont
from fpdf import FPDF
from pydantic import BaseModel, ConfigDict, ValidationError

from medscribe.errors import DocumentRenderFailed, InvalidInput
from medscribe.shapes import Entity

TEMPLATE_NAME = "summary.html.j2"
FONT_FAMILY = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
TRAIT_MIN_SCORE = 0.5  # a trait counts (e.g. NEGATION) at this score or above
REPLACEMENT_CHARACTER = "\ufffd"

_T = TypeVar("_T")

_QUALIFIER_TRAITS = {
    "PAST_HISTORY": "past history",
    "PERTAINS_TO_FAMILY": "family history",
    "HYPOTHETICAL": "hypothetical",
    "FUTURE": "future",
    "LOW_CONFIDENCE": "low confidence",
}
_CONDITION_KINDS = ("DIAGNOSIS", "SYMPTOM", "SIGN")
_PROCEDURE_TYPES = {"TEST_NAME": "test", "PROCEDURE_NAME": "procedure", "TREATMENT_NAME": "treatment"}
_MEDICATION_FIELDS = {
    "STRENGTH": "strength",
    "DOSAGE": "dosage",
    "FREQUENCY": "frequency",
    "ROUTE_OR_MODE": "route",
    "DURATION": "duration",
    "FORM": "form",
    "RATE": "rate",
}


class _Line(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MedicationLine(_Line):
    name: str
    strength: str = ""
    dosage: str = ""
    frequency: str = ""
    route: str = ""
    duration: str = ""
    form: str = ""
    rate: str = ""
    negated: bool = False
    qualifiers: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Name, form and trait qualifiers: the first cell of the prescription table."""
        text = f"{self.name}, {self.form}" if self.form else self.name
        return f"{text} ({', '.join(self.qualifiers)})" if self.qualifiers else text

    @property
    def details(self) -> str:
        parts = (self.strength, self.dosage, self.route, self.frequency, self.duration, self.rate)
        return ", ".join(p for p in parts if p)


class ConditionLine(_Line):
    name: str
    kind: str = ""  # "diagnosis" | "symptom" | "sign" | ""
    negated: bool = False
    details: tuple[str, ...] = ()  # ACUITY, DIRECTION, SYSTEM_ORGAN_SITE, QUALITY, QUANTITY attribute texts
    qualifiers: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        parts = [self.name + (f" ({', '.join(self.details)})" if self.details else "")]
        if self.kind:
            parts.append(self.kind)
        if self.negated:
            parts.append("negated / denied")
        parts.extend(self.qualifiers)
        return " — ".join(parts)


class ProcedureLine(_Line):
    name: str
    kind: str  # "test" | "procedure" | "treatment"
    value: str = ""
    unit: str = ""
    negated: bool = False
    qualifiers: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        result = " ".join(p for p in (self.value, self.unit) if p)
        parts = [self.name + (f": {result}" if result else ""), self.kind]
        if self.negated:
            parts.append("negated / not done")
        parts.extend(self.qualifiers)
        return " — ".join(parts)


class SummaryView(_Line):
    recording_id: str
    tenant: str
    received_at: datetime
    duration_seconds: float
    transcript_text: str
    prescriptions: tuple[MedicationLine, ...] = ()
    discontinued: tuple[MedicationLine, ...] = ()
    conditions: tuple[ConditionLine, ...] = ()
    procedures: tuple[ProcedureLine, ...] = ()

    @property
    def received_at_utc(self) -> datetime:
        aware = self.received_at if self.received_at.tzinfo else self.received_at.replace(tzinfo=UTC)
        return aware.astimezone(UTC)

    @property
    def received_at_text(self) -> str:
        return self.received_at_utc.strftime("%Y-%m-%d %H:%M:%S UTC")

    @property
    def duration_text(self) -> str:
        total = max(0, math.floor(self.duration_seconds + 0.5))
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"

    @property
    def transcript_paragraphs(self) -> list[str]:
        return [p for p in (" ".join(b.split()) for b in re.split(r"\n\s*\n", self.transcript_text)) if p]


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


# ---------------------------------------------------------------------------------------------------------
# Entities -> view
# ---------------------------------------------------------------------------------------------------------


def build_summary(
    recording_id: str,
    tenant: str,
    received_at: datetime,
    duration_seconds: float,
    transcript_text: str,
    entities: list[dict[str, Any]],
) -> SummaryView:
    """The document's content from the kept DetectEntitiesV2 entities (already score-filtered)."""
    parsed: list[Entity] = []
    for index, raw in enumerate(entities):
        try:
            parsed.append(Entity.model_validate(raw))
        except ValidationError as exc:
            raise InvalidInput(
                f"entity {index} does not match the DetectEntitiesV2 shape ({exc.error_count()} errors)"
            ) from exc
    parsed.sort(key=lambda e: (e.BeginOffset, e.Id))

    medications = _unique(_medication(e) for e in parsed if e.Category == "MEDICATION")
    return SummaryView(
        recording_id=recording_id,
        tenant=tenant,
        received_at=received_at,
        duration_seconds=duration_seconds,
        transcript_text=transcript_text,
        prescriptions=tuple(m for m in medications if not m.negated),
        discontinued=tuple(m for m in medications if m.negated),
        conditions=tuple(_unique(_condition(e) for e in parsed if e.Category == "MEDICAL_CONDITION")),
        procedures=tuple(
            _unique(
                _procedure(e)
                for e in parsed
                if e.Category == "TEST_TREATMENT_PROCEDURE" and e.Type in _PROCEDURE_TYPES
            )
        ),
    )


def _traits(entity: Entity) -> set[str]:
    return {t.Name for t in entity.Traits if t.Score >= TRAIT_MIN_SCORE}


def _qualifiers(traits: set[str]) -> tuple[str, ...]:
    return tuple(label for name, label in _QUALIFIER_TRAITS.items() if name in traits)


def _attribute_texts(entity: Entity, attribute_type: str) -> str:
    texts = [
        a.Text for a in sorted(entity.Attributes, key=lambda a: a.BeginOffset) if a.Type == attribute_type
    ]
    return ", ".join(dict.fromkeys(texts))


def _medication(entity: Entity) -> MedicationLine:
    traits = _traits(entity)
    fields = {field: _attribute_texts(entity, kind) for kind, field in _MEDICATION_FIELDS.items()}
    return MedicationLine(
        name=entity.Text, negated="NEGATION" in traits, qualifiers=_qualifiers(traits), **fields
    )


def _condition(entity: Entity) -> ConditionLine:
    traits = _traits(entity)
    kinds = sorted(
        (t for t in entity.Traits if t.Name in _CONDITION_KINDS and t.Score >= TRAIT_MIN_SCORE),
        key=lambda t: -t.Score,
    )
    details = tuple(dict.fromkeys(a.Text for a in sorted(entity.Attributes, key=lambda a: a.BeginOffset)))
    return ConditionLine(
        name=entity.Text,
        kind=kinds[0].Name.lower() if kinds else "",
        negated="NEGATION" in traits,
        details=details,
        qualifiers=_qualifiers(traits),
    )


def _procedure(entity: Entity) -> ProcedureLine:
    traits = _traits(entity)
    return ProcedureLine(
        name=entity.Text,
        kind=_PROCEDURE_TYPES[entity.Type],
        value=_attribute_texts(entity, "TEST_VALUE"),
        unit=_attribute_texts(entity, "TEST_UNIT"),
        negated="NEGATION" in traits,
        qualifiers=_qualifiers(traits),
    )


def _unique(items: Iterable[_T]) -> list[_T]:
    return list(dict.fromkeys(items))


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
    if isinstance(value, _Line):
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
        pdf = FPDF(format="A4")
        pdf.set_creation_date(view.received_at_utc)
        pdf.set_title(f"Clinical summary {view.recording_id}")
        pdf.set_author("medscribe")
        for style in _FONT_FILES:
            pdf.add_font(FONT_FAMILY, style, _font_path(style))
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()
        pdf.write_html(html, font_family=FONT_FAMILY)
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

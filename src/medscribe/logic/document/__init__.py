"""The clinical draft: what the clinician reads and signs.

- :mod:`.normalise` attribute text -> normalised dose / frequency / route / duration / form;
- :mod:`.evidence` sentences, whole attribute spans, low-confidence ASR words;
- :mod:`.model` the draft's data (rows, sections, evidence, review flags; :mod:`.flag_kinds` the flag kinds,
  :mod:`.cell_text` a table cell's text);
- :mod:`.context` what the builders share: transcript sentences, thresholds, review flags, attribute values;
- :mod:`.medications` prescription rows, merging, "Not taking" notes, orphan doses, conditional holds;
- :mod:`.mention_context` allergy / hold context of a medication mention, read from the transcript (its words:
  :mod:`.allergy_cues`, :mod:`.hold_cues`);
- :mod:`.allergies` allergens never prescribed (notes, conflict flags, the last guard on the table);
- :mod:`.findings` problems, denied symptoms (negation scope from the words and the trait), tests and procedures;
- :mod:`.scope` (+ :mod:`.scope_words`, :mod:`.relation_words`, :mod:`.scope_conditional`, :mod:`.scope_negation`,
  :mod:`.scope_subject`, :mod:`.subject_lists`, :mod:`.subject_clause_end`) whose / conditional / negation reach,
  read from the transcript words;
- :mod:`.about` routes family, other people's, conditional, future and past mentions to their own sections;
- :mod:`.dosechange` dose changes ("from 25 to 50 mg"), titration steps and tapers;
- :mod:`.allergy_list` the Allergies section (drug classes: ``data/drug_classes.json``); :mod:`.orphans`;
- :mod:`.sections` the draft as printed: ``{"sections": [...]}`` (docs/draft.md), the PDF's source;
- :mod:`.draft` DetectEntitiesV2 response + transcript -> :class:`Draft` (dropped drugs, ASR-word flags);
- :mod:`.pdf` header fields + draft -> PDF (jinja2 template; :mod:`.htmlblocks` parses its HTML,
  :mod:`.pdfdraw` draws it with fpdf2, :mod:`.fonts` the Noto subsets and their coverage).
"""

from typing import TYPE_CHECKING, Any

from medscribe.logic.document.draft import DEFAULT_REVIEW_THRESHOLD, TRAIT_MIN_SCORE, build_draft
from medscribe.logic.document.model import Draft, PrescriptionRow, ReviewFlag

if TYPE_CHECKING:
    from medscribe.logic.document.pdf import (
        RenderedDocument,
        SummaryView,
        build_summary,
        count_pages,
        drawable,
        render,
        render_html,
        render_pdf,
        uncovered,
    )

# The PDF stack (jinja2, fpdf2 and the fonts) is imported on first use: FilterEntities builds the draft without
# it (its Lambda has no PDF layer); RenderPdf and the tests reach these names through the package as before.
_PDF_NAMES = frozenset(
    {"RenderedDocument", "SummaryView", "build_summary", "count_pages", "drawable", "render", "render_html"}
    | {"render_pdf", "uncovered"}
)


def __getattr__(name: str) -> Any:
    if name in _PDF_NAMES:
        from medscribe.logic.document import pdf

        return getattr(pdf, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_REVIEW_THRESHOLD",
    "TRAIT_MIN_SCORE",
    "Draft",
    "PrescriptionRow",
    "RenderedDocument",
    "ReviewFlag",
    "SummaryView",
    "build_draft",
    "build_summary",
    "count_pages",
    "drawable",
    "render",
    "render_html",
    "render_pdf",
    "uncovered",
]

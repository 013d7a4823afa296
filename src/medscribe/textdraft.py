"""A text -> the draft's sections, with no audio: the pipeline's DetectEntities -> FilterEntities -> draft path.

``draft_sections(text)`` applies the pipeline's own steps in order: the transcript normalisation DetectEntities
applies (:func:`medscribe.textnorm.normalize_clinical_text`), the offline detector (DetectEntitiesV2 shape), the
FilterEntities confidence filter (:func:`medscribe.logic.entities.filter_by_score`, Score >= 0.5) and the draft
built from the whole response as the FilterEntities Lambda builds it. Used by ``medscribe draft`` and the
held-out scorer.
"""

from __future__ import annotations

from typing import Any

from medscribe.errors import InvalidInput
from medscribe.logic.document.model import Draft
from medscribe.logic.document.sections import Sections, build_sections

MAX_CHARS = 20_000  # DetectEntitiesV2's own input limit (UTF-8 characters)
MIN_SCORE = 0.5  # the pipeline's default keep threshold (PipelineSettings.min_score)


class TextTooLong(InvalidInput):
    """The text is longer than DetectEntitiesV2 accepts."""


class EmptyText(InvalidInput):
    """There is no text to draft."""


def draft_from_text(text: str, *, min_score: float = MIN_SCORE) -> tuple[str, Draft]:
    """(the normalised transcript, its draft)."""
    from medscribe.logic.document.draft import build_draft
    from medscribe.logic.entities import filter_by_score
    from medscribe.offline.ner import OfflineEntityDetector
    from medscribe.textnorm import normalize_clinical_text

    if not text.strip():
        raise EmptyText("no text to draft")
    if len(text) > MAX_CHARS:
        raise TextTooLong(f"text too long ({len(text)} > {MAX_CHARS} characters)")
    normalised = normalize_clinical_text(text)
    response: dict[str, Any] = OfflineEntityDetector().detect_entities(normalised)
    filter_by_score(response, min_score)  # the FilterEntities step (its kept/dropped lists are for the audit)
    return normalised, build_draft(response, normalised, min_score=min_score)


def sections_from_text(text: str) -> Sections:
    return build_sections(draft_from_text(text)[1])


def draft_sections(text: str) -> dict[str, Any]:
    """``{"sections": [...]}`` for ``text`` (docs/draft.md)."""
    return sections_from_text(text).as_json()

"""DetectEntitiesV2 response + transcript -> :class:`Draft` (rows, sections, evidence, review flags).

Built on the DetectEntitiesV2 shape only, so it is the same with Comprehend Medical or the offline detector:

- entities below ``min_score`` are not drafted (a dropped MEDICATION is flagged); kept entities and
  attributes below ``review_threshold`` are flagged;
- medications (:mod:`.medications`): attributes used only within the medication's clause, widened to whole
  numbers and normalised; one row per drug; negated, hypothetical, family and history-only drugs never
  prescribed; contradictions flagged; UnmappedAttributes become a flagged row, never disappear;
- allergies (:mod:`.allergies`, read from the transcript): never prescribed, shown under "Not taking";
  conditional holds ("hold X if …") stay a flagged row with the hold shown (:mod:`.medications`);
- conditions and procedures (:mod:`.findings`): problems, denied symptoms, tests and procedures;
- low-confidence ASR words (below ``asr_bound``) in medication sentences are flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from medscribe.errors import InvalidInput
from medscribe.logic.document.allergies import withhold_allergens
from medscribe.logic.document.context import TRAIT_MIN_SCORE, DraftContext
from medscribe.logic.document.evidence import uncertain_words
from medscribe.logic.document.findings import conditions, procedures
from medscribe.logic.document.guards import run_guards
from medscribe.logic.document.medications import medications, orphans
from medscribe.logic.document.model import Draft
from medscribe.shapes import DetectEntitiesV2Response, Entity, TranscriptItem

__all__ = [
    "ASR_CONFIDENCE_BOUND",
    "DEFAULT_REVIEW_THRESHOLD",
    "TRAIT_MIN_SCORE",
    "build_draft",
    "parse_response",
]

DEFAULT_REVIEW_THRESHOLD = 0.7
ASR_CONFIDENCE_BOUND = 0.6  # transcript words below this inside a medication sentence are flagged


def parse_response(response: dict[str, Any]) -> DetectEntitiesV2Response:
    try:
        return DetectEntitiesV2Response.model_validate(
            {"ModelVersion": "unknown", **response, "Entities": response.get("Entities", [])}
        )
    except ValidationError as exc:
        raise InvalidInput(
            f"entities do not match the DetectEntitiesV2 shape ({exc.error_count()} errors)"
        ) from exc


def build_draft(
    response: dict[str, Any],
    transcript_text: str,
    *,
    min_score: float = 0.5,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    asr_items: Sequence[TranscriptItem] = (),
    asr_bound: float = ASR_CONFIDENCE_BOUND,
) -> Draft:
    """The draft from a whole DetectEntitiesV2 response (not pre-filtered: dropped medications are flagged)."""
    parsed = parse_response(response)
    ctx = DraftContext(transcript_text, min_score, max(review_threshold, min_score))
    entities = sorted(parsed.Entities, key=lambda e: (e.BeginOffset, e.Id))
    ctx.medication_spans = [
        (e.BeginOffset, e.EndOffset) for e in entities if e.Category == "MEDICATION" and ctx.at(e)
    ]
    _flag_dropped_medications(ctx, entities)
    kept = [e for e in entities if e.Score >= min_score]
    rows, notes = medications(ctx, [e for e in kept if e.Category == "MEDICATION"])
    rows = withhold_allergens(ctx, rows, notes, kept)
    rows += orphans(ctx, (u.Attribute for u in parsed.UnmappedAttributes))
    problems, denied = conditions(ctx, kept)
    found = procedures(ctx, kept)
    if asr_items:
        _flag_uncertain_words(ctx, asr_items, asr_bound)
    flags = sorted(
        dict.fromkeys(ctx.flags), key=lambda f: f.begin_offset if f.begin_offset is not None else -1
    )
    draft = Draft(
        min_score=min_score,
        review_threshold=ctx.review,
        asr_confidence_bound=asr_bound,
        prescriptions=tuple(sorted(rows, key=lambda r: r.evidence[0].begin_offset if r.evidence else 0)),
        not_taking=_unique(notes),
        problems=_unique(problems),
        denied=_unique(denied),
        procedures=_unique(found),
        flags=tuple(flags),
    )
    return run_guards(draft, transcript_text, entities=entities, asr_items=asr_items, asr_bound=asr_bound)


def _flag_dropped_medications(ctx: DraftContext, entities: Sequence[Entity]) -> None:
    for e in entities:
        if e.Category == "MEDICATION" and e.Score < ctx.min_score:
            ctx.flag_item(
                "DROPPED_MEDICATION",
                e,
                f"possible medication “{e.Text}” below the keep threshold: not drafted",
            )


def _flag_uncertain_words(ctx: DraftContext, items: Sequence[TranscriptItem], bound: float) -> None:
    for word in uncertain_words(ctx.text, items, bound, ctx.spans):
        if word.sentence is not None and word.sentence in ctx.medication_sentences:
            ctx.flag(
                "LOW_ASR_CONFIDENCE",
                word.content,
                f"word “{word.content}” was heard with low confidence in: "
                f"“{ctx.text[word.sentence.begin : word.sentence.end]}”",
                score=round(word.confidence, 4),
                begin=word.sentence.begin,
                end=word.sentence.end,
            )


def _unique(items: Sequence[Any]) -> tuple[Any, ...]:
    by_label: dict[str, Any] = {}
    for item in items:
        by_label.setdefault(item.label.lower(), item)
    return tuple(by_label.values())

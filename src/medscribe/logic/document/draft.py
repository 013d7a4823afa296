"""DetectEntitiesV2 response + transcript -> :class:`Draft` (rows, sections, evidence, review flags).

Built on the DetectEntitiesV2 shape only, so it is the same with Comprehend Medical or the offline detector:

- entities below ``min_score`` are not drafted (a dropped MEDICATION is flagged); kept entities and
  attributes below ``review_threshold`` are flagged;
- a medication's attributes are used only when they lie in the medication's sentence (others are flagged
  and left out), widened to whole numbers ("1 and 1/2 tabs") and normalised beside the raw text; an attribute
  that cannot be normalised is shown raw and flagged;
- one row per drug: mentions merged; NEGATION, HYPOTHETICAL, PERTAINS_TO_FAMILY and PAST_HISTORY-only drugs
  are never prescribed (listed under "Not taking"); a drug both taken and not taken is a contradiction, not a
  prescription; two different doses/frequencies/routes for one drug are a contradiction;
- UnmappedAttributes (a dose whose drug was not recognised) become a flagged row, never disappear;
- blank dose/route/frequency cells are flagged; low-confidence ASR words in medication sentences are flagged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from medscribe.errors import InvalidInput
from medscribe.logic.document.evidence import Span, sentence_of, sentences, uncertain_words, widen
from medscribe.logic.document.model import (
    AttributeValue,
    ConditionItem,
    Draft,
    Evidence,
    FlagKind,
    MedicationNote,
    PrescriptionRow,
    ProcedureItem,
    ReviewFlag,
)
from medscribe.logic.document.normalise import normalise
from medscribe.shapes import Attribute, DetectEntitiesV2Response, Entity, TranscriptItem

TRAIT_MIN_SCORE = 0.5  # a trait counts (e.g. NEGATION) at this score or above
DEFAULT_REVIEW_THRESHOLD = 0.7
MAX_SNIPPET = 240  # characters of evidence around a mention when its sentence is longer
ASR_CONFIDENCE_BOUND = 0.6  # transcript words below this inside a medication sentence are flagged

_DOSE_TYPES = ("STRENGTH", "DOSAGE", "RATE")
_MED_ATTRIBUTE_TYPES = (*_DOSE_TYPES, "FREQUENCY", "ROUTE_OR_MODE", "DURATION", "FORM")
_NOT_PRESCRIBED = {
    "NEGATION": "not taking",
    "HYPOTHETICAL": "hypothetical only: not prescribed",
    "PERTAINS_TO_FAMILY": "family history: not prescribed",
    "PAST_HISTORY": "past history only: not prescribed",
}
_QUALIFIER_TRAITS = {
    "PAST_HISTORY": "past history",
    "PERTAINS_TO_FAMILY": "family history",
    "HYPOTHETICAL": "hypothetical",
    "FUTURE": "future",
    "LOW_CONFIDENCE": "low confidence",
}
_CONDITION_KINDS = ("DIAGNOSIS", "SYMPTOM", "SIGN")
_PROCEDURE_TYPES = {"TEST_NAME": "test", "PROCEDURE_NAME": "procedure", "TREATMENT_NAME": "treatment"}
_ATTRIBUTE_WORDS = {
    "STRENGTH": "strength",
    "DOSAGE": "dose",
    "RATE": "rate",
    "FREQUENCY": "frequency",
    "ROUTE_OR_MODE": "route",
    "DURATION": "duration",
    "FORM": "form",
}


def parse_response(response: dict[str, Any]) -> DetectEntitiesV2Response:
    try:
        return DetectEntitiesV2Response.model_validate(
            {"ModelVersion": "unknown", **response, "Entities": response.get("Entities", [])}
        )
    except ValidationError as exc:
        raise InvalidInput(
            f"entities do not match the DetectEntitiesV2 shape ({exc.error_count()} errors)"
        ) from exc


class _Builder:
    def __init__(self, text: str, min_score: float, review_threshold: float) -> None:
        self.text = text
        self.spans = sentences(text)
        self.min_score = min_score
        self.review = review_threshold
        self.flags: list[ReviewFlag] = []
        self.medication_sentences: set[Span] = set()

    # ---- helpers ---------------------------------------------------------------------------------------
    def flag(
        self,
        kind: FlagKind,
        subject: str,
        message: str,
        *,
        score: float | None = None,
        entity_id: int | None = None,
        begin: int | None = None,
        end: int | None = None,
    ) -> None:
        self.flags.append(
            ReviewFlag(
                kind=kind,
                subject=subject,
                message=message,
                score=score,
                entity_id=entity_id,
                begin_offset=begin,
                end_offset=end,
            )
        )

    def sentence(self, offset: int) -> Span | None:
        return sentence_of(self.spans, offset)

    def evidence(self, item: Entity | Attribute, score: float) -> Evidence:
        """The sentence holding ``item`` (found by its text when its offsets do not point at it)."""
        offset = item.BeginOffset if self.at(item) else self.text.find(item.Text)
        span = self.sentence(offset) if offset >= 0 else None
        if span is None:
            return Evidence(
                sentence="(not located in the transcript)",
                score=round(score, 4),
                begin_offset=item.BeginOffset,
                end_offset=item.EndOffset,
            )
        begin, end = span.begin, span.end
        if end - begin > MAX_SNIPPET:  # an unpunctuated stretch: a window around the mention
            begin = max(begin, offset - MAX_SNIPPET // 2)
            end = min(end, begin + MAX_SNIPPET)
        snippet = self.text[begin:end]
        if (begin, end) != (span.begin, span.end):
            snippet = f"…{snippet}…"
        return Evidence(
            sentence=snippet,
            score=round(score, 4),
            begin_offset=begin,
            end_offset=end,
        )

    def at(self, item: Entity | Attribute) -> bool:
        """The item's offsets point at its text in the transcript (so sentences can be compared)."""
        return self.text[item.BeginOffset : item.EndOffset] == item.Text

    @staticmethod
    def traits(entity: Entity | Attribute) -> set[str]:
        return {t.Name for t in entity.Traits if t.Score >= TRAIT_MIN_SCORE}

    def value(self, attribute: Attribute, owner: str) -> AttributeValue:
        begin, end = widen(self.text, attribute.BeginOffset, attribute.EndOffset)
        raw = self.text[begin:end] if 0 <= begin < end <= len(self.text) else attribute.Text
        if self.text[attribute.BeginOffset : attribute.EndOffset] != attribute.Text:
            begin, end, raw = attribute.BeginOffset, attribute.EndOffset, attribute.Text  # offsets elsewhere
        result = normalise(attribute.Type, raw)
        word = _ATTRIBUTE_WORDS.get(attribute.Type, attribute.Type.lower())
        if not result.ok:
            self.flag(
                "NOT_NORMALISED",
                raw,
                f"{owner}: {word} “{raw}” could not be read with certainty",
                score=attribute.Score,
                entity_id=attribute.Id,
                begin=begin,
                end=end,
            )
        if attribute.Score < self.review:
            self.flag(
                "LOW_SCORE",
                raw,
                f"{owner}: {word} “{raw}” has a low score",
                score=attribute.Score,
                entity_id=attribute.Id,
                begin=begin,
                end=end,
            )
        return AttributeValue(type=attribute.Type, raw=raw, normalised=result.value, score=attribute.Score)

    # ---- medications -----------------------------------------------------------------------------------
    def medication_mention(self, entity: Entity) -> tuple[dict[str, list[AttributeValue]], Evidence]:
        own = self.sentence(entity.BeginOffset)
        if own is not None:
            self.medication_sentences.add(own)
        fields: dict[str, list[AttributeValue]] = {}
        lowest = entity.Score
        for attribute in sorted(entity.Attributes, key=lambda a: a.BeginOffset):
            if attribute.Type not in _MED_ATTRIBUTE_TYPES:
                continue
            word = _ATTRIBUTE_WORDS[attribute.Type]
            if attribute.Score < self.min_score:
                self.flag(
                    "LOW_SCORE",
                    attribute.Text,
                    f"{entity.Text}: {word} “{attribute.Text}” below the keep threshold, not used",
                    score=attribute.Score,
                    entity_id=attribute.Id,
                    begin=attribute.BeginOffset,
                    end=attribute.EndOffset,
                )
                continue
            if (
                own is not None
                and self.at(entity)
                and self.at(attribute)
                and self.sentence(attribute.BeginOffset) != own
            ):
                self.flag(
                    "OTHER_SENTENCE",
                    attribute.Text,
                    f"{entity.Text}: {word} “{attribute.Text}” comes from another sentence, not used",
                    score=attribute.Score,
                    entity_id=attribute.Id,
                    begin=attribute.BeginOffset,
                    end=attribute.EndOffset,
                )
                continue
            fields.setdefault(attribute.Type, []).append(self.value(attribute, entity.Text))
            lowest = min(lowest, attribute.Score)
        return fields, self.evidence(entity, lowest)

    def medications(self, entities: Sequence[Entity]) -> tuple[list[PrescriptionRow], list[MedicationNote]]:
        groups: dict[str, list[Entity]] = {}
        for entity in entities:
            groups.setdefault(" ".join(entity.Text.lower().split()), []).append(entity)
        rows: list[PrescriptionRow] = []
        notes: list[MedicationNote] = []
        for mentions in groups.values():
            name = mentions[0].Text
            for m in mentions:
                if m.Score < self.review:
                    self.flag(
                        "LOW_SCORE",
                        m.Text,
                        f"medication “{m.Text}” has a low score",
                        score=m.Score,
                        entity_id=m.Id,
                        begin=m.BeginOffset,
                        end=m.EndOffset,
                    )
            affirmed = [m for m in mentions if not self.traits(m) & set(_NOT_PRESCRIBED)]
            parsed = [(m, *self.medication_mention(m)) for m in mentions]
            negated = [m for m in mentions if "NEGATION" in self.traits(m)]
            if affirmed and negated:
                self.flag(
                    "CONTRADICTION",
                    name,
                    f"{name}: mentioned both as taken and as not taken: not prescribed",
                    entity_id=negated[0].Id,
                    begin=negated[0].BeginOffset,
                    end=negated[0].EndOffset,
                )
                notes.append(
                    MedicationNote(
                        name=name,
                        reason="contradictory mentions (taking / not taking)",
                        evidence=tuple(e for _, _, e in parsed),
                    )
                )
                continue
            if not affirmed:
                reasons = [
                    r for t, r in _NOT_PRESCRIBED.items() if any(t in self.traits(m) for m in mentions)
                ]
                details = _summary(f for m, f, _ in parsed)
                notes.append(
                    MedicationNote(
                        name=name, reason=reasons[0], details=details, evidence=tuple(e for _, _, e in parsed)
                    )
                )
                continue
            used = [(m, f, e) for m, f, e in parsed if m in affirmed]
            rows.append(self.row(name, used))
        return rows, notes

    def row(
        self, name: str, mentions: list[tuple[Entity, dict[str, list[AttributeValue]], Evidence]]
    ) -> PrescriptionRow:
        merged: dict[str, list[AttributeValue]] = {}
        for _, fields, _ in mentions:
            for kind, values in fields.items():
                merged.setdefault(kind, []).extend(values)
        merged = {k: _dedupe(v) for k, v in merged.items()}
        before = len(self.flags)
        for kind in ("STRENGTH", "DOSAGE", "FREQUENCY", "ROUTE_OR_MODE", "DURATION"):
            values = merged.get(kind, [])
            if len(values) > 1:
                shown = " / ".join(v.normalised or v.raw for v in values)
                self.flag(
                    "CONTRADICTION",
                    name,
                    f"{name}: different {_ATTRIBUTE_WORDS[kind]} mentioned ({shown})",
                    entity_id=mentions[0][0].Id,
                    begin=mentions[0][0].BeginOffset,
                    end=mentions[0][0].EndOffset,
                )
        dose = [v for k in _DOSE_TYPES for v in merged.get(k, [])]
        first = mentions[0][0]
        self.blank_cells(name, merged, first.Id, first.BeginOffset, first.EndOffset)
        qualifiers = tuple(
            dict.fromkeys(
                label for m, _, _ in mentions for t, label in _QUALIFIER_TRAITS.items() if t in self.traits(m)
            )
        )
        flagged = len(self.flags) > before or any(
            f.entity_id
            in {m.Id for m, _, _ in mentions} | {a.Id for m, _, _ in mentions for a in m.Attributes}
            for f in self.flags
        )
        return PrescriptionRow(
            name=name,
            form=tuple(merged.get("FORM", [])),
            dose=tuple(dose),
            route=tuple(merged.get("ROUTE_OR_MODE", [])),
            frequency=tuple(merged.get("FREQUENCY", [])),
            duration=tuple(merged.get("DURATION", [])),
            qualifiers=qualifiers,
            evidence=tuple(dict.fromkeys(e for _, _, e in mentions)),
            flagged=flagged,
        )

    def blank_cells(
        self, name: str, fields: dict[str, list[AttributeValue]], entity_id: int, begin: int, end: int
    ) -> None:
        cells = {
            "dose": [v for k in _DOSE_TYPES for v in fields.get(k, [])],
            "route": fields.get("ROUTE_OR_MODE", []),
            "frequency": fields.get("FREQUENCY", []),
        }
        for cell, values in cells.items():
            if not values:
                self.flag(
                    "BLANK_CELL", name, f"{name}: no {cell} stated", entity_id=entity_id, begin=begin, end=end
                )

    def orphans(self, unmapped: Iterable[Attribute]) -> list[PrescriptionRow]:
        by_sentence: dict[Span | None, list[Attribute]] = {}
        for attribute in unmapped:
            if attribute.Type in _MED_ATTRIBUTE_TYPES:
                by_sentence.setdefault(self.sentence(attribute.BeginOffset), []).append(attribute)
        rows = []
        for span, attributes in by_sentence.items():
            if span is not None:
                self.medication_sentences.add(span)
            fields: dict[str, list[AttributeValue]] = {}
            for a in sorted(attributes, key=lambda a: a.BeginOffset):
                self.flag(
                    "ORPHAN_ATTRIBUTE",
                    a.Text,
                    f"{_ATTRIBUTE_WORDS[a.Type]} “{a.Text}” with no medication identified",
                    score=a.Score,
                    entity_id=a.Id,
                    begin=a.BeginOffset,
                    end=a.EndOffset,
                )
                fields.setdefault(a.Type, []).append(self.value(a, "unidentified medication"))
            first = attributes[0]
            self.blank_cells("unidentified medication", fields, first.Id, first.BeginOffset, first.EndOffset)
            lowest = min(a.Score for a in attributes)
            ev = self.evidence(attributes[0], lowest)
            rows.append(
                PrescriptionRow(
                    name="",
                    form=tuple(fields.get("FORM", [])),
                    dose=tuple(v for k in _DOSE_TYPES for v in fields.get(k, [])),
                    route=tuple(fields.get("ROUTE_OR_MODE", [])),
                    frequency=tuple(fields.get("FREQUENCY", [])),
                    duration=tuple(fields.get("DURATION", [])),
                    evidence=(ev,),
                    flagged=True,
                )
            )
        return rows

    # ---- conditions and procedures ---------------------------------------------------------------------
    def condition(self, entity: Entity) -> ConditionItem:
        traits = self.traits(entity)
        kinds = sorted(
            (t for t in entity.Traits if t.Name in _CONDITION_KINDS and t.Score >= TRAIT_MIN_SCORE),
            key=lambda t: -t.Score,
        )
        details = tuple(
            dict.fromkeys(
                a.Text
                for a in sorted(entity.Attributes, key=lambda a: a.BeginOffset)
                if a.Score >= self.min_score
            )
        )
        if entity.Score < self.review:
            self.flag(
                "LOW_SCORE",
                entity.Text,
                f"condition “{entity.Text}” has a low score",
                score=entity.Score,
                entity_id=entity.Id,
                begin=entity.BeginOffset,
                end=entity.EndOffset,
            )
        return ConditionItem(
            name=entity.Text,
            kind=kinds[0].Name.lower() if kinds else "",
            details=details,
            qualifiers=tuple(label for name, label in _QUALIFIER_TRAITS.items() if name in traits),
            evidence=(self.evidence(entity, entity.Score),),
        )

    def procedure(self, entity: Entity) -> ProcedureItem:
        traits = self.traits(entity)

        def texts(kind: str) -> str:
            return ", ".join(
                dict.fromkeys(
                    a.Text for a in entity.Attributes if a.Type == kind and a.Score >= self.min_score
                )
            )

        if entity.Score < self.review:
            self.flag(
                "LOW_SCORE",
                entity.Text,
                f"{_PROCEDURE_TYPES[entity.Type]} “{entity.Text}” has a low score",
                score=entity.Score,
                entity_id=entity.Id,
                begin=entity.BeginOffset,
                end=entity.EndOffset,
            )
        return ProcedureItem(
            name=entity.Text,
            kind=_PROCEDURE_TYPES[entity.Type],
            value=texts("TEST_VALUE"),
            unit=texts("TEST_UNIT"),
            negated="NEGATION" in traits,
            qualifiers=tuple(label for name, label in _QUALIFIER_TRAITS.items() if name in traits),
            evidence=(self.evidence(entity, entity.Score),),
        )


def _dedupe(values: list[AttributeValue]) -> list[AttributeValue]:
    seen: dict[str, AttributeValue] = {}
    for v in values:
        seen.setdefault((v.normalised or v.raw).lower(), v)
    return list(seen.values())


def _summary(fields: Iterable[dict[str, list[AttributeValue]]]) -> str:
    parts = [v.normalised or v.raw for f in fields for k in _MED_ATTRIBUTE_TYPES for v in f.get(k, [])]
    return ", ".join(dict.fromkeys(parts))


def _unique(items: Iterable[Any]) -> tuple[Any, ...]:
    by_label: dict[str, Any] = {}
    for item in items:
        by_label.setdefault(item.label.lower(), item)
    return tuple(by_label.values())


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
    b = _Builder(transcript_text, min_score, max(review_threshold, min_score))
    entities = sorted(parsed.Entities, key=lambda e: (e.BeginOffset, e.Id))
    for e in entities:
        if e.Category == "MEDICATION" and e.Score < min_score:
            b.flag(
                "DROPPED_MEDICATION",
                e.Text,
                f"possible medication “{e.Text}” below the keep threshold: not drafted",
                score=e.Score,
                entity_id=e.Id,
                begin=e.BeginOffset,
                end=e.EndOffset,
            )
    kept = [e for e in entities if e.Score >= min_score]
    rows, notes = b.medications([e for e in kept if e.Category == "MEDICATION"])
    rows += b.orphans(u.Attribute for u in parsed.UnmappedAttributes)
    conditions = [b.condition(e) for e in kept if e.Category == "MEDICAL_CONDITION"]
    denied = [
        c
        for c, e in zip(conditions, [e for e in kept if e.Category == "MEDICAL_CONDITION"], strict=True)
        if "NEGATION" in b.traits(e)
    ]
    problems = [c for c in conditions if c not in denied]
    procedures = [
        b.procedure(e)
        for e in kept
        if e.Category == "TEST_TREATMENT_PROCEDURE" and e.Type in _PROCEDURE_TYPES
    ]
    if asr_items:
        for word in uncertain_words(transcript_text, asr_items, asr_bound, b.spans):
            if word.sentence is not None and word.sentence in b.medication_sentences:
                b.flag(
                    "LOW_ASR_CONFIDENCE",
                    word.content,
                    f"word “{word.content}” was heard with low confidence in: "
                    f"“{transcript_text[word.sentence.begin : word.sentence.end]}”",
                    score=round(word.confidence, 4),
                    begin=word.sentence.begin,
                    end=word.sentence.end,
                )
    flags = sorted(dict.fromkeys(b.flags), key=lambda f: f.begin_offset if f.begin_offset is not None else -1)
    return Draft(
        min_score=min_score,
        review_threshold=b.review,
        prescriptions=tuple(sorted(rows, key=lambda r: r.evidence[0].begin_offset if r.evidence else 0)),
        not_taking=_unique(notes),
        problems=_unique(problems),
        denied=_unique(denied),
        procedures=_unique(procedures),
        flags=tuple(flags),
    )

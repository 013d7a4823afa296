"""What every part of the draft shares while it is built: the transcript, its sentences, the thresholds, the
review flags collected so far, and the helpers that turn a DetectEntitiesV2 item into evidence or a value.
"""

from __future__ import annotations

import re

from medscribe.logic.document.dosechange import ChangeFound
from medscribe.logic.document.evidence import Span, clause_breaks, sentence_of, sentences, widen
from medscribe.logic.document.flag_kinds import FlagKind
from medscribe.logic.document.model import AttributeValue, Evidence, ReviewFlag
from medscribe.logic.document.normalise import normalise
from medscribe.logic.document.scope import TextScope
from medscribe.logic.document.taper import TaperFound
from medscribe.logic.document.unitdose import form_after
from medscribe.shapes import Attribute, Entity

TRAIT_MIN_SCORE = 0.5  # a trait counts (e.g. NEGATION) at this score or above
MAX_SNIPPET = 240  # characters of evidence around a mention when its sentence is longer

QUALIFIER_TRAITS = {
    "PAST_HISTORY": "past history",
    "PERTAINS_TO_FAMILY": "family history",
    "HYPOTHETICAL": "hypothetical",
    "FUTURE": "future",
    "LOW_CONFIDENCE": "low confidence",
}
DOSE_TYPES = ("STRENGTH", "DOSAGE", "RATE")
_RANGE = re.compile(r"^\d[\d.]*-\d")
# Number words left of an amount that the amount did not take in ("1.5 tablets" read as "5 tablets").
_NUMBER_LEFT = re.compile(
    r"(?:\d[.,]?|\b(?:and|point|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))\s*$",
    re.IGNORECASE,
)
_NUMBER_START = re.compile(
    r"^(?:\d|\.\d|half|quarter|one|two|three|four|five|six|seven|eight|nine|ten)", re.IGNORECASE
)
ATTRIBUTE_WORDS = {
    "STRENGTH": "strength",
    "DOSAGE": "dose",
    "RATE": "rate",
    "FREQUENCY": "frequency",
    "ROUTE_OR_MODE": "route",
    "DURATION": "duration",
    "FORM": "form",
}


class DraftContext:
    """The transcript and thresholds of one draft, and the review flags raised while building it."""

    def __init__(self, text: str, min_score: float, review_threshold: float) -> None:
        self.text = text
        self.spans = sentences(text)
        self.breaks = clause_breaks(text)
        self.medication_spans: list[tuple[int, int]] = []  # every MEDICATION mention located in the text
        self.min_score = min_score
        self.review = review_threshold
        self.flags: list[ReviewFlag] = []
        self.medication_sentences: set[Span] = set()
        self.scope = TextScope(text)  # replaced by build_draft once the concepts' spans are known
        self.allergens: dict[tuple[int, int], str] = {}  # allergen spans read from the text -> statement
        self.changes: dict[int, ChangeFound] = {}  # medication entity id -> its dose change
        self.tapers: dict[int, TaperFound] = {}  # medication entity id -> its taper
        self.conditional_changes: list[tuple[Entity, str]] = []  # "if … increase to 1000 mg": the plan's
        self.conditional_spans: list[tuple[int, int]] = []  # where those changes were said
        self.change_spans: list[tuple[int, int]] = []  # where the changes applied to rows were said
        self.corrected_ids: set[int] = set()  # doses said as a correction in the next sentence (.selfcorrect)
        self.planned: dict[tuple[int, int], str] = {}  # drug span -> the words that start it later (.planned)
        self.declined: dict[tuple[int, int], str] = {}  # drug span -> the words that decline it (.planned)

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

    def flag_item(
        self, kind: FlagKind, item: Entity | Attribute, message: str, *, subject: str | None = None
    ) -> None:
        """A flag about one entity or attribute, located by its offsets and carrying its score (shown with the
        reason, "(score 0.97)"); ``subject`` names the item when its words are not the subject (a row's name, a
        corrected name "amlodipine → amitriptyline")."""
        self.flag(
            kind,
            item.Text if subject is None else subject,
            message,
            score=item.Score,
            entity_id=item.Id,
            begin=item.BeginOffset,
            end=item.EndOffset,
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

    def qualifiers(self, entity: Entity) -> tuple[str, ...]:
        traits = self.traits(entity)
        return tuple(label for name, label in QUALIFIER_TRAITS.items() if name in traits)

    def value(self, attribute: Attribute, owner: str) -> AttributeValue:
        """The attribute widened to its whole number and normalised; flagged when unreadable or low-scored."""
        begin, end = widen(self.text, attribute.BeginOffset, attribute.EndOffset)
        raw = self.text[begin:end] if 0 <= begin < end <= len(self.text) else attribute.Text
        if self.text[attribute.BeginOffset : attribute.EndOffset] != attribute.Text:
            begin, end, raw = attribute.BeginOffset, attribute.EndOffset, attribute.Text  # offsets elsewhere
        result = normalise(attribute.Type, raw)
        word = ATTRIBUTE_WORDS.get(attribute.Type, attribute.Type.lower())
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
        if attribute.Type in DOSE_TYPES and result.value is not None and _RANGE.match(result.value):
            self.flag(
                "DOSE_RANGE",
                raw,
                f"{owner}: {word} said as a range “{raw}”: choose the dose",
                score=attribute.Score,
                entity_id=attribute.Id,
                begin=begin,
                end=end,
            )
        if (
            attribute.Type in DOSE_TYPES
            and _NUMBER_START.match(raw)
            and _NUMBER_LEFT.search(self.text, max(0, begin - 12), begin)
        ):
            self.flag(
                "PARTIAL_AMOUNT",
                raw,
                f"{owner}: {word} “{raw}” may be only part of the amount said "
                f"(“{self.text[max(0, begin - 12) : end].strip()}”)",
                score=attribute.Score,
                entity_id=attribute.Id,
                begin=begin,
                end=end,
            )
        per = form_after(self.text, end) if attribute.Type in DOSE_TYPES and result.value else None
        return AttributeValue(
            type=attribute.Type, raw=raw, normalised=result.value, score=attribute.Score, per=per
        )

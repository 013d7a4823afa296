"""Nothing lost silently, by structure (issue 15 item 7): what a clinical cue introduces is drafted or flagged.

The lexicon guards (``condition_not_captured``, ``medication_not_captured``, ``allergy_not_captured``) find only
the words their lists hold; a condition, drug or allergen said in other words ("pins and needles", "Brugada
pattern", "Uptravi", "allergic to the ECG stickers") is then in no section and named by no flag. This guard reads
the transcript's structure instead (:mod:`.cue_spans`): every span a cue introduces ("complains of …", "known …",
"started on … 25 mg", "reacts to … with …"), every word said right before a dose, every word shaped like a name (:mod:`.word_shapes`)
and every structure named with its lesion's state (:mod:`.lesion_state`: "a sequestrated disc"). A part of a span is
accounted for when a draft item (any section) holds one of its key words, or a flag raised by another guard
already names it (overlaps it, or its subject is one of the key words). Otherwise the span is quoted in a flag:

- POSSIBLE_CONDITION_NOT_CAPTURED after a condition cue ("presents with", "known", "treated for", …);
- POSSIBLE_MEDICATION_NOT_CAPTURED after a medication cue followed by a dose, form or frequency, or before a
  dose; a word that is a known drug name is left to ``medication_not_captured``;
- POSSIBLE_ALLERGY_NOT_CAPTURED after an allergy cue, when the span is not among the draft's allergies (a span
  held only on the prescription draft is not accounted for: an allergen drafted as a prescription).

The quoted words are transcript text inside the draft (a clinical record); they are never logged.
"""

from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING

from medscribe.logic.document.condition_guard import lexicon
from medscribe.logic.document.cue_parts import Part
from medscribe.logic.document.cue_spans import CueSpan, cue_spans
from medscribe.logic.document.lesion_state import lesion_spans
from medscribe.logic.document.model import ReviewFlag
from medscribe.logic.document.not_captured import allergy_words, drug_match, prescribed_words
from medscribe.logic.document.word_shapes import shaped_words

if TYPE_CHECKING:
    from medscribe.logic.document.guards import GuardInput

STEM = 5  # a key word and a held word sharing their first letters ("stickers" / "sticker", "sweats" / "sweating")
NOT_CAPTURED = {
    "condition": "POSSIBLE_CONDITION_NOT_CAPTURED",
    "medication": "POSSIBLE_MEDICATION_NOT_CAPTURED",
    "allergy": "POSSIBLE_ALLERGY_NOT_CAPTURED",
}
_CHECK = {
    "condition": "check whether a condition was missed",
    "medication": "check whether a medication was missed",
    "allergy": "check the allergies",
}


class _Held:
    """What the draft holds, in the forms a key word is compared in."""

    def __init__(self, inp: GuardInput) -> None:
        lex = lexicon()
        self.words = frozenset(inp.captured_words) | frozenset(lex.canonical(w) for w in inp.captured_words)
        self.allergic = allergy_words(inp)
        self.prescribed = prescribed_words(inp)
        raised = [f for f in inp.raised if f.kind in NOT_CAPTURED.values()]
        self.ranges = [(f.begin_offset, f.end_offset) for f in raised if f.begin_offset is not None]
        self.subjects = frozenset(w for f in raised for w in f.subject.lower().split())

    def holds(self, key: str, within: frozenset[str] | None = None) -> bool:
        words = self.words if within is None else within
        if key in words or lexicon().canonical(key) in words:
            return True
        return len(key) >= STEM and any(len(w) >= STEM and w[:STEM] == key[:STEM] for w in words)

    def named_by_a_flag(self, part: Part) -> bool:
        overlaps = any(
            b is not None and e is not None and b < part.end and part.begin < e for b, e in self.ranges
        )
        return overlaps or any(k in self.subjects for k in part.keys)


def _accounted_for(kind: str, part: Part, held: _Held) -> bool:
    if held.named_by_a_flag(part):
        return True
    if kind == "allergy":  # one substance: every word of its name ("ECG stickers") must be held
        return all(
            held.holds(k, held.allergic) or (held.holds(k) and not held.holds(k, held.prescribed))
            for k in part.keys
        )
    if kind == "medication" and any(drug_match(k) is not None for k in part.keys):
        return True  # a known drug name: medication_not_captured's to flag
    return any(held.holds(k) for k in part.keys)


def cue_not_captured(inp: GuardInput) -> list[ReviewFlag]:
    held = _Held(inp)
    flags: list[ReviewFlag] = []
    seen: set[tuple[str, int]] = set()
    for span in chain(cue_spans(inp.text), shaped_words(inp.text), lesion_spans(inp.text)):
        missing = [p for p in span.parts if not _accounted_for(span.kind, p, held)]
        if not missing:
            continue
        begin, end = missing[0].begin, missing[-1].end
        if any(b <= begin < e for k, b, e in _ranges(flags) if k == NOT_CAPTURED[span.kind]) or (
            (span.kind, begin) in seen
        ):
            continue
        seen.add((span.kind, begin))
        flags.append(_flag(inp.text, span, begin, end))
    return flags


def _ranges(flags: list[ReviewFlag]) -> list[tuple[str, int, int]]:
    return [(f.kind, f.begin_offset or 0, f.end_offset or 0) for f in flags]


def _flag(text: str, span: CueSpan, begin: int, end: int) -> ReviewFlag:
    quote = text[begin:end]
    where = span.why or ("is said " + (f"after “{span.cue}”" if span.cue else "before a dose"))
    return ReviewFlag(
        kind=NOT_CAPTURED[span.kind],
        subject=quote,
        message=f"“{quote}” {where} but no item of the draft holds it: {_CHECK[span.kind]}",
        begin_offset=begin,
        end_offset=end,
    )

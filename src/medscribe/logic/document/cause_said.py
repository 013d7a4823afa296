"""A finding said with its cause ("vascular cognitive impairment due to cerebral small vessel disease", "dental
erosion of the upper incisors secondary to vomiting", "stopped because of the microbleeds"): both sides of the
causal link name something clinical, so each needs an item of the draft of its own.

The lexicon guards and the word-based coverage (:mod:`.coverage`) account for a clause when any of its words is a
drafted item's: a cause whose words share one with an item said elsewhere ("cerebral" of "cerebral amyloid
angiopathy") is then lost unnamed. This reads the two noun phrases a causal connective (:data:`CAUSE`, a closed
class of English) joins, by structure only:

- the cause: after the connective, a determiner or possessive skipped, up to a clause break (a mark, a coordinator,
  a relative or a preposition opening a new phrase), at most :data:`MAX_WORDS` words;
- the effect: before the connective, back to a clause break or the word that opens the finding ("with", "has",
  "of" a list …), at most :data:`MAX_WORDS` words; an effect that is a verb phrase ("was stopped", "was admitted")
  is no finding and is not read.

A phrase with a content word (:func:`.coverage_clauses.content_words`) that no item's mention overlaps (any
section, any kind: the spans the draft's items carry) is returned, for the one NOT_DRAFTED flag
(:mod:`.not_drafted`) to name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from medscribe.logic.document.coverage_clauses import content_words
from medscribe.logic.document.coverage_words import ADMIN

if TYPE_CHECKING:
    from medscribe.logic.document.guards import GuardInput

MAX_WORDS = 6  # words of a phrase on either side of the connective
CAUSE = re.compile(
    r"\b(?:due\s+to|secondary\s+to|caused\s+by|because\s+of|as\s+a\s+result\s+of|resulting\s+from"
    r"|attributed\s+to|induced\s+by)\s+",
    re.IGNORECASE,
)
# words that end a phrase: a coordinator, a relative, a subject, a verb of its own, or a preposition opening a new
# phrase of time or place (closed classes)
_BREAK_WORDS = frozenset(
    (
        "and", "or", "but", "with", "which", "who", "that", "so", "then", "since", "while", "when", "on", "in",
        "at", "for", "after", "before", "over", "during", "until", "she", "he", "they", "is", "was", "are",
        "were", "has", "have", "had", "because", "due", "secondary", "caused", "start", "started", "stop",
        "stopped", "continue", "review", "now",
    )
)  # fmt: skip
# the words that open the effect, said right before it ("a man with X due to Y", "she has X due to Y")
# ("of" belongs to the effect: "dental erosion of the upper incisors secondary to vomiting")
_OPENS = _BREAK_WORDS | frozenset(("from", "to", "by", "as", "denies", "reports", "not", "no"))
_DETERMINERS = frozenset(("the", "a", "an", "his", "her", "their", "its", "this", "that", "some", "any"))
_VERB = re.compile(r"^(?:was|were|is|are|been|be|being|has|have|had)\b|ed$", re.IGNORECASE)
_TOKEN = re.compile(r"[\w'-]+|[^\w\s]")


def _tokens(text: str, begin: int, end: int) -> list[tuple[int, int, str]]:
    return [(begin + m.start(), begin + m.end(), m.group()) for m in _TOKEN.finditer(text[begin:end])]


def _cause(text: str, at: int, starts: frozenset[int]) -> tuple[int, int] | None:
    """The cause after the connective; in a run it also ends where a number or another item's mention begins
    ("because of the microbleeds ebixa 5 mg")."""
    words: list[tuple[int, int]] = []
    for b, e, w in _tokens(text, at, min(len(text), at + 200)):
        low = w.lower()
        if not w[0].isalnum() or low in _BREAK_WORDS or len(words) >= MAX_WORDS:
            break
        if words and (w[0].isdigit() or b in starts):
            break
        if not words and low in _DETERMINERS:
            continue
        words.append((b, e))
    return (words[0][0], words[-1][1]) if words else None


def _effect(text: str, at: int) -> tuple[int, int] | None:
    """The effect before the connective."""
    words: list[tuple[int, int]] = []
    for b, e, w in reversed(_tokens(text, max(0, at - 200), at)):
        low = w.lower()
        if not w[0].isalnum() or low in _OPENS or len(words) >= MAX_WORDS:
            break
        words.append((b, e))
    while words and text[words[-1][0] : words[-1][1]].lower() in _DETERMINERS:
        words.pop()  # "a slow gait": the determiner opens it
    if not words:
        return None
    begin, end = words[-1][0], words[0][1]
    if _VERB.search(text[words[0][0] : words[0][1]]) and len(words) <= 2:
        return None  # "was stopped because of …": a verb phrase, no finding
    return begin, end


def _spans(value: Any, key: str = "") -> Iterator[tuple[int, int]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _spans(v, k)
    elif isinstance(value, list | tuple):
        if key == "spans":
            yield from ((int(b), int(e)) for b, e in value)
        else:
            for v in value:
                yield from _spans(v)


def unheld_causes(inp: GuardInput) -> list[tuple[int, int, str]]:
    """The phrases a causal connective joins that no drafted item's mention overlaps: (begin, end, why)."""
    held = list(_spans(inp.draft.model_dump()))
    held += [
        (f.begin_offset, f.end_offset)
        for f in (*inp.draft.flags, *inp.raised)
        if f.begin_offset is not None and f.end_offset is not None and f.kind != "NOT_DRAFTED"
    ]
    starts = frozenset(b for b, _ in held)
    out = []
    for m in CAUSE.finditer(inp.text):
        said = " ".join(m.group().lower().split())
        for phrase in (_effect(inp.text, m.start()), _cause(inp.text, m.end(), starts)):
            if phrase is None:
                continue
            b, e = phrase
            words = [w for w in content_words(inp.text[b:e]) if w not in ADMIN]
            if words and not any(x < e and b < y for x, y in held):
                out.append((b, e, f"said with “{said}”"))
    return out

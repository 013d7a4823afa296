"""Where a mention came from: sentences of the transcript, whole attribute spans, low-confidence ASR words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from medscribe.shapes import TranscriptItem
from medscribe.textnorm import normalize_clinical_text

# A sentence ends at . ! ? ; or a line break (not inside a decimal "0.5" or an abbreviation "b.i.d.").
_SENTENCE_END = re.compile(r"(?<![a-z]\.[a-z])(?<!\b[a-z])[.!?;]+(?=\s|$)|\n+", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    begin: int
    end: int


def sentences(text: str) -> list[Span]:
    """Sentence spans of ``text`` (leading/trailing whitespace excluded), covering every non-blank char."""
    out: list[Span] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        _add(out, text, start, m.end() if m.group(0).strip() else m.start())
        start = m.end()
    _add(out, text, start, len(text))
    return out


def _add(out: list[Span], text: str, begin: int, end: int) -> None:
    chunk = text[begin:end]
    if chunk.strip():
        lead = len(chunk) - len(chunk.lstrip())
        out.append(Span(begin + lead, begin + len(chunk.rstrip())))


def sentence_of(spans: Sequence[Span], offset: int) -> Span | None:
    for span in spans:
        if span.begin <= offset < span.end:
            return span
    return None


_NUM = r"\d+(?:\.\d+)?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a|an|half|quarter"
# What may precede a detected quantity and belong to it: "1 and " (1/2), "1 to " (2 tabs), "zero point ",
# "one and a " (half), "half a " (tablet).
_LEFT_PART = re.compile(
    rf"(?:(?:{_NUM})\s*(?:and|to|or|-|point)\s*(?:an?\s+)?|(?:half|quarter)\s+(?:an?|of\s+an?)\s+)$",
    re.IGNORECASE,
)


def widen(text: str, begin: int, end: int) -> tuple[int, int]:
    """Extend an attribute span left over the rest of its number ("1 / 2 tabs" in "1 and 1 / 2 tabs")."""
    while begin > 0:
        m = _LEFT_PART.search(text[max(0, begin - 40) : begin])
        if not m or m.end() - m.start() == 0:
            break
        new_begin = begin - (m.end() - m.start())
        if new_begin > 0 and text[new_begin - 1].isalnum():  # "ticket oxycodone": "to" inside a word
            break
        begin = new_begin
    return begin, end


@dataclass(frozen=True)
class UncertainWord:
    content: str
    confidence: float
    sentence: Span | None  # the sentence of the normalised transcript it belongs to, when located


def uncertain_words(
    text: str, items: Sequence[TranscriptItem], bound: float, spans: Sequence[Span]
) -> list[UncertainWord]:
    """ASR words with confidence below ``bound``, placed in the sentences of ``text`` (the normalised
    transcript the entities were detected on).

    The Transcribe items are cut into sentences at punctuation items; each sentence is normalised the same way
    as the transcript and looked up in ``text`` from where the previous one ended, so a word is placed by its
    sentence, whatever spoken-number rewriting happened inside it.
    """
    out: list[UncertainWord] = []
    cursor = 0
    for chunk in _asr_sentences(items):
        words = [i for i in chunk if i.type == "pronunciation"]
        if not words:
            continue
        said = " ".join(i.alternatives[0].content for i in words)
        found = text.find(normalize_clinical_text(said), cursor)
        if found < 0:
            found = text.find(words[0].alternatives[0].content, cursor)
        where = sentence_of(spans, found) if found >= 0 else None
        if found >= 0:
            cursor = found
        for item in words:
            alt = item.alternatives[0]
            try:
                confidence = float(alt.confidence)
            except ValueError:
                continue
            if confidence < bound:
                out.append(UncertainWord(alt.content, confidence, where))
    return out


def _asr_sentences(items: Sequence[TranscriptItem]) -> list[list[TranscriptItem]]:
    out: list[list[TranscriptItem]] = [[]]
    for item in items:
        out[-1].append(item)
        if item.type == "punctuation" and item.alternatives[0].content in {".", "?", "!", ";"}:
            out.append([])
    return [c for c in out if c]

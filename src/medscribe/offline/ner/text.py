"""Tokenising and sentence splitting: the document every later stage works on."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from medscribe.offline.ner.patterns import _ABBREVIATIONS, _SENT_END_RE, _TOKEN_RE


@dataclass
class Tok:
    begin: int
    end: int
    norm: str


@dataclass
class Span:
    begin: int
    end: int
    category: str
    type: str
    score: float
    t0: int = 0  # token index range [t0, t1)
    t1: int = 0
    traits: list[tuple[str, float]] = field(default_factory=list)
    attributes: list[tuple[Span, str, float]] = field(default_factory=list)
    id: int = -1


def clip(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return round(max(lo, min(hi, x)), 4)


class Doc:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = [
            Tok(m.start(), m.end(), m.group(0).lower().replace("\u2019", "'"))
            for m in _TOKEN_RE.finditer(text)
        ]
        self.starts = [t.begin for t in self.toks]
        self.ends = [t.end for t in self.toks]
        bounds = []
        for m in _SENT_END_RE.finditer(text):
            if m.group(0).startswith(".") and re.match(r"\s*[a-z]", text[m.end() : m.end() + 3]):
                continue  # "b.i.d. for 7 days", "Dr. smith": a sentence does not start lower-case
            if m.group(0).startswith("."):
                before = text[max(0, m.start() - 5) : m.start()].lower().split()
                # "No. 5" is a number's abbreviation; "? No. Apixaban …" an answer, a sentence of its own
                if (
                    before
                    and before[-1].strip("(") in _ABBREVIATIONS
                    and len(m.group(0)) == 1
                    and (before[-1] != "no" or re.match(r"\s*\d", text[m.end() : m.end() + 3]))
                ):
                    continue
            bounds.append(m.start())
        self.sent = [bisect.bisect_right(bounds, t.begin) for t in self.toks]

    # ---- token helpers ----------------------------------------------------------------------------------
    def tok_range(self, begin: int, end: int) -> tuple[int, int]:
        t0 = bisect.bisect_left(self.ends, begin + 1)
        t1 = bisect.bisect_left(self.starts, end)
        return t0, max(t0, t1)

    def span(self, begin: int, end: int, category: str, type_: str, score: float) -> Span:
        t0, t1 = self.tok_range(begin, end)
        return Span(begin, end, category, type_, clip(score), t0, t1)

    def sentence_of(self, span: Span) -> int:
        if span.t0 < len(self.sent):
            return self.sent[span.t0]
        return self.sent[-1] if self.sent else 0

    def between(self, a: int, b: int) -> list[str]:
        return [t.norm for t in self.toks[a:b]]

"""PHI found by patterns: e-mail, phone, ids, dates, ages, and names after a cue ("Mr", "patient")."""

from __future__ import annotations

import re

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner.patterns import (
    _AGE_RE,
    _DATE_RE,
    _EMAIL_RE,
    _ID_RE,
    _NAME_CUE_RE,
    _NAME_WORD_RE,
    _NUMBER_WORDS,
    _PHONE_RE,
    _TERMINATORS,
)
from medscribe.offline.ner.text import Doc, Span


def phi(doc: Doc) -> list[Span]:
    text = doc.text
    spans: list[Span] = []
    for m in _EMAIL_RE.finditer(text):
        spans.append(doc.span(m.start(), m.end(), "PROTECTED_HEALTH_INFORMATION", "EMAIL", 0.99))
    for m in _PHONE_RE.finditer(text):
        spans.append(doc.span(m.start(), m.end(), "PROTECTED_HEALTH_INFORMATION", "PHONE_OR_FAX", 0.95))
    for m in _ID_RE.finditer(text):
        g = "id" if m.group("id") else "ssn"
        if g == "id" and not any(c.isdigit() for c in m.group("id")):
            continue
        spans.append(doc.span(m.start(g), m.end(g), "PROTECTED_HEALTH_INFORMATION", "ID", 0.9))
    for m in _DATE_RE.finditer(text):
        spans.append(doc.span(m.start(), m.end(), "PROTECTED_HEALTH_INFORMATION", "DATE", 0.9))
    for m in _AGE_RE.finditer(text):
        g = next(k for k in ("n", "n2", "n3") if m.group(k))
        score = 0.95 if m.group(g)[0].isdigit() else 0.9
        spans.append(doc.span(m.start(g), m.end(g), "PROTECTED_HEALTH_INFORMATION", "AGE", score))
    spans.extend(_names(doc))
    return _non_overlapping(spans)


def _names(doc: Doc) -> list[Span]:
    out: list[Span] = []
    clinical = lex.clinical_lexicon().phrases
    stopwords = lex.stopwords()
    for m in _NAME_CUE_RE.finditer(doc.text):
        pos = m.end()
        words: list[re.Match[str]] = []
        cased = m.group(0)[0].isupper()
        while len(words) < 3:
            w = _NAME_WORD_RE.match(doc.text, pos)
            if w is None:
                break
            low = w.group(0).lower()
            if low in stopwords or low in clinical or low in _TERMINATORS or low in _NUMBER_WORDS:
                break
            if cased and not w.group(0)[0].isupper():
                break
            words.append(w)
            gap = re.match(r"[ \t]+", doc.text[w.end() :])
            if gap is None:
                break
            pos = w.end() + gap.end()
        if words:
            score = 0.85 if words[0].group(0)[0].isupper() else 0.7
            out.append(
                doc.span(words[0].start(), words[-1].end(), "PROTECTED_HEALTH_INFORMATION", "NAME", score)
            )
    return out


def _non_overlapping(spans: list[Span]) -> list[Span]:
    """Keep the earliest-found, then longest, spans that don't overlap an already kept one."""
    kept: list[Span] = []
    for s in sorted(spans, key=lambda s: -(s.end - s.begin)):
        if all(s.end <= k.begin or s.begin >= k.end for k in kept):
            kept.append(s)
    return sorted(kept, key=lambda s: s.begin)

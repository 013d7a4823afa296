"""Procedure names no list holds, known by their word form (DetectEntitiesV2 TEST_TREATMENT_PROCEDURE,
PROCEDURE_NAME): what a time is most often said of besides a condition or a drug ("hemicolectomy on Thursday",
"microdiscectomy yesterday", "mitral valve repair in August", "extraction in a fortnight").

- a word with a surgical suffix of the medical word-formation rules ("-ectomy" excision, "-otomy" incision,
  "-ostomy" an opening, "-plasty" repair, "-pexy" fixation, "-rrhaphy" suture, "-desis" fusion, "-tripsy"
  crushing): "hemicolectomy", "fasciotomy", "septorhinoplasty";
- a closed class of operative nouns ("repair", "replacement", "extraction", "reconstruction", "resection",
  "excision", "fixation", "manipulation") right after a body site the detector found
  ("mitral valve repair", "aortic valve replacement"), or before "of" and what is operated on ("extraction of
  three lower molars", "repair of a flexor tendon"); the name is the site with the noun, or the noun alone.

Such a name is reported only when a time expression dates it (``dated_only``, after linking). A word another
entity took keeps its category (this stage runs last, after the lists and the history heads:
"history of X" stays a condition). A test named by its head noun after what is tested ("genetic testing", "semen
analysis") is found and kept the same way (TEST_NAME). The site inside
the name stays an ANATOMY entity, as AWS returns it beside the procedure (``sites.procedure_sites``).
"""

from __future__ import annotations

import re
import weakref

from medscribe.offline.ner.text import Doc, Span

SCORE = 0.8
_SUFFIX_RE = re.compile(r"[a-z]{3,}(?:ectomy|otomy|ostomy|plasty|pexy|rrhaphy|desis|tripsy)(?:ies|s)?$")
# (not "transplant" or "amputation": a standing state the note lists as a problem, "kidney transplant")
_NOT_PROCEDURES = frozenset({"dichotomy", "dichotomies", "trichotomy"})  # a suffix's look-alikes
_NOUNS = frozenset(
    {"repair", "replacement", "extraction", "extractions", "reconstruction", "resection", "excision", "fixation",
     "manipulation"}
)  # fmt: skip


# a test named by its head noun after what is tested or how ("genetic testing", "predictive testing", "semen
# analysis"; session 16): TEST_NAME, reported only when a time dates it, as the procedures above
_TEST_HEADS = frozenset({"testing", "analysis"})
_NOT_TEST_MODIFIERS = frozenset(
    {"the", "a", "an", "his", "her", "their", "my", "our", "your", "its", "of", "for", "and", "or", "no", "any",
     "further", "more", "this", "that", "some", "to", "with", "on", "in", "at", "by", "formal", "repeat", "is",
     "was", "be", "been", "being", "needs", "need", "had", "has", "have", "after", "before", "into"}
)  # fmt: skip


def _test_word(doc: Doc, i: int, taken_by: set[int]) -> int | None:
    """The first token of a test named by its head noun at token ``i`` ("semen analysis"), or None."""
    k = i - 1
    if doc.toks[i].norm not in _TEST_HEADS or k < 0 or doc.sent[k] != doc.sent[i] or k in taken_by:
        return None
    word = doc.toks[k].norm
    if (
        not word.isalpha()
        or word in _NOT_TEST_MODIFIERS
        or doc.text[doc.toks[k].end : doc.toks[i].begin].strip()
    ):
        return None
    return k


def procedure_words(doc: Doc, found: list[Span], taken: list[bool]) -> list[Span]:
    """Each procedure named by its word form (see the module docstring) that no other entity took."""
    sites = {s.t1: s for s in found if s.category == "ANATOMY"}
    taken_by = {k for s in found for k in range(s.t0, s.t1)}
    out: list[Span] = []
    for i, tok in enumerate(doc.toks):
        if taken[i] or i in taken_by:
            continue
        type_ = "PROCEDURE_NAME"
        if _SUFFIX_RE.match(tok.norm) and tok.norm not in _NOT_PROCEDURES:
            begin = tok.begin
        elif (first := _test_word(doc, i, taken_by)) is not None and not taken[first]:
            begin, type_ = doc.toks[first].begin, "TEST_NAME"
        elif tok.norm in _NOUNS:
            site = sites.get(i)
            if site is not None and doc.sent[site.t0] == doc.sent[i]:
                begin = site.begin  # "aortic valve replacement": the site with the noun
            elif i + 1 < len(doc.toks) and doc.toks[i + 1].norm == "of" and doc.sent[i + 1] == doc.sent[i]:
                begin = tok.begin  # "extraction of three lower molars"
            else:
                continue
        else:
            continue
        span = doc.span(begin, tok.end, "TEST_TREATMENT_PROCEDURE", type_, SCORE)
        _FORMED[id(span)] = span
        out.append(span)
        taken[i] = True
    return out


# the procedures this module named, while they live (a name known by its form alone is kept only as what a time is
# said of: :func:`dated_only`)
_FORMED: weakref.WeakValueDictionary[int, Span] = weakref.WeakValueDictionary()


def dated_only(entities: list[Span]) -> list[Span]:
    """``entities`` less each procedure named by its form that no time expression dates. Undated, the name is left
    to the draft's check of what it did not hold (it was before this module), since a past operation the note
    states as a standing fact ("a mechanical mitral valve replacement") is a problem to a reviewer, not an event."""
    dated = {id(a) for e in entities if e.category == "TIME_EXPRESSION" for a, _, _ in e.attributes}
    return [e for e in entities if _FORMED.get(id(e)) is not e or id(e) in dated]

"""A condition no list holds, named right after a history head ("Known IVDU", "Background of SIADH", "History of
MGUS.", "status post NSTEMI", "PMH: HFpEF"): the head says a diagnosis follows, so an abbreviation there is one.

A possessive name there is an eponymous condition ("Known Meniere's", "background of Crohn's"), unless it is a
person's ("history of her mother's ...").

Kept narrow: one word right after the head that no other finder took, written in capitals in punctuated text (an
abbreviation said as letters; any case in a recogniser's lower-case text), of 2-6 letters, no English word, drug,
prescribing or person word, and not a procedure's name ("-ectomy", "-plasty"; tests and procedures of the lexicon
are taken before this runs); and the word ends its phrase (punctuation, the sentence's end or a joining word
follows: "Known IVDU with hepatitis C", not "known ABC score"). Score 0.6: a guess from the head, above AWS's
reporting threshold, below the lexicon's matches. The trait is DIAGNOSIS; context traits (PAST_HISTORY,
NEGATION, family) are added later as for every condition.
"""

from __future__ import annotations

import re

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import eponyms, people, prescribing
from medscribe.offline.ner.text import Doc, Span

# the head's words, normalised; "s p" is "s/p"
_HEADS = (
    ("known",),
    ("background", "of"),
    ("background",),
    ("history", "of"),
    ("hx", "of"),
    ("pmh",),
    ("pmhx",),
    ("status", "post"),
    ("s", "p"),
    ("diagnosed", "with"),
    ("diagnosis", "of"),
    ("query",),
    ("suspected",),
)
_JOINERS = frozenset(
    {"and", "or", "with", "on", "since", "for", "in", "diagnosed", "who", "which", "but", "from"}
)
_PROCEDURE = re.compile(r"(?:ectomy|otomy|ostomy|plasty|scopy|graphy|pexy|rrhaphy|tripsy)s?$")
_LETTERS = re.compile(r"[a-z]{2,6}")
SCORE = 0.6


def _head_ends_at(doc: Doc, i: int) -> bool:
    """A history head ends right before token ``i`` in its sentence."""
    for head in _HEADS:
        k = i - len(head)
        if k < 0 or any(doc.sent[j] != doc.sent[i] for j in range(k, i)):
            continue
        if tuple(t.norm for t in doc.toks[k:i]) == head:
            return True
    return False


def _ends_its_phrase(doc: Doc, i: int) -> bool:
    tok = doc.toks[i]
    if i + 1 >= len(doc.toks) or doc.sent[i + 1] != doc.sent[i]:
        return True
    if doc.text[tok.end : doc.toks[i + 1].begin].strip():
        return True  # punctuation after it
    return doc.toks[i + 1].norm in _JOINERS


def _is_possessive_name(word: str) -> bool:
    """ "Meniere's", "Crohn's": a possessive that is no person's ("her mother's" is a relative's)."""
    base = word[:-2]
    return (
        word.endswith("'s")
        and len(base) >= 3
        and base.isalpha()
        and not people.is_person(base)
        and word not in eponyms.NOT_NAMES
    )


def _is_candidate(doc: Doc, i: int, recogniser: bool) -> bool:
    tok = doc.toks[i]
    word = tok.norm
    said = doc.text[tok.begin : tok.end]
    if _is_possessive_name(word):
        return recogniser or said[0].isupper()
    return (
        _LETTERS.fullmatch(word) is not None
        and (recogniser or said.isupper())
        and word not in lex.english_words()
        and word not in lex.drug_lexicon().names
        and not prescribing.is_abbreviation(word)
        and not people.is_person(word)
        and _PROCEDURE.search(word) is None
    )


def after_history_heads(doc: Doc, taken: list[bool]) -> list[Span]:
    """Conditions named only by an abbreviation right after a history head."""
    recogniser = not any(c.isupper() for c in doc.text)
    out: list[Span] = []
    for i in range(1, len(doc.toks)):
        if taken[i] or not _head_ends_at(doc, i) or not _is_candidate(doc, i, recogniser):
            continue
        if not _ends_its_phrase(doc, i):
            continue
        tok = doc.toks[i]
        s = doc.span(tok.begin, tok.end, "MEDICAL_CONDITION", "DX_NAME", SCORE)
        s.traits.append(("DIAGNOSIS", SCORE))
        out.append(s)
        taken[i] = True
    return out

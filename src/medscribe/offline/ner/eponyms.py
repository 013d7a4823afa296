"""Eponymous conditions no list holds: a person's name before a condition head word ("Kawasaki disease",
"Meniere's disease", "Brown-Sequard syndrome", "Dupuytren's contracture", "Baker's cyst", "Todd's paresis") and
eponymous signs ("Murphy's sign", "Janeway lesions", "Osler's nodes", "Roth spots": a SIGN).

A name is a capitalised word (punctuated text), a possessive ("meniere's", also in the recogniser form, which
keeps the apostrophe) or a word no English dictionary holds ("perthes") unless it reads as an adjective ("neuropathic",
"osteoporotic"); one more name may precede it joined by
a hyphen or capitalised too ("Ramsay Hunt", "Henoch-Schonlein"). Never a determiner or stop word ("Any
disease"), a person of the note ("her mother's disease"), or words another entity already took. A head found
alone ("contracture") is extended to the whole name; the head inside a longer lexicon name is left alone.

A listed eponymous name is also said by its possessive alone ("Her father had Parkinson's", "Known Barrett's and
coeliac"): the possessive of a listed "<name>'s <head>" is that condition when nothing another entity took, no
title ("Mr Wilson's") comes before it and no word but a function word follows it in its sentence ("Wilson's
daughter" is a person's).
"""

from __future__ import annotations

import functools
import re

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner.text import Doc, Span

_HEADS = frozenset({
    "disease", "syndrome", "palsy", "phenomenon", "contracture", "cyst", "fracture", "neuroma", "paresis",
    "purpura", "encephalopathy", "cardiomyopathy", "thyroiditis", "arthritis", "anomaly", "disorder",
    "oesophagus", "esophagus", "angina", "ulcer", "tumour", "tumor", "lymphoma", "sarcoma", "dystrophy",
})  # fmt: skip
# an eponymous sign found on examination ("Murphy's sign", "Janeway lesions", "Osler's nodes", "Roth spots"): a
# SIGN, named whole as AWS names a sign
_SIGN_HEADS = frozenset({"sign", "lesion", "lesions", "node", "nodes", "nodule", "nodules", "spot", "spots"})
NOT_NAMES = frozenset({
    "any", "no", "some", "this", "that", "the", "a", "an", "her", "his", "their", "other", "another", "each",
    "every", "which", "what", "known", "new", "old", "previous", "underlying", "active", "same", "such",
    "mother's", "father's", "sister's", "brother's", "son's", "daughter's", "wife's", "husband's",
    "patient's", "partner's", "child's", "baby's", "mum's", "dad's", "grandmother's", "grandfather's",
    "friend's", "someone's", "anyone's", "everyone's", "nobody's", "today's", "year's", "life's",
})  # fmt: skip


_ADJECTIVE_RE = re.compile(r"(?:ic|al|ous|ar|ary|ive|oid|ed|ing|ile|ent|ant)$")


def _is_word(word: str) -> bool:
    return word not in lex.stopwords() and word not in NOT_NAMES and word.replace("'", "").isalpha()


def _is_name(doc: Doc, i: int, taken: list[bool]) -> bool:
    tok = doc.toks[i]
    word = tok.norm
    if taken[i] or not _is_word(word):
        return False
    if word.endswith("'s") or doc.text[tok.end : tok.end + 1] == "'":  # "meniere's", "Graves'"
        return True
    if word not in lex.english_words():
        # a medical adjective is no name: "neuropathic ulcer", "osteoporotic fracture", "ischaemic ulcer"
        return _ADJECTIVE_RE.search(word) is None
    # a capital names a person except at a sentence start ("Denies angina", "Kawasaki disease" said first)
    return doc.text[tok.begin].isupper() and i > 0 and doc.sent[i - 1] == doc.sent[i]


def eponym_conditions(doc: Doc, found: list[Span], taken: list[bool]) -> list[Span]:
    alone = {s.t0: s for s in found if s.category == "MEDICAL_CONDITION" and s.t1 - s.t0 == 1}
    out: list[Span] = []
    for h, tok in enumerate(doc.toks):
        if (
            (tok.norm not in _HEADS and tok.norm not in _SIGN_HEADS)
            or h == 0
            or (taken[h] and h not in alone)
        ):
            continue
        i = h - 1
        if doc.sent[i] != doc.sent[h] or not _is_name(doc, i, taken):
            continue
        if doc.text[doc.toks[i].end : tok.begin].strip(" '"):
            continue  # punctuation between the name and the head
        first = i
        prev = doc.toks[i - 1] if i > 0 and doc.sent[i - 1] == doc.sent[i] else None
        if prev is not None and _is_word(prev.norm) and not taken[i - 1]:
            gap = doc.text[prev.end : doc.toks[i].begin]
            named = doc.text[prev.begin].isupper() or (
                prev.norm not in lex.english_words() and _ADJECTIVE_RE.search(prev.norm) is None
            )
            if gap == "-" or (gap == " " and named):
                first = i - 1  # "Brown-Sequard", "Ramsay Hunt", "henoch schonlein"
        if h in alone:
            s = alone[h]
            s.begin, s.t0 = doc.toks[first].begin, first
        else:
            s = doc.span(doc.toks[first].begin, tok.end, "MEDICAL_CONDITION", "DX_NAME", 0.8)
            s.traits.append(("SIGN" if tok.norm in _SIGN_HEADS else "DIAGNOSIS", 0.85))
            out.append(s)
        for k in range(first, h + 1):
            taken[k] = True
    return out


_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "doctor", "professor", "prof", "nurse", "sister", "saint", "st"}
)
# function words that may follow the possessive alone ("Parkinson's and COPD", "Crohn's since 2010")
_FUNCTION_WORDS = frozenset({
    "and", "or", "but", "with", "since", "for", "in", "on", "at", "as", "from", "which", "that", "who", "is",
    "was", "has", "had", "also", "too", "now", "previously",
})  # fmt: skip


@functools.cache
def _listed_possessives() -> dict[str, str]:
    """The possessive of each listed "<name>'s <head>" condition ("parkinson's" -> "parkinson's disease")."""
    out: dict[str, str] = {}
    for key, concept in lex.clinical_lexicon().phrases.items():
        words = key.split()
        if (
            concept.category == "MEDICAL_CONDITION"
            and len(words) == 2
            and words[0].endswith("'s")
            and words[1] in _HEADS
        ):
            out.setdefault(words[0], key)
    return out


def possessive_eponyms(doc: Doc, taken: list[bool]) -> list[Span]:
    """A listed eponym said by its possessive alone ("Known Barrett's and coeliac"), as its own DIAGNOSIS."""
    listed = _listed_possessives()
    out: list[Span] = []
    for i, tok in enumerate(doc.toks):
        if taken[i] or tok.norm not in listed:
            continue
        prev = doc.toks[i - 1].norm if i > 0 and doc.sent[i - 1] == doc.sent[i] else ""
        nxt = doc.toks[i + 1].norm if i + 1 < len(doc.toks) and doc.sent[i + 1] == doc.sent[i] else ""
        if prev in _TITLES or (nxt and nxt not in _FUNCTION_WORDS and nxt not in lex.stopwords()):
            continue
        s = doc.span(tok.begin, tok.end, "MEDICAL_CONDITION", "DX_NAME", 0.8)
        s.traits.append(("DIAGNOSIS", 0.85))
        out.append(s)
        taken[i] = True
    return out

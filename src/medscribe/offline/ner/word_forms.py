"""One-word condition names no list holds, known by their word form: a root with a disease or symptom suffix
("cholangiocarcinoma", "hyperlactataemia", "coccydynia", "bruxism") or a prefix of excess, lack or fault with a
noun ending ("hyposalivation").

The suffixes, prefixes and endings are data (``data/ner/condition_word_forms.txt``, with their source, and the
few words of those forms that name a structure, not a condition: "anastomosis"). A word is taken only when no
English dictionary holds it (``english.is_english``: "diagnosis", "nostalgia", "diploma" are never conditions
here), it is alphabetic and of 7 letters or more, and no other entity took it (a listed drug, site or test keeps
its own category: this stage runs after the lists are matched). It is a MEDICAL_CONDITION (DX_NAME) with the trait of its
form, as AWS returns a condition named in one word.
"""

from __future__ import annotations

import functools

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner.english import is_english
from medscribe.offline.ner.text import Doc, Span

SCORE = 0.75
_MIN_LETTERS = 7


@functools.cache
def _forms() -> tuple[
    tuple[tuple[str, str], ...], tuple[str, ...], tuple[tuple[str, str], ...], frozenset[str]
]:
    """(suffix, trait) longest first, the prefixes, (noun ending a prefix needs, trait), and the words left out."""
    suffixes: list[tuple[str, str]] = []
    prefixes: list[str] = []
    endings: list[tuple[str, str]] = []
    left_out: set[str] = set()
    for kind, *rest in lex._read_pipe_file("condition_word_forms.txt"):
        if kind == "SUFFIX":
            suffixes += [(s, rest[0]) for s in rest[1:]]
        elif kind == "PREFIX":
            prefixes += rest
        elif kind == "ENDING":
            endings += [(e, rest[0]) for e in rest[1:]]
        elif kind == "NOT":
            left_out.update(rest)
    suffixes.sort(key=lambda st: -len(st[0]))
    return tuple(suffixes), tuple(prefixes), tuple(endings), frozenset(left_out)


def trait_of(word: str) -> str | None:
    """The trait of ``word`` (lower case) when its form makes it a condition name, else None."""
    suffixes, prefixes, endings, left_out = _forms()
    if len(word) < _MIN_LETTERS or not word.isalpha() or word in left_out or is_english(word):
        return None
    for suffix, trait in suffixes:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return trait
    if word.startswith(prefixes):
        for ending, trait in endings:
            if word.endswith(ending) and len(word) >= _MIN_LETTERS + 2:
                return trait
    return None


def word_form_conditions(doc: Doc, taken: list[bool]) -> list[Span]:
    """Each word no other entity took whose form names a condition, as its own MEDICAL_CONDITION."""
    out: list[Span] = []
    for i, tok in enumerate(doc.toks):
        if taken[i]:
            continue
        trait = trait_of(tok.norm)
        if trait is None:
            continue
        s = doc.span(tok.begin, tok.end, "MEDICAL_CONDITION", "DX_NAME", SCORE)
        s.traits.append((trait, 0.8))
        out.append(s)
        taken[i] = True
    return out

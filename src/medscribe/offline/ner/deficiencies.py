"""An inborn error named by its enzyme: "<enzyme> deficiency" ("21-hydroxylase deficiency", "medium-chain
acyl-CoA dehydrogenase deficiency", "G6PD deficiency") where no list holds the whole name.

Enzymes are named by one rule of biochemical nomenclature (IUBMB recommendations, "EC list": an enzyme's
name ends in "-ase", e.g. "dehydrogenase", "hydroxylase", "transferase"), and a deficiency of an enzyme is a
disease (ICD-10-CM E70-E88 and D55 title hundreds of them "<enzyme> deficiency"; only some are listed whole by
the detector's lists). A "deficiency" no other entity took is a MEDICAL_CONDITION (DX_NAME, DIAGNOSIS) with the
words before it that name the enzyme:

- the word right before it is an enzyme name: it ends in "-ase" and no English dictionary holds it
  ("dehydrogenase", "hydroxylase"), or it is one of the enzyme names an English dictionary does hold
  (:data:`_ENGLISH_ENZYMES`: "kinase", "lactase") — never "disease", "increase", "release", "phrase"; or it is an
  abbreviation no dictionary holds, with a digit or of five letters or fewer ("G6PD", "LCHAD");
- then, going back in the sentence, each word that is part of the enzyme's name: a word joined to the next by a
  hyphen ("21-hydroxylase", "medium-chain"), a number, or a word no English dictionary holds ("acyl", "CoA"),
  up to five words; never a stop word or a word another entity took.
"""

from __future__ import annotations

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner.english import is_english
from medscribe.offline.ner.patterns import _NUMBER_WORDS
from medscribe.offline.ner.text import Doc, Span

SCORE = 0.8
_HEADS = frozenset({"deficiency", "deficiencies"})
# enzyme names the English word list holds (the CMU dictionary of the recogniser)
_ENGLISH_ENZYMES = tuple(
    (
        "kinase",
        "oxidase",
        "lactase",
        "maltase",
        "protease",
        "polymerase",
        "dismutase",
        "diastase",
        "telomerase",
    )
)
_HYPHENS = ("-", "\u2010", "\u2011")
_NUMBERS = frozenset(_NUMBER_WORDS - {"and", "point", "half", "a", "oh"})  # number words said as digits
_MAX_ABBREVIATION = 5
_MAX_BEFORE = 5


def _is_enzyme(word: str) -> bool:
    if word.endswith(_ENGLISH_ENZYMES):
        return True
    return word.endswith("ase") and len(word) >= 6 and word.isalpha() and not is_english(word)


def _is_abbreviation(word: str) -> bool:
    return (
        word.isalnum()
        and not word.isdigit()
        and not is_english(word)
        and (any(c.isdigit() for c in word) or 2 <= len(word) <= _MAX_ABBREVIATION)
    )


def _part_of_name(doc: Doc, k: int) -> bool:
    """Token ``k`` belongs to the enzyme name that goes on at ``k + 1``."""
    word = doc.toks[k].norm
    if word in lex.stopwords() and word not in _NUMBERS:  # "twenty" is a stop word of the drug matcher
        return False
    gap = doc.text[doc.toks[k].end : doc.toks[k + 1].begin]
    if gap in _HYPHENS or (k > 0 and doc.text[doc.toks[k - 1].end : doc.toks[k].begin] in _HYPHENS):
        return True  # "21-hydroxylase"; "chain" of "medium-chain"
    if gap != " ":
        return False
    number = word.isdigit() or word in _NUMBERS
    # a letter said before a number ("g six pd": G6PD in the recogniser's words)
    letter = len(word) == 1 and (doc.toks[k + 1].norm.isdigit() or doc.toks[k + 1].norm in _NUMBERS)
    return number or letter or (word.isalnum() and not is_english(word))


def _release_enzyme_drug(found: list[Span], e: int, taken: list[bool]) -> None:
    """An enzyme name another stage read as a drug, ending at token ``e`` ("hydroxylase", "acyl-CoA
    dehydrogenase"), is the deficiency's: the drug span is dropped and its tokens freed."""
    for s in found:
        if s.category == "MEDICATION" and s.t1 == e + 1:
            found.remove(s)
            for k in range(s.t0, s.t1):
                taken[k] = False
            return


def enzyme_deficiencies(doc: Doc, found: list[Span], taken: list[bool]) -> list[Span]:
    """Each "deficiency" an enzyme or abbreviation names, whole, as a MEDICAL_CONDITION; ``found`` loses a drug
    span the enzyme's name was read as."""
    out: list[Span] = []
    for h, tok in enumerate(doc.toks):
        if tok.norm not in _HEADS or taken[h] or h == 0:
            continue
        e = h - 1
        before = doc.toks[e]
        if doc.sent[e] != doc.sent[h] or doc.text[before.end : tok.begin] != " ":
            continue
        if _is_enzyme(before.norm) and taken[e]:
            _release_enzyme_drug(found, e, taken)
        if taken[e] or not (_is_enzyme(before.norm) or _is_abbreviation(before.norm)):
            continue
        first = e
        while (
            first > 0
            and e - first < _MAX_BEFORE
            and not taken[first - 1]
            and doc.sent[first - 1] == doc.sent[h]
            and _part_of_name(doc, first - 1)
        ):
            first -= 1
        s = doc.span(doc.toks[first].begin, tok.end, "MEDICAL_CONDITION", "DX_NAME", SCORE)
        s.traits.append(("DIAGNOSIS", 0.85))
        out.append(s)
        for k in range(first, h + 1):
            taken[k] = True
    return out

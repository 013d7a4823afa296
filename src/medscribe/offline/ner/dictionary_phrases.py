"""Dictionary phrases: the longest clinical-lexicon or drug-lexicon phrase at each token, a drug name said as
two tokens ("sita gliptin"), and each match's score."""

from __future__ import annotations

import re

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import latin_plurals, people, prescribing
from medscribe.offline.ner.patterns import _MAX_PHRASE, _TRAIT_SCORE
from medscribe.offline.ner.text import Doc, Span

_CLAUSE_PUNCT = re.compile(r"[:;,.!?()]")


def phrases(doc: Doc, taken: list[bool]) -> list[Span]:
    clinical = lex.clinical_lexicon()
    drugs = lex.drug_lexicon()
    english = lex.english_words()
    out: list[Span] = []
    n_toks = len(doc.toks)
    i = 0
    while i < n_toks:
        if taken[i]:
            i += 1
            continue
        best: Span | None = None
        for n in range(min(_MAX_PHRASE, n_toks - i), 0, -1):
            if any(taken[i : i + n]):
                continue
            key = " ".join(t.norm for t in doc.toks[i : i + n])
            begin, end = doc.toks[i].begin, doc.toks[i + n - 1].end
            punct = _CLAUSE_PUNCT.findall(doc.text, begin, end) if n > 1 else []
            if punct and (n < 4 or set(punct) != {","}):
                # a phrase never spans punctuation ("Throat: erythema" is an organ and a finding), except a
                # long name written with commas ("hand, foot and mouth disease")
                continue
            concept = clinical.phrases.get(key)
            if concept is None and key.endswith("s") and len(key) > 4:
                concept = clinical.phrases.get(key[:-1])  # plural of a lexicon phrase ("blood sugars")
            if concept is None:  # a condition's classical plural ("renal calculi", "bullae")
                concept = next(
                    (
                        c
                        for k in latin_plurals.singulars(key)
                        if (c := clinical.phrases.get(k)) and c.category == "MEDICAL_CONDITION"
                    ),
                    None,
                )
            if concept is not None:
                best = _concept_span(doc, begin, end, key, concept)
                break
            drug = drugs.names.get(key) if n <= drugs.max_tokens else None
            if drug is not None and n == 1 and (prescribing.is_abbreviation(key) or people.never_alone(key)):
                drug = None  # "nocte", "stat": a frequency or route; "nan", "besilate": never a drug alone
            if drug is not None:
                best = _drug_span(doc, begin, end, key, drug, english)
                break
        if best is None or best.t1 - best.t0 == 1:  # "sita gliptin"; "flu oxetine" (not the condition "flu")
            best = _joined_drug(doc, i, taken, english) or best
        if best is None:
            i += 1
            continue
        out.append(best)
        for k in range(best.t0, best.t1):
            taken[k] = True
        i = best.t1
    return out


_JOIN_MIN = 6  # letters of a name found split in two ("sita gliptin")


def _joined_drug(doc: Doc, i: int, taken: list[bool], english: frozenset[str]) -> Span | None:
    """A commonly prescribed drug name said or transcribed as two tokens ("sita gliptin", "El vanse", "met
    formin"): the two tokens, with nothing but a space between, spell the name exactly. Not when both halves are
    English words (two ordinary words rarely spell a drug by chance, but then it is chance), nor across a
    prescribing abbreviation, nor a person word beside an English word ("her nan"; "topira mate" joins)."""
    if i + 1 >= len(doc.toks) or taken[i + 1] or doc.text[doc.toks[i].end : doc.toks[i + 1].begin] != " ":
        return None
    a, b = doc.toks[i].norm, doc.toks[i + 1].norm
    joined = a + b
    if not (a.isalpha() and b.isalpha()) or len(joined) < _JOIN_MIN or (a in english and b in english):
        return None
    if any(prescribing.is_abbreviation(w) for w in (a, b)):
        return None
    if (people.never_alone(a) and b in english) or (people.never_alone(b) and a in english):
        return None  # "her nan", "flat mate"; a fragment before one still joins ("topira mate")
    drug = lex.drug_lexicon().names.get(joined)
    if drug is None or drug.tier != 2:
        return None
    type_ = "BRAND_NAME" if drug.is_brand else "GENERIC_NAME"
    return doc.span(doc.toks[i].begin, doc.toks[i + 1].end, "MEDICATION", type_, JOINED_SCORE)


JOINED_SCORE = 0.85  # an exact name across two tokens: below the one-token exact match, above any fuzzy one


def _concept_span(doc: Doc, begin: int, end: int, key: str, concept: lex.Concept) -> Span:
    if " " in key:
        score = 0.95
    elif len(key) <= 4 and key not in lex.english_words():
        score = 0.8
    else:
        score = 0.92
    s = doc.span(begin, end, concept.category, concept.type, score)
    if concept.trait:
        s.traits.append((concept.trait, _TRAIT_SCORE))
    return s


def _drug_span(doc: Doc, begin: int, end: int, key: str, drug: lex.DrugName, english: frozenset[str]) -> Span:
    if drug.tier == 2:
        score = 0.95 if drug.is_brand else 0.97
    elif drug.tier == 1:
        score = 0.9
    elif " " in key and all(w in english for w in key.split()):
        score = 0.9 if _kind_of_common_drug(key) else 0.45
    else:
        score = 0.75
    if len(key) <= 3:
        score *= 0.8
    return doc.span(begin, end, "MEDICATION", "BRAND_NAME" if drug.is_brand else "GENERIC_NAME", score)


# words that make a dictionary phrase ending in a drug name something other than a kind of that drug
# ("receptor insulin", "antagonists heparin", "leaf senna")
_NOT_A_KIND = frozenset(
    {"receptor", "receptors", "antibodies", "antagonist", "antagonists", "agonists", "protease", "effect",
     "effects", "synthesis", "inhibitors", "blockers", "peptides", "drug", "medication", "agent", "agents",
     "extract", "leaf", "pods", "hormone", "hormones", "analog", "analogue", "plant", "sulfate", "sulphate"}
)  # fmt: skip


def _kind_of_common_drug(key: str) -> bool:
    """A dictionary name of ordinary words that names a kind of a commonly prescribed drug or class ("long
    acting insulin", "loop diuretics", "anabolic steroids", "low molecular weight heparin"): a drug, where
    other all-English dictionary names ("pods senna") are too doubtful to report."""
    words = key.split()
    last = lex.drug_lexicon().names.get(words[-1])
    return last is not None and last.tier == 2 and not _NOT_A_KIND.intersection(words)

"""Fuzzy drug names: a word, or two words joined, near a drug name with the same initial (a misheard or
mistyped name), never an English word, a site, a word of a condition's name, a route or a product that is not a
medicine."""

from __future__ import annotations

import functools

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import not_drugs, people, prescribing
from medscribe.offline.ner.english import is_english as english_word
from medscribe.offline.ner.patterns import _NUMBER_WORDS
from medscribe.offline.ner.text import Doc, Span, clip

# English noun and participle endings no drug name has: "anticoagulation" and "anticoagulated" are near
# "anticoagulant" but name the treatment or the state, not the drug (the CMU dictionary lacks such words)
_NOT_DRUG_ENDINGS = ("tion", "sion", "ated", "ised", "ized", "ing")


@functools.cache
def _site_words() -> frozenset[str]:
    """Every word of the anatomy lexicons' sites ("parathyroid" of "parathyroid gland"): a word that names a body
    part, alone or before a procedure ("parathyroid surgery"), is never a misheard drug name."""
    phrases = lex.clinical_lexicon().phrases
    return frozenset(w for key, c in phrases.items() if c.category == "ANATOMY" for w in key.split())


@functools.cache
def _condition_words() -> frozenset[str]:
    """Every word of the condition lexicons' names (ICD-10-CM, HPO, Disease Ontology, ours) that is no word of a
    drug's name: "xanthomata" of "tendon xanthomata", "avoidant" of "avoidant personality disorder" are the medical
    vocabulary of a condition, not a misheard brand the fuzzy matcher may take them for (the English-word filter
    knows no such word). A drug's own word ("insulin" of "insulin resistance") is matched exactly before this."""
    phrases = lex.clinical_lexicon().phrases
    drug_words = {w for name in lex.drug_lexicon().names for w in name.split()}
    return frozenset(
        w
        for key, c in phrases.items()
        if c.category == "MEDICAL_CONDITION"
        for w in key.split()
        if w not in drug_words
    )


def fuzzy_drugs(doc: Doc, taken: list[bool]) -> list[Span]:
    from rapidfuzz import fuzz, process

    drugs = lex.drug_lexicon()
    english = lex.english_words()
    clinical = lex.clinical_lexicon().phrases
    out: list[Span] = []

    def usable(i: int) -> bool:
        t = doc.toks[i]
        return (
            not taken[i]
            and t.norm.isalpha()
            and t.norm not in clinical
            and not prescribing.is_abbreviation(t.norm)
            and not people.never_alone(t.norm)
            and not t.norm.endswith(_NOT_DRUG_ENDINGS)
            and t.norm not in _site_words()
            and t.norm not in _condition_words()
            and not not_drugs.is_route(t.norm)
        )

    i = 0
    while i < len(doc.toks):
        best: tuple[float, int, str] | None = None  # (score, n tokens, matched name)
        if usable(i) and not _before_non_drug_product(doc, i):
            cands: list[tuple[int, str]] = []
            word = doc.toks[i].norm
            if len(word) >= 5 and not english_word(word):
                cands.append((1, word))
            if (
                i + 1 < len(doc.toks)
                and usable(i + 1)
                and len(word) >= 3
                and not_drugs.joinable(word, doc.toks[i + 1].norm)
            ):
                joined = word + doc.toks[i + 1].norm
                if len(joined) >= 7 and joined not in english and doc.toks[i + 1].norm not in _NUMBER_WORDS:
                    cands.append((2, joined))
            for n, query in cands:
                cutoff = 80 if n == 1 else 88
                # Only names with the same initial: ASR and typing errors rarely change the first letter,
                # and it makes fuzzy matching ~20x cheaper.
                choices = drugs.fuzzy_choices.get(query[0], [])
                hit = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
                if hit is None:
                    continue
                name, ratio, _ = hit
                score = _fuzzy_score(query, ratio / 100.0, joined=n == 2)
                if best is None or score > best[0]:
                    best = (score, n, name)
        if best is None:
            i += 1
            continue
        score, n, name = best
        drug = drugs.names[name]
        begin, end = doc.toks[i].begin, doc.toks[i + n - 1].end
        s = doc.span(begin, end, "MEDICATION", "BRAND_NAME" if drug.is_brand else "GENERIC_NAME", score)
        out.append(s)
        for k in range(i, i + n):
            taken[k] = True
        i += n
    return out


# products that are not medicines: a near-miss drug name right before one is the product's brand ("Micropore
# tape", "Allevyn dressing"), not a misheard drug
_NON_DRUG_PRODUCTS = frozenset(
    {"tape", "dressing", "dressings", "plaster", "plasters", "bandage", "bandages", "stockings", "strips",
     "sensor", "sensors", "pump", "meter", "monitor", "catheter", "mattress", "cushion", "splint", "collar"}
)  # fmt: skip


def _before_non_drug_product(doc: Doc, i: int) -> bool:
    nxt = i + 1
    return nxt < len(doc.toks) and doc.sent[nxt] == doc.sent[i] and doc.toks[nxt].norm in _NON_DRUG_PRODUCTS


def _fuzzy_score(query: str, similarity: float, *, joined: bool) -> float:
    length = len(query)
    factor = {5: 0.45, 6: 0.6, 7: 0.75, 8: 0.85}.get(length, 0.45 if length < 5 else 0.95)
    score = 0.9 * similarity * factor
    if joined:
        score *= 0.85
    return clip(score)

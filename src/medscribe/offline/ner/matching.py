"""Dictionary matching: drugs (exact and fuzzy), conditions, tests, anatomy; PHI by patterns."""

from __future__ import annotations

import functools
import re

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import (
    compound_names,
    context_matching,
    deficiencies,
    drug_modifiers,
    eponyms,
    findings,
    history_heads,
    idioms,
    latin_plurals,
    lay_findings,
    not_drugs,
    people,
    prescribing,
    procedure_forms,
    products,
    site_adjectives,
    site_disorders,
    site_structures,
    sites,
    verb_forms,
    word_forms,
)
from medscribe.offline.ner.english import is_english as english_word
from medscribe.offline.ner.negative_prefix import absent_signs, keep_non
from medscribe.offline.ner.patterns import (
    _AGE_RE,
    _DATE_RE,
    _EMAIL_RE,
    _ID_RE,
    _MAX_PHRASE,
    _NAME_CUE_RE,
    _NAME_WORD_RE,
    _NUMBER_WORDS,
    _PHONE_RE,
    _TERMINATORS,
    _TRAIT_SCORE,
)
from medscribe.offline.ner.substance_conditions import substance_conditions
from medscribe.offline.ner.text import Doc, Span, clip


def find_entities(doc: Doc, *, fuzzy: bool) -> list[Span]:
    phi = _phi(doc)
    taken = [False] * len(doc.toks)
    for s in phi:
        for i in range(s.t0, s.t1):
            taken[i] = True
    found = sites.merge_site_symptoms(doc, idioms.without_idioms(doc, _phrases(doc, taken), taken))
    found = sites.extend_site_names(doc, found)  # "fifth metacarpal", "subclavian vein"
    found = site_structures.join_structures(doc, found)  # "neck flexors", "parietal bone", "L4/5"
    found = sites.organ_cancers(doc, sites.split_sites(doc, found))
    found = site_disorders.disorder_names(doc, found, taken)  # "kidney damage", "bowel sounds": no site apart
    found += site_disorders.sign_sites(doc, found)  # "cold hands": the sign's site too
    found = sites.split_elicited(doc, found, taken)  # "suprapubic tenderness": the sign and its site
    found += sites.procedure_sites(doc, found)
    _split_acuity(doc, found)
    keep_non(doc, found)  # "non-productive cough": never the opposite condition
    absent_signs(doc, found)  # "non-tender": a sign's absence
    context_matching.extend_flares(doc, found, taken)
    found += context_matching.exam_findings(doc, found, taken)
    found += findings.site_signs(doc, found, taken)
    found += findings.reduced_functions(doc, taken)
    found += findings.discharges(doc, taken)
    found += findings.lay_signs(doc, found, taken)
    found += findings.quality_symptoms(doc, found, taken)
    found += lay_findings.lay_findings(doc, found, taken)
    found += eponyms.eponym_conditions(doc, found, taken)
    found += eponyms.possessive_eponyms(doc, taken)
    found += deficiencies.enzyme_deficiencies(
        doc, found, taken
    )  # "21-hydroxylase deficiency": an enzyme's name
    found += word_forms.word_form_conditions(doc, taken)  # "hypomagnesaemia": a name no list holds
    found += verb_forms.verb_form_conditions(doc, taken)  # "sprained", "tingled": a condition said as a verb
    found += context_matching.supplements(doc, found, taken)
    found = products.refine(doc, found, taken)  # drug names apart from forms and devices; drug levels
    not_drugs.results_as_tests(doc, found, taken)  # "9 am cortisol was 40": the test
    found = drug_modifiers.modifiers(doc, found, taken)  # "quinolone antibiotics": a drug word as a modifier
    found += substance_conditions(
        doc, found, taken
    )  # "lithium toxicity", "alcohol withdrawal": after the drugs
    found = compound_names.bind_modifiers(doc, found)  # "IgA nephropathy", "breakthrough pain": whole names
    found += site_adjectives.free_site_adjectives(doc, found, taken)  # "occipital headaches": the site too
    if fuzzy:
        found += _fuzzy_drugs(doc, taken)
    found += context_matching.unknown_drugs(doc, found, taken)
    found = drug_modifiers.modifiers(doc, found, taken)  # again: the fuzzy and unknown names
    found += history_heads.after_history_heads(doc, taken)  # "Known IVDU": last, every list has had its turn
    # "hemicolectomy", "aortic valve replacement": after the history heads, which keep "history of X" a condition
    found += procedure_forms.procedure_words(doc, found, taken)
    return sorted(phi + found, key=lambda s: s.begin)


_CLAUSE_PUNCT = re.compile(r"[:;,.!?()]")
_ACUITY_WORDS = {"acute", "chronic", "subacute", "recurrent"}
# the guide's acuity words a condition name may start with ("persistent cough"): AWS names the condition
# without them (its ACUITY attribute); quality words too ("productive cough" -> "cough", its QUALITY attribute;
# PROCEDURE.md section 4, condition names; the words: compound_names.quality_words()).
_QUALIFIER_WORDS = _ACUITY_WORDS | {"persistent", "sudden", "gradual", "permanent", "longstanding"}


def _split_acuity(doc: Doc, found: list[Span]) -> None:
    """ "Acute sinusitis": acuity is an attribute (ACUITY), not part of the condition's name."""
    phrases = lex.clinical_lexicon().phrases
    qualifiers = _QUALIFIER_WORDS | compound_names.quality_words()
    for s in found:
        while s.category == "MEDICAL_CONDITION" and s.t1 - s.t0 >= 2 and doc.toks[s.t0].norm in qualifiers:
            whole = " ".join(t.norm for t in doc.toks[s.t0 : s.t1])
            rest = " ".join(t.norm for t in doc.toks[s.t0 + 1 : s.t1])
            concept, rest_concept = phrases.get(whole), phrases.get(rest)
            # only a synonym of the same concept ("acute sinusitis", "productive cough"), or a qualified
            # name of a known condition ("non healing ulcer"), never a named disease ("chronic kidney
            # disease", "chronic pain", "dry eye")
            same = concept is not None and rest_concept is concept
            qualified = concept is None and rest_concept is not None and rest_concept.category == s.category
            if not (same or qualified) or lex.normalize((concept or rest_concept).canonical) == whole:  # type: ignore[union-attr]
                break
            s.t0 += 1
            s.begin = doc.toks[s.t0].begin


def _phrases(doc: Doc, taken: list[bool]) -> list[Span]:
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


# English noun and participle endings no drug name has: "anticoagulation" and "anticoagulated" are near
# "anticoagulant" but name the treatment or the state, not the drug (the CMU dictionary lacks such words)
_NOT_DRUG_ENDINGS = ("tion", "sion", "ated", "ised", "ized", "ing")


@functools.cache
def _site_words() -> frozenset[str]:
    """Every word of the anatomy lexicons' sites ("parathyroid" of "parathyroid gland"): a word that names a body
    part, alone or before a procedure ("parathyroid surgery"), is never a misheard drug name."""
    phrases = lex.clinical_lexicon().phrases
    return frozenset(w for key, c in phrases.items() if c.category == "ANATOMY" for w in key.split())


def _fuzzy_drugs(doc: Doc, taken: list[bool]) -> list[Span]:
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


def _phi(doc: Doc) -> list[Span]:
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


def _fuzzy_score(query: str, similarity: float, *, joined: bool) -> float:
    length = len(query)
    factor = {5: 0.45, 6: 0.6, 7: 0.75, 8: 0.85}.get(length, 0.45 if length < 5 else 0.95)
    score = 0.9 * similarity * factor
    if joined:
        score *= 0.85
    return clip(score)


def _non_overlapping(spans: list[Span]) -> list[Span]:
    """Keep the earliest-found, then longest, spans that don't overlap an already kept one."""
    kept: list[Span] = []
    for s in sorted(spans, key=lambda s: -(s.end - s.begin)):
        if all(s.end <= k.begin or s.begin >= k.end for k in kept):
            kept.append(s)
    return sorted(kept, key=lambda s: s.begin)

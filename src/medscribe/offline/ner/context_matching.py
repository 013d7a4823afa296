"""Matches that depend on their context rather than on a dictionary alone.

- Exam findings: on an exam line headed by an organ ("Lungs: clear", "Abdomen: soft, nontender"), the
  usual normal/abnormal finding words are MEDICAL_CONDITION DX_NAME with trait SIGN. The bare words
  ("clear", "soft", "normal") are only findings there; distinctive ones ("regular rhythm", "PERRL") are in
  the conditions lexicon and found anywhere.
- Nutrients blocked as drugs because they are lab analytes ("iron", "potassium") are medications right before
  a form word or a strength, or after a verb of taking ("iron tablets", "potassium 20 meq", "take calcium"); any
  word the drug dictionary blocks as an analyte is one before a percentage strength and a form ("urea 10% cream"):
  no lab value is said so.
- "<diagnosis> flare / exacerbation" is one condition name ("gout flare").
- Unknown drug names: a word that is in no dictionary and is not English, right before a strength or dose
  ("Zyntrava 10 mg") or a dose-form noun ("Zyntrava tablets"), is kept as a MEDICATION (BRAND_NAME when capitalised) with a low Score (0.55: above
  the pipeline's 0.5 filter, below the draft's review threshold) and a LOW_CONFIDENCE trait, so the draft
  shows it for review instead of dropping it. A weak fuzzy match in the same position is raised the same way.
"""

from __future__ import annotations

import re

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import not_drugs, people, prescribing
from medscribe.offline.ner.english import is_english
from medscribe.offline.ner.patterns import _DOSAGE_RE, _NUMBER_WORDS, _STRENGTH_RE
from medscribe.offline.ner.text import Doc, Span

EXAM_FINDINGS = frozenset(
    {
        "clear", "clear bilaterally", "soft", "normal", "intact", "warm", "dry", "warm and dry", "pink",
        "moist", "supple", "nontender", "non tender", "nondistended", "non distended", "regular rhythm",
        "regular rate and rhythm", "rrr", "perrl", "perrla", "cta", "ctab", "unremarkable",
        "within normal limits", "wnl", "benign", "tender", "distended", "irregular rhythm",
        "pale", "diaphoretic", "cyanotic", "jaundiced", "icteric", "anicteric", "erythematous", "swollen",
        "edematous", "cool", "clammy", "cool and clammy", "symmetric", "nontoxic", "non toxic",
    }
)  # fmt: skip
UNKNOWN_DRUG_SCORE = 0.55
LOW_CONFIDENCE_SCORE = 0.9
_HEADER_RE = re.compile(r"\s*:")
_NEXT_HEADER_RE = re.compile(r"\b[A-Za-z]+\s*:")


def exam_findings(doc: Doc, found: list[Span], taken: list[bool]) -> list[Span]:
    out: list[Span] = []
    for site in [s for s in found if s.category == "ANATOMY"]:
        if _HEADER_RE.match(doc.text, site.end):  # "Abdomen: soft, nontender."
            nxt = _NEXT_HEADER_RE.search(doc.text, site.end + 1)
            limit = nxt.start() if nxt else len(doc.text)
        elif _on_exam_line(doc, site) and site.t1 < len(doc.toks):  # "HEENT: PERRLA, TMs clear."
            limit = doc.toks[site.t1].begin + 1  # only the words right after the organ
        else:
            continue
        i = site.t1
        while i < len(doc.toks) and doc.sent[i] == doc.sent[site.t0] and doc.toks[i].begin < limit:
            n = _finding_at(doc, i, taken)
            if not n:
                i += 1
                continue
            s = doc.span(doc.toks[i].begin, doc.toks[i + n - 1].end, "MEDICAL_CONDITION", "DX_NAME", 0.85)
            s.traits.append(("SIGN", 0.85))
            out.append(s)
            for k in range(i, i + n):
                taken[k] = True
            i += n
    return out


def _finding_at(doc: Doc, i: int, taken: list[bool]) -> int:
    for n in (4, 3, 2, 1):
        key = " ".join(t.norm for t in doc.toks[i : i + n])
        if i + n <= len(doc.toks) and not any(taken[i : i + n]) and key in EXAM_FINDINGS:
            return n
    return 0


def _on_exam_line(doc: Doc, site: Span) -> bool:
    """Is ``site`` on a "<Section>: ..." line (a colon earlier in its sentence)?"""
    first = site.t0
    while first > 0 and doc.sent[first - 1] == doc.sent[site.t0]:
        first -= 1
    start = doc.toks[first].begin if doc.toks else 0
    return ":" in doc.text[start : site.begin]


# dose-form nouns that follow a product name ("Zyntrava tablets", "Brandex cream")
_PRODUCT_FORMS = frozenset(
    {"tablet", "tablets", "capsule", "capsules", "cream", "ointment", "inhaler", "drops", "patch", "patches",
     "injection", "injections", "spray", "pessaries", "suppositories", "gel", "lotion", "syrup", "suspension",
     "linctus", "elixir"}
)  # fmt: skip


def _before_form(doc: Doc, i: int) -> bool:
    """Is token ``i`` right before a dose-form noun of its sentence, with nothing between ("Zyntrava tablets")?"""
    nxt = i + 1
    return (
        nxt < len(doc.toks)
        and doc.sent[nxt] == doc.sent[i]
        and doc.toks[nxt].norm in _PRODUCT_FORMS
        and not doc.text[doc.toks[i].end : doc.toks[nxt].begin].strip()
    )


def _before_amount(doc: Doc, end: int, *, units_only: bool = False) -> bool:
    """Is ``end`` right before a strength or dose in digits ("10 mg", "2 tablets")? With ``units_only`` a
    dose must be a drug unit, not a lab one: "potassium 20 meq" but not "potassium 3.1"."""
    gap = re.match(r"\s*", doc.text[end:])
    pos = end + (gap.end() if gap else 0)
    return any(
        m is not None and m.group(0)[:1].isdigit() and not (units_only and m.group(0)[-1:].isdigit())
        for m in (_STRENGTH_RE.match(doc.text, pos), _DOSAGE_RE.match(doc.text, pos))
    )


def _product_line_words(doc: Doc, found: list[Span]) -> frozenset[int]:
    """Tokens right after a brand name, with only a space between ("Epilim Chrono", "Zyntrava Retard"): the
    brand's release or product line, which a dose after it belongs to (a release suffix is a FORM, PROCEDURE.md
    section 8), never a second, unknown drug."""
    return frozenset(
        s.t1
        for s in found
        if s.category == "MEDICATION"
        and s.type == "BRAND_NAME"
        and s.score >= 0.5
        and s.t1 < len(doc.toks)
        and doc.sent[s.t1] == doc.sent[s.t0]
        and not doc.text[s.end : doc.toks[s.t1].begin].strip()
    )


def unknown_drugs(doc: Doc, found: list[Span], taken: list[bool]) -> list[Span]:
    """Unknown names before a strength / dose, and weak fuzzy matches there, kept with LOW_CONFIDENCE."""
    line_words = _product_line_words(doc, found)
    # "Epilim Chrono 200 mg": a weak fuzzy match of the brand's line word is dropped, so the dose is the brand's
    found[:] = [s for s in found if not (s.category == "MEDICATION" and s.score < 0.5 and s.t0 in line_words)]
    for s in found:
        if s.category == "MEDICATION" and s.score < 0.5 and _before_amount(doc, s.end):
            s.score = UNKNOWN_DRUG_SCORE
            s.traits.append(("LOW_CONFIDENCE", LOW_CONFIDENCE_SCORE))
    clinical = lex.clinical_lexicon().phrases
    stop = lex.stopwords()
    out: list[Span] = []
    for i, tok in enumerate(doc.toks):
        word = tok.norm
        if taken[i] or not word.isalpha() or len(word) < 4:
            continue
        if is_english(word) or word in clinical or word in stop or word in _NUMBER_WORDS:
            continue
        if prescribing.is_abbreviation(word) or people.never_alone(word) or not_drugs.is_route(word):
            continue  # "nocte 7.5 mg" is a frequency before a dose; "besilate 10 mg" the salt of the drug before
        if word in _PRODUCT_FORMS or i in line_words:
            continue  # "codeine linctus 5 mL": the form; "Epilim Chrono 200 mg": the brand's product line
        if not (_before_amount(doc, tok.end) or _before_form(doc, i)):
            continue
        surface = doc.text[tok.begin : tok.end]
        type_ = "BRAND_NAME" if surface[0].isupper() else "GENERIC_NAME"
        s = doc.span(tok.begin, tok.end, "MEDICATION", type_, UNKNOWN_DRUG_SCORE)
        s.traits.append(("LOW_CONFIDENCE", LOW_CONFIDENCE_SCORE))
        out.append(s)
        taken[i] = True
    return out


# Nutrients the drug dictionary blocks because they are also lab analytes ("iron 60", "potassium is low"); as
# a drug they come with a form or a strength ("iron tablets", "potassium 20 meq", "magnesium 400 mg"). Nicotine,
# blocked as tobacco, likewise: "nicotine patches", "a nicotine inhalator". Glucose, dextrose and saline are
# analytes or fluids and drugs only as products ("glucose tablets", "a dextrose infusion", "10% glucose IV",
# "saline nose drops", "normal saline"), B12 likewise ("B12 injections", not "B12 level"); herbs are foods and supplements only as products ("garlic capsules",
# "takes turmeric") or listed with another drug ("garlic capsules and turmeric").
HERBS = frozenset({"garlic", "turmeric", "ginger", "cranberry"})
SUPPLEMENTS = frozenset(
    {"iron", "potassium", "magnesium", "calcium", "zinc", "folate", "sodium bicarbonate", "oxygen", "nicotine",
     "glucose", "dextrose", "saline", "b12", "b 12", *HERBS}
)  # fmt: skip
SUPPLEMENT_SCORE = 0.9
_SUPPLEMENT_FORMS = frozenset(
    {"tablet", "tablets", "tab", "tabs", "capsule", "capsules", "pill", "pills", "supplement", "supplements",
     "supplementation", "replacement", "infusion", "infusions", "drops", "therapy", "via", "concentrator",
     "cylinders", "patch", "patches", "gum", "lozenge", "lozenges", "inhalator", "spray", "iv", "gel", "nose",
     "nasal", "nebs", "nebulisers", "nebulizers", "nebuliser", "flush", "flushes", "drip", "bolus", "sachets",
     "injection", "injections", "jab", "jabs"}
)  # fmt: skip
_TAKING = frozenset(
    {"take", "takes", "taking", "took", "start", "started", "starting", "continue", "continues", "add",
     "added", "prescribed", "using", "uses", "supplement", "supplementing", "replete", "repleted", "on", "home",
     "supplemental", "supplementary", "ambulatory", "normal", "hypertonic", "iv", "oral"}
)  # fmt: skip
_PERCENT_BEFORE = re.compile(r"\d(?:\.\d+)?\s*(?:%|percent)\s*$")  # "10% glucose", "0.9 percent saline"
# a percentage strength and a form after a word: "urea 10% cream", "urea 25 percent ointment"
_PERCENT_FORM = re.compile(
    r"\s+\d+(?:\.\d+)?\s*(?:%|percent)\s+(?:cream|creams|ointment|ointments|lotion|lotions|gel|gels|solution"
    r"|foam|shampoo|paste|emulsion|spray|drops|mouthwash|wash|enema|pessary|pessaries|suppository|suppositories)\b",
    re.IGNORECASE,
)
_LIST_WORDS = frozenset({"and", "or", "plus"})
_FLARE_WORDS = frozenset({"flare", "flares", "exacerbation", "attack", "attacks"})
_LIST_REACH = 3  # tokens between a drug and the conjunction before a herb ("garlic capsules and turmeric")


def supplements(doc: Doc, found: list[Span], taken: list[bool]) -> list[Span]:
    """A nutrient used as a drug: right before a form word or a drug strength, right after a verb of
    taking ("take calcium") or a percentage ("10% glucose"); a herb also listed right after a drug; "potassium
    20 meq" is a drug even where the lexicon made "potassium" a test, "potassium 3.1" stays a test."""
    out: list[Span] = []
    tests = {(s.t0, s.t1): s for s in found if s.type == "TEST_NAME"}
    drug_toks = {k for s in found if s.category == "MEDICATION" for k in range(s.t0, s.t1)}
    for i in range(len(doc.toks)):
        for n in (2, 1):
            key = " ".join(t.norm for t in doc.toks[i : i + n])
            if i + n > len(doc.toks):
                continue
            if key not in SUPPLEMENTS:
                product = key in lex.drug_overrides()[0] and _PERCENT_FORM.match(
                    doc.text, doc.toks[i + n - 1].end
                )
                if product and not any(taken[i : i + n]) and i not in drug_toks:
                    out.append(_as_drug(doc, i, n, taken, drug_toks))
                    break
                continue
            test = tests.get((i, i + n))
            if any(taken[i : i + n]) and test is None:
                continue
            end = doc.toks[i + n - 1].end
            nxt = doc.toks[i + n].norm if i + n < len(doc.toks) else ""
            prev = doc.toks[i - 1].norm if i > 0 and doc.sent[i - 1] == doc.sent[i] else ""
            drug = (
                nxt in _SUPPLEMENT_FORMS
                or prev in _TAKING
                or _before_amount(doc, end, units_only=True)
                or _PERCENT_BEFORE.search(doc.text, 0, doc.toks[i].begin) is not None
                or (key in HERBS and prev in _LIST_WORDS and _drug_before(doc, i - 1, drug_toks))
            )
            if drug:
                if test is not None:
                    found.remove(test)
                out.append(_as_drug(doc, i, n, taken, drug_toks))
                break
    return out


def _as_drug(doc: Doc, i: int, n: int, taken: list[bool], drug_toks: set[int]) -> Span:
    for k in range(i, i + n):
        taken[k] = True
        drug_toks.add(k)
    return doc.span(
        doc.toks[i].begin, doc.toks[i + n - 1].end, "MEDICATION", "GENERIC_NAME", SUPPLEMENT_SCORE
    )


def _drug_before(doc: Doc, conj: int, drug_toks: set[int]) -> bool:
    """Is there a drug within reach before the conjunction at ``conj``, in its sentence?"""
    return any(
        k in drug_toks and doc.sent[k] == doc.sent[conj] for k in range(max(0, conj - _LIST_REACH), conj)
    )


def extend_flares(doc: Doc, found: list[Span], taken: list[bool]) -> None:
    """ "Gout flare", "eczema exacerbation": the episode word is part of the diagnosis's name."""
    for s in found:
        if s.category != "MEDICAL_CONDITION" or s.t1 >= len(doc.toks) or taken[s.t1]:
            continue
        if not any(t == "DIAGNOSIS" for t, _ in s.traits):
            continue
        if doc.toks[s.t1].norm in _FLARE_WORDS and not doc.text[s.end : doc.toks[s.t1].begin].strip():
            taken[s.t1] = True
            s.t1 += 1
            s.end = doc.toks[s.t1 - 1].end

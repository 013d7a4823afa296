"""Body sites and condition names: a site inside a procedure's name, "<site> pain" as one name, a site split
from a sign ("ankle swelling"), an organ before a cancer word ("endometrial cancer")."""

from __future__ import annotations

import re

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner.patterns import _SYMPTOM_HEADS
from medscribe.offline.ner.text import Doc, Span


def procedure_sites(doc: Doc, spans: list[Span]) -> list[Span]:
    """The body site named inside a procedure ("left hip replacement") is an ANATOMY entity too,
    as AWS returns it beside the procedure."""
    phrases = lex.clinical_lexicon().phrases
    out: list[Span] = []
    for s in spans:
        if s.type != "PROCEDURE_NAME" or s.t1 - s.t0 < 2:
            continue
        for t in range(s.t0, s.t1):
            concept = phrases.get(doc.toks[t].norm)
            # a site noun ("hip" of "hip replacement"), not an adjective ("lumbar" of "lumbar puncture")
            if (
                concept is not None
                and concept.category == "ANATOMY"
                and not _ORGAN_ADJECTIVE.match(doc.toks[t].norm)
            ):
                out.append(doc.span(doc.toks[t].begin, doc.toks[t].end, "ANATOMY", "SYSTEM_ORGAN_SITE", 0.85))
    return out


# "<site> pain" is the usual name of a condition ("knee pain", "neck pain"); other heads stay apart from their
# site, as AWS returns "ankle swelling": condition "swelling" + ANATOMY "ankle" (its SYSTEM_ORGAN_SITE)
# (the held-out references name "calf tenderness" as the sign + its site, like "ankle swelling")
_SITE_NAMED_HEADS = {
    "pain", "ache", "discomfort", "stiffness", "cramps", "numbness", "tingling", "fracture", "fractures",
    "sprain", "strain", "dislocation",
}  # fmt: skip


def merge_site_symptoms(doc: Doc, spans: list[Span]) -> list[Span]:
    """Anatomy directly followed by a pain-like word, or an adjectival site before a sign, is one condition
    ("knee pain", "hip fracture", "facial swelling")."""
    out: list[Span] = []
    for s in spans:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.category == "ANATOMY"
            and s.category == "MEDICAL_CONDITION"
            and prev.t1 == s.t0
            and not doc.text[prev.end : s.begin].strip()
            and doc.text[s.begin : s.end].lower() in _SYMPTOM_HEADS
            # pain-like usual names ("knee pain", "hip fracture") and adjectival sites ("facial swelling");
            # a site noun before other signs stays a site ("ankle swelling")
            and (
                doc.text[s.begin : s.end].lower() in _SITE_NAMED_HEADS
                or _ORGAN_ADJECTIVE.match(doc.toks[prev.t1 - 1].norm) is not None
            )
        ):
            s.begin, s.t0 = prev.begin, prev.t0
            s.score = 0.9
            out[-1] = s
            continue
        out.append(s)
    return out


def split_sites(doc: Doc, spans: list[Span]) -> list[Span]:
    """ "ankle swelling", "foot ulcer": a synonym made of a site and its concept's own name is the condition
    plus a top-level ANATOMY site (AWS names the condition without the site, except pain-like usual names)."""
    phrases = lex.clinical_lexicon().phrases
    out: list[Span] = []
    for s in spans:
        out.append(s)
        if s.category != "MEDICAL_CONDITION" or s.t1 - s.t0 < 2:
            continue
        concept = phrases.get(" ".join(t.norm for t in doc.toks[s.t0 : s.t1]))
        for k in range(s.t0 + 1, s.t1):
            site = phrases.get(" ".join(t.norm for t in doc.toks[s.t0 : k]))
            rest = " ".join(t.norm for t in doc.toks[k : s.t1])
            if site is None or site.category != "ANATOMY" or rest not in _SPLIT_HEADS:
                continue
            if _ORGAN_ADJECTIVE.match(doc.toks[k - 1].norm):
                break  # an adjective names the condition ("facial swelling"); a noun is its site ("ankle")
            if concept is not None and phrases.get(rest) is concept:
                out.insert(-1, doc.span(s.begin, doc.toks[k - 1].end, "ANATOMY", "SYSTEM_ORGAN_SITE", 0.9))
                s.t0, s.begin = k, doc.toks[k].begin
                break
    return out


# sign / symptom words AWS names apart from their site ("ankle swelling": "swelling" + "ankle")
_SPLIT_HEADS = _SYMPTOM_HEADS - _SITE_NAMED_HEADS


_CANCER_HEADS = {"cancer", "carcinoma", "tumour", "tumor", "lymphoma", "sarcoma", "malignancy"}
_ORGAN_ADJECTIVE = re.compile(r"[a-z]{3,}(?:al|ic|ary|ian|ine|ar)$")


def organ_cancers(doc: Doc, spans: list[Span]) -> list[Span]:
    """ "breast cancer", "endometrial cancer", "pancreatic carcinoma": the organ (a site or its adjective)
    right before a cancer word is part of the condition's name."""
    out: list[Span] = []
    for s in spans:
        if s.category == "MEDICAL_CONDITION" and s.t1 - s.t0 == 1 and doc.toks[s.t0].norm in _CANCER_HEADS:
            prev = out[-1] if out else None
            if prev is not None and prev.category == "ANATOMY" and prev.t1 == s.t0:
                s.t0, s.begin = prev.t0, prev.begin
                out[-1] = s
                continue
            before = doc.toks[s.t0 - 1] if s.t0 > 0 else None
            if (
                before is not None
                and (prev is None or prev.t1 <= s.t0 - 1)
                and _ORGAN_ADJECTIVE.match(before.norm)
                and not doc.text[before.end : s.begin].strip()
            ):
                s.t0, s.begin = s.t0 - 1, before.begin
        out.append(s)
    return out

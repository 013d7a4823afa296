"""A site adjective outside a condition's usual name: "occipital headaches" -> condition `headaches` + ANATOMY
`occipital`, "sternal wound" -> `wound` + `sternal`, "Perianal excoriation" -> `excoriation` + `Perianal`.

AWS's ANATOMY entity is "references to the parts of the body ... and the locations of those parts", and its
condition's SYSTEM_ORGAN_SITE attribute is the site said with it (the guide's "chronic pain in left leg": `pain` +
`leg`); the references write a site adjective outside a usual name as ANATOMY (PROCEDURE sections 32, 47, 52:
"pontine infarct", "caecal adenocarcinoma", "occipital headaches"), while a usual name keeps its site ("pleural
effusion", "renal colic", "umbilical hernia"): the lexicon matches a usual name whole, so its adjective is never free.

Which adjectives name a site is read from the anatomy lexicons (``anatomy.txt`` and the ICD-10-CM injury and
neoplasm chapters' sites, ``anatomy_icd10cm.txt``), not from a list of this module: an organ's adjective by
``ner_hpo.site_adjective`` (the first word of a listed site phrase, "cervical spine", "occipital lobe", or a word whose
stem begins a one-word site, "sternal" / "sternum", "caecal" / "caecum"), and a locative prefix before such an
adjective or a listed site phrase's first word ("perianal" = "peri" + "anal canal", "submandibular", "suprapubic").
An everyday or directional word of that shape is none (``sites._NOT_SITE_ADJ``: "central", "internal", "distal"),
nor a word the lexicon lists as a condition ("diabetic") or a condition's quality or acuity.
"""

from __future__ import annotations

import functools
import re

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import compound_names
from medscribe.offline.ner.sites import _NOT_SITE_ADJ, _adjacent
from medscribe.offline.ner.text import Doc, Span

# an adjective's shape ("-al", "-ar", "-ary", "-ic", "-ine", "-eal"; "anal", "oral" too)
_ADJ_SHAPE = re.compile(r"[a-z]{2,}(?:al|ar|ary|ic|ac|ine|eal)$")
# locative prefixes of anatomy's adjectives ("perianal", "periorbital", "suprapubic", "submandibular", "retroauricular")
_PREFIXES = ("peri", "para", "supra", "infra", "sub", "retro", "intra", "circum")
# acuity words the matcher takes apart from a name (``matching._QUALIFIER_WORDS``)
_ACUITY = frozenset({"acute", "chronic", "subacute", "recurrent", "persistent", "sudden", "gradual"})


@functools.lru_cache(maxsize=1)
def _sites() -> frozenset[str]:
    phrases = lex.clinical_lexicon().phrases
    return frozenset(k for k, c in phrases.items() if c.category == "ANATOMY")


@functools.lru_cache(maxsize=1)
def _phrase_heads() -> frozenset[str]:
    """The first word of every listed site phrase of two words or more ("anal" of "anal canal")."""
    return frozenset(s.split()[0] for s in _sites() if " " in s)


@functools.lru_cache(maxsize=2048)
def site_adjective(word: str) -> bool:
    """``word`` (normalised) is an adjective that names a body site (see the module docstring)."""
    from medscribe.offline.ner_hpo import site_adjective as organ_adjective

    if not _ADJ_SHAPE.match(word) or word in _NOT_SITE_ADJ or word in _ACUITY:
        return False
    concept = lex.clinical_lexicon().phrases.get(word)
    if concept is not None and concept.category != "ANATOMY":
        return False  # "diabetic", "ischaemic": a condition's own word
    if word in compound_names.quality_words():
        return False
    sites = _sites()
    if organ_adjective(word, sites) or (word in _phrase_heads() and word not in sites):
        return True
    prefix = next((p for p in _PREFIXES if word.startswith(p) and len(word) - len(p) >= 4), "")
    base = word[len(prefix) :]
    return (
        bool(prefix)
        and base not in _NOT_SITE_ADJ
        and (base in _phrase_heads() or organ_adjective(base, sites))
    )


def free_site_adjectives(doc: Doc, spans: list[Span], taken: list[bool]) -> list[Span]:
    """ANATOMY for a free site adjective said right before a condition the lexicon names without it; ``taken``
    gains its token. The condition keeps its own span (the site is its SYSTEM_ORGAN_SITE attribute when linked)."""
    starts = {s.t0: s for s in spans if s.category == "MEDICAL_CONDITION"}
    inside = {t for s in spans for t in range(s.t0, s.t1)}
    out: list[Span] = []
    for i in range(len(doc.toks) - 1):
        condition = starts.get(i + 1)
        if condition is None or taken[i] or i in inside or not _adjacent(doc, i, i + 1):
            continue
        if site_adjective(doc.toks[i].norm):
            out.append(doc.span(doc.toks[i].begin, doc.toks[i].end, "ANATOMY", "SYSTEM_ORGAN_SITE", 0.85))
            taken[i] = True
    return out

"""A site word inside a condition's usual name, a sign's site, and a site word that names something of the organ that
is no site.

Three closed classes, by structure (PROCEDURE.md section 4: a condition keeps its site when the site is part of its
usual name; section 64, the session 16 anatomy round):

- **A general head of disorder after its site is one condition** ("spinal cord injury", "kidney damage", "bladder
  dysfunction", "bowel obstruction", "neck trauma", "nail infection", "corneal damage"): the head says only that
  something is wrong with the site (an injury, damage, a loss of function, a blockage, an infection, a failure), so
  the site is what tells one condition from another, and the name is said whole, as "head injury", "acute kidney
  injury", "heart failure", "chest infection" are listed. The site is then no top-level ANATOMY of its own. The first
  site of a pair said with one such head ("no bladder or bowel disturbance", "no liver or kidney damage") is inside
  the condition said once, no ANATOMY either. A sign found at a place keeps its site apart ("ankle swelling",
  "calf tenderness": ``sites.split_sites``), and a head before a service's word names the service ("spinal
  injuries unit").
- **An examination sign listed as "<sign adjective> <site>" names its site too** ("cold hands", "Cold feet", "a
  distended abdomen", "a bulging tympanic membrane"): the finding is the adjective, said of the site, as "tonsils
  enlarged" is (``findings``), so the site is also a top-level ANATOMY (docs/ner.md, "Anatomy, both ways"); the
  condition keeps its listed name. A symptom or a diagnosis so named is a usual name with no site apart ("sore
  throat", "enlarged prostate", "itchy skin": the lexicon's trait tells them apart).
- **A site word before its organ's sound, product or habit names that, not a site** ("bowel sounds", "heart
  sounds", "breast milk", "bowel habit"), as a site word before a service, a product or a test does
  (``idioms._SERVICE_HEADS``). "Sounds" after "the / his / her <site>" and before no noun's verb is the verb ("the
  chest sounds clear": the chest is the site listened to); "movements" and "motion" are left out, as they are a
  joint's as often as an organ's ("neck movements").
"""

from __future__ import annotations

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner.findings import SIGN_ADJECTIVES
from medscribe.offline.ner.idioms import _IDIOM_RE, _SERVICE_HEADS
from medscribe.offline.ner.site_adjectives import site_adjective
from medscribe.offline.ner.sites import _adjacent
from medscribe.offline.ner.text import Doc, Span

# heads that name no condition without their site: what is wrong is said, not what it is
DISORDER_HEADS = frozenset({
    "injury", "injuries", "trauma", "damage", "dysfunction", "obstruction", "disturbance", "disturbances",
    "infection", "infections", "failure", "insufficiency", "disease", "diseases", "disorder", "disorders",
})  # fmt: skip
# the organ's sound, product or habit ("bowel sounds", "breast milk", "bowel habit")
ORGAN_PRODUCTS = frozenset({"sound", "sounds", "milk", "habit", "habits"})
_SOUNDS = frozenset({"sound", "sounds"})
# "the chest sounds clear": a determiner before the site makes "sounds" a verb unless a noun's verb follows
_DETERMINERS = frozenset({"the", "his", "her", "their", "my", "your", "our", "a", "this"})
_NOUN_VERBS = frozenset({"are", "were", "is", "was", "present", "absent", "heard"})
# a place or a team of care after the head ("spinal injuries unit", "head injury clinic"): the service's name
_SERVICE_AFTER = _SERVICE_HEADS | {"unit", "units", "ward", "wards", "rehabilitation", "centre", "center"}
# a qualifier that makes the site another organ or part ("large bowel", "small bowel", "upper airway", "lower
# urinary tract"): said before the site, it is inside the name ("large bowel obstruction" is not "bowel obstruction")
_PART_QUALIFIERS = frozenset({"large", "small", "upper", "lower"})
_OR = frozenset({"or", "nor"})
_AND = "and"
_NEGATIONS = frozenset({"no", "any", "without", "nor", "denies", "denied"})
_TRAIT = ("DIAGNOSIS", 0.8)
_SCORE = 0.9


def _service_after(doc: Doc, head: int) -> bool:
    nxt = head + 1
    return nxt < len(doc.toks) and _adjacent(doc, head, nxt) and doc.toks[nxt].norm in _SERVICE_AFTER


def _organ_product(doc: Doc, site: Span, i: int) -> bool:
    """Token ``i`` right after the ANATOMY ``site`` names its organ's sound, product or habit."""
    if doc.toks[i].norm not in ORGAN_PRODUCTS:
        return False
    if doc.toks[i].norm not in _SOUNDS:
        return True
    before = site.t0 - 1
    determined = (
        before >= 0 and doc.sent[before] == doc.sent[site.t0] and doc.toks[before].norm in _DETERMINERS
    )
    after = i + 1
    noun_verb = (
        after < len(doc.toks) and doc.sent[after] == doc.sent[i] and doc.toks[after].norm in _NOUN_VERBS
    )
    return not determined or noun_verb


def _elided_site(doc: Doc, site: Span, by_end: dict[int, Span]) -> Span | None:
    """The ANATOMY span of "<site> or <site> <head>" ("bladder or bowel disturbance") before ``site``, if any."""
    link = site.t0 - 1
    if link < 1 or doc.sent[link] != doc.sent[site.t0]:
        return None
    first = by_end.get(link)
    if first is None or first.category != "ANATOMY" or doc.text[first.end : doc.toks[link].begin].strip(" ,"):
        return None
    word = doc.toks[link].norm
    if word in _OR:
        return first
    before = first.t0 - 1
    negated = before >= 0 and doc.sent[before] == doc.sent[first.t0] and doc.toks[before].norm in _NEGATIONS
    return first if word == _AND and negated else None


def disorder_names(doc: Doc, spans: list[Span], taken: list[bool]) -> list[Span]:
    """ "<site> <general head of disorder>" as one MEDICAL_CONDITION (the site no top-level ANATOMY), and no ANATOMY
    for a site word before its organ's sound, product or habit; ``taken`` gains the heads' tokens."""
    at = {t: s for s in spans for t in range(s.t0, s.t1)}
    by_end = {s.t1: s for s in spans}
    drop: set[int] = set()
    out: list[Span] = []
    for i in range(1, len(doc.toks)):
        word = doc.toks[i].norm
        if not _adjacent(doc, i - 1, i):
            continue
        site = at.get(i - 1)
        if site is not None and (site.category != "ANATOMY" or site.t1 != i or id(site) in drop):
            continue
        if site is not None and i not in at and _organ_product(doc, site, i):
            drop.add(id(site))
            continue
        if word not in DISORDER_HEADS or _service_after(doc, i):
            continue
        head = at.get(i)
        if head is not None and (head.category != "MEDICAL_CONDITION" or (head.t0, head.t1) != (i, i + 1)):
            continue  # the head is inside another name ("acute kidney injury" is listed whole)
        if site is None:
            free = i - 1
            if taken[free] or not site_adjective(doc.toks[free].norm):
                continue  # "corneal damage": a free site adjective no list matched as a site
            begin = doc.toks[free].begin
        else:
            begin = site.begin
            before = site.t0 - 1
            if (
                before >= 0
                and not taken[before]
                and _adjacent(doc, before, site.t0)
                and doc.toks[before].norm in _PART_QUALIFIERS
            ):
                begin = doc.toks[before].begin
            drop.add(id(site))
            first = _elided_site(doc, site, by_end)
            if first is not None:
                drop.add(id(first))
        condition = doc.span(begin, doc.toks[i].end, "MEDICAL_CONDITION", "DX_NAME", _SCORE)
        if head is not None:
            drop.add(id(head))
            condition.traits = list(head.traits)
        else:
            condition.traits.append(_TRAIT)
        for t in range(condition.t0, condition.t1):
            taken[t] = True
        out.append(condition)
    kept = [s for s in spans if id(s) not in drop]
    return sorted(kept + out, key=lambda s: s.begin)


def sign_sites(doc: Doc, spans: list[Span]) -> list[Span]:
    """ANATOMY for the site of an examination sign the lexicon lists as "<sign adjective> <site>" ("cold hands" ->
    `hands`); the condition keeps its name."""
    phrases = lex.clinical_lexicon().phrases
    idioms = [(m.start(), m.end()) for m in _IDIOM_RE.finditer(doc.text)]  # "he got cold feet": no site
    out: list[Span] = []
    for s in spans:
        if s.category != "MEDICAL_CONDITION" or s.t1 - s.t0 < 2 or doc.toks[s.t0].norm not in SIGN_ADJECTIVES:
            continue
        if any(b <= s.begin and s.end <= e for b, e in idioms):
            continue
        concept = phrases.get(" ".join(t.norm for t in doc.toks[s.t0 : s.t1]))
        site = phrases.get(" ".join(t.norm for t in doc.toks[s.t0 + 1 : s.t1]))
        if concept is None or concept.trait != "SIGN" or site is None or site.category != "ANATOMY":
            continue
        out.append(doc.span(doc.toks[s.t0 + 1].begin, s.end, "ANATOMY", "SYSTEM_ORGAN_SITE", _SCORE))
    return out

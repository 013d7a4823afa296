"""Relations beyond medication attributes: DIRECTION, body sites (SYSTEM_ORGAN_SITE) and time expressions.

Conventions (Comprehend Medical DetectEntitiesV2):
- DIRECTION ("left", "bilateral") is an attribute of the ANATOMY entity right after it, or of a
  MEDICAL_CONDITION right after it; when that anatomy becomes a condition's site, its direction moves to
  the condition too (attributes carry no attributes).
- Every anatomy mention is a top-level ANATOMY / SYSTEM_ORGAN_SITE entity (AWS returns each site at the top
  level); it is *also* a condition's SYSTEM_ORGAN_SITE attribute (the same mention, the same Id) when it follows the
  condition through "in / of / on" ("pain in the left knee", "pain radiating to the left leg"; conditions
  coordinated before it share the site: "erythema and warmth over the shin"), directly or after direction words
  ("otitis media, left ear"), when it is coordinated with such a site ("on the chest and back"), or when it
  heads an exam line ("Lungs: clear", "Neck: supple, no lymphadenopathy": the site of every finding on it),
  or directly precedes a condition ("TMs clear", "lung nodule").
- A time expression is a top-level TIME_EXPRESSION entity, Type TIME_TO_<entity type>, whose attributes
  are the entities it dates (RelationshipType OVERLAP): the nearest medication, condition, test, procedure
  or treatment in its sentence, plus conditions coordinated with it ("cough and fever for 3 days").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from medscribe.offline.ner.text import Doc, Span, clip
from medscribe.offline.ner.time_grammar import TIME_RE

TIME_TYPES = {
    "GENERIC_NAME": "TIME_TO_MEDICATION_NAME",
    "BRAND_NAME": "TIME_TO_MEDICATION_NAME",
    "DX_NAME": "TIME_TO_DX_NAME",
    "TEST_NAME": "TIME_TO_TEST_NAME",
    "PROCEDURE_NAME": "TIME_TO_PROCEDURE_NAME",
    "TREATMENT_NAME": "TIME_TO_TREATMENT_NAME",
}
# "pain in / over the knee", "discharge from the eye", "swelling around the kneecap", "cut above the eyebrow"
_SITE_VIA = {
    "in", "of", "on", "over", "to", "at", "from", "around", "under", "behind", "across", "along", "above",
    "below", "near", "into", "inside", "beneath", "between", "within", "down", "through",
}  # fmt: skip
_COORD = {"and", "or", "both"}
_DIRECTION_WORDS = {
    "left", "right", "bilateral", "bilaterally", "medial", "lateral", "upper", "lower", "posterior",
    "anterior", "distal", "proximal", "contralateral", "ipsilateral", "dorsal", "ventral", "the", "both", "her", "his", "their", "its",
}  # fmt: skip
_REACH_ADVERBS = {"up", "right", "all", "just", "mainly", "mostly"}
_SPREAD_VERBS = {"radiating", "radiates", "radiated", "extending", "extends", "spreading", "spreads", "going"}
_ONSET_VERBS = {
    "started",
    "starts",
    "began",
    "begins",
    "appeared",
    "developed",
    "is",
    "was",
    "located",
    "present",
}
_HEADER_RE = re.compile(r"\s*:")
_COORD_TEXT_RE = re.compile(r",?\s+(?:and|or)\s+", re.IGNORECASE)


def link_directions(doc: Doc, entities: list[Span], directions: list[Span]) -> None:
    targets = sorted(
        (e for e in entities if e.category in ("ANATOMY", "MEDICAL_CONDITION")), key=lambda e: e.t0
    )
    for d in directions:
        nxt = next((e for e in targets if e.t0 >= d.t1), None)
        if nxt is None or nxt.t0 - d.t1 > 1 or doc.sentence_of(nxt) != doc.sentence_of(d):
            continue
        if nxt.t0 > d.t1 and doc.toks[d.t1].norm not in _DIRECTION_WORDS:
            continue
        nxt.attributes.append((d, "DIRECTION", clip(0.99 - 0.025 * (nxt.t0 - d.t1))))


def _without_time(doc: Doc, begin: int, end: int) -> list[str]:
    """The tokens between two offsets, less those of a time expression ("three days ago")."""
    covered = [(m.start() + begin, m.end() + begin) for m in TIME_RE.finditer(doc.text[begin:end])]
    t0, t1 = doc.tok_range(begin, end)
    return [t.norm for t in doc.toks[t0:t1] if not any(b <= t.begin < e for b, e in covered)]


def _coordinated_before(doc: Doc, c: Span, before: list[Span]) -> list[Span]:
    """The conditions joined to ``c`` by "and" / "or" right before it ("erythema and warmth")."""
    out: list[Span] = []
    cur = c
    for other in reversed(before):
        if not _COORD_TEXT_RE.fullmatch(doc.text, other.end, cur.begin):
            break
        out.insert(0, other)
        cur = other
    return out


def _attach_site(owner: Span, site: Span, score: float) -> None:
    owner.attributes.append((site, "SYSTEM_ORGAN_SITE", score))
    for a, rel, rs in site.attributes:
        if rel == "DIRECTION" and all(x is not a for x, _, _ in owner.attributes):
            owner.attributes.append((a, rel, rs))


def link_sites(doc: Doc, entities: list[Span]) -> None:
    conditions = [e for e in entities if e.category == "MEDICAL_CONDITION"]
    anatomy = [e for e in entities if e.category == "ANATOMY"]
    moved: list[Span] = []
    # exam lines: "<Organ>: finding, finding."
    for site in anatomy:
        if not _HEADER_RE.match(doc.text, site.end):
            continue
        sent = doc.sentence_of(site)
        found = [c for c in conditions if c.t0 >= site.t1 and doc.sentence_of(c) == sent]
        # the line ends where the next "<word>:" header starts
        nxt_header = re.search(r"\b\w+\s*:", doc.text[site.end + 1 :])
        limit = site.end + 1 + nxt_header.start() if nxt_header else len(doc.text)
        found = [c for c in found if c.begin < limit]
        for c in found:
            _attach_site(c, site, 0.9)
        if found:
            moved.append(site)
    # "<condition> in/of/on the left <site> (and <site>)"
    last: tuple[Span, Span] | None = None  # (site, its condition)
    for site in anatomy:
        if site in moved:
            continue
        sent = doc.sentence_of(site)
        if last is not None and doc.sentence_of(last[0]) == sent:
            gap = doc.between(last[0].t1, site.t0)
            if gap and set(gap) <= _COORD | _DIRECTION_WORDS and set(gap) & _COORD:
                _attach_site(last[1], site, clip(0.95 - 0.03 * len(gap), 0.55))
                moved.append(site)
                last = (site, last[1])
                continue
        # the next word, never across punctuation ("pain in the arm. Redness ..." is another sentence)
        after = next(
            (c for c in conditions if c.t0 == site.t1 and not doc.text[site.end : c.begin].strip()), None
        )
        if after is not None:  # "TMs clear", "lung nodule": the organ right before a finding
            _attach_site(after, site, 0.9)
            moved.append(site)
            continue
        prev = [c for c in conditions if c.t1 <= site.t0 and doc.sentence_of(c) == sent]
        if not prev:
            continue
        c = prev[-1]
        gap = doc.between(c.t1, site.t0)
        # "pain radiating to the left leg", "swelling extending into the calf": the site the symptom reaches
        path = gap[1:] if gap and gap[0] in _SPREAD_VERBS else gap
        if len(path) > 1 and path[0] in _REACH_ADVERBS and path[1] in _SITE_VIA:
            path = path[1:]  # "swelling up to the knees", "numbness right into the fingers"
        if path and path[0] in _ONSET_VERBS:
            # "the rash started three days ago on her arms": onset verb and time point sit between them
            path = _without_time(doc, c.end, site.begin)[1:]
        via = bool(path) and path[0] in _SITE_VIA and len(path) <= 4 and set(path[1:]) <= _DIRECTION_WORDS
        directional = bool(gap) and len(gap) <= 2 and set(gap) <= _DIRECTION_WORDS - {"the"}
        if via or directional:
            score = clip(0.99 - 0.025 * len(gap), 0.55)
            for owner in [*_coordinated_before(doc, c, prev[:-1]), c]:
                _attach_site(owner, site, score)  # "erythema and warmth over the shin": the site of both
            moved.append(site)
            last = (site, c)
    # A site stays a top-level ANATOMY entity as well (AWS returns both); "moved" only stops a site from
    # being linked twice.


def add_time_expressions(
    doc: Doc,
    entities: list[Span],
    times: list[Span],
    nearest: Callable[[Doc, Span, list[Span]], tuple[Span, str, float] | None],
) -> None:
    owners = [e for e in entities if e.type in TIME_TYPES]
    for t in times:
        hit = nearest(doc, t, owners)
        if hit is None:
            continue  # AWS reports a time expression only with the entity it dates
        owner, _, rel_score = hit
        linked = [owner]
        if owner.category in ("MEDICAL_CONDITION", "TEST_TREATMENT_PROCEDURE"):
            # "cough and fever for 3 days", "check CBC and TSH in 6 weeks": entities of the owner's kind
            # coordinated with it share its time
            same = [c for c in owners if c.category == owner.category]
            k = same.index(owner)
            while k > 0 and doc.sentence_of(same[k - 1]) == doc.sentence_of(owner):
                gap = doc.between(same[k - 1].t1, same[k].t0)
                if not gap or not set(gap) <= _COORD:
                    break
                k -= 1
                linked.insert(0, same[k])
        t.category = "TIME_EXPRESSION"
        t.type = TIME_TYPES[owner.type]
        t.attributes = [(e, "OVERLAP", rel_score) for e in linked]
        entities.append(t)
    entities.sort(key=lambda s: s.begin)

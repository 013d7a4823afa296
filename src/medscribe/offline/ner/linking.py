"""Linking attributes to their entity (DetectEntitiesV2 relationships) or to UnmappedAttributes."""

from __future__ import annotations

import bisect

from medscribe.offline.ner.patterns import (
    _CLAUSE_VERBS,
)
from medscribe.offline.ner.text import Doc, Span, clip


def link(doc: Doc, entities: list[Span], attrs: list[Span]) -> list[Span]:
    """Attach attributes to entities; returns the unmapped ones."""
    meds = [e for e in entities if e.category == "MEDICATION"]
    conditions = [e for e in entities if e.category == "MEDICAL_CONDITION"]
    tests = [e for e in entities if e.type == "TEST_NAME"]
    unmapped: list[Span] = []
    for a in attrs:
        target: tuple[Span, str, float] | None = None
        if a.category == "MEDICATION":
            target = _link_med(doc, a, meds, entities)
            if target is None and a.type == "DURATION":
                # "cough for five days": a duration with no drug near is a condition's time expression
                target = _link_time(doc, a, conditions)
                if target is not None:
                    a.category = "TIME_EXPRESSION"
        elif a.category == "TEST_TREATMENT_PROCEDURE":
            target = _link_before(doc, a, tests, a.type, max_gap=8)
        elif a.type == "ACUITY":
            target = _link_after(doc, a, conditions, "ACUITY", max_gap=2)
        elif a.category == "TIME_EXPRESSION":
            target = _link_time(doc, a, [e for e in entities if e.category != "PROTECTED_HEALTH_INFORMATION"])
        if target is None:
            unmapped.append(a)
            continue
        owner, rel, rel_score = target
        if a.category == "TIME_EXPRESSION":
            a.type = {
                "MEDICATION": "TIME_TO_MEDICATION_NAME",
                "MEDICAL_CONDITION": "TIME_TO_DX_NAME",
            }.get(owner.category, f"TIME_TO_{owner.type}")
        owner.attributes.append((a, rel, rel_score))
    # Anatomy right after a condition ("pain in the left knee") becomes its SYSTEM_ORGAN_SITE.
    for anatomy in [e for e in entities if e.category == "ANATOMY"]:
        hit = _link_before(doc, anatomy, conditions, "SYSTEM_ORGAN_SITE", max_gap=3, via={"in", "of", "on"})
        if hit is not None:
            owner, rel, rel_score = hit
            owner.attributes.append((anatomy, rel, rel_score))
            entities.remove(anatomy)
    return unmapped


def _between(doc: Doc, a: int, b: int) -> list[str]:
    return [t.norm for t in doc.toks[a:b]]


def _link_med(doc: Doc, a: Span, meds: list[Span], entities: list[Span]) -> tuple[Span, str, float] | None:
    sent = doc.sentence_of(a)
    k = bisect.bisect_left([m.t0 for m in meds], a.t0)  # meds are in text order
    p = meds[k - 1] if k > 0 and doc.sentence_of(meds[k - 1]) == sent else None
    n = meds[k] if k < len(meds) and doc.sentence_of(meds[k]) == sent else None
    if n is not None:
        gap = doc.between(a.t1, n.t0)
        if len(gap) <= 3 and "of" in gap:
            return n, a.type, 0.95
    # Neither direction crosses a verb that opens a new instruction ("... every morning start glipizide",
    # "metformin twice daily recheck a1c every three months"): in unpunctuated ASR text those verbs are
    # the only clause boundaries left.
    if p is not None and a.t0 - p.t1 <= 15 and not _CLAUSE_VERBS.intersection(doc.between(p.t1, a.t0)):
        return p, a.type, clip(0.99 - 0.025 * (a.t0 - p.t1), 0.55)
    if (
        n is not None
        and n.t0 - a.t1 <= 4
        and not any(a.t1 <= e.t0 < n.t0 for e in entities)
        and not _CLAUSE_VERBS.intersection(doc.between(a.t1, n.t0))
    ):
        return n, a.type, clip(0.9 - 0.03 * (n.t0 - a.t1), 0.55)
    return None


def _link_before(
    doc: Doc, a: Span, owners: list[Span], rel: str, *, max_gap: int, via: set[str] | None = None
) -> tuple[Span, str, float] | None:
    """Link ``a`` to the nearest owner ending before it in the same sentence."""
    sent = doc.sentence_of(a)
    prev = [o for o in owners if o.t1 <= a.t0 and doc.sentence_of(o) == sent]
    if not prev:
        return None
    o = prev[-1]
    gap = a.t0 - o.t1
    if gap > max_gap:
        return None
    if via is not None and (gap == 0 or doc.toks[o.t1].norm not in via):
        return None
    return o, rel, clip(0.99 - 0.025 * gap, 0.55)


def _link_after(
    doc: Doc, a: Span, owners: list[Span], rel: str, *, max_gap: int
) -> tuple[Span, str, float] | None:
    nxt = [o for o in owners if o.t0 >= a.t1 and o.t0 - a.t1 <= max_gap]
    if not nxt or doc.sentence_of(nxt[0]) != doc.sentence_of(a):
        return None
    return nxt[0], rel, clip(0.99 - 0.025 * (nxt[0].t0 - a.t1), 0.55)


def _link_time(doc: Doc, a: Span, owners: list[Span]) -> tuple[Span, str, float] | None:
    sent = doc.sentence_of(a)
    best: tuple[int, Span] | None = None
    for o in owners:
        if doc.sentence_of(o) != sent or o.category == "ANATOMY":
            continue
        dist = a.t0 - o.t1 if o.t1 <= a.t0 else o.t0 - a.t1
        if dist <= 6 and (best is None or dist < best[0]):
            best = (dist, o)
    if best is None:
        return None
    return best[1], "OVERLAP", clip(0.9 - 0.03 * best[0], 0.55)

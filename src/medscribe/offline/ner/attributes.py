"""Attribute patterns: dose, strength, frequency, route, duration, form, rate, acuity, test values, time."""

from __future__ import annotations

import re

from medscribe.offline.ner import products, time_events
from medscribe.offline.ner.patterns import (
    _ACUITY_RE,
    _DIRECTION_RE,
    _DOSAGE_RE,
    _DURATION_RE,
    _FORM_CASED,
    _FORM_RE,
    _FREQ_ABBR_RE,
    _FREQ_STRONG_RE,
    _FREQ_WEAK_RE,
    _QUALITY_RE,
    _RATE_RE,
    _ROUTE_CASED,
    _ROUTE_RE,
    _STRENGTH_RE,
    _TEST_PREFIX_RE,
    _TEST_UNIT_RE,
    _TEST_VALUE_RE,
)
from medscribe.offline.ner.text import Doc, Span
from medscribe.offline.ner.time_grammar import RECURRENCE_RE, TIME_RE, dates_with_a_preposition

_TIME_AFTER_RE = re.compile(r"\s+(?:days?|weeks?|months?|years?|hours?|minutes?)\b", re.IGNORECASE)


# a test or procedure noun right after a form word: the two are one test's name
_TEST_NOUN_RE = re.compile(r"[ \t-]+(?:test|tests|testing|tested)\b", re.IGNORECASE)


def find_attributes(doc: Doc, entities: list[Span]) -> list[Span]:
    text = doc.text
    occupied = bytearray(len(text) + 1)  # 1 where an entity or a kept attribute already is
    for e in entities:
        if e.category != "ANATOMY":
            occupied[e.begin : e.end] = b"\x01" * (e.end - e.begin)
    found: list[Span] = []

    def add(begin: int, end: int, category: str, type_: str, score: float) -> None:
        found.append(doc.span(begin, end, category, type_, score))

    # Test values right after a test name (claimed before medication patterns see the numbers).
    for e in entities:
        if e.type != "TEST_NAME":
            continue
        pre = _TEST_PREFIX_RE.match(text, e.end)
        pos = pre.end() if pre else e.end
        v = _TEST_VALUE_RE.match(text, pos)
        if v is None or v.end() == v.start() or pos - e.end > 40:
            continue
        if _TIME_AFTER_RE.match(text, v.end()):
            continue  # "Echocardiogram two days ago": a time expression, not the test's value
        add(v.start(), v.end(), "TEST_TREATMENT_PROCEDURE", "TEST_VALUE", 0.9)
        u = _TEST_UNIT_RE.match(text, v.end())
        if u is not None:
            ub = u.start() + (len(u.group(0)) - len(u.group(0).lstrip()))
            add(ub, u.end(), "TEST_TREATMENT_PROCEDURE", "TEST_UNIT", 0.9)
    med_patterns: list[tuple[re.Pattern[str], str, float]] = [
        (_RATE_RE, "RATE", 0.9),
        (_STRENGTH_RE, "STRENGTH", 0.97),
        (_DOSAGE_RE, "DOSAGE", 0.9),
        (_DURATION_RE, "DURATION", 0.9),
        (_FREQ_STRONG_RE, "FREQUENCY", 0.95),
        (RECURRENCE_RE, "FREQUENCY", 0.9),  # "more than once a week", "twelve days a month"
        (_FREQ_ABBR_RE, "FREQUENCY", 0.9),
        (_FREQ_WEAK_RE, "FREQUENCY", 0.85),
        (_ROUTE_RE, "ROUTE_OR_MODE", 0.9),
        (_FORM_RE, "FORM", 0.85),
    ]
    for pattern, type_, score in med_patterns:
        for m in pattern.finditer(text):
            word = m.group(0).lower()
            if pattern is _ROUTE_RE and word in _ROUTE_CASED and not m.group(0).isupper():
                continue
            if pattern is _FORM_RE and word in _FORM_CASED and not m.group(0).isupper():
                continue
            if pattern is _FORM_RE and _TEST_NOUN_RE.match(text, m.end()):
                continue  # "patch testing", "pen test": a form word opening a test's name is no form
            s = score
            if type_ == "DOSAGE" and re.match(r"an?\b", word):
                s = 0.8
            if type_ == "STRENGTH" and not word[0].isdigit():
                s = 0.95
            add(m.start(), m.end(), "MEDICATION", type_, s)
    for begin, end in products.device_forms(doc, entities):  # "NovoRapid FlexPen": the device is the form
        add(begin, end, "MEDICATION", "FORM", products.DEVICE_FORM_SCORE)
    for m in _ACUITY_RE.finditer(text):
        add(m.start(), m.end(), "MEDICAL_CONDITION", "ACUITY", 0.9)
    for m in _QUALITY_RE.finditer(text):
        add(m.start(), m.end(), "MEDICAL_CONDITION", "QUALITY", 0.85)
    for m in _DIRECTION_RE.finditer(text):
        add(m.start(), m.end(), "ANATOMY", "DIRECTION", 0.9)
    for m in TIME_RE.finditer(text):
        add(m.start(), m.end(), "TIME_EXPRESSION", "TIME_EXPRESSION", 0.85)
    # Longest first; an attribute never overlaps an entity or an earlier (longer / stronger) attribute.
    # Test values next to their test are claimed first ("A1c of 7.2 percent" is a value, not a strength).
    order = sorted(
        range(len(found)),
        key=lambda k: (found[k].category != "TEST_TREATMENT_PROCEDURE", -(found[k].end - found[k].begin), k),
    )
    kept: list[Span] = []
    for k in order:
        a = found[k]
        if 1 in occupied[a.begin : a.end]:
            continue
        occupied[a.begin : a.end] = b"\x01" * (a.end - a.begin)
        kept.append(a)
    kept = time_events.with_event_times(doc, entities, kept)  # "since the stroke": the event is an entity
    for begin, end in dates_with_a_preposition(doc, entities):  # "admitted on 3 March": a PHI DATE's time too
        if not any(a.begin < end and begin < a.end for a in kept):
            kept.append(doc.span(begin, end, "TIME_EXPRESSION", "TIME_EXPRESSION", 0.85))
    # Adjacent frequency pieces are one schedule, one FREQUENCY: "every six hours as needed", "q6h prn",
    # "tid with meals", "at breakfast daily".
    kept.sort(key=lambda s: s.begin)
    merged: list[Span] = []
    for a in kept:
        prev = merged[-1] if merged else None
        if prev is not None and prev.type == a.type == "FREQUENCY" and not text[prev.end : a.begin].strip():
            merged[-1] = doc.span(prev.begin, a.end, "MEDICATION", "FREQUENCY", min(prev.score, a.score))
            continue
        merged.append(a)
    kept = merged
    # An attribute wins over anatomy inside it ("by mouth", "eye drops"); otherwise anatomy stays. A route
    # needs a drug in its sentence: "retinopathy in both eyes" names a site, "drops in both eyes" a route;
    # a form word inside a site's name is the site's ("the internal capsule").
    drug_sents = {doc.sentence_of(e) for e in entities if e.category == "MEDICATION"}
    for e in [e for e in entities if e.category == "ANATOMY"]:
        clash = [a for a in kept if a.begin < e.end and e.begin < a.end]
        routed = (
            any(a.type == "ROUTE_OR_MODE" and text[a.begin : a.end].lower().startswith("in ") for a in clash)
            and doc.sentence_of(e) not in drug_sents
        )  # "in both eyes" is a place unless a drug is put there; "by mouth" is a route wherever it is said
        if routed or (clash and all(e.begin <= a.begin and a.end <= e.end for a in clash)):
            kept = [a for a in kept if a not in clash]
            continue
        if any(a.category == "MEDICATION" for a in clash):
            entities.remove(e)
        else:  # a time counted from an event keeps the event's site ("since her hip replacement")
            kept = [a for a in kept if a not in clash or time_events.holds(a, e)]
    return sorted(kept, key=lambda s: s.begin)

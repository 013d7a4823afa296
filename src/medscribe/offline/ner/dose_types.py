"""DOSAGE vs STRENGTH, as Comprehend Medical types a drug's amounts (read by :mod:`.linking` once attributes are
linked to their drug)."""

from __future__ import annotations

import re

from medscribe.offline.ner.text import Doc, Span

# A concentration or a percentage is always the product's strength ("250 mg/5 ml", "1% cream").
_CONCENTRATION_RE = re.compile(r"/|%|percent|\bper\b|\bin\b", re.IGNORECASE)
_COUNT_DOSE = {"DOSAGE"}


def type_doses(doc: Doc, med: Span | None, loose: list[Span] | None = None) -> None:
    """DOSAGE vs STRENGTH as Comprehend Medical types them: an amount by weight ("20 mg", "125 micrograms")
    is the DOSAGE, the amount ordered, unless the drug also has a count of units ("1 and 1/2 tabs", "2
    puffs"): then the count is the DOSAGE and the weight the per-unit STRENGTH ("0.2 mgs"). Concentrations
    and percentages stay STRENGTH."""
    if med is None:
        for a in loose or []:
            if a.type == "STRENGTH" and not _CONCENTRATION_RE.search(doc.text, a.begin, a.end):
                a.type = "DOSAGE"
        return
    has_count = any(a.type in _COUNT_DOSE for a, _, _ in med.attributes)
    if has_count:
        return
    out = []
    for a, rel, score in med.attributes:
        if a.type == "STRENGTH" and not _CONCENTRATION_RE.search(doc.text, a.begin, a.end):
            a.type = "DOSAGE"
            rel = "DOSAGE"
        out.append((a, rel, score))
    med.attributes = out

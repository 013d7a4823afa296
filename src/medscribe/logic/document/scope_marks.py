"""The marks a transcript's scope is read from (:mod:`.scope`): relations, "family history", the patient,
pronouns, reports, headers, instructions and sentence ends, in the order they are said."""

from __future__ import annotations

import re
from dataclasses import dataclass

from medscribe.logic.document.relation_words import (
    AND_BEFORE,
    FAMILY,
    FH,
    OTHERS,
    OWN_VERB,
    PATIENT,
    PREPOSITION,
    PRONOUN,
    REFLEXIVE_OF_RELATION,
    RELATION,
    REPORT,
)
from medscribe.logic.document.scope_words import ACTION, HEADER

# "Mum says the GP stopped the Epilim": a clinician as the subject of a change to a drug acts on the patient's
# drug, whoever reports it; the clinician is no relation
CLINICIAN_ACTS = re.compile(
    r"\b(?:the|her|his|their|your|our)\s+(?:gp|doctor|consultant|cardiologist|neurologist|paediatrician"
    r"|psychiatrist|surgeon|registrar|specialist|team|nurse|pharmacist|hospital|practice|clinic)s?"
    r"\s+(?:has\s+|had\s+|have\s+)?(?:stopped|started|restarted|changed|increased|reduced|decreased|switched"
    r"|prescribed|discontinued|weaned|withdrew|swapped|added|halved|doubled|put|took|gave)\b",
    re.IGNORECASE,
)
# "her mother was diagnosed with lupus": the relation is the subject of the clinician's account, no new clause
RELATION_PASSIVE = re.compile(
    rf"\b(?:{FAMILY}|{OTHERS})\s+(?:was|were|is|are|has\s+been|had\s+been|have\s+been|got)(?:\s+being)?\s+$",
    re.IGNORECASE,
)

# "both of her brothers", "two of his children", "all of the family": a quantifier's "of" names the subject's
# people, not an object of a preposition
QUANTIFIED_OF = re.compile(
    r"(?<![\w'-])(?:both|all|each|either|neither|one|two|three|four|several|some|most|many|none|any)\s+of\s+"
    r"(?:her|his|their|the|my|our)\s+$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mark:
    begin: int
    end: int
    kind: str  # family | other | fh_header | fh_inline | patient | pronoun | header | action | stop
    text: str


def read_marks(text: str) -> list[Mark]:
    """Where subjects, relations, headers, instructions and sentence ends stand in ``text``."""
    out: list[Mark] = []
    for m in RELATION.finditer(text):
        if re.match(r"\s+of\b", text[m.end() :]):  # "a mother of two": not a subject
            continue
        relative = re.match(r"\s*,?\s+(?:who|that|whose)\b", text[m.end() :]) is not None
        owner = m.group(0).endswith("'s")  # "an overdose of her flatmate's quetiapine": whose, not an object
        subject = AND_BEFORE.search(text, max(0, m.start() - 40), m.start()) and OWN_VERB.match(text, m.end())
        quantified = QUANTIFIED_OF.search(text, max(0, m.start() - 40), m.start())  # "both of her brothers"
        if (
            not relative
            and not owner
            and not subject
            and not quantified
            and PREPOSITION.search(text, max(0, m.start() - 40), m.start())
        ):
            continue  # "lives with her husband": an object, unless "… husband who takes" / "… and his brother has"
        out.append(Mark(m.start(), m.end(), "family" if m["family"] else "other", m.group(0).lower()))
    for m in FH.finditer(text):
        out.append(Mark(m.start(), m.end(), "fh_inline" if m["of"] else "fh_header", "family history"))
    for m in PATIENT.finditer(text):
        if REFLEXIVE_OF_RELATION.search(text, max(0, m.start() - 80), m.start()):
            continue  # "the daughter herself has …": hers, not the patient's
        if m.group(0) == "I" or m.group(0).lower() != "i":
            out.append(Mark(m.start(), m.end(), "patient", m.group(0)))
    out += [Mark(m.start(), m.end(), "pronoun", m.group(0)) for m in PRONOUN.finditer(text)]
    out += [
        Mark(m.start(), m.end(), "patient", m.group(0))
        for m in REPORT.finditer(text)
        if not RELATION_PASSIVE.search(text, max(0, m.start() - 40), m.start())
    ]
    out += [Mark(m.start(), m.end(), "patient", m.group(0)) for m in CLINICIAN_ACTS.finditer(text)]
    out += [Mark(m.start(), m.end(), "header", m.group(0)) for m in HEADER.finditer(text)]
    out += [Mark(m.start(), m.end(), "action", m.group(0)) for m in ACTION.finditer(text)]
    out += [Mark(m.start(), m.end(), "stop", m.group(0)) for m in re.finditer(r"[.!?;\n](?=\s|$)", text)]
    fh = {(m.begin, m.end) for m in out if m.kind.startswith("fh")}
    return [m for m in out if not (m.kind == "header" and any(b <= m.begin < e for b, e in fh))]

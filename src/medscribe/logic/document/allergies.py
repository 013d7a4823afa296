"""Drugs the patient is allergic to: never in the prescription table.

An allergy is read from the transcript (:mod:`.mention_context`), never from traits (DetectEntitiesV2 has no
ALLERGY trait for medications). It is shown in the "Not taking" section with the reason "ALLERGY: never
prescribe" and the words that said so. A review flag (ALLERGY_CONFLICT) is raised when the same drug is also
mentioned as taken, or when the transcript also says "NKDA" / "no known drug allergies".

:func:`withhold_allergens` is the last guard before the table: a row is withdrawn when its drug is an allergen
named anywhere in the transcript, by another spelling of the name ("allergic to penicillin" and a row
"penicillin V") or by a MEDICAL_CONDITION such as "Penicillin allergy" (how the offline detector returns it,
with no MEDICATION entity). Cross-reactivity (penicillin / amoxicillin) is a clinical judgement, not made here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medscribe.logic.document.context import DraftContext
from medscribe.logic.document.mention_context import MentionContext
from medscribe.logic.document.model import Evidence, MedicationNote, PrescriptionRow
from medscribe.shapes import Entity

ALLERGY_REASON = "ALLERGY: never prescribe"
_ALLERGY_CONDITION = re.compile(
    r"^(?P<drug>.+?)[\s\-]*(?:allerg(?:y|ies|ic)|intoleran(?:ce|t)|(?:hyper)?sensitivity)$", re.IGNORECASE
)


def allergy_note(
    ctx: DraftContext,
    name: str,
    allergic: Sequence[Entity],
    affirmed: Sequence[Entity],
    said: dict[int, MentionContext | None],
    evidence: tuple[Evidence, ...],
    nkda: str | None,
) -> MedicationNote:
    """A drug named as an allergy is never prescribed; also named as taken, or beside "NKDA": flagged."""
    phrases = "; ".join(dict.fromkeys(c.phrase for m in allergic if (c := said[m.Id]) is not None))
    first = allergic[0]
    reason = ALLERGY_REASON
    if affirmed:
        ctx.flag(
            "ALLERGY_CONFLICT",
            name,
            f"{name}: named as an allergy (“{phrases}”) and also as taken: not prescribed, check",
            entity_id=affirmed[0].Id,
            begin=affirmed[0].BeginOffset,
            end=affirmed[0].EndOffset,
        )
        reason = f"{ALLERGY_REASON}; also mentioned as taken: check"
    if nkda is not None:
        ctx.flag(
            "ALLERGY_CONFLICT",
            name,
            f"{name}: named as an allergy (“{phrases}”) but the transcript also says “{nkda}”: check",
            entity_id=first.Id,
            begin=first.BeginOffset,
            end=first.EndOffset,
        )
    # An allergy said as a guess carries its ALLERGY_UNCLEAR flag onto the Allergies item (by its span).
    unsure = tuple(
        (m.BeginOffset, m.EndOffset) for m in allergic if (c := said[m.Id]) is not None and c.uncertain
    )
    return MedicationNote(name=name, reason=reason, details=phrases, evidence=evidence, spans=unsure)


def withhold_allergens(
    ctx: DraftContext, rows: list[PrescriptionRow], notes: list[MedicationNote], entities: Sequence[Entity]
) -> list[PrescriptionRow]:
    """``rows`` without the drugs named as allergies (each withdrawn row becomes a flagged note in ``notes``)."""
    allergens: dict[str, tuple[str, str]] = {}  # normalised name -> (allergen, the words that said so)
    for note in notes:
        if note.reason.startswith(ALLERGY_REASON):
            allergens.setdefault(_words(note.name), (note.name, note.details))
    for e in entities:
        if e.Category == "MEDICAL_CONDITION" and "NEGATION" not in ctx.traits(e):
            m = _ALLERGY_CONDITION.match(" ".join(e.Text.split()))
            if m is not None:
                allergens.setdefault(_words(m["drug"]), (m["drug"], e.Text))
    kept = []
    for row in rows:
        hit = next((a for a in allergens if row.name and _same_drug(_words(row.name), a)), None)
        if hit is None:
            kept.append(row)
            continue
        allergen, phrase = allergens[hit]
        where = row.evidence[0] if row.evidence else None
        ctx.flag(
            "ALLERGY_CONFLICT",
            row.name,
            f"{row.name}: mentioned as taken but “{phrase}” names an allergy to {allergen}: not prescribed, check",
            begin=where.begin_offset if where else None,
            end=where.end_offset if where else None,
        )
        notes.append(
            MedicationNote(
                name=row.name,
                reason=f"{ALLERGY_REASON} (allergy to {allergen}); also mentioned as taken: check",
                details=phrase,
                evidence=row.evidence,
            )
        )
    return kept


def _words(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.lower()).split())


def _same_drug(name: str, allergen: str) -> bool:
    """One name is the other or starts with it as whole words ("penicillin" / "penicillin v potassium")."""
    return bool(name and allergen) and (
        name == allergen or name.startswith(allergen + " ") or allergen.startswith(name + " ")
    )

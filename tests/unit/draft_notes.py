"""Example notes with DetectEntitiesV2-shaped responses (the shape AWS documents for Comprehend Medical:
``Entities`` with ``Attributes`` carrying ``RelationshipType``/``RelationshipScore``, ``Traits``, and
``UnmappedAttributes`` of ``{"Type": "MEDICATION", "Attribute": {...}}``), built from the text so offsets are
exact. Shared by the draft tests and ``scripts/render_example_drafts.py``.
"""

from __future__ import annotations

import itertools
from typing import Any


class Note:
    """A transcript and a DetectEntitiesV2 response over it, built mention by mention."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.entities: list[dict[str, Any]] = []
        self.unmapped: list[dict[str, Any]] = []
        self._ids = itertools.count()
        self._cursor: dict[str, int] = {}

    def _span(self, text: str, after: int = 0) -> tuple[int, int]:
        begin = self.text.index(text, after)
        return begin, begin + len(text)

    def attribute(self, kind: str, text: str, score: float = 0.9, after: int = 0) -> dict[str, Any]:
        begin, end = self._span(text, after)
        return {
            "Type": kind,
            "Score": score,
            "RelationshipScore": 0.95,
            "RelationshipType": kind if kind != "ROUTE_OR_MODE" else "ROUTE_OR_MODE",
            "Id": next(self._ids),
            "BeginOffset": begin,
            "EndOffset": end,
            "Text": text,
            "Category": "MEDICATION",
            "Traits": [],
        }

    def entity(
        self,
        category: str,
        kind: str,
        text: str,
        *,
        score: float = 0.97,
        traits: dict[str, float] | None = None,
        attributes: dict[str, str | tuple[str, float]] | None = None,
        occurrence: int = 0,
    ) -> Note:
        after = 0
        for _ in range(occurrence + 1):
            begin, end = self._span(text, after)
            after = end
        attrs = []
        for attr_kind, value in (attributes or {}).items():
            attr_text, attr_score = value if isinstance(value, tuple) else (value, 0.9)
            attrs.append(self.attribute(attr_kind, attr_text, attr_score, after=begin))
        self.entities.append(
            {
                "Id": next(self._ids),
                "BeginOffset": begin,
                "EndOffset": end,
                "Score": score,
                "Text": text,
                "Category": category,
                "Type": kind,
                "Traits": [{"Name": n, "Score": s} for n, s in (traits or {}).items()],
                "Attributes": attrs,
            }
        )
        return self

    def drug(self, text: str, **kw: Any) -> Note:
        return self.entity("MEDICATION", "GENERIC_NAME", text, **kw)

    def condition(self, text: str, **kw: Any) -> Note:
        return self.entity("MEDICAL_CONDITION", "DX_NAME", text, **kw)

    def orphan(self, kind: str, text: str, score: float = 0.85) -> Note:
        self.unmapped.append({"Type": "MEDICATION", "Attribute": self.attribute(kind, text, score)})
        return self

    @property
    def response(self) -> dict[str, Any]:
        return {"Entities": self.entities, "UnmappedAttributes": self.unmapped, "ModelVersion": "2.4.0"}


def clonidine_note() -> Note:
    """Mixed-number dose, Latin abbreviations, a frequency linked from another sentence, a history mention."""
    text = (
        "Clonidine 0.2 mgs -- 1 and 1 / 2 tabs po qhs. Fluticasone two times daily. "
        "Denies cough at night. History of lisinopril use. Continue lisinopril 10 mg po daily. "
        "Hypertension, well controlled. Check basic metabolic panel."
    )
    n = Note(text)
    n.drug(
        "Clonidine",
        attributes={
            "STRENGTH": "0.2 mgs",
            "DOSAGE": "1 / 2 tabs",
            "ROUTE_OR_MODE": "po",
            "FREQUENCY": "qhs",
        },
    )
    n.drug("Fluticasone", attributes={"FREQUENCY": "two times daily"})
    n.entities[-1]["Attributes"].append(n.attribute("FREQUENCY", "at night"))  # linked across a sentence
    n.condition("cough", traits={"SYMPTOM": 0.9, "NEGATION": 0.94})
    n.drug("lisinopril", traits={"PAST_HISTORY": 0.8})
    n.drug(
        "lisinopril",
        occurrence=1,
        attributes={"STRENGTH": "10 mg", "ROUTE_OR_MODE": ("po", 0.62), "FREQUENCY": "daily"},
    )
    n.condition("Hypertension", traits={"DIAGNOSIS": 0.91})
    n.entity("TEST_TREATMENT_PROCEDURE", "TEST_NAME", "basic metabolic panel", score=0.88)
    return n


def negation_note() -> Note:
    """A negated drug, a hypothetical drug, a drug both taken and not taken, a blank frequency, a low score."""
    text = (
        "Patient is not taking oxycodone. If pain worsens, may use ibuprofen 400 mg. "
        "Metformin 500 mg by mouth once elite. She stopped aspirin. Continues aspirin 81 mg daily. "
        "No chest pain. Type 2 diabetes."
    )
    n = Note(text)
    n.drug("oxycodone", traits={"NEGATION": 0.91})
    n.drug("ibuprofen", traits={"HYPOTHETICAL": 0.77}, attributes={"STRENGTH": "400 mg"})
    n.drug(
        "Metformin",
        score=0.64,
        attributes={"STRENGTH": "500 mg", "ROUTE_OR_MODE": "by mouth", "FREQUENCY": ("once elite", 0.55)},
    )
    n.drug("aspirin", traits={"NEGATION": 0.86})
    n.drug("aspirin", occurrence=1, attributes={"STRENGTH": "81 mg", "FREQUENCY": "daily"})
    n.condition("chest pain", traits={"SYMPTOM": 0.9, "NEGATION": 0.97})
    n.condition("Type 2 diabetes", traits={"DIAGNOSIS": 0.95})
    return n


def orphan_note() -> Note:
    """A dose whose drug name was misheard (no MEDICATION entity, only UnmappedAttributes), a dropped mention."""
    text = (
        "Start 40 mg by mouth at bedtime. Atorvastatin 20 mg daily. Possible warfarin. "
        "Tylenol 1 to 2 tablets every 6 hours as needed."
    )
    n = Note(text)
    n.orphan("DOSAGE", "40 mg")
    n.orphan("ROUTE_OR_MODE", "by mouth")
    n.orphan("FREQUENCY", "at bedtime")
    n.drug("Atorvastatin", attributes={"STRENGTH": "20 mg", "FREQUENCY": "daily"})
    n.drug("warfarin", score=0.41)
    n.entity(
        "MEDICATION",
        "BRAND_NAME",
        "Tylenol",
        attributes={"DOSAGE": "2 tablets", "FREQUENCY": "every 6 hours as needed"},
    )
    return n

"""DetectEntitiesV2 responses built by hand in the shape AWS documents for Comprehend Medical (not copied from
any document): ``Entities`` with ``Traits`` and ``Attributes`` (``RelationshipType`` / ``RelationshipScore``
on linked attributes), top-level ANATOMY entities for each site that is also a SYSTEM_ORGAN_SITE attribute,
TIME_EXPRESSION entities with TIME_TO_* relationships, DOSAGE (an amount of a form: "1 tablet") typed apart
from STRENGTH ("10 mg"), ``UnmappedAttributes`` and ``ModelVersion``. Offsets are found in the text, so every
entity points at its words. Nothing here reads the text beyond locating the words given.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

MED_RELATIONS = {"DOSAGE", "STRENGTH", "ROUTE_OR_MODE", "FREQUENCY", "DURATION", "FORM", "RATE"}


class AwsNote:
    """``recogniser``: the text is lower case (a recogniser's), so the words given are located lower-cased, as
    AWS would return them from that text ("Metoprolol" is found as "metoprolol")."""

    def __init__(self, text: str, *, recogniser: bool = False) -> None:
        self.text = text
        self.recogniser = recogniser
        self.entities: list[dict[str, Any]] = []
        self.unmapped_attributes: list[dict[str, Any]] = []
        self._ids = itertools.count()

    def _span(self, words: str, after: int = 0) -> tuple[int, int]:
        m = re.compile(rf"(?<!\w){re.escape(words)}(?!\w)").search(self.text, after)
        if m is None:
            raise ValueError(f"{words!r} not in the text")
        return m.start(), m.end()

    def _said(self, words: str) -> str:
        return words.lower() if self.recogniser else words

    def _attr(self, kind: str, words: str, after: int, category: str, relation: str | None) -> dict[str, Any]:
        words = self._said(words)
        begin, end = self._span(words, after)
        out: dict[str, Any] = {
            "Type": kind,
            "Score": 0.93,
            "RelationshipScore": 0.97,
            "Id": next(self._ids),
            "BeginOffset": begin,
            "EndOffset": end,
            "Text": words,
            "Category": category,
            "Traits": [],
        }
        if relation is not None:
            out["RelationshipType"] = relation
        return out

    def _entity(
        self, category: str, kind: str, words: str, traits: dict[str, float], after: int, score: float
    ) -> dict[str, Any]:
        words = self._said(words)
        begin, end = self._span(words, after)
        entity = {
            "Id": next(self._ids),
            "BeginOffset": begin,
            "EndOffset": end,
            "Score": score,
            "Text": words,
            "Category": category,
            "Type": kind,
            "Traits": [{"Name": n, "Score": s} for n, s in traits.items()],
            "Attributes": [],
        }
        self.entities.append(entity)
        return entity

    def med(
        self,
        words: str,
        *,
        traits: dict[str, float] | None = None,
        after: int = 0,
        score: float = 0.96,
        **attributes: str,
    ) -> AwsNote:
        """A GENERIC_NAME medication; ``attributes`` by type (STRENGTH="10 mg", DOSAGE="1 tablet", …),
        each located after the drug."""
        e = self._entity("MEDICATION", "GENERIC_NAME", words, traits or {}, after, score)
        for kind, said in attributes.items():
            e["Attributes"].append(self._attr(kind, said, e["BeginOffset"], "MEDICATION", kind))
        return self

    def condition(
        self,
        words: str,
        *,
        traits: dict[str, float] | None = None,
        site: str | None = None,
        time: str | None = None,
        after: int = 0,
    ) -> AwsNote:
        """A DX_NAME condition; a site is both an attribute and a top-level ANATOMY entity, a time both a
        TIME_TO_DX_NAME attribute and a TIME_EXPRESSION entity (as AWS returns them)."""
        e = self._entity("MEDICAL_CONDITION", "DX_NAME", words, traits or {"SYMPTOM": 0.8}, after, 0.95)
        if site is not None:
            e["Attributes"].append(
                self._attr("SYSTEM_ORGAN_SITE", site, max(0, e["BeginOffset"] - 40), "ANATOMY", None)
            )
            self._entity("ANATOMY", "SYSTEM_ORGAN_SITE", site, {}, max(0, e["BeginOffset"] - 40), 0.97)
        if time is not None:
            e["Attributes"].append(
                self._attr("TIME_EXPRESSION", time, 0, "TIME_EXPRESSION", "TIME_TO_DX_NAME")
            )
            self._entity("TIME_EXPRESSION", "TIME_TO_DX_NAME", time, {}, 0, 0.9)
        return self

    def unmapped(self, kind: str, words: str, *, after: int = 0) -> AwsNote:
        """An attribute whose drug was not recognised (``UnmappedAttributes``): "20 units" typed DOSAGE with no
        MEDICATION entity, as AWS returns it."""
        attribute = self._attr(kind, words, after, "MEDICATION", None)
        self.unmapped_attributes.append({"Type": "MEDICATION", "Attribute": attribute})
        return self

    def test(self, words: str, *, traits: dict[str, float] | None = None, after: int = 0) -> AwsNote:
        self._entity("TEST_TREATMENT_PROCEDURE", "TEST_NAME", words, traits or {}, after, 0.94)
        return self

    @property
    def response(self) -> dict[str, Any]:
        entities = sorted(self.entities, key=lambda e: (e["BeginOffset"], e["Id"]))
        return {"Entities": entities, "UnmappedAttributes": self.unmapped_attributes, "ModelVersion": "2.0.0"}


def recogniser(text: str) -> str:
    """``text`` as a speech recogniser writes it: lower case, no punctuation (decimals and fractions kept)."""
    out = re.sub(r"(?<!\d)[.,;:!?()](?!\d)|[.,;:!?()](?=\s|$)|[()]", " ", text.lower())
    return " ".join(out.split())

"""The confidence filter: pure functions over DetectEntitiesV2 entities."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class FilterResult(BaseModel):
    """What FilterEntities stores at ``entities/filtered.json``: kept for the document, dropped for audit."""

    model_config = ConfigDict(frozen=True)

    min_score: float
    kept: list[dict[str, Any]]
    dropped: list[dict[str, Any]]
    dropped_attributes: list[dict[str, Any]]
    unmapped_attributes: list[dict[str, Any]]
    draft: dict[str, Any] | None = None  # medscribe.logic.document.Draft, review flags included

    @property
    def medications(self) -> list[dict[str, Any]]:
        return [e for e in self.kept if e.get("Category") == "MEDICATION"]


def filter_by_score(response: dict[str, Any], min_score: float) -> FilterResult:
    """Keep entities with ``Score >= min_score``; inside a kept entity keep only attributes that pass too.

    Nothing is thrown away: dropped entities, and attributes dropped from kept entities (with the id of the
    entity they belonged to), are returned for the audit trail.
    """
    kept: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []
    dropped_attributes: list[dict[str, Any]] = []
    for entity in response.get("Entities", []):
        if entity["Score"] < min_score:
            dropped.append(entity)
            continue
        attributes = entity.get("Attributes", [])
        good = [a for a in attributes if a["Score"] >= min_score]
        dropped_attributes.extend(
            {"EntityId": entity["Id"], "Attribute": a} for a in attributes if a["Score"] < min_score
        )
        kept.append({**entity, "Attributes": good})
    unmapped = [u for u in response.get("UnmappedAttributes", []) if u["Attribute"]["Score"] >= min_score]
    return FilterResult(
        min_score=min_score,
        kept=kept,
        dropped=dropped,
        dropped_attributes=dropped_attributes,
        unmapped_attributes=unmapped,
    )


def is_negated(entity: dict[str, Any], min_score: float = 0.5) -> bool:
    return any(t["Name"] == "NEGATION" and t["Score"] >= min_score for t in entity.get("Traits", []))

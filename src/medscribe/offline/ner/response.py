"""Assembling the DetectEntitiesV2 response (ids, attributes, traits, UnmappedAttributes)."""

from __future__ import annotations

from typing import Any

from medscribe.offline.ner.text import Span


def _render(text: str, entities: list[Span], unmapped: list[Span], model_version: str) -> dict[str, Any]:
    # Ids in text order over entities and attributes alike (Comprehend numbers both from one sequence).
    # A time expression's attributes are entities themselves: one mention, one Id.
    every: dict[int, Span] = {id(s): s for s in [*entities, *unmapped]}
    for e in entities:
        every.update((id(a), a) for a, _, _ in e.attributes)
    for n, s in enumerate(sorted(every.values(), key=lambda s: (s.begin, s.end, s.category))):
        s.id = n

    def traits(s: Span) -> list[dict[str, Any]]:
        return [{"Name": name, "Score": score} for name, score in s.traits]

    def attribute(a: Span, rel: str | None, rel_score: float | None) -> dict[str, Any]:
        out: dict[str, Any] = {"Type": a.type, "Score": a.score}
        if rel is not None:
            out["RelationshipScore"] = rel_score
            out["RelationshipType"] = rel
        out.update(
            {
                "Id": a.id,
                "BeginOffset": a.begin,
                "EndOffset": a.end,
                "Text": text[a.begin : a.end],
                "Category": a.category,
                "Traits": traits(a),
            }
        )
        return out

    ents = []
    for e in sorted(entities, key=lambda s: s.begin):
        item: dict[str, Any] = {
            "Id": e.id,
            "BeginOffset": e.begin,
            "EndOffset": e.end,
            "Score": e.score,
            "Text": text[e.begin : e.end],
            "Category": e.category,
            "Type": e.type,
            "Traits": traits(e),
            "Attributes": [
                attribute(a, rel, rs) for a, rel, rs in sorted(e.attributes, key=lambda x: x[0].begin)
            ],
        }
        ents.append(item)
    return {
        "Entities": ents,
        "UnmappedAttributes": [{"Type": a.category, "Attribute": attribute(a, None, None)} for a in unmapped],
        "ModelVersion": model_version,
    }

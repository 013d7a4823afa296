"""Small readers of DetectEntitiesV2 responses, shared by the offline detector's tests."""

from __future__ import annotations

from typing import Any


def entities(resp: dict[str, Any], category: str | None = None) -> list[dict[str, Any]]:
    return [e for e in resp["Entities"] if category is None or e["Category"] == category]


def one(resp: dict[str, Any], text: str) -> dict[str, Any]:
    hits = [e for e in resp["Entities"] if e["Text"] == text]
    assert len(hits) == 1, f"{text!r}: {[e['Text'] for e in resp['Entities']]}"
    return hits[0]


def trait(entity: dict[str, Any], name: str) -> float | None:
    return next((t["Score"] for t in entity["Traits"] if t["Name"] == name), None)


def attrs(entity: dict[str, Any]) -> dict[str, str]:
    return {a["Type"]: a["Text"] for a in entity["Attributes"]}

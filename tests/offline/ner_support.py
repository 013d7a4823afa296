"""Small readers of DetectEntitiesV2 responses, shared by the offline detector's tests: one place that knows the
response's shape (``Entities`` with ``Category``, ``Traits`` and ``Attributes``), so each test reads as its rule."""

from __future__ import annotations

from typing import Any


def entities(resp: dict[str, Any], category: str | None = None) -> list[dict[str, Any]]:
    return [e for e in resp["Entities"] if category is None or e["Category"] == category]


def texts(resp: dict[str, Any], category: str, min_score: float = 0.0) -> list[str]:
    """The words of the top-level entities of ``category`` scoring at least ``min_score``, in order."""
    return [e["Text"] for e in entities(resp, category) if e["Score"] >= min_score]


def one(resp: dict[str, Any], text: str, category: str | None = None) -> dict[str, Any]:
    """The one entity whose words are ``text`` (of ``category`` when given); fails naming what was found."""
    hits = [e for e in entities(resp, category) if e["Text"] == text]
    assert len(hits) == 1, (text, [(e["Text"], e["Category"]) for e in resp["Entities"]])
    return hits[0]


def trait(entity: dict[str, Any], name: str) -> float | None:
    return next((t["Score"] for t in entity["Traits"] if t["Name"] == name), None)


def traits(entity: dict[str, Any]) -> set[str]:
    return {t["Name"] for t in entity["Traits"]}


def attrs(entity: dict[str, Any]) -> dict[str, str]:
    return {a["Type"]: a["Text"] for a in entity["Attributes"]}


def sites(resp: dict[str, Any], condition: str) -> list[str]:
    """The SYSTEM_ORGAN_SITE attributes of the one entity ``condition``."""
    return [a["Text"] for a in one(resp, condition)["Attributes"] if a["Type"] == "SYSTEM_ORGAN_SITE"]


def times(resp: dict[str, Any]) -> dict[str, list[str]]:
    """Each TIME_EXPRESSION's words -> the words of what it dates (its attributes)."""
    return {e["Text"]: [a["Text"] for a in e["Attributes"]] for e in entities(resp, "TIME_EXPRESSION")}


def dated(resp: dict[str, Any], time_text: str) -> list[str]:
    """What the first TIME_EXPRESSION ``time_text`` dates; fails naming the time expressions found."""
    hit = [e for e in entities(resp, "TIME_EXPRESSION") if e["Text"] == time_text]
    assert hit, texts(resp, "TIME_EXPRESSION", 0.5)
    return [a["Text"] for a in hit[0]["Attributes"]]

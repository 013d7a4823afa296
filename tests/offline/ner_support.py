"""Small readers of DetectEntitiesV2 responses, shared by the offline detector's tests: one place that knows the
response's shape (``Entities`` with ``Category``, ``Traits`` and ``Attributes``), so each test reads as its rule."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.textnorm import normalize_clinical_text

if TYPE_CHECKING:
    from medscribe.offline.ner import OfflineEntityDetector

# Each time case runs on the punctuated text and on its recogniser form (lower case, no punctuation).
FORMS = [pytest.param(lambda t: t, id="punctuated"), pytest.param(recogniser_form, id="recogniser")]


def spans(resp: dict[str, Any]) -> list[dict[str, Any]]:
    """Every mention of a response: its entities, their attributes and the unmapped attributes."""
    out = [*resp["Entities"], *(a for e in resp["Entities"] for a in e["Attributes"])]
    return out + [u["Attribute"] for u in resp["UnmappedAttributes"]]


def check_offsets_and_ids(resp: dict[str, Any], text: str) -> None:
    """Each span's ``Text`` is ``text`` at its offsets, and there is one Id per mention: a span that is both a
    top-level entity and an attribute (an ANATOMY site, a TIME_EXPRESSION) repeats one Id; distinct mentions
    have distinct Ids (AWS numbers entities and attributes from one sequence)."""
    by_id: dict[int, tuple[int, int]] = {}
    for s in spans(resp):
        assert 0 <= s["BeginOffset"] < s["EndOffset"] <= len(text), s
        assert text[s["BeginOffset"] : s["EndOffset"]] == s["Text"], s
        assert by_id.setdefault(s["Id"], (s["BeginOffset"], s["EndOffset"])) == (
            s["BeginOffset"],
            s["EndOffset"],
        ), s
    assert len(by_id) == len({(s["BeginOffset"], s["EndOffset"]) for s in spans(resp)})


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


def time_entities(detector: OfflineEntityDetector, text: str) -> list[dict[str, Any]]:
    """The TIME_EXPRESSION entities of ``text`` read through the pipeline's normalisation, offsets checked."""
    said = normalize_clinical_text(text)
    resp = detector.detect_entities(said)
    check_offsets_and_ids(resp, said)
    return [e for e in resp["Entities"] if e["Category"] == "TIME_EXPRESSION"]


def said_key(words: str) -> str:
    """Words compared in one form whichever written form they came from."""
    return normalize_clinical_text(recogniser_form(words)).lower()


def dated_by(times: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Each time's words -> the words of the entities it dates."""
    return {said_key(t["Text"]): {said_key(a["Text"]) for a in t["Attributes"]} for t in times}

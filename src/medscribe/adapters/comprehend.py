"""Amazon Comprehend Medical ``DetectEntitiesV2`` (+ ``InferRxNorm``) over text of any length.

Limits (Comprehend Medical API reference):

- ``DetectEntitiesV2``: ``Text`` must contain *fewer than 20,000 bytes* of UTF-8.
- ``InferRxNorm``: ``Text`` at most 10,000 characters.

``TextSizeLimitExceededException`` is impossible by construction: the text is cut into windows whose UTF-8
size is at most ``DETECT_CHUNK_BYTES`` (19,000) / ``RXNORM_CHUNK_BYTES`` (9,500 bytes, hence at most 9,500
characters) before any call. Cuts prefer sentence ends; an over-long sentence is cut at whitespace, and a
run of non-space text longer than a window is hard-cut at a character boundary (never inside a code point).

Each window is a *core* (the cores partition the text) plus up to ``CONTEXT_BYTES`` of context on each side
that overlaps the neighbouring cores, so an entity near a cut is seen whole with its context. An entity (or
unmapped attribute) is kept only from the window whose core contains its ``BeginOffset``: nothing is lost at a
cut and nothing is reported twice; a final pass drops exact duplicates (same span, category and type) anyway.

Offsets (``BeginOffset``/``EndOffset``, code points as in the API) of entities, their attributes and
``UnmappedAttributes`` are shifted back to full-text offsets, and ``Id`` values are renumbered so they are unique
over the merged response (an attribute that shares its ``Id`` with an entity of the same window keeps sharing
it). Every merged entity has ``Attributes`` and ``Traits`` lists (empty when the service omitted them). The merged
response has the ``DetectEntitiesV2`` shape (``Entities``, ``UnmappedAttributes``,
``ModelVersion``).

RxNorm: when ``infer_rxnorm`` is on, ``InferRxNorm`` runs over the windows that contain a ``MEDICATION``
entity, and each RxNorm entity's ``RxNormConcepts`` (``Code``, ``Description``, ``Score``; best first) is attached
to the ``MEDICATION`` entity with the same span (else the one it overlaps most) as the extra key
``"RxNormConcepts"`` (the response shapes allow extra keys).

Retries have two owners, no third: botocore's standard retry mode (``wiring.client``: up to 5 attempts with
exponential backoff and jitter, on throttling and 5xx codes) per call, then the state machine's shared retry
map, which retries ``ServiceThrottled`` for the whole step. A transient code (``adapters/transient.py``) that
survives botocore's attempts is raised as ``ServiceThrottled`` at once; every other error is terminal.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from medscribe.adapters.transient import TRANSIENT_CODES
from medscribe.errors import ServiceThrottled

DETECT_MAX_BYTES = 20_000  # exclusive: "fewer than 20,000 bytes"
RXNORM_MAX_CHARS = 10_000
DETECT_CHUNK_BYTES = 19_000
RXNORM_CHUNK_BYTES = 9_500
CONTEXT_BYTES = 400

THROTTLING_CODES = TRANSIENT_CODES  # the one map (adapters/transient.py): throttling and unavailable

_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*\s+|\n\s*")
_TOKEN = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Chunk:
    """A window ``text[start:end]`` sent to the service; entities are kept from ``[core_start, core_end)``."""

    start: int
    end: int
    core_start: int
    core_end: int

    def owns(self, offset: int) -> bool:
        return self.core_start <= offset < self.core_end


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _hard_split(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """Cut ``text[start:end]`` into pieces of at most ``limit`` bytes at code point boundaries."""
    piece_start, size = start, 0
    for i in range(start, end):
        n = utf8_len(text[i])
        if size + n > limit and i > piece_start:
            yield piece_start, i
            piece_start, size = i, 0
        size += n
    if piece_start < end:
        yield piece_start, end


def _pieces(text: str, limit: int) -> Iterator[tuple[int, int]]:
    """Contiguous spans covering ``text``, each at most ``limit`` bytes, cut at the best boundary available."""
    bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text)), len(text)]
    for s, e in itertools.pairwise(bounds):
        if s == e:
            continue
        if utf8_len(text[s:e]) <= limit:
            yield s, e
            continue
        # an over-long sentence: whitespace-separated tokens, each token hard-split if it alone is too long
        for m in _TOKEN.finditer(text, s, e):
            if utf8_len(m.group()) <= limit:
                yield m.start(), m.end()
            else:
                yield from _hard_split(text, m.start(), m.end(), limit)


def _extend_left(text: str, core_start: int, budget: int) -> int:
    start, used = core_start, 0
    while start > 0 and used + utf8_len(text[start - 1]) <= budget:
        start -= 1
        used += utf8_len(text[start])
    # begin the context at a word start when the budget allowed one
    if start > 0 and not text[start - 1].isspace():
        m = re.search(r"\s", text[start:core_start])
        if m:
            start += m.end()
    return start


def _extend_right(text: str, core_end: int, budget: int) -> int:
    end, used = core_end, 0
    while end < len(text) and used + utf8_len(text[end]) <= budget:
        used += utf8_len(text[end])
        end += 1
    if end < len(text) and not text[end].isspace():
        cut = max(text.rfind(" ", core_end, end), text.rfind("\n", core_end, end))
        if cut > core_end:
            end = cut
    return end


def chunk_text(
    text: str, max_bytes: int = DETECT_CHUNK_BYTES, context_bytes: int = CONTEXT_BYTES
) -> list[Chunk]:
    """Windows of ``text`` whose UTF-8 size is ``<= max_bytes``; their cores partition ``text``."""
    core_limit = max_bytes - 2 * context_bytes
    if core_limit < 4:  # one code point is up to 4 bytes
        raise ValueError("max_bytes must exceed 2 * context_bytes + 3")
    cores: list[tuple[int, int]] = []
    core_start, size = 0, 0
    for s, e in _pieces(text, core_limit):
        n = utf8_len(text[s:e])
        if size + n > core_limit and s > core_start:
            cores.append((core_start, s))
            core_start, size = s, 0
        size += n
    if core_start < len(text):
        cores.append((core_start, len(text)))
    chunks = []
    for cs, ce in cores:
        start = _extend_left(text, cs, context_bytes) if cs > 0 else 0
        end = _extend_right(text, ce, context_bytes) if ce < len(text) else ce
        chunks.append(Chunk(start=start, end=end, core_start=cs, core_end=ce))
    return chunks


def _shift_attribute(attribute: dict[str, Any], delta: int, ids: Callable[[int], int]) -> dict[str, Any]:
    return {
        **attribute,
        "Id": ids(attribute["Id"]),
        "BeginOffset": attribute["BeginOffset"] + delta,
        "EndOffset": attribute["EndOffset"] + delta,
    }


class _IdMap:
    """Renumbers one window's ids from a counter shared by all windows."""

    def __init__(self, counter: Iterator[int]) -> None:
        self._counter = counter
        self._map: dict[int, int] = {}

    def __call__(self, old: int) -> int:
        if old not in self._map:
            self._map[old] = next(self._counter)
        return self._map[old]


def _counter() -> Iterator[int]:
    n = 0
    while True:
        yield n
        n += 1


def merge_detect_responses(text: str, parts: list[tuple[Chunk, dict[str, Any]]]) -> dict[str, Any]:
    """One ``DetectEntitiesV2``-shaped response over ``text`` from the responses of its windows."""
    counter = _counter()
    entities: list[dict[str, Any]] = []
    unmapped: list[dict[str, Any]] = []
    model_version = ""
    for chunk, response in parts:
        model_version = model_version or response.get("ModelVersion", "")
        ids = _IdMap(counter)
        delta = chunk.start
        for entity in response.get("Entities", []):
            if not chunk.owns(entity["BeginOffset"] + delta):
                continue
            shifted = _shift_attribute(entity, delta, ids)
            shifted["Traits"] = entity.get("Traits", [])
            shifted["Attributes"] = [_shift_attribute(a, delta, ids) for a in entity.get("Attributes", [])]
            entities.append(shifted)
        for item in response.get("UnmappedAttributes", []):
            if chunk.owns(item["Attribute"]["BeginOffset"] + delta):
                unmapped.append({**item, "Attribute": _shift_attribute(item["Attribute"], delta, ids)})
    return {
        "Entities": _dedupe(entities),
        "UnmappedAttributes": sorted(
            unmapped, key=lambda u: (u["Attribute"]["BeginOffset"], u["Attribute"]["Id"])
        ),
        "ModelVersion": model_version,
    }


def _dedupe(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    best: dict[tuple[int, int, str, str], dict[str, Any]] = {}
    for e in entities:
        key = (e["BeginOffset"], e["EndOffset"], e["Category"], e["Type"])
        if key not in best or e["Score"] > best[key]["Score"]:
            best[key] = e
    return sorted(best.values(), key=lambda e: (e["BeginOffset"], e["EndOffset"], e["Id"]))


def attach_rxnorm(entities: list[dict[str, Any]], rx_entities: list[dict[str, Any]]) -> int:
    """Attach ``RxNormConcepts`` to MEDICATION entities in place; returns how many entities got concepts."""
    medications = [e for e in entities if e["Category"] == "MEDICATION"]
    attached = 0
    for rx in rx_entities:
        concepts = rx.get("RxNormConcepts") or []
        if not concepts:
            continue
        b, e = rx["BeginOffset"], rx["EndOffset"]
        target = next((m for m in medications if m["BeginOffset"] == b and m["EndOffset"] == e), None)
        if target is None:
            overlaps = [
                (min(e, m["EndOffset"]) - max(b, m["BeginOffset"]), m)
                for m in medications
                if min(e, m["EndOffset"]) > max(b, m["BeginOffset"])
            ]
            if not overlaps:
                continue
            target = max(overlaps, key=lambda t: t[0])[1]
        if "RxNormConcepts" not in target:
            attached += 1
        target["RxNormConcepts"] = sorted(
            ({"Code": c["Code"], "Description": c["Description"], "Score": c["Score"]} for c in concepts),
            key=lambda c: -c["Score"],
        )
    return attached


def _is_throttle(exc: BaseException) -> bool:
    return isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in THROTTLING_CODES


class ComprehendMedicalDetector:
    """``EntityDetector`` on Comprehend Medical. ``client`` is a boto3 ``comprehendmedical`` client."""

    def __init__(
        self,
        client: Any,
        infer_rxnorm: bool = True,
        *,
        detect_chunk_bytes: int = DETECT_CHUNK_BYTES,
        rxnorm_chunk_bytes: int = RXNORM_CHUNK_BYTES,
        context_bytes: int = CONTEXT_BYTES,
    ) -> None:
        if detect_chunk_bytes >= DETECT_MAX_BYTES or rxnorm_chunk_bytes > RXNORM_MAX_CHARS:
            raise ValueError("chunk sizes must stay under the service limits")
        self._client = client
        self._infer_rxnorm = infer_rxnorm
        self._detect_bytes = detect_chunk_bytes
        self._rxnorm_bytes = rxnorm_chunk_bytes
        self._context = context_bytes

    def _call(self, operation: Callable[..., dict[str, Any]], text: str) -> dict[str, Any]:
        try:
            return operation(Text=text)
        except ClientError as exc:
            if _is_throttle(exc):  # botocore's attempts are spent: the state machine retries the step
                code = exc.response["Error"]["Code"]
                raise ServiceThrottled(f"comprehendmedical {code} after botocore's retries") from exc
            raise

    def detect_entities(self, text: str) -> dict[str, Any]:
        parts = [
            (chunk, self._call(self._client.detect_entities_v2, text[chunk.start : chunk.end]))
            for chunk in chunk_text(text, self._detect_bytes, self._context)
            if text[chunk.start : chunk.end].strip()
        ]
        merged = merge_detect_responses(text, parts)
        if self._infer_rxnorm:
            self._add_rxnorm(text, merged["Entities"])
        return merged

    def _add_rxnorm(self, text: str, entities: list[dict[str, Any]]) -> None:
        starts = sorted(e["BeginOffset"] for e in entities if e["Category"] == "MEDICATION")
        if not starts:
            return
        rx_parts = []
        for chunk in chunk_text(text, self._rxnorm_bytes, self._context):
            if not any(chunk.owns(s) for s in starts):
                continue
            rx_parts.append((chunk, self._call(self._client.infer_rx_norm, text[chunk.start : chunk.end])))
        rx = merge_detect_responses(text, rx_parts)["Entities"]
        attach_rxnorm(entities, rx)

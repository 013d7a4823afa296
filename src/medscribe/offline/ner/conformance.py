"""Scoring a DetectEntitiesV2 response against hand-written expectations (the NER conformance set).

Used by ``tests/offline/test_ner_conformance.py`` and ``scripts/bench_quality.py``; works on any
DetectEntitiesV2-shaped response (offline or AWS). The expectation format and its conventions are described
in the data file's ``conventions`` list (``tests/offline/data/conformance_notes.json``).

Matching, per note and category (entities with Score >= 0.5 only, texts compared lower-cased):

- MEDICATION: name, and the set of NEGATION / PAST_HISTORY / HYPOTHETICAL / FUTURE / PERTAINS_TO_FAMILY
  traits, must both agree;
- MEDICAL_CONDITION: name, those traits, and the DIAGNOSIS / SYMPTOM / SIGN trait (``dx``) must agree;
- ANATOMY: every anatomy span, top-level or a SYSTEM_ORGAN_SITE attribute of a condition, counts once; an
  expectation with ``of`` needs the span as an attribute of that condition, one without needs it top-level;
- TIME_EXPRESSION: a top-level TIME_EXPRESSION entity whose text, Type and set of attribute texts (the
  entities it dates) all agree;
- ATTRIBUTE (only for notes that list ``ATTRIBUTE``): a medication attribute, as (drug, Type, text), e.g.
  ("aspirin", "DOSAGE", "20 mg"): DOSAGE vs STRENGTH, FORM, DURATION, RATE, ROUTE_OR_MODE, FREQUENCY as AWS
  types them. Notes without the key are not scored on it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CATEGORIES = ("MEDICATION", "MEDICAL_CONDITION", "ANATOMY", "TIME_EXPRESSION")
OPTIONAL = ("ATTRIBUTE",)  # scored only on notes that list it
CONTEXT_TRAITS = frozenset({"NEGATION", "PAST_HISTORY", "HYPOTHETICAL", "FUTURE", "PERTAINS_TO_FAMILY"})
DX_TRAITS = ("DIAGNOSIS", "SYMPTOM", "SIGN")
MIN_SCORE = 0.5


@dataclass
class Tally:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def precision(self, category: str) -> float:
        n = self.tp[category] + self.fp[category]
        return self.tp[category] / n if n else 1.0

    def recall(self, category: str) -> float:
        n = self.tp[category] + self.fn[category]
        return self.tp[category] / n if n else 1.0

    def table(self) -> str:
        lines = [f"{'category':<18} {'P':>6} {'R':>6} {'TP':>4} {'FP':>4} {'FN':>4}"]
        for c in (*CATEGORIES, *(o for o in OPTIONAL if self.tp[o] + self.fp[o] + self.fn[o])):
            lines.append(
                f"{c:<18} {self.precision(c):>6.3f} {self.recall(c):>6.3f} "
                f"{self.tp[c]:>4} {self.fp[c]:>4} {self.fn[c]:>4}"
            )
        return "\n".join(lines)


def side_by_side(tallies: dict[str, Tally]) -> str:
    """Per-category P/R of several note sets, one column each ("tuned", "held-out", ...)."""
    width = max(13, *(len(name) for name in tallies))
    lines = [f"{'category':<18} " + " ".join(f"{name:>{width}}" for name in tallies)]
    lines.append(f"{'':<18} " + " ".join(f"{'P/R':>{width}}" for _ in tallies))
    for c in CATEGORIES:
        cells = [f"{t.precision(c):.3f}/{t.recall(c):.3f}" for t in tallies.values()]
        lines.append(f"{c:<18} " + " ".join(f"{cell:>{width}}" for cell in cells))
    return "\n".join(lines)


def load_notes(path: Path) -> list[dict[str, Any]]:
    notes: list[dict[str, Any]] = json.loads(path.read_text())["notes"]
    return notes


def _low(s: str) -> str:
    return " ".join(s.lower().split())


def _traits(e: dict[str, Any]) -> frozenset[str]:
    return frozenset(t["Name"] for t in e["Traits"]) & CONTEXT_TRAITS


def _dx(e: dict[str, Any]) -> str | None:
    return next((t["Name"] for t in e["Traits"] if t["Name"] in DX_TRAITS), None)


def predicted(resp: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """The response as comparable keys per category (see the module docstring)."""
    kept = [e for e in resp["Entities"] if e["Score"] >= MIN_SCORE]
    out: dict[str, list[tuple[Any, ...]]] = {c: [] for c in CATEGORIES}
    anatomy: dict[tuple[int, int], tuple[str, set[str | None]]] = {}
    for e in kept:
        cat = e["Category"]
        if cat == "MEDICATION":
            out[cat].append((_low(e["Text"]), _traits(e)))
        elif cat == "MEDICAL_CONDITION":
            out[cat].append((_low(e["Text"]), _traits(e), _dx(e)))
            for a in e["Attributes"]:
                if a["Type"] == "SYSTEM_ORGAN_SITE" and a["Score"] >= MIN_SCORE:
                    key = (a["BeginOffset"], a["EndOffset"])
                    anatomy.setdefault(key, (_low(a["Text"]), set()))[1].add(_low(e["Text"]))
        elif cat == "ANATOMY":
            anatomy.setdefault((e["BeginOffset"], e["EndOffset"]), (_low(e["Text"]), set()))[1].add(None)
        elif cat == "TIME_EXPRESSION":
            linked = frozenset(_low(a["Text"]) for a in e["Attributes"])
            out[cat].append((_low(e["Text"]), e["Type"], linked))
        if cat == "MEDICATION":
            out.setdefault("ATTRIBUTE", []).extend(
                (_low(e["Text"]), a["Type"], _low(a["Text"]))
                for a in e["Attributes"]
                if a["Score"] >= MIN_SCORE
            )
    out["ANATOMY"] = [(text, frozenset(owners)) for text, owners in anatomy.values()]
    return out


def expected(note: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    out["MEDICATION"] = [(_low(m["text"]), frozenset(m.get("traits", []))) for m in note["MEDICATION"]]
    out["MEDICAL_CONDITION"] = [
        (_low(c["text"]), frozenset(c.get("traits", [])), c["dx"]) for c in note["MEDICAL_CONDITION"]
    ]
    out["ANATOMY"] = [(_low(a["text"]), _low(a["of"]) if a.get("of") else None) for a in note["ANATOMY"]]
    out["TIME_EXPRESSION"] = [
        (_low(t["text"]), t["type"], frozenset(_low(x) for x in t["links"])) for t in note["TIME_EXPRESSION"]
    ]
    if "ATTRIBUTE" in note:
        out["ATTRIBUTE"] = [(_low(a["of"]), a["type"], _low(a["text"])) for a in note["ATTRIBUTE"]]
    return out


def _anatomy_match(gold: tuple[Any, ...], pred: tuple[Any, ...]) -> bool:
    text, of = gold
    return bool(pred[0] == text and of in pred[1])


def score_note(note: dict[str, Any], resp: dict[str, Any], tally: Tally) -> None:
    gold, pred = expected(note), predicted(resp)
    for c in (*CATEGORIES, *(o for o in OPTIONAL if o in gold)):
        rest = list(pred.get(c, []))
        for g in gold[c]:
            hit = next(
                (p for p in rest if (_anatomy_match(g, p) if c == "ANATOMY" else p == g)),
                None,
            )
            if hit is None:
                tally.fn[c] += 1
                tally.misses.append(f"{note['id']} {c} MISSED {_show(g)}")
            else:
                rest.remove(hit)
                tally.tp[c] += 1
        for p in rest:
            tally.fp[c] += 1
            tally.misses.append(f"{note['id']} {c} EXTRA {_show(p)}")


def _show(item: Iterable[Any]) -> str:
    return " | ".join(",".join(sorted(map(str, x))) if isinstance(x, frozenset) else str(x) for x in item)


def evaluate(notes: list[dict[str, Any]], detect: Any) -> Tally:
    """Run ``detect(text) -> DetectEntitiesV2 dict`` over the notes and tally per category."""
    tally = Tally()
    for note in notes:
        score_note(note, detect(note["text"]), tally)
    return tally

"""An entity-only note set (``corpus/drafts/tuning_ner.jsonl``): the offline detector against AWS-shaped references.

The NER tuning set of issue 15 holds notes with only ``expect.entities``, each reference shaped as a
DetectEntitiesV2 entity (``Category``, ``Type``, ``Text``, ``BeginOffset``, ``EndOffset``, ``Traits``,
``Attributes``) on the punctuated ``text``. It is scored with the same top-level per-category comparison as the
held-out drafts (:func:`medscribe.evaluation.report.score_entities`) in both forms, punctuated and recogniser,
plus ``TIME_LINK``: a time expression counts only when it also dates (an OVERLAP attribute) one of the entities
the reference says it dates.

``python scripts/score_drafts.py --entity-set corpus/drafts/tuning_ner.jsonl [--details]``
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.offline.ner.conformance import CATEGORIES, MIN_SCORE, Tally

TUNING_FILE = Path("corpus/drafts/tuning_ner.jsonl")
FORMS = {"punctuated": "text", "recogniser": "asr_text"}
TIME_LINK = "TIME_LINK"


def load(path: Path = TUNING_FILE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def check(notes: list[dict[str, Any]]) -> list[str]:
    """Problems with the set: offsets that do not give the text, a recogniser form not derived from the text."""
    problems = []
    for note in notes:
        if note["asr_text"] != recogniser_form(note["text"]):
            problems.append(f"{note['id']}: asr_text is not recogniser_form(text)")
        for ref in note["expect"]["entities"]:
            if note["text"][ref["BeginOffset"] : ref["EndOffset"]] != ref["Text"]:
                problems.append(f"{note['id']}: offsets of {ref['Text']!r} do not give its text")
    return problems


def _time_links(
    note: dict[str, Any], response: dict[str, Any], key: Callable[[str], str], tally: Tally
) -> None:
    gold = [
        (key(r["Text"]), {key(a["Text"]) for a in r["Attributes"]})
        for r in note["expect"]["entities"]
        if r["Category"] == "TIME_EXPRESSION"
    ]
    predicted = [
        (key(e["Text"]), {key(a["Text"]) for a in e.get("Attributes", [])})
        for e in response.get("Entities", [])
        if e["Category"] == "TIME_EXPRESSION" and e["Score"] >= MIN_SCORE
    ]
    for text, dated in gold:
        hit = next((p for p in predicted if p[0] == text and p[1] & dated), None)
        if hit is None:
            tally.fn[TIME_LINK] += 1
            tally.misses.append(f"{note['id']} {TIME_LINK} MISSED {text} -> {sorted(dated)}")
        else:
            tally.tp[TIME_LINK] += 1
            predicted.remove(hit)
    tally.fp[TIME_LINK] += len(predicted)


def evaluate(
    notes: list[dict[str, Any]], detector: Callable[[str], dict[str, Any]], *, per_mention: bool = False
) -> dict[str, Tally]:
    from medscribe.evaluation.report import entity_key, score_entities

    tallies = {form: Tally() for form in FORMS}
    for note in notes:
        for form, field in FORMS.items():
            response = detector(note[field])
            score_entities(note, response, tallies[form], per_mention=per_mention)
            _time_links(note, response, entity_key, tallies[form])
    return tallies


def report(tallies: dict[str, Tally]) -> dict[str, Any]:
    from medscribe.evaluation.report import entity_figures

    return {form: {c: entity_figures(t, c) for c in (*CATEGORIES, TIME_LINK)} for form, t in tallies.items()}


def table(figures: dict[str, Any]) -> str:
    from medscribe.evaluation.report import pr_cell

    lines = [f"{'entities P/R':<26}" + "".join(f"{form:>13}" for form in FORMS)]
    for c in (*CATEGORIES, TIME_LINK):
        cells = [figures[form][c] for form in FORMS]
        lines.append(f"  {c:<24}" + "".join(pr_cell(e).rjust(13) for e in cells))
    return "\n".join(lines)


def counted(notes: list[dict[str, Any]]) -> Counter[str]:
    return Counter(r["Category"] for n in notes for r in n["expect"]["entities"])

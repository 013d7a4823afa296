"""A regression guard on the project's own dictation corpus (``corpus/dictations.jsonl``, tuned on: a floor,
not a measure of quality): in both written forms, every medication the gold says is taken is on the
prescription draft, and no negated medication or condition is stated there as fact."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aws_shaped import recogniser
from draft_cases import items

from medscribe.textdraft import draft_sections
from medscribe.textnorm import normalize_clinical_text

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "dictations.jsonl"
ROWS = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _names(d: dict[str, Any], title: str, facts_only: bool = False) -> list[str]:
    return [i["name"] for i in items(d, title) if not (facts_only and i["flags"])]


@pytest.mark.parametrize("form", ["punctuated", "recogniser"])
def test_no_gold_medication_is_lost_and_nothing_negated_is_stated_as_fact(form: str) -> None:
    lost, wrong = [], []
    for row in ROWS:
        d = draft_sections(row["text"] if form == "punctuated" else recogniser(row["text"]))
        meds = _names(d, "Medications")
        facts = _names(d, "Medications", True) + _names(d, "Problems", True)
        for m in row["gold"]["medications"]:
            hit = [k for k in meds if m["name"] in k]
            if not m["negated"] and not hit:
                lost.append((row["id"], m["name"]))
            if m["negated"] and any(m["name"] in k for k in facts):
                wrong.append((row["id"], m["name"]))
        for c in row["gold"]["conditions"]:
            name = re.escape(normalize_clinical_text(c["name"]).lower())
            if c["negated"] and any(re.search(name, k) for k in facts):
                wrong.append((row["id"], c["name"]))
    assert lost == []
    assert wrong == []

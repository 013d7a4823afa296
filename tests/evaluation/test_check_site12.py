"""The session 15 anatomy check set (corpus/drafts/check_site12.jsonl; PROCEDURE.md, the section of site12,
session 15) is valid, never held out, of ANATOMY only; a site adjective outside a condition's usual name is a site,
and neither a usual name's site nor a kind-of-disease adjective is one.
What every check set keeps (validity, size, references per category): its row in
heldout_support.CHECK_SETS, tested by test_check_sets.py."""

from __future__ import annotations

from pathlib import Path

from medscribe.evaluation.drafts import load_notes

ROOT = Path(__file__).resolve().parents[2]
CHECK = ROOT / "corpus/drafts/check_site12.jsonl"


def test_site_adjectives_are_sites_and_usual_names_keep_theirs() -> None:
    # Given the set's references
    sites = {r["Text"].lower() for n in load_notes(CHECK) for r in n["expect"]["entities"]}
    # Then a site adjective before a condition outside its usual name is a site ("scrotal rash" -> "scrotal")
    assert {"scrotal", "gluteal", "temporal", "thalamic", "sacral", "penile", "vulval", "labial"} <= sites
    # And no side is inside a site, nor the site of a usual name or a disease's kind ("renal colic", "viral")
    assert not any(s.split()[0] in {"left", "right", "both", "upper", "lateral"} for s in sites)
    assert not sites & {"renal", "hepatic", "retinal", "pulmonary", "umbilical", "neck", "allergic", "viral"}

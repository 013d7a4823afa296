"""The condition-recall check set of session 15 (corpus/drafts/check_condrec12.jsonl, PROCEDURE.md section
"condrec12") holds the word shapes it measures (Latin plurals, deficiency names, eponymous signs, past-tense symptom
verbs) and every trait (its validity, size, references and one specialty a note: test_check_sets.py)."""

from __future__ import annotations

from heldout_support import draft_check_set


def test_the_set_holds_the_shapes_it_measures_and_every_trait() -> None:
    # Given the stored set's references
    refs = [r for n in draft_check_set("check_condrec12.jsonl") for r in n["expect"]["entities"]]
    texts = [r["Text"] for r in refs]
    traits = {t["Name"] for r in refs for t in r["Traits"]}
    # Then each shape is there, and every trait
    assert sum(t.endswith(" deficiency") for t in texts) >= 4
    assert sum(t.split()[-1] in {"sign", "nodes", "spots"} for t in texts) >= 5
    assert sum(t.endswith("ed") and " " not in t for t in texts) >= 5
    assert {"NEGATION", "PAST_HISTORY", "HYPOTHETICAL", "PERTAINS_TO_FAMILY"} <= traits

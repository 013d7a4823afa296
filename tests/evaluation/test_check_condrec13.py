"""The condition-recall check set of session 16 (corpus/drafts/check_condrec13.jsonl, PROCEDURE.md section
"condrec13") holds the shapes it measures (finding nouns said alone, examination signs by their clinical names) and
every trait (its validity, size, references and one specialty a note: test_check_sets.py)."""

from __future__ import annotations

from heldout_support import draft_check_set

FINDING_NOUNS = {
    "occlusion",
    "stenosis",
    "aneurysm",
    "infarct",
    "dissection",
    "thrombus",
    "embolus",
    "stricture",
}


def test_the_set_holds_the_shapes_it_measures_and_every_trait() -> None:
    # Given the stored set's references
    refs = [r for n in draft_check_set("check_condrec13.jsonl") for r in n["expect"]["entities"]]
    texts = [r["Text"] for r in refs]
    traits = {t["Name"] for r in refs for t in r["Traits"]}
    # Then every finding noun said alone is there (not the dev miss "scleral icterus"), and every trait
    assert set(texts) >= FINDING_NOUNS
    assert "scleral icterus" not in texts
    assert {"NEGATION", "PAST_HISTORY", "HYPOTHETICAL", "PERTAINS_TO_FAMILY"} <= traits

"""The session 12 cross-sentence self-correction check set (corpus/drafts/check_selfcorr9.jsonl, PROCEDURE.md section
"Session 12 cross-sentence self-correction check set, helper selfcorr9") holds forty corrections, more across
sentences than within one, each needing review (its validity, size, scorer categories and shapes:
test_check_sets.py)."""

from __future__ import annotations

from collections import Counter

from heldout_support import draft_check_set


def test_the_check_set_holds_forty_corrections_mostly_across_sentences_each_needing_review() -> None:
    notes = draft_check_set("check_selfcorr9.jsonl")
    hazards = Counter(h for n in notes for h in n["hazards"])
    assert sum(1 for n in notes if "distractor" not in n["hazards"]) >= 40
    assert hazards["across"] > hazards["within"]
    for note in notes:
        assert note["expect"]["needs_review"] == ("distractor" not in note["hazards"]), note["id"]

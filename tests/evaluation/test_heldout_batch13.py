"""batch13 (corpus/drafts/batch13.jsonl, PROCEDURE.md section 61) is written on what session 15 still missed on the
never-tuned parts: items said plainly under every heading (omissions and misplaced items), condition names, sites, times
and numbers that are no time, drugs that are not the patient's current prescription, corrected allergy lists and real
dictation (self-corrections, "scratch that", numbers said as words, question-and-answer exchanges). The checks every
held-out batch shares run on it in test_heldout_batches.py, the aims it shares with batch11 and batch12 (items beside
another heading's, dated conditions, drugs not current, sites, misplaced kinds, habitual times) in
test_heldout_batch_aims.py; this checks what only it holds."""

from __future__ import annotations

import re

from heldout_support import DRAFTS

from medscribe.evaluation.drafts import is_final, load_notes

NOTES = load_notes(DRAFTS / "batch13.jsonl")
FINAL = [n for n in NOTES if is_final(n["split"])]


def _sentences(text: str) -> list[str]:
    return [s.lower() for s in re.split(r"(?<=[.?])\s+", text)]


def test_corrected_allergy_lists_and_question_and_answer_dictation_are_in_both_parts() -> None:
    # an allergen taken back in the sentence that names the kept one: the taken-back drug is forbidden ("retracted")
    corrected = []
    for note in NOTES:
        kept = [a["substance"].lower() for a in note["expect"]["allergies"]]
        back = [f["name"].lower() for f in note["expect"]["forbidden"] if f["why"] == "retracted"]
        if any(k in s and b in s for s in _sentences(note["text"]) for k in kept for b in back):
            corrected.append(note)
    assert len(corrected) >= 2
    assert any(is_final(n["split"]) for n in corrected)
    # a question answered "No" is a denied item, one answered "Yes" a current problem
    asked = [n for n in NOTES if "?" in n["text"]]
    assert len(asked) >= 2
    assert any(is_final(n["split"]) for n in asked)
    for note in asked:
        assert note["expect"]["denied"], note["id"]
        assert note["expect"]["problems"], note["id"]
        assert re.search(r"\? (?:No|Yes)\b", note["text"]), note["id"]
    # "scratch that" and doses said as words ("forty milligrams")
    assert any("scratch that" in n["text"] for n in FINAL)
    assert sum(bool(re.search(r"\b[a-z]+ milligrams\b", n["text"])) for n in NOTES) >= 2

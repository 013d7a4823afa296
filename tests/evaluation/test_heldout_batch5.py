"""The fourth held-out batch (corpus/drafts/batch5.jsonl, PROCEDURE.md section 13): its time-expression references
follow section 4's convention. (The checks every held-out batch shares: test_heldout_batches.py.)"""

from __future__ import annotations

from heldout_support import DRAFTS

from medscribe.evaluation.drafts import load_notes

BATCH5 = DRAFTS / "batch5.jsonl"
# section 4's time-expression convention: a medication's frequency and duration are its attributes, never references
DRUG_TIMING = {
    "twice daily",
    "twice a day",
    "once daily",
    "bd",
    "nocte",
    "at bedtime",
    "each morning",
    "for 5 days",
}


def test_no_time_reference_is_a_medication_frequency_or_duration() -> None:
    notes = load_notes(BATCH5)
    times = [
        e["text"].lower()
        for n in notes
        for e in n["expect"]["entities"]
        if e["category"] == "TIME_EXPRESSION"
    ]
    assert times
    assert not DRUG_TIMING & set(times)
    assert not any(t.startswith("x ") for t in times)

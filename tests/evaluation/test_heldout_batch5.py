"""The fourth held-out batch (corpus/drafts/batch5.jsonl, PROCEDURE.md section 13) is its own pair of columns beside
notes.jsonl, batch3 and batch4, its final part is never itemised, and the stored notes keep the procedure's rules
(recogniser form derived from the text, split by order within the batch, every hazard covered in the final part,
enough references of each entity category in the final part to measure the detector, time expressions that follow
section 4's convention)."""

from __future__ import annotations

from collections import Counter

from heldout_support import DRAFTS, HAZARDS, empty_draft

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.evaluation.drafts import HELD_OUT_BATCHES, check_notes, is_final, load_notes
from medscribe.evaluation.report import details, hazard_coverage, run, splits_of

BATCH5 = DRAFTS / "batch5.jsonl"
SPECIALTIES = ["cardiology", "diabetes", "psychiatry", "paediatrics", "emergency", "discharge", "gp"]
# section 13: references the final part must hold, per scored category
FINAL_MINIMUM = {"MEDICATION": 40, "MEDICAL_CONDITION": 50, "ANATOMY": 15, "TIME_EXPRESSION": 15}
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


def test_the_stored_recogniser_form_is_derived_from_the_text() -> None:
    notes = load_notes(BATCH5)
    assert len(notes) == 42
    assert all(n["asr_text"] == recogniser_form(n["text"]) for n in notes)
    assert len({n["id"] for n in notes}) == len(notes)
    assert [n["specialty"] for n in notes] == SPECIALTIES * 6
    assert all(1 <= len(n["hazards"]) <= 4 for n in notes)


def test_the_batch_is_split_by_order_within_itself_beside_the_other_sets() -> None:
    batch = load_notes(BATCH5)
    assert [n["split"] for n in batch] == ["batch5-dev"] * 28 + ["batch5-final"] * 14
    others = [load_notes(DRAFTS / name) for name in ("notes.jsonl", "batch3.jsonl", "batch4.jsonl")]
    assert check_notes([*others[0], *others[1], *others[2], *batch]) == []
    # Given a batch note marked final out of its place, or the batch under batch4's split names
    moved = [*batch[:27], {**batch[27], "split": "batch5-final"}, *batch[28:]]
    renamed = [{**n, "split": n["split"].replace("batch5-", "batch4-")} for n in batch]
    # Then the order check sees it (the renamed batch is read as 42 more batch4 notes, out of order)
    assert any("position 28 of 42" in p for p in check_notes(moved))
    assert check_notes([*others[2], *renamed]) != []


def test_every_hazard_is_in_three_notes_and_in_the_final_part() -> None:
    notes = [*load_notes(DRAFTS / "batch4.jsonl"), *load_notes(BATCH5)]
    cover = hazard_coverage(notes, "batch5")
    assert set(cover) == HAZARDS
    for hazard, count in cover.items():
        assert count["all"] >= 3, hazard
        assert count["final"] >= 1, hazard
    # batch4's notes are not counted in batch5's coverage
    assert sum(c["all"] for c in cover.values()) == sum(len(n["hazards"]) for n in load_notes(BATCH5))


def test_the_final_part_holds_enough_references_of_every_scored_category() -> None:
    notes = load_notes(BATCH5)
    final = [n for n in notes if is_final(n["split"])]
    counted = Counter(e["category"] for n in final for e in n["expect"]["entities"])
    for category, minimum in FINAL_MINIMUM.items():
        assert counted[category] >= minimum, category
    assert all(n["expect"]["entities"] for n in notes)
    # a reference is text the note says (the detector can only find what is there)
    for note in notes:
        for entity in note["expect"]["entities"]:
            assert entity["text"].lower() in note["text"].lower(), (note["id"], entity["text"])


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


def test_the_batch_is_scored_in_columns_of_its_own() -> None:
    notes = [*load_notes(DRAFTS / "batch4.jsonl"), *load_notes(BATCH5)]
    assert "batch5" in HELD_OUT_BATCHES
    assert splits_of(notes) == ("dev", "final", "batch4-dev", "batch4-final", "batch5-dev", "batch5-final")
    result, _ = run(notes, "empty", empty_draft, None)
    figures = result["figures"]
    assert figures["batch4-dev"]["punctuated"]["notes"] == figures["batch5-dev"]["recogniser"]["notes"] == 28
    assert figures["batch5-final"]["punctuated"]["notes"] == 14
    assert figures["batch5-final"]["punctuated"]["omission"] > 0


def test_details_itemise_batch5_dev_and_never_name_a_batch5_final_note() -> None:
    # Given every batch5 note (and the other held-out sets') scored against an empty draft: each has findings
    names = ("notes.jsonl", "batch3.jsonl", "batch4.jsonl", "batch5.jsonl")
    notes = [n for name in names for n in load_notes(DRAFTS / name)]
    _, cells = run(notes, "empty", empty_draft, None)
    assert all(cells[(n["split"], "punctuated")]["findings"] for n in notes if is_final(n["split"]))
    # When the findings are itemised
    listed = details(cells)
    # Then every dev note of the batch is listed and no final note of any set is named
    assert all(n["id"] in listed for n in notes if n["split"] == "batch5-dev")
    for note in notes:
        if is_final(note["split"]):
            assert note["id"] not in listed, note["id"]
    assert "final/" not in listed

"""The second held-out batch (corpus/drafts/batch3.jsonl, PROCEDURE.md section 9) is its own pair of columns, its
final part is never itemised, and the stored notes keep the procedure's rules (recogniser form derived from the
text, split by order within the batch, every hazard covered, enough anatomy and time references to measure)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from heldout_support import DRAFTS, HAZARDS, empty_draft

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.evaluation.drafts import HELD_OUT_BATCHES, check_notes, is_final, load_notes
from medscribe.evaluation.report import details, hazard_coverage, run, splits_of, table

BATCH3 = DRAFTS / "batch3.jsonl"


def test_the_stored_recogniser_form_is_derived_from_the_text() -> None:
    notes = load_notes(BATCH3)
    assert len(notes) == 42
    assert all(n["asr_text"] == recogniser_form(n["text"]) for n in notes)
    assert len({n["id"] for n in notes}) == len(notes)


def test_the_batch_is_split_by_order_within_itself_beside_the_other_sets() -> None:
    batch = load_notes(BATCH3)
    assert [n["split"] for n in batch] == ["batch3-dev"] * 28 + ["batch3-final"] * 14
    others = [load_notes(DRAFTS / "notes.jsonl"), load_notes(DRAFTS / "dev2.jsonl")]
    assert check_notes([*others[0], *batch, *others[1]]) == []
    # Given a batch note marked final out of its place, or a batch note under notes.jsonl's own split name
    moved = [*batch[:27], {**batch[27], "split": "batch3-final"}, *batch[28:]]
    renamed = [{**n, "split": n["split"].removeprefix("batch3-")} for n in batch]
    # Then the order check sees it (the renamed batch is read as 42 more notes.jsonl notes, out of order)
    assert any("position 28 of 42" in p for p in check_notes(moved))
    assert check_notes([*others[0], *renamed]) != []


def test_every_hazard_is_in_three_notes_and_in_the_final_part() -> None:
    notes = load_notes(BATCH3)
    cover = hazard_coverage(notes, "batch3")
    assert set(cover) == HAZARDS
    for hazard, count in cover.items():
        assert count["all"] >= 3, hazard
        assert count["final"] >= 1, hazard
    # notes.jsonl's coverage is not mixed with the batch's
    assert hazard_coverage(notes) == {}


def test_the_final_part_holds_enough_anatomy_and_time_references() -> None:
    final = [n for n in load_notes(BATCH3) if is_final(n["split"])]
    counted = Counter(e["category"] for n in final for e in n["expect"]["entities"])
    assert counted["ANATOMY"] >= 10
    assert counted["TIME_EXPRESSION"] >= 10
    assert all(n["expect"]["entities"] for n in load_notes(BATCH3))


def test_the_batch_is_scored_in_columns_of_its_own() -> None:
    notes = load_notes(BATCH3)
    assert "batch3" in HELD_OUT_BATCHES
    assert splits_of(notes) == ("dev", "final", "batch3-dev", "batch3-final")
    result, _ = run(notes, "empty", empty_draft, None)
    figures = result["figures"]
    assert figures["dev"]["punctuated"]["notes"] == figures["final"]["punctuated"]["notes"] == 0
    assert figures["batch3-dev"]["recogniser"]["notes"] == 28
    assert figures["batch3-final"]["punctuated"]["notes"] == 14
    assert figures["batch3-final"]["punctuated"]["omission"] > 0


def test_details_itemise_batch3_dev_and_never_name_a_batch3_final_note() -> None:
    # Given every batch3 note (and notes.jsonl's) scored against an empty draft: each note has findings
    notes = [*load_notes(DRAFTS / "notes.jsonl"), *load_notes(BATCH3)]
    _, cells = run(notes, "empty", empty_draft, None)
    assert all(cells[(n["split"], "punctuated")]["findings"] for n in notes if is_final(n["split"]))
    # When the findings are itemised
    listed = details(cells)
    # Then every dev note of the batch is listed and no final note of either set is named
    assert all(n["id"] in listed for n in notes if n["split"] == "batch3-dev")
    for note in notes:
        if is_final(note["split"]):
            assert note["id"] not in listed, note["id"]
    assert "final/" not in listed


def test_a_category_with_no_reference_prints_a_dash_not_a_figure() -> None:
    # Given a note with medication references only, and a detector that also finds an anatomical site
    note = {**load_notes(BATCH3)[0]}
    note["expect"] = {**note["expect"], "entities": [{"category": "MEDICATION", "text": "bisoprolol"}]}
    site = {"Category": "ANATOMY", "Text": "ankle", "Score": 0.9}
    drug = {"Category": "MEDICATION", "Text": "bisoprolol", "Score": 0.9}

    def detector(_: str) -> dict[str, Any]:
        return {"Entities": [drug, site]}

    result, _ = run([note], "empty", empty_draft, detector)
    cell = result["figures"]["batch3-dev"]["punctuated"]["entities"]
    # Then the category with no reference has no figure (null), the referenced one has its figures
    assert cell["ANATOMY"]["precision"] is None
    assert cell["ANATOMY"]["recall"] is None
    assert cell["ANATOMY"]["fp"] == 1
    assert cell["MEDICATION"]["precision"] == cell["MEDICATION"]["recall"] == 1.0
    anatomy_row = next(line for line in table(result).splitlines() if line.strip().startswith("ANATOMY"))
    assert "\u2014/\u2014" in anatomy_row
    assert "0.00" not in anatomy_row

"""The held-out batches written after batch3 (corpus/drafts/batch4.jsonl, PROCEDURE.md section 11; batch5.jsonl,
section 13; batch6.jsonl, section 17; batch7.jsonl, section 22; batch8.jsonl, section 27; batch9.jsonl, section 32;
batch10.jsonl, section 39; batch11.jsonl, section 47; batch12.jsonl, section 54; batch13.jsonl, section 61) are each their own pair of columns beside the sets written before them, their final parts are never itemised, and the stored notes keep the procedure's rules (recogniser form derived from the
text, split by order within the batch, every hazard covered in the final part, enough references of each entity
category in the final part to measure the detector, no text taken from a set written before, time references by
section 4's convention once it existed). One table of batches, the same checks for each; what a batch was written to
hold beyond these: test_heldout_batch_aims.py."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest
from heldout_support import DRAFTS, HAZARDS, empty_draft

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.evaluation.drafts import HELD_OUT_BATCHES, check_notes, is_final, load_notes
from medscribe.evaluation.report import details, hazard_coverage, run, splits_of

SPECIALTIES = ["cardiology", "diabetes", "psychiatry", "paediatrics", "emergency", "discharge", "gp"]
# sections 22, 27, 32, 39, 47, 54 and 61: batch7 to batch13 are each written from seven specialties no earlier set used
# (or the least used)
SPECIALTIES_OF = {
    "batch7": ["respiratory", "renal", "neurology", "rheumatology", "obs_gynae", "elderly", "urgent_care"],
    "batch8": [
        "ophthalmology", "haematology", "palliative", "sexual_health", "medication_review", "preop", "addiction",
    ],
    "batch9": [
        "acute_medicine", "orthopaedics", "infectious_disease", "hepatology", "stroke", "oncology", "ent",
    ],
    "batch10": [
        "general_surgery", "pain_clinic", "intensive_care", "allergy_immunology", "sports_medicine", "oral_surgery",
        "toxicology",
    ],
    "batch11": [
        "neonatology", "plastic_surgery", "occupational_health", "sleep_medicine", "cardiothoracic",
        "clinical_genetics", "neurosurgery",
    ],
    "batch12": [
        "transplant", "rehabilitation", "colorectal", "fertility", "podiatry", "travel_medicine", "district_nursing",
    ],
    "batch13": [
        "bariatric", "eating_disorders", "prison_health", "anticoagulation", "urogynaecology", "memory_clinic",
        "lipid_clinic",
    ],
}  # fmt: skip
# section 22: batch7 adds two hazards of real dictation, each in at least 6 notes and 2 of the final part (batch8 too);
# section 27: batch8 adds a maximum-dose limit said with a dose ("max 4 g in 24 hours"), which is no dose of the row;
# sections 32, 39, 47, 54 and 61: batch9 to batch13 keep every hazard of section 2, limit included
DICTATION = {"self_correction", "disfluency"}
HAZARDS_OF = {
    "batch7": HAZARDS | DICTATION,
    "batch8": HAZARDS | DICTATION | {"limit"},
    "batch9": HAZARDS | DICTATION | {"limit"},
    "batch10": HAZARDS | DICTATION | {"limit"},
    "batch11": HAZARDS | DICTATION | {"limit"},
    "batch12": HAZARDS | DICTATION | {"limit"},
    "batch13": HAZARDS | DICTATION | {"limit"},
}
# sections 11, 13, 17, 27, 32, 39, 47, 54 and 61: references the final part must hold, per scored category (batch6, written to
# measure omissions, holds more conditions; batch8, written on prescriptions, more medications; batch9, written on
# conditions, their sites and times, more conditions, sites and times; batch10, written on drugs that are not the
# patient's current prescription and on sites said every way, more medications and sites; batch11, written on items
# lost or misplaced, condition names, sites, times and drugs that are not current, at least batch10's in every
# category and more conditions; batch12, on the same aims, at least batch11's in every category and more conditions
# and times; batch13, on the same aims, at least batch12's in every category)
FINAL_MINIMUM = {"MEDICATION": 40, "MEDICAL_CONDITION": 50, "ANATOMY": 15, "TIME_EXPRESSION": 15}
FINAL_MINIMUM_OF = {
    "batch6": {**FINAL_MINIMUM, "MEDICAL_CONDITION": 60},
    "batch7": {**FINAL_MINIMUM, "MEDICAL_CONDITION": 60},
    "batch8": {"MEDICATION": 60, "MEDICAL_CONDITION": 40, "ANATOMY": 10, "TIME_EXPRESSION": 12},
    "batch9": {"MEDICATION": 30, "MEDICAL_CONDITION": 80, "ANATOMY": 20, "TIME_EXPRESSION": 30},
    "batch10": {"MEDICATION": 50, "MEDICAL_CONDITION": 40, "ANATOMY": 30, "TIME_EXPRESSION": 20},
    "batch11": {"MEDICATION": 50, "MEDICAL_CONDITION": 60, "ANATOMY": 30, "TIME_EXPRESSION": 25},
    "batch12": {"MEDICATION": 54, "MEDICAL_CONDITION": 75, "ANATOMY": 31, "TIME_EXPRESSION": 36},
    "batch13": {"MEDICATION": 56, "MEDICAL_CONDITION": 80, "ANATOMY": 32, "TIME_EXPRESSION": 42},
}
# notes of the final part each hazard must be in (sections 17, 22, 27, 32, 39, 47, 54 and 61: batch6 to batch13 twice)
FINAL_HAZARD_NOTES = {
    "batch6": 2,
    "batch7": 2,
    "batch8": 2,
    "batch9": 2,
    "batch10": 2,
    "batch11": 2,
    "batch12": 2,
    "batch13": 2,
}
# each batch, the batch written just before it, and every set before it (its split check reads them together)
BATCHES = {
    "batch4": ("batch3", ("notes.jsonl", "batch3.jsonl")),
    "batch5": ("batch4", ("notes.jsonl", "batch3.jsonl", "batch4.jsonl")),
    "batch6": ("batch5", ("notes.jsonl", "batch3.jsonl", "batch4.jsonl", "batch5.jsonl")),
    "batch7": ("batch6", ("notes.jsonl", "batch3.jsonl", "batch4.jsonl", "batch5.jsonl", "batch6.jsonl")),
    "batch8": ("batch7", ("notes.jsonl", *(f"batch{n}.jsonl" for n in range(3, 8)))),
    "batch9": ("batch8", ("notes.jsonl", *(f"batch{n}.jsonl" for n in range(3, 9)))),
    "batch10": ("batch9", ("notes.jsonl", *(f"batch{n}.jsonl" for n in range(3, 10)))),
    "batch11": ("batch10", ("notes.jsonl", *(f"batch{n}.jsonl" for n in range(3, 11)))),
    "batch12": ("batch11", ("notes.jsonl", *(f"batch{n}.jsonl" for n in range(3, 12)))),
    "batch13": ("batch12", ("notes.jsonl", *(f"batch{n}.jsonl" for n in range(3, 13)))),
}
batches = pytest.mark.parametrize("batch", list(BATCHES))
# batches written after section 4's time-expression convention (session 8)
TIME_CONVENTION = tuple(f"batch{n}" for n in range(5, 14))
# the convention: a medication's frequency and duration are its attributes, never references
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


def _load(batch: str) -> list[dict]:
    return load_notes(DRAFTS / f"{batch}.jsonl")


@batches
def test_the_stored_recogniser_form_is_derived_from_the_text(batch: str) -> None:
    notes = _load(batch)
    assert len(notes) == 42
    assert all(n["asr_text"] == recogniser_form(n["text"]) for n in notes)
    assert len({n["id"] for n in notes}) == len(notes)
    assert [n["specialty"] for n in notes] == SPECIALTIES_OF.get(batch, SPECIALTIES) * 6
    assert all(1 <= len(n["hazards"]) <= 4 for n in notes)


@batches
def test_the_batch_is_split_by_order_within_itself_beside_the_other_sets(batch: str) -> None:
    previous, before = BATCHES[batch]
    notes = _load(batch)
    assert [n["split"] for n in notes] == [f"{batch}-dev"] * 28 + [f"{batch}-final"] * 14
    assert check_notes([*(n for name in before for n in load_notes(DRAFTS / name)), *notes]) == []
    # Given a batch note marked final out of its place, or the batch under the previous batch's split names
    moved = [*notes[:27], {**notes[27], "split": f"{batch}-final"}, *notes[28:]]
    renamed = [{**n, "split": n["split"].replace(f"{batch}-", f"{previous}-")} for n in notes]
    # Then the order check sees it (the renamed batch is read as 42 more notes of the previous one, out of order)
    assert any("position 28 of 42" in p for p in check_notes(moved))
    assert check_notes([*_load(previous), *renamed]) != []


@batches
def test_every_hazard_is_in_three_notes_and_in_the_final_part(batch: str) -> None:
    previous, _ = BATCHES[batch]
    cover = hazard_coverage([*_load(previous), *_load(batch)], batch)
    assert set(cover) == HAZARDS_OF.get(batch, HAZARDS)
    for hazard, count in cover.items():
        assert count["all"] >= 3, hazard
        assert count["final"] >= FINAL_HAZARD_NOTES.get(batch, 1), hazard
    # the previous batch's notes are not counted in this batch's coverage
    assert sum(c["all"] for c in cover.values()) == sum(len(n["hazards"]) for n in _load(batch))


@batches
def test_the_final_part_holds_enough_references_of_every_scored_category(batch: str) -> None:
    notes = _load(batch)
    final = [n for n in notes if is_final(n["split"])]
    counted = Counter(e["category"] for n in final for e in n["expect"]["entities"])
    for category, minimum in FINAL_MINIMUM_OF.get(batch, FINAL_MINIMUM).items():
        assert counted[category] >= minimum, category
    assert all(n["expect"]["entities"] for n in notes)
    # a reference is text the note says (the detector can only find what is there)
    for note in notes:
        for entity in note["expect"]["entities"]:
            assert entity["text"].lower() in note["text"].lower(), (note["id"], entity["text"])


@batches
def test_the_batch_is_scored_in_columns_of_its_own(batch: str) -> None:
    previous, _ = BATCHES[batch]
    notes = [*_load(previous), *_load(batch)]
    assert batch in HELD_OUT_BATCHES
    parts = (f"{previous}-dev", f"{previous}-final", f"{batch}-dev", f"{batch}-final")
    assert splits_of(notes) == ("dev", "final", *parts)
    result, _ = run(notes, "empty", empty_draft, None)
    figures = result["figures"]
    assert (
        figures[f"{previous}-dev"]["punctuated"]["notes"]
        == figures[f"{batch}-dev"]["recogniser"]["notes"]
        == 28
    )
    assert figures[f"{batch}-final"]["punctuated"]["notes"] == 14
    assert figures[f"{batch}-final"]["punctuated"]["omission"] > 0


@batches
def test_details_itemise_the_dev_part_and_never_name_a_final_note(batch: str) -> None:
    # Given every note of the batch and of the sets before it scored against an empty draft: each has findings
    _, before = BATCHES[batch]
    notes = [n for name in (*before, f"{batch}.jsonl") for n in load_notes(DRAFTS / name)]
    _, cells = run(notes, "empty", empty_draft, None)
    assert all(cells[(n["split"], "punctuated")]["findings"] for n in notes if is_final(n["split"]))
    # When the findings are itemised
    listed = details(cells)
    # Then every dev note of the batch is listed and no final note of any set is named
    assert all(n["id"] in listed for n in notes if n["split"] == f"{batch}-dev")
    for note in notes:
        if is_final(note["split"]):
            assert note["id"] not in listed, note["id"]
    assert "final/" not in listed


@batches
def test_no_sentence_is_taken_from_a_set_written_before(batch: str) -> None:
    # section 13 / 17: new wordings, not copied from notes.jsonl or an earlier batch
    _, before = BATCHES[batch]
    older = {s for name in before for n in load_notes(DRAFTS / name) for s in _sentences(n["text"])}
    # the check sees a copied note: the first (dev) note of the set written just before
    assert sum(s in older for s in _sentences(load_notes(DRAFTS / before[-1])[0]["text"])) > 0
    for note in _load(batch):
        copied = sum(s in older for s in _sentences(note["text"]))  # a count: a failure names no older text
        assert copied == 0, note["id"]


def _sentences(text: str) -> list[str]:
    """A note's sentences of six words or more, lower case (short ones such as "No fever." recur by nature)."""
    return [s for s in (" ".join(p.split()).lower() for p in text.split(". ")) if len(s.split()) >= 6]


@pytest.mark.parametrize("batch", TIME_CONVENTION)
def test_no_time_reference_is_a_medication_frequency_or_duration(batch: str) -> None:
    times = [
        e["text"].lower()
        for n in _load(batch)
        for e in n["expect"]["entities"]
        if e["category"] == "TIME_EXPRESSION"
    ]
    assert times
    assert not DRUG_TIMING & set(times)
    assert not any(t.startswith("x ") for t in times)


@pytest.mark.parametrize("batch", ["batch7", "batch8", "batch9", "batch10", "batch11", "batch12", "batch13"])
def test_the_batch_holds_real_dictation_and_its_retracted_values_are_forbidden(batch: str) -> None:
    # sections 22, 27, 32, 39, 47, 54 and 61: self-corrections and fillers / restarts in at least a third of the notes, each in at least 6
    # notes and 2 of the final part
    notes = _load(batch)
    final = [n for n in notes if is_final(n["split"])]
    assert sum(bool(DICTATION & set(n["hazards"])) for n in notes) * 3 >= len(notes)
    for hazard in DICTATION:
        assert sum(hazard in n["hazards"] for n in notes) >= 6, hazard
        assert sum(hazard in n["hazards"] for n in final) >= 2, hazard
    fillers = {"er", "um"}
    for note in notes:
        words = note["asr_text"].split()
        if "disfluency" in note["hazards"]:  # a filler or a word said twice running ("the the")
            assert fillers & set(words) or any(a == b for a, b in pairwise(words)), note["id"]
        if "self_correction" in note["hazards"]:  # the value taken back is a forbidden fact of the note
            assert any(f["why"] == "retracted" for f in note["expect"]["forbidden"]), note["id"]


@pytest.mark.parametrize(
    ("batch", "least"),
    [("batch8", 5), ("batch9", 4), ("batch10", 4), ("batch11", 4), ("batch12", 6), ("batch13", 7)],
)
def test_every_note_names_a_drug_and_its_limits_are_no_dose(batch: str, least: int) -> None:
    # sections 27, 32, 39, 47, 54 and 61: every note prescribes, stops or forbids a drug; a note with the limit hazard says a maximum,
    # and a limit said as an amount ("max 4 g in 24 hours") is forbidden as the row's dose (why "limit") of an
    # expected drug
    notes = _load(batch)
    limits = [f for n in notes for f in n["expect"]["forbidden"] if f["why"] == "limit"]
    assert len(limits) >= least
    for note in notes:
        expect = note["expect"]
        drugs = expect["medications"] + [f for f in expect["forbidden"] if f["section"] == "Medications"]
        assert drugs, note["id"]
        said = note["text"].lower()
        if "limit" in note["hazards"]:
            assert any(cue in said for cue in ("no more than", "not more than", "max")), note["id"]
        for limit in (f for f in expect["forbidden"] if f["why"] == "limit"):
            assert limit.get("dose"), note["id"]
            dosed = [m["name"] for m in expect["medications"] if m.get("dose")]
            assert limit["name"] in dosed, note["id"]

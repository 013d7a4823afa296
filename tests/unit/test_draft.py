"""The clinical draft: flags, evidence, attribute safety, merging; and what the rendered PDF says about them.

Inputs are DetectEntitiesV2-shaped responses (``draft_notes``); PDF assertions read the text back with pypdf.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pypdf
from draft_notes import Note, clonidine_note, negation_note, orphan_note

from medscribe.logic.document import DEFAULT_REVIEW_THRESHOLD, Draft, build_draft, build_summary, render
from medscribe.logic.document.draft import ASR_CONFIDENCE_BOUND
from medscribe.models import PipelineSettings, RecordingDetails
from medscribe.shapes import DetectEntitiesV2Response, TranscriptItem

RECEIVED = datetime(2026, 11, 22, 6, 30, 15, tzinfo=UTC)


def kinds(draft: Draft) -> list[str]:
    return [f.kind for f in draft.flags]


def pdf_text(note: Note, details: RecordingDetails | None = None, **kw: object) -> tuple[str, int]:
    draft = build_draft(note.response, note.text, **kw)  # type: ignore[arg-type]
    view = build_summary("rec-1", "clinic-a", RECEIVED, 61.0, note.text, draft=draft, details=details)
    rendered = render(view)
    pages = pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages
    return "\n".join(p.extract_text() for p in pages), rendered.pages


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) + len(start) : text.index(end, text.index(start))]


def test_example_notes_are_valid_detect_entities_v2_responses() -> None:
    for note in (clonidine_note(), negation_note(), orphan_note()):
        DetectEntitiesV2Response.model_validate(note.response)
        for e in note.entities:
            assert note.text[e["BeginOffset"] : e["EndOffset"]] == e["Text"]


# ---- attribute safety -----------------------------------------------------------------------------------


def test_mixed_number_dose_is_kept_whole_and_normalised() -> None:
    # Given "1 and 1 / 2 tabs" of which the detector returned only "1 / 2 tabs"
    draft = build_draft(clonidine_note().response, clonidine_note().text)
    # When drafted, Then the dose is one and a half tablets, with the whole raw text beside it
    (clonidine,) = [r for r in draft.prescriptions if r.name == "Clonidine"]
    doses = {v.raw: v.normalised for v in clonidine.dose}
    assert doses == {"0.2 mgs": "0.2 mg", "1 and 1 / 2 tabs": "1.5 tablets"}
    assert [v.normalised for v in clonidine.frequency] == ["at bedtime"]
    assert [v.normalised for v in clonidine.route] == ["by mouth"]


def test_attribute_from_another_sentence_is_not_used_and_is_flagged() -> None:
    draft = build_draft(clonidine_note().response, clonidine_note().text)
    (fluticasone,) = [r for r in draft.prescriptions if r.name == "Fluticasone"]
    assert [v.normalised for v in fluticasone.frequency] == ["twice daily"]
    assert any(f.kind == "OTHER_SENTENCE" and f.subject == "at night" for f in draft.flags)
    assert fluticasone.flagged


def test_history_mention_merges_into_one_row_and_is_not_a_second_prescription() -> None:
    draft = build_draft(clonidine_note().response, clonidine_note().text)
    rows = [r for r in draft.prescriptions if r.name.lower() == "lisinopril"]
    assert len(rows) == 1
    assert [v.normalised for v in rows[0].dose] == ["10 mg"]
    assert "lisinopril" not in {n.name.lower() for n in draft.not_taking}


def test_history_only_drug_is_not_prescribed() -> None:
    note = Note("History of warfarin use. Takes aspirin 81 mg daily by mouth.")
    note.drug("warfarin", traits={"PAST_HISTORY": 0.85})
    note.drug("aspirin", attributes={"STRENGTH": "81 mg", "FREQUENCY": "daily", "ROUTE_OR_MODE": "by mouth"})
    draft = build_draft(note.response, note.text)
    assert [r.name for r in draft.prescriptions] == ["aspirin"]
    assert [(n.name, n.reason) for n in draft.not_taking] == [
        ("warfarin", "past history only: not prescribed")
    ]
    assert draft.flags == ()


def test_negated_hypothetical_and_contradictory_drugs_are_never_prescribed() -> None:
    draft = build_draft(negation_note().response, negation_note().text)
    assert [r.name for r in draft.prescriptions] == ["Metformin"]
    reasons = {n.name: n.reason for n in draft.not_taking}
    assert reasons["oxycodone"] == "not taking"
    # (issue 15) a hypothetical drug is listed under "Plan and conditional", not as a "Not taking" note
    assert [(p.name, p.kind, p.text) for p in draft.plan] == [
        ("ibuprofen", "medication", "If pain worsens, may use ibuprofen")
    ]
    assert reasons["aspirin"].startswith("contradictory")
    assert any(f.kind == "CONTRADICTION" and f.subject == "aspirin" for f in draft.flags)


def test_unreadable_frequency_is_shown_raw_and_flagged_never_dropped() -> None:
    draft = build_draft(negation_note().response, negation_note().text)
    (metformin,) = draft.prescriptions
    assert [(v.raw, v.normalised) for v in metformin.frequency] == [("once elite", None)]
    assert "once elite" in metformin.frequency_text
    assert any(f.kind == "NOT_NORMALISED" and f.subject == "once elite" for f in draft.flags)


def test_two_different_doses_of_one_drug_are_a_contradiction() -> None:
    note = Note("Lisinopril 10 mg daily by mouth. Increase lisinopril 20 mg daily by mouth.")
    note.drug(
        "Lisinopril", attributes={"STRENGTH": "10 mg", "FREQUENCY": "daily", "ROUTE_OR_MODE": "by mouth"}
    )
    note.drug(
        "lisinopril",
        attributes={"STRENGTH": "20 mg", "FREQUENCY": ("daily", 0.9), "ROUTE_OR_MODE": ("by mouth", 0.9)},
    )
    note.entities[-1]["Attributes"] = [
        note.attribute(a["Type"], a["Text"], after=note.text.index("Increase"))
        for a in note.entities[-1]["Attributes"]
    ]
    draft = build_draft(note.response, note.text)
    (row,) = draft.prescriptions
    assert [v.normalised for v in row.dose] == ["10 mg", "20 mg"]
    assert [f.message for f in draft.flags if f.kind == "CONTRADICTION"] == [
        "Lisinopril: different strength mentioned (10 mg / 20 mg)"
    ]


# ---- flags ----------------------------------------------------------------------------------------------


def test_low_scores_below_the_review_threshold_are_flagged_and_the_threshold_is_a_parameter() -> None:
    note = clonidine_note()
    default = build_draft(note.response, note.text)
    strict = build_draft(note.response, note.text, review_threshold=0.95)
    lenient = build_draft(note.response, note.text, review_threshold=0.5)
    assert [f.subject for f in default.flags if f.kind == "LOW_SCORE"] == ["po"]  # 0.62 < 0.7
    assert len([f for f in strict.flags if f.kind == "LOW_SCORE"]) > 5
    assert [f for f in lenient.flags if f.kind == "LOW_SCORE"] == []


def test_orphan_dose_becomes_a_flagged_row_and_flags() -> None:
    draft = build_draft(orphan_note().response, orphan_note().text)
    orphan = draft.prescriptions[0]
    assert orphan.name == ""
    assert orphan.flagged
    assert orphan.label.startswith("[medication not identified]")
    assert [v.normalised for v in orphan.dose] == ["40 mg"]
    # one flag for the row, naming every value said (not one per value: the row is reviewed as a whole)
    assert [f.subject for f in draft.flags if f.kind == "ORPHAN_ATTRIBUTE"] == ["40 mg, by mouth, at bedtime"]


def test_dropped_medication_and_blank_cells_are_flagged() -> None:
    draft = build_draft(orphan_note().response, orphan_note().text)
    assert [f.subject for f in draft.flags if f.kind == "DROPPED_MEDICATION"] == ["warfarin"]
    assert "warfarin" not in {r.name for r in draft.prescriptions}
    # Tylenol's row is flagged for its dose range: its blank route is not a line of its own (said once)
    assert [f.message for f in draft.flags if f.kind == "BLANK_CELL"] == ["Atorvastatin: no route stated"]
    assert [f.kind for f in draft.flags if f.subject == "1 to 2 tablets"] == ["DOSE_RANGE"]
    assert all(r.flagged for r in draft.prescriptions)


def test_low_confidence_asr_word_in_a_medication_sentence_is_flagged() -> None:
    # Given the Transcribe items, with "ticket" heard at 0.31 in a medication sentence and "fine" at 0.2 outside
    note = Note("Patient ticket oxycodone 5 mg. Feeling fine.")
    note.drug("oxycodone", attributes={"STRENGTH": "5 mg"})
    words = [("Patient", 0.99), ("ticket", 0.31), ("oxycodone", 0.97), ("five", 0.9), ("milligrams", 0.9)]
    items = [
        TranscriptItem(type="pronunciation", alternatives=[{"confidence": str(c), "content": w}])
        for w, c in words
    ]
    items.append(TranscriptItem(type="punctuation", alternatives=[{"confidence": "0.0", "content": "."}]))
    items += [
        TranscriptItem(type="pronunciation", alternatives=[{"confidence": c, "content": w}])
        for w, c in (("Feeling", "0.95"), ("fine", "0.2"))
    ]
    # When drafted
    draft = build_draft(note.response, note.text, asr_items=items)
    # Then "ticket" is flagged with the sentence, "fine" (no medication there) is not
    flags = [f for f in draft.flags if f.kind == "LOW_ASR_CONFIDENCE"]
    assert [(f.subject, f.score) for f in flags] == [("ticket", 0.31)]
    assert "Patient ticket oxycodone 5 mg." in flags[0].message
    # And the bound is a setting: at 0.3 "ticket" passes, at 0.95 "five" and "milligrams" are flagged too
    lenient = build_draft(note.response, note.text, asr_items=items, asr_bound=0.3)
    assert [f for f in lenient.flags if f.kind == "LOW_ASR_CONFIDENCE"] == []
    strict = build_draft(note.response, note.text, asr_items=items, asr_bound=0.95)
    assert [f.subject for f in strict.flags if f.kind == "LOW_ASR_CONFIDENCE"] == [
        "ticket",
        "five",
        "milligrams",
    ]
    assert strict.asr_confidence_bound == 0.95


def test_the_default_bounds_of_the_draft_are_the_pipeline_settings_defaults() -> None:
    settings = PipelineSettings()
    assert settings.asr_confidence_bound == ASR_CONFIDENCE_BOUND
    assert settings.review_threshold == DEFAULT_REVIEW_THRESHOLD


def test_evidence_sentence_and_score_on_every_row_and_condition() -> None:
    draft = build_draft(clonidine_note().response, clonidine_note().text)
    for row in draft.prescriptions:
        assert row.evidence
        assert row.evidence[0].sentence in clonidine_note().text
        assert row.name in row.evidence[0].sentence
    (lisinopril,) = [r for r in draft.prescriptions if r.name == "lisinopril"]
    assert lisinopril.evidence[0].score == 0.62  # the lowest score behind what the row shows
    assert draft.problems[0].evidence[0].sentence == "Hypertension, well controlled."


# ---- rendered PDF ---------------------------------------------------------------------------------------


def test_pdf_lists_flags_for_low_scores_orphans_and_blank_cells() -> None:
    text, _ = pdf_text(orphan_note())
    review = section(text, "Needs review", "Problems")
    assert "dose “40 mg”, route “by mouth”, frequency “at bedtime” with no medication identified" in review
    assert "Atorvastatin: no route stated" in review
    assert "warfarin" in review
    low, _ = pdf_text(negation_note())
    assert "“Metformin” has a low score (score 0.64)" in section(low, "Needs review", "Problems")
    assert "[medication not" in section(text, "Medications", "Allergies")


def test_pdf_never_puts_negated_drugs_in_the_prescription_table() -> None:
    text, _ = pdf_text(negation_note())
    prescriptions = section(text, "Medications", "Allergies")
    for drug in ("oxycodone", "ibuprofen", "aspirin"):
        assert drug not in prescriptions.lower()  # names may print in Tall Man letters (oxyCODONE)
    not_taking = section(text, "Not taking", "Past history")
    assert "oxyCODONE: not taking" in not_taking
    assert "chest pain" in section(text, "Denied", "Not taking")
    assert "chest pain" not in section(text, "Problems", "Medications")


def test_pdf_shows_evidence_beside_each_row() -> None:
    text, _ = pdf_text(orphan_note())
    prescriptions = section(text, "Medications", "Allergies")
    assert prescriptions.count("Evidence:") == 3
    assert "Evidence: “Atorvastatin 20 mg daily.” (score 0.90)" in prescriptions


def test_pdf_has_page_numbers_date_of_service_and_request_fields() -> None:
    details = RecordingDetails(
        recording_id="rec-1",
        tenant="clinic-a",
        clinician_name="Dr. Ada Example",
        patient_reference="MRN 00-1234",
        date_of_service=date(2026, 11, 20),
    )
    text, pages = pdf_text(clonidine_note(), details)
    assert "Page 1 of " in text
    assert f"Page {pages} of {pages}" in text
    header = text[: text.index("Needs review")]
    assert "Date of service 2026-11-20" in header
    assert "Dr. Ada Example" in header
    assert "MRN 00-1234" in header
    assert "Clinician signature:" in text


def test_pdf_without_details_uses_the_received_date_and_says_so() -> None:
    text, _ = pdf_text(clonidine_note())
    assert "Date of service 2026-11-22 (date received" in text
    assert "Clinician not given" in text


def test_pdf_with_nothing_flagged_says_so() -> None:
    note = Note("Aspirin 81 mg by mouth daily.")
    note.drug("Aspirin", attributes={"STRENGTH": "81 mg", "ROUTE_OR_MODE": "by mouth", "FREQUENCY": "daily"})
    text, _ = pdf_text(note)
    assert section(text, "Needs review", "Problems").strip() == "• Nothing flagged"
    for heading in (  # (issue 15: the contract's section titles)
        "Medications",
        "Not taking",
        "Problems",
        "Denied",
        "Tests and procedures",
    ):
        assert heading in text

"""The clinical summary PDF: content from DetectEntitiesV2 entities, escaping, fonts, byte stability.

Every assertion about the document reads the text back out of the PDF with pypdf.
"""

from __future__ import annotations

import io
import itertools
import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pypdf
import pytest

from medscribe.errors import DocumentRenderFailed, InvalidInput
from medscribe.logic import document
from medscribe.logic.document import SummaryView, build_summary, render, render_html, render_pdf
from medscribe.shapes import DetectEntitiesV2Response

RECEIVED = datetime(2026, 11, 22, 6, 30, 15, tzinfo=UTC)


# ---------------------------------------------------------------------------------------------------------
# DetectEntitiesV2 entity builders
# ---------------------------------------------------------------------------------------------------------
ids = itertools.count(1).__next__


def attribute(kind: str, text: str, begin: int = 0) -> dict[str, Any]:
    return {
        "Type": kind,
        "Score": 0.9,
        "RelationshipScore": 0.95,
        "RelationshipType": "DOSAGE" if kind == "DOSAGE" else "FREQUENCY",
        "Id": ids(),
        "BeginOffset": begin,
        "EndOffset": begin + len(text),
        "Text": text,
        "Traits": [],
    }


def entity(
    category: str,
    kind: str,
    text: str,
    begin: int,
    attributes: list[dict[str, Any]] | None = None,
    traits: dict[str, float] | None = None,
) -> dict[str, Any]:
    return {
        "Id": ids(),
        "BeginOffset": begin,
        "EndOffset": begin + len(text),
        "Score": 0.97,
        "Text": text,
        "Category": category,
        "Type": kind,
        "Traits": [{"Name": name, "Score": score} for name, score in (traits or {}).items()],
        "Attributes": attributes or [],
    }


def medication(text: str, begin: int, negated: bool = False, **attrs: str) -> dict[str, Any]:
    kinds = {"strength": "STRENGTH", "dosage": "DOSAGE", "frequency": "FREQUENCY", "route": "ROUTE_OR_MODE"}
    kinds |= {"duration": "DURATION", "form": "FORM"}
    return entity(
        "MEDICATION",
        "GENERIC_NAME",
        text,
        begin,
        [attribute(kinds[k], v, begin + 20 + i) for i, (k, v) in enumerate(attrs.items())],
        {"NEGATION": 0.93} if negated else None,
    )


ENTITIES = [
    medication(
        "lisinopril",
        10,
        strength="10 mg",
        dosage="1 tablet",
        route="by mouth",
        frequency="once daily",
        duration="for 30 days",
        form="tablet",
    ),
    medication("metformin", 60, strength="500 mg", frequency="twice daily"),
    medication("aspirin", 110, negated=True, strength="81 mg"),
    entity("MEDICAL_CONDITION", "DX_NAME", "type 2 diabetes", 150, traits={"DIAGNOSIS": 0.9}),
    entity("MEDICAL_CONDITION", "DX_NAME", "chest pain", 180, traits={"SYMPTOM": 0.8, "NEGATION": 0.9}),
    entity(
        "MEDICAL_CONDITION",
        "DX_NAME",
        "colon cancer",
        200,
        traits={"DIAGNOSIS": 0.7, "PERTAINS_TO_FAMILY": 0.8},
    ),
    entity(
        "TEST_TREATMENT_PROCEDURE",
        "TEST_NAME",
        "HbA1c",
        230,
        [attribute("TEST_VALUE", "7.2", 236), attribute("TEST_UNIT", "%", 240)],
    ),
    entity("TEST_TREATMENT_PROCEDURE", "PROCEDURE_NAME", "colonoscopy", 260),
    entity("ANATOMY", "SYSTEM_ORGAN_SITE", "knee", 280),
]
TRANSCRIPT = "Patient is on lisinopril 10 mg once daily. Not taking aspirin. No chest pain."


def view(
    transcript: str = TRANSCRIPT, entities: list[dict[str, Any]] | None = None, **kw: Any
) -> SummaryView:
    args: dict[str, Any] = {
        "recording_id": "rec-2026-0001",
        "tenant": "clinic-a",
        "received_at": RECEIVED,
        "duration_seconds": 125.4,
    }
    args |= kw
    return build_summary(
        args["recording_id"],
        args["tenant"],
        args["received_at"],
        args["duration_seconds"],
        transcript,
        ENTITIES if entities is None else entities,
    )


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def section(text: str, start: str, end: str) -> str:
    assert start in text, text
    assert end in text, text
    return text[text.index(start) + len(start) : text.index(end)]


def test_entity_fixtures_are_valid_detect_entities_v2() -> None:
    DetectEntitiesV2Response.model_validate({"Entities": ENTITIES, "ModelVersion": "2.0.0"})


# ---------------------------------------------------------------------------------------------------------
# content
# ---------------------------------------------------------------------------------------------------------


def test_prescription_section_lists_medications_with_their_attributes() -> None:
    # Given kept entities with two prescribed medications
    text = pdf_text(render_pdf(view()))

    # When the prescription section is read back
    prescriptions = section(text, "Medications", "Allergies")

    # Then names, strengths, doses, routes, frequencies and durations are there
    for expected in ("lisinopril tablet", "10 mg", "1 tablet", "by mouth", "once daily", "30 days"):
        assert expected in prescriptions
    for expected in ("metFORMIN", "500 mg", "twice daily"):  # Tall Man letters (docs/guards.md)
        assert expected in prescriptions


def test_negated_medication_is_not_prescribed_but_listed_as_not_taking() -> None:
    text = pdf_text(render_pdf(view()))

    prescriptions = section(text, "Medications", "Allergies")
    discontinued = section(text, "Not taking", "Past history")
    assert "aspirin" not in prescriptions
    assert "81 mg" not in prescriptions
    assert "aspirin (81 mg)" in discontinued
    assert "lisinopril" not in discontinued


def test_view_splits_medications_on_negation() -> None:
    summary = view()

    assert [m.name for m in summary.draft.prescriptions] == ["lisinopril", "metformin"]
    assert [m.name for m in summary.draft.not_taking] == ["aspirin"]
    assert summary.draft.prescriptions[0].dose[0].normalised == "10 mg"
    assert summary.draft.prescriptions[0].frequency[0].normalised == "once daily"


def test_low_score_negation_trait_does_not_discontinue() -> None:
    # Given a NEGATION trait below the trait threshold
    weak = medication("atorvastatin", 5, strength="20 mg")
    weak["Traits"] = [{"Name": "NEGATION", "Score": document.TRAIT_MIN_SCORE - 0.1}]

    # When summarised, Then it stays in the prescription draft
    summary = view(entities=[weak])
    assert [m.name for m in summary.draft.prescriptions] == ["atorvastatin"]
    assert summary.draft.not_taking == ()


def test_conditions_and_procedures_carry_traits_and_results() -> None:
    text = pdf_text(render_pdf(view()))

    # (issue 15: the contract's sections; an item's text is the condition as said, a family member's condition
    # is under Family history, never Problems)
    problems = section(text, "Problems", "Medications")
    denied = section(text, "Denied", "Not taking")
    family = section(text, "Family history", "Plan and conditional")
    conditions = problems + denied
    procedures = section(text, "Tests and procedures", "Clinician signature")
    assert "type 2 diabetes" in problems
    assert "chest pain" in denied
    assert "chest pain" not in problems
    assert "colon cancer" not in problems
    assert "family: colon cancer" in family
    assert "HbA1c: 7.2 % — test" in procedures
    assert "colonoscopy — procedure" in procedures
    assert "knee" not in conditions + procedures  # anatomy alone is not listed


def test_header_has_draft_notice_recording_id_and_date() -> None:
    text = pdf_text(render_pdf(view()))

    header = text[: text.index("Needs review")]
    assert "DRAFT — requires clinician review" in header
    assert "rec-2026-0001" in header
    assert "2026-11-22 06:30:15 UTC" in header
    assert "2:05" in header  # 125.4 s


def test_received_at_in_another_zone_is_shown_in_utc() -> None:
    paris = RECEIVED.astimezone(ZoneInfo("Europe/Paris"))

    assert "2026-11-22 06:30:15 UTC" in pdf_text(render_pdf(view(received_at=paris)))


def test_duplicate_mentions_are_listed_once() -> None:
    twice = [medication("ibuprofen", 5, strength="400 mg"), medication("ibuprofen", 50, strength="400 mg")]

    assert len(view(entities=twice).draft.prescriptions) == 1


# ---------------------------------------------------------------------------------------------------------
# escaping, unicode, empty input
# ---------------------------------------------------------------------------------------------------------


def test_html_in_transcript_and_entities_is_shown_literally() -> None:
    # Given text that would be markup if it were not escaped
    transcript = 'Dictated <b>bold</b> & <script>alert("x")</script> <br> end'
    entities = [medication("<i>drug</i>", 3, strength="5 & 10")]

    # When rendered
    html = render_html(view(transcript, entities))
    text = pdf_text(render_pdf(view(transcript, entities)))

    # Then the template escaped it and the PDF shows the characters themselves
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert "<b>" not in html.split("<h2>Transcript</h2>")[1].replace("<p>", "").replace("</p>", "")
    assert 'Dictated <b>bold</b> & <script>alert("x")</script> <br> end' in text
    assert "<i>drug</i>" in section(text, "Medications", "Allergies")
    assert "5 & 10" in section(text, "Medications", "Allergies")


def test_unicode_text_renders_and_unsupported_characters_do_not_leak_into_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Given accented Latin, Greek, Cyrillic, clinical symbols, CJK, and Thai (no shipped font covers it)
    transcript = "Zoë Müller — 5 µg ≥ 3 °C, Ωμέγα, Привет; 你好 กขค end"
    caplog.set_level(logging.DEBUG)

    # When rendered
    text = pdf_text(render_pdf(view(transcript, [medication("Ferrum® ß-Ø", 1, strength="½ tab")])))

    # Then every covered character is drawn, the rest as a visible placeholder, and no log record quotes text
    assert "Zoë Müller — 5 µg ≥ 3 °C, Ωμέγα, Привет; 你好" in text
    assert "Ferrum® ß-Ø" in text
    assert "½" in text
    assert "0.5 tablet" in text
    assert "[U+0E01][U+0E02][U+0E04] end" in text
    assert "\ufffd" not in text
    for record in caplog.records:
        message = record.getMessage()
        assert "你" not in message
        assert "Zoë" not in message
        assert not record.name.startswith("fontTools.subset"), "glyph names used would trace the text"


def test_control_characters_do_not_break_rendering() -> None:
    text = pdf_text(render_pdf(view("start\x00\x07\x1b[31m middle\u200b\ufeff end\r\n")))

    assert "start[31m middle end" in text


def test_empty_transcript_and_no_entities_still_make_a_document() -> None:
    # Given a recording with no speech and nothing detected
    rendered = render(view("", []))

    # When read back
    text = pdf_text(rendered.pdf)

    # Then every section says so (issue 15: every section of the contract, each "None."), all of them on the
    # first page with the signature line (the transcript may follow on a second)
    assert rendered.pages <= 2
    first = pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text()
    assert "Tests and procedures" in first
    assert "Clinician signature" in first
    assert "Medications\nNone." in text
    assert "Not taking\nNone." in text
    assert "(No speech was detected in the recording.)" in text


def test_whitespace_only_transcript_counts_as_no_speech() -> None:
    assert "(No speech was detected in the recording.)" in pdf_text(render_pdf(view("  \n\n \t ", [])))


def test_transcript_paragraphs_are_kept() -> None:
    summary = view("First   paragraph\nstill first.\n\n\nSecond paragraph.", [])

    assert summary.transcript_paragraphs == ["First paragraph still first.", "Second paragraph."]


def test_long_transcript_flows_onto_more_pages() -> None:
    # Given a one-hour dictation's worth of words (~9000)
    rendered = render(view("The patient reports improvement. " * 2250, ENTITIES))

    # Then the page count reported matches the PDF
    assert rendered.pages > 3
    assert rendered.pages == len(pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages)


# ---------------------------------------------------------------------------------------------------------
# determinism and failures
# ---------------------------------------------------------------------------------------------------------


def test_same_input_gives_the_same_bytes() -> None:
    first = render(view())
    second = render(view())

    assert first.pdf == second.pdf
    assert first.sha256 == second.sha256


def test_creation_date_is_received_at() -> None:
    later = RECEIVED + timedelta(days=1, seconds=7)

    one = render_pdf(view())
    other = render_pdf(view(received_at=later))

    assert one != other
    for data, expected in ((one, RECEIVED), (other, later)):
        metadata = pypdf.PdfReader(io.BytesIO(data)).metadata
        assert metadata is not None
        assert metadata.creation_date == expected


def test_render_failure_is_document_render_failed_without_content(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a template that does not exist
    monkeypatch.setattr(document.pdf, "TEMPLATE_NAME", "missing.html.j2")

    # When rendering, Then the named error says what failed, not what the document contained
    with pytest.raises(DocumentRenderFailed) as caught:
        render_pdf(view("secret transcript words"))
    assert "TemplateNotFound" in str(caught.value)
    assert "secret" not in str(caught.value)


def test_malformed_entity_is_invalid_input() -> None:
    broken = medication("x", 0)
    del broken["Category"]

    with pytest.raises(InvalidInput, match="DetectEntitiesV2 shape"):
        view(entities=[ENTITIES[0], broken])


@pytest.mark.parametrize("words", [0, 3000])
def test_count_pages_reads_the_page_tree(words: int) -> None:
    rendered = render(view("The patient reports improvement. " * words))

    assert document.count_pages(rendered.pdf) == rendered.pages
    assert rendered.pages == len(pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages)


def test_count_pages_of_something_else_is_render_failed() -> None:
    with pytest.raises(DocumentRenderFailed):
        document.count_pages(b"%PDF-1.4\n%%EOF")

"""The precompiled summary template (templates/summary.html.j2.py.txt): current, equivalent, never stale."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from draft_notes import orphan_note

from medscribe.logic.document import build_draft, build_summary, pdf

COMPILED = Path(pdf.__file__).resolve().parents[2] / "templates" / pdf.COMPILED_TEMPLATE


def summary() -> pdf.SummaryView:
    note = orphan_note()
    draft = build_draft(note.response, note.text)
    return build_summary(
        "rec-1", "clinic-a", datetime(2026, 11, 22, tzinfo=UTC), 61.0, note.text, draft=draft
    )


def test_the_committed_compiled_template_is_what_jinja2_makes_of_the_current_source() -> None:
    # Given the template source and the pinned jinja2
    # Then the committed file is exactly their compilation (else: run scripts/compile_pdf_template.py)
    assert COMPILED.read_text(encoding="utf-8") == pdf.compiled_template_source()


def test_the_compiled_template_renders_what_the_source_renders() -> None:
    # Given the precompiled template in use (its header matches the source)
    pdf._compiled_template.cache_clear()
    compiled = pdf._compiled_template()
    assert compiled is not None
    # When a draft is rendered through it and through the template compiled from source
    view = pdf._drawable_view(summary())
    from_source = pdf._environment().get_template(pdf.TEMPLATE_NAME).render(view=view)
    # Then the HTML is the same
    assert pdf.render_html(view) == compiled.render(view=view) == from_source


def test_a_template_edited_after_compiling_is_compiled_from_source(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a template source that no longer matches the compiled file's digest
    real = pdf._template_text

    def edited(name: str) -> str:
        text = real(name)
        return (
            text.replace("Clinical summary: prescription draft", "Edited heading")
            if name.endswith(".j2")
            else text
        )

    monkeypatch.setattr(pdf, "_template_text", edited)
    pdf._compiled_template.cache_clear()
    # When the compiled template is asked for, Then it is refused (the stale code would drop the edit)
    try:
        assert pdf._compiled_template() is None
    finally:
        pdf._compiled_template.cache_clear()

"""The PDF's fonts parsed once per process (logic/document/fontcache.py): the same bytes as fpdf2's own
``add_font`` for every script, also for documents rendered at once in threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from fpdf.fonts import TTFFont

from medscribe.logic.document import build_summary, fontcache, fonts, render
from medscribe.logic.document.pdf import WARM_UP_TEXT
from medscribe.models import RecordingDetails

RECEIVED = datetime(2026, 11, 22, 6, 30, 15, tzinfo=UTC)
# Latin with accents, Greek, Cyrillic, the shaped scripts (Arabic, Hebrew, Devanagari: uharfbuzz) and the CJK
# fallback, one name each; then the warm-up text (every font at once), bold headings in each document
SCRIPTS = ["Zoë-Ærøskøbing", "Ελένη", "Иван", "محمد", "שרה", "प्रिया", "王", "さくら", "김민준", WARM_UP_TEXT]


def rendered(name: str) -> bytes:
    details = RecordingDetails(
        recording_id="rec-1", clinician_name=f"Dr. {name}", patient_reference=f"T-{name}"
    )
    view = build_summary(
        "rec-1", "clinic-a", RECEIVED, 61.0, f"Take {name} 10 mg daily.", [], details=details
    )
    return render(view).pdf


def plain_fpdf2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fonts as fpdf2 adds them itself (a parse per document)."""
    monkeypatch.setattr(fontcache, "_shareable", lambda: False)


@pytest.fixture(scope="module")
def with_add_font() -> dict[str, bytes]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        plain_fpdf2(monkeypatch)
        return {name: rendered(name) for name in SCRIPTS}


def test_fpdf2_still_has_the_font_fields_the_copy_handles() -> None:
    # fpdf2 2.8.9's TTFFont: a field added upstream would be shared (or missed) by the copy
    assert frozenset(TTFFont.__slots__) == fontcache.SLOTS


def test_a_pdf_is_byte_for_byte_the_one_fpdf2_makes_in_every_script(with_add_font: dict[str, bytes]) -> None:
    # Given each name rendered with the fonts parsed per document, then with the fonts parsed once, twice
    for name in SCRIPTS:
        first, second = rendered(name), rendered(name)
        # Then the same bytes every time (the creation date is the recording's: no timestamp differs)
        assert first == with_add_font[name], name
        assert second == first, name


def test_documents_rendered_at_once_in_threads_are_the_same_bytes(with_add_font: dict[str, bytes]) -> None:
    # Given every script rendered twice, all at once (the local stack renders concurrent recordings in threads)
    jobs = SCRIPTS * 2
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(rendered, jobs))
    # Then none borrowed another document's font state (subset, descriptor number, fontTools object)
    assert [r == with_add_font[name] for r, name in zip(results, jobs, strict=True)] == [True] * len(jobs)


def test_a_documents_font_is_its_own_copy() -> None:
    from fpdf import FPDF

    a, b = FPDF(), FPDF()
    path = fonts.font_path(fonts.FACES[""])
    for pdf in (a, b):
        fontcache.add_font(pdf, fonts.FAMILY, "", path)
    font_a: Any = a.fonts[fonts.FAMILY]
    font_b: Any = b.fonts[fonts.FAMILY]
    # the per-document parts are not shared, the parsed tables are
    assert font_a.ttfont is not font_b.ttfont
    assert font_a.subset is not font_b.subset
    assert font_a.desc is not font_b.desc
    assert font_a.missing_glyphs is not font_b.missing_glyphs
    assert font_a.cmap is font_b.cmap
    assert font_a.glyph_ids is font_b.glyph_ids
    assert "GSUB" not in font_a.ttfont  # fpdf2 drops the layout tables from every embedded subset anyway


def test_a_documents_font_tables_come_parsed_and_are_its_own() -> None:
    from fpdf import FPDF

    a, b = FPDF(), FPDF()
    path = fonts.font_path(fonts.FACES[""])
    for pdf in (a, b):
        fontcache.add_font(pdf, fonts.FAMILY, "", path)
    ttfont_a: Any = a.fonts[fonts.FAMILY].ttfont
    ttfont_b: Any = b.fonts[fonts.FAMILY].ttfont
    # Given two documents' fontTools objects of one face, before any output: the tables the subsetter reads are
    # there already (not parsed from the file per document), with the glyph names fontTools made up for it
    assert all(ttfont_a.isLoaded(tag) for tag in ("cmap", "glyf", "hmtx"))
    assert ttfont_a.getGlyphOrder() == ttfont_b.getGlyphOrder() != []
    assert ttfont_a.getGlyphOrder() is not ttfont_b.getGlyphOrder()
    # and every part the subsetter rewrites is each document's own: mappings, glyphs, metrics
    for sub_a, sub_b in zip(ttfont_a["cmap"].tables, ttfont_b["cmap"].tables, strict=True):
        assert sub_a is not sub_b
        assert sub_a.cmap is not sub_b.cmap
        assert sub_a.cmap == sub_b.cmap
        assert sub_a.ttFont is ttfont_a
    assert ttfont_a["glyf"].glyphs.keys() == ttfont_b["glyf"].glyphs.keys()
    assert not set(map(id, ttfont_a["glyf"].glyphs.values())) & set(map(id, ttfont_b["glyf"].glyphs.values()))
    assert ttfont_a["hmtx"].metrics == ttfont_b["hmtx"].metrics
    assert ttfont_a["hmtx"].metrics is not ttfont_b["hmtx"].metrics
    # When one document's output subsets its font, the other's tables are whole
    a.add_page()
    a.set_font(fonts.FAMILY, size=10)
    a.write(text="Tobramycin 80 mg")
    a.output()
    assert len(ttfont_b["glyf"].glyphs) > len(ttfont_a["glyf"].glyphs)
    assert ttfont_b.getGlyphOrder() == list(fontcache._parsed(path, 0).glyph_order)

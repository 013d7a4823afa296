"""The in-house PDF writer: text read back exactly (ToUnicode), widths, page tree, byte stability."""

from __future__ import annotations

import io
import re
import zlib
from datetime import UTC, datetime, timedelta

import pypdf
from fontTools.ttLib import TTFont

from medscribe.logic.document import count_pages
from medscribe.logic.document.htmlblocks import Run, Style
from medscribe.logic.document.layout import text_width, wrap
from medscribe.logic.document.pdfwriter import BLACK, PdfDocument, Segment, load_font

CREATED = datetime(2026, 11, 22, 6, 30, 15, tzinfo=UTC)
UNICODE_LINE = "Zoë Müller — 5 µg ≥ 3 °C, ½ tab, Ωμέγα, Привет; “quoted” …"


def document(lines: list[list[Segment]], pages: int = 1, created: datetime = CREATED) -> bytes:
    doc = PdfDocument(title="Clinical summary rec-1", author="medscribe", created=created)
    for _ in range(pages):
        page = doc.add_page()
        for i, segments in enumerate(lines):
            page.text(40, 800 - 14 * i, segments)
        page.rect(30, 30, 100, 20)
    return doc.output()


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_non_ascii_text_reads_back_exactly_through_the_to_unicode_map() -> None:
    # Given a line of accented Latin, symbols, Greek and Cyrillic, and a line mixing bold and regular
    lines = [
        [Segment("regular", 10, BLACK, UNICODE_LINE)],
        [Segment("bold", 10, BLACK, "Low score:"), Segment("regular", 10, (0.2, 0.2, 0.2), " Ærø ß")],
    ]
    # When written and read back with pypdf
    (page,) = text_of(document(lines))
    # Then the characters come back exactly, in order
    assert page.splitlines() == [UNICODE_LINE, "Low score: Ærø ß"]


def test_a_character_outside_the_font_is_drawn_and_read_as_the_replacement_character() -> None:
    (page,) = text_of(document([[Segment("regular", 10, BLACK, "a你b")]]))
    assert page == "a\ufffdb"


def test_the_same_document_gives_the_same_bytes_and_another_date_another_id() -> None:
    # Given one document written twice, and once with another creation date
    lines = [[Segment("regular", 10, BLACK, UNICODE_LINE)]]
    first, second = document(lines), document(lines)
    later = document(lines, created=CREATED + timedelta(seconds=1))
    # Then the bytes are equal, and the other date changes the content-derived file id too
    assert first == second
    ids = [pypdf.PdfReader(io.BytesIO(pdf)).trailer["/ID"][0] for pdf in (first, later)]
    assert ids[0] != ids[1]
    metadata = pypdf.PdfReader(io.BytesIO(first)).metadata
    assert metadata is not None
    assert metadata.creation_date == CREATED
    assert metadata.title == "Clinical summary rec-1"


def test_page_count_is_in_the_uncompressed_page_tree() -> None:
    # Given a three-page document
    pdf = document([[Segment("regular", 10, BLACK, "page")]], pages=3)
    # Then the page tree root says so in the clear, and a reader finds three pages
    assert re.search(rb"/Type /Pages /Kids \[[^\]]*\] /Count 3", pdf)
    assert count_pages(pdf) == 3
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 3


def test_measured_width_is_the_sum_of_the_embedded_glyphs_advances() -> None:
    # Given the font program the PDF embeds, read independently with fontTools
    font = TTFont(io.BytesIO(zlib.decompress(load_font("bold").program())))
    cmap, hmtx, upem = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
    text = "Metformin 500 mg — µg ≥ Привет"
    # When the writer measures a string at 12.5 pt
    measured = load_font("bold").width(text, 12.5)
    # Then it is the sum of the glyphs' advances, scaled to the size
    assert measured == sum(hmtx[cmap[ord(ch)]][0] for ch in text) * 12.5 / upem


def test_the_w_array_gives_each_used_glyph_its_advance_in_thousandths_of_an_em() -> None:
    # Given a document drawing a few characters
    pdf = document([[Segment("regular", 10, BLACK, "Wi µ")]])
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    font = reader.pages[0]["/Resources"]["/Font"]["/F1"].get_object()
    widths = font["/DescendantFonts"][0].get_object()["/W"]
    # Then the W array lists exactly those glyphs (and the space), each with its advance * 1000 / units per em
    metrics = load_font("regular")
    expected = {
        metrics.glyph(ch): metrics.advances[metrics.glyph(ch)] * 1000 / metrics.units_per_em for ch in "Wi µ"
    }
    pairs = {int(widths[i]): float(widths[i + 1][0]) for i in range(0, len(widths), 2)}
    assert pairs.keys() == expected.keys()
    for gid, width in expected.items():
        assert abs(pairs[gid] - width) < 0.01


def test_wrapping_fills_each_line_greedily_within_the_width() -> None:
    # Given a paragraph and a width of 150 pt
    style = Style(size=10)
    words = [
        "The",
        "patient",
        "reports",
        "improvement",
        "of",
        "the",
        "knee",
        "pain",
        "after",
        "two",
        "weeks",
        "of",
        "physiotherapy",
    ]
    lines = wrap([Run(style, " ".join(words))], 150)
    # Then every line fits, no line could have taken the next line's first word, and no word is lost
    assert len(lines) > 2
    for line, following in zip(lines, [*lines[1:], None], strict=True):
        assert text_width(line.text, style) <= 150
        if following is not None:
            assert text_width(line.text + " " + following.text.split()[0], style) > 150
    assert " ".join(line.text for line in lines).split() == words

"""Blocks (``htmlblocks``) drawn with fpdf2's own primitives: ``write`` for styled runs, ``table`` for tables.

Geometry of the clinical draft: A4, 10 mm side and top margins, text never lower than 18 mm above the page
foot, a "Page X of Y" footer on every page. Text is left-aligned, shaped by uharfbuzz (right-to-left runs are
ordered by fpdf2's bidi support), with the Noto fonts of :mod:`.fonts`. A section (``<!-- section -->``) that
would start in the last 35 mm of a page starts on the next one, so a heading is never stranded from its
content; a table's header row repeats on each page it continues on.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from fpdf import FPDF, FontFace

from medscribe.logic.document import fontcache, fonts
from medscribe.logic.document.htmlblocks import (
    RGB,
    Block,
    ListItem,
    Paragraph,
    Run,
    SectionMark,
    Style,
    Table,
)

PT = 25.4 / 72  # mm per point
MARGIN = 10.0  # mm: left, right, top
BOTTOM_MARGIN = 18.0
PAD = 1.0  # text inset from its block's edge
MIN_SECTION_START = 35.0  # a section starting lower than this above the bottom margin goes to the next page
LINE_HEIGHT = 1.2  # line pitch / font size
SPACING = {"h1": (0.0, 0.5), "h2": (5.0, 0.5), "p": (0.0, 1.5)}  # (before, after) in mm
ITEM_SPACING = 1.2
AFTER_LIST = 3.0
BULLET = "\u2022"
BULLET_X = MARGIN + 2.0
ITEM_X = MARGIN + 6.0
BULLET_RGB = (190, 0, 0)
FOOTER_RGB = (90, 90, 90)
_SPACES = re.compile(r"\s+")
# fpdf2 subsets fonts with fontTools at output time; its debug records name the glyphs used, which would trace
# the document's text (PHI) into logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _rgb(color: RGB) -> tuple[int, int, int]:
    return (round(color[0] * 255), round(color[1] * 255), round(color[2] * 255))


class SummaryPdf(FPDF):
    """An A4 fpdf2 document with the draft's footer."""

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(fonts.FAMILY, "", 8)
        self.set_text_color(*FOOTER_RGB)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="C")


def new_document(*, title: str, created: datetime, text: str) -> SummaryPdf:
    """An empty document with metadata, /Lang, shaping on and the fonts ``text`` needs registered."""
    pdf = SummaryPdf(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=BOTTOM_MARGIN)
    pdf.set_creation_date(created)
    pdf.set_title(title)
    pdf.set_author("medscribe")
    pdf.set_creator("medscribe")
    pdf.set_lang("en")
    for style, stem in fonts.FACES.items():
        fontcache.add_font(pdf, fonts.FAMILY, style, fonts.font_path(stem))  # parsed once per process
    needed = fonts.fallbacks_for(text)
    for stem in needed:
        fontcache.add_font(pdf, stem, "", fonts.font_path(stem))
    if needed:
        pdf.set_fallback_fonts(needed, exact_match=False)
    if set(needed) & set(fonts.SHAPED):
        # Joining, reordering and right-to-left runs need uharfbuzz; Latin/Greek/Cyrillic/CJK lines are drawn
        # glyph by glyph (fpdf2's shaped line breaking costs ~0.5 s per page of text).
        pdf.set_text_shaping(True, direction="ltr")
    pdf.add_page()
    return pdf


def _runs(runs: list[Run]) -> list[Run]:
    """Whitespace collapsed as HTML does, trimmed at both ends; empty runs dropped."""
    out = [Run(r.style, _SPACES.sub(" ", r.text)) for r in runs]
    if out:
        out[0] = out[0]._replace(text=out[0].text.lstrip())
        out[-1] = out[-1]._replace(text=out[-1].text.rstrip())
    return [r for r in out if r.text]


class Drawer:
    """Draws blocks top to bottom; ``pdf.y`` is the cursor."""

    def __init__(self, pdf: SummaryPdf) -> None:
        self.pdf = pdf
        self.last: Block | None = None

    def _style(self, style: Style) -> None:
        self.pdf.set_font(fonts.FAMILY, "B" if style.bold else "", style.size)
        self.pdf.set_text_color(*_rgb(style.color))

    def _write(self, runs: list[Run], pitch: float) -> None:
        for run in runs:
            self._style(run.style)
            self.pdf.write(pitch, run.text)

    def blocks(self, blocks: list[Block]) -> None:
        for block in blocks:
            after_list = isinstance(self.last, ListItem) and not isinstance(block, ListItem)
            self.last = block
            if isinstance(block, SectionMark):
                if self.pdf.get_y() > self.pdf.page_break_trigger - MIN_SECTION_START:
                    self.pdf.add_page()
            elif isinstance(block, Paragraph):
                self.paragraph(block, after_list)
            elif isinstance(block, ListItem):
                self.item(block)
            else:
                if after_list:
                    self.pdf.ln(AFTER_LIST)
                self.table(block)

    def paragraph(self, block: Paragraph, after_list: bool) -> None:
        runs = _runs(block.runs)
        if not runs:
            return
        before, after = SPACING.get(block.tag, (0.0, 0.0))
        if after_list:
            before = max(before, AFTER_LIST)
        if self.pdf.get_y() > self.pdf.t_margin:
            self.pdf.ln(before)
        pitch = max(r.style.size for r in runs) * (block.line_height or LINE_HEIGHT) * PT
        self.pdf.set_left_margin(MARGIN + PAD)
        self.pdf.set_x(MARGIN + PAD)
        self._write(runs, pitch)
        self.pdf.ln(pitch + after)
        self.pdf.set_left_margin(MARGIN)

    def item(self, block: ListItem) -> None:
        self.pdf.ln(ITEM_SPACING)
        self.pdf.set_left_margin(ITEM_X)
        for i, line in enumerate(block.lines):
            runs = _runs(line)
            pitch = max((r.style.size for r in runs), default=10.0) * LINE_HEIGHT * PT
            if i == 0:
                if self.pdf.will_page_break(pitch):
                    self.pdf.add_page()
                self.pdf.set_x(BULLET_X)
                self.pdf.set_font(fonts.FAMILY, "", 10)
                self.pdf.set_text_color(*BULLET_RGB)
                self.pdf.cell(ITEM_X - BULLET_X, pitch, BULLET)
            else:
                self.pdf.set_x(ITEM_X)
            self._write(runs, pitch)
            self.pdf.ln(pitch)
        self.pdf.set_left_margin(MARGIN)

    def table(self, table: Table) -> None:
        rows = table.head + table.body
        if not rows:
            return
        widths = next(
            (
                [c.width_pct or 0.0 for c in row]
                for row in rows
                if row and all(c.width_pct and c.colspan == 1 for c in row)
            ),
            None,
        )
        self.pdf.set_x(MARGIN)
        with self.pdf.table(
            width=self.pdf.epw,
            col_widths=tuple(widths) if widths else None,
            borders_layout="ALL" if table.border else "NONE",
            first_row_as_headings=bool(table.head),
            headings_style=FontFace(emphasis="BOLD", fill_color=None),
            line_height=10 * 1.3 * PT,
            padding=max(table.padding_mm, PAD) if table.border else (0.5, PAD),
            text_align="LEFT",
            v_align="MIDDLE",
            align="LEFT",
            repeat_headings=1,
        ) as drawn:
            for row in rows:
                out = drawn.row()
                for cell in row:
                    runs = _runs(cell.runs)
                    style = runs[0].style if runs else Style()
                    face = FontFace(
                        emphasis="BOLD" if style.bold else None, size_pt=style.size, color=_rgb(style.color)
                    )
                    out.cell(
                        "".join(r.text for r in runs),
                        colspan=cell.colspan,
                        rowspan=cell.rowspan,
                        style=face,
                    )
        self.pdf.ln(1.5)

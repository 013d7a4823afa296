"""Blocks (``htmlblocks``) -> pages of a :class:`PdfDocument`: greedy word wrapping, page breaks, tables.

Geometry of the clinical draft: A4, 10 mm side and top margins, text never lower than 18 mm above the page
foot, a "Page X of Y" footer on every page. Text is left-aligned and never justified; a word wider than its
line is broken between characters. A section (``<!-- section -->``) that would start in the last 35 mm of a
page starts on the next one, so a heading is never stranded from its content. A table row and the rows its
``rowspan`` cells cover (a prescription and its evidence) stay on one page; the header row repeats on each
page the table continues on.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from medscribe.logic.document.htmlblocks import (
    Block,
    Cell,
    ListItem,
    Paragraph,
    Run,
    SectionMark,
    Style,
    Table,
)
from medscribe.logic.document.pdfwriter import A4, PdfDocument, Segment, load_font

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 10 * MM  # left, right and top
BOTTOM = PAGE_HEIGHT - 18 * MM  # lowest text line bottom, measured from the top
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
PAD = 1 * MM  # text inset from its block's or cell's edge
MIN_SECTION_START = 35 * MM  # a section starting lower than this above BOTTOM goes to the next page
LINE_HEIGHT = 1.2  # line pitch / font size, paragraphs and list items
CELL_LINE_HEIGHT = 1.3  # in table cells
SPACING = {"h1": (0.0, 1.0), "h2": (5 * MM, 1.0), "p": (0.0, 1.5 * MM)}  # (before, after) in points
ITEM_SPACING = 1.2 * MM
AFTER_LIST = 3 * MM  # before a paragraph that follows a list
BULLET = "\u2022"
BULLET_X = MARGIN + 2 * MM
ITEM_X = MARGIN + 6 * MM
BULLET_STYLE = Style(color=(190 / 255, 0.0, 0.0))
FOOTER_STYLE = Style(size=8.0, color=(90 / 255, 90 / 255, 90 / 255))
FOOTER_BASELINE = 23.11  # points above the page foot
_WHITESPACE = re.compile(r"(\s+)")


def _face(style: Style) -> str:
    return "bold" if style.bold else "regular"


def text_width(text: str, style: Style) -> float:
    return load_font(_face(style)).width(text, style.size)


class Line:
    """One wrapped line: its styled pieces and the largest font size on it."""

    __slots__ = ("pieces", "size")

    def __init__(self, pieces: list[tuple[Style, str]], size: float) -> None:
        self.pieces, self.size = pieces, size

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.pieces)


class _Word:
    __slots__ = ("pieces", "space")

    def __init__(self, space: Style | None, pieces: list[tuple[Style, str]]) -> None:
        self.space = space  # the style of the space before it, None at the start of the text
        self.pieces = pieces


def _words(runs: list[Run]) -> list[_Word]:
    words: list[_Word] = []
    current: _Word | None = None
    space: Style | None = None
    for run in runs:
        for part in _WHITESPACE.split(run.text):
            if not part:
                continue
            if part.isspace():
                space, current = (run.style if words else None), None
                continue
            if current is None:
                current = _Word(space, [])
                words.append(current)
                space = None
            current.pieces.append((run.style, part))
    return words


def _break_word(pieces: list[tuple[Style, str]], width: float) -> list[list[tuple[Style, str]]]:
    """A word wider than a line, cut between characters into pieces that each fit."""
    chunks: list[list[tuple[Style, str]]] = [[]]
    used = 0.0
    for style, text in pieces:
        for ch in text:
            w = text_width(ch, style)
            if used + w > width and chunks[-1]:
                chunks.append([])
                used = 0.0
            chunks[-1].append((style, ch))
            used += w
    return chunks


def wrap(runs: list[Run], width: float, base: Style | None = None) -> list[Line]:
    """Greedy word wrapping of styled runs into lines no wider than ``width`` points (left-aligned)."""
    lines: list[list[tuple[Style, str]]] = []
    line: list[tuple[Style, str]] = []
    used = 0.0
    for word in _words(runs):
        word_width = sum(text_width(t, s) for s, t in word.pieces)
        space = [(word.space, " ")] if word.space is not None and line else []
        space_width = text_width(" ", word.space) if space and word.space is not None else 0.0
        if line and used + space_width + word_width <= width:
            line += space + word.pieces
            used += space_width + word_width
            continue
        if line:
            lines.append(line)
        line, used = [], 0.0
        if word_width <= width:
            line, used = list(word.pieces), word_width
            continue
        *full, last = _break_word(word.pieces, width)
        lines += full
        line, used = last, sum(text_width(t, s) for s, t in last)
    if line:
        lines.append(line)
    fallback = (base or Style()).size
    return [Line(_merge(pieces), max((s.size for s, _ in pieces), default=fallback)) for pieces in lines]


def _merge(pieces: list[tuple[Style, str]]) -> list[tuple[Style, str]]:
    merged: list[tuple[Style, str]] = []
    for style, text in pieces:
        if merged and merged[-1][0] == style:
            merged[-1] = (style, merged[-1][1] + text)
        else:
            merged.append((style, text))
    return merged


class Layout:
    """Lays blocks out top to bottom onto new pages of ``document``; ``y`` is measured from the page top."""

    def __init__(self, document: PdfDocument, styles: dict[str, Style]) -> None:
        self.document = document
        self.styles = styles
        self.page = document.add_page()
        self.y = MARGIN
        self.last: Block | None = None
        self.after_list = False

    def new_page(self) -> None:
        self.page = self.document.add_page()
        self.y = MARGIN

    def fits(self, height: float) -> bool:
        return self.y + height <= BOTTOM or self.y <= MARGIN

    def draw(self, x: float, top: float, pitch: float, line: Line) -> None:
        baseline = top + 0.5 * pitch + 0.3 * line.size
        segments = [Segment(_face(s), s.size, s.color, t) for s, t in line.pieces]
        self.page.text(x, PAGE_HEIGHT - baseline, segments)

    def blocks(self, blocks: list[Block]) -> None:
        for block in blocks:
            self.after_list = isinstance(self.last, ListItem) and not isinstance(block, ListItem)
            self.last = block
            if isinstance(block, SectionMark):
                if self.y > BOTTOM - MIN_SECTION_START:
                    self.new_page()
            elif isinstance(block, Paragraph):
                self.paragraph(block)
            elif isinstance(block, ListItem):
                self.item(block)
            else:
                self.table(block)

    def paragraph(self, block: Paragraph) -> None:
        lines = wrap(block.runs, CONTENT_WIDTH - 2 * PAD, self.styles.get(block.tag))
        if not lines:
            return
        before, after = SPACING.get(block.tag, (0.0, 0.0))
        if self.after_list:
            before = max(before, AFTER_LIST)
        self.y += before if self.y > MARGIN else 0.0
        for line in lines:
            pitch = line.size * (block.line_height or LINE_HEIGHT)
            if not self.fits(pitch):
                self.new_page()
            self.draw(MARGIN + PAD, self.y, pitch, line)
            self.y += pitch
        self.y += after

    def item(self, block: ListItem) -> None:
        self.y += ITEM_SPACING
        first = True
        for runs in block.lines:
            for line in wrap(runs, PAGE_WIDTH - MARGIN - PAD - ITEM_X):
                pitch = line.size * LINE_HEIGHT
                if not self.fits(pitch):
                    self.new_page()
                if first:
                    bullet = Line([(BULLET_STYLE, BULLET)], BULLET_STYLE.size)
                    self.draw(BULLET_X, self.y + 0.3 * (line.size - bullet.size), pitch, bullet)
                    first = False
                self.draw(ITEM_X, self.y, pitch, line)
                self.y += pitch

    def table(self, table: Table) -> None:
        grid = _Grid(table)
        head = grid.height(range(len(table.head)))
        groups = grid.groups()
        if groups and not self.fits(head + grid.height(groups[0])):
            self.new_page()
        self.rows(grid, range(len(table.head)))
        for rows in groups:
            if not self.fits(grid.height(rows)):
                self.new_page()
                self.rows(grid, range(len(table.head)))
            self.rows(grid, rows)

    def rows(self, grid: _Grid, rows: range) -> None:
        for placed in grid.cells:
            if placed.row in rows:
                self.cell(grid, placed, rows.start)
        self.y += grid.height(rows)

    def cell(self, grid: _Grid, placed: _Placed, first_row: int) -> None:
        top = self.y + grid.height(range(first_row, placed.row))
        height = grid.height(range(placed.row, placed.row + placed.cell.rowspan))
        x = MARGIN + sum(grid.widths[: placed.column])
        width = sum(grid.widths[placed.column : placed.column + placed.cell.colspan])
        if grid.table.border:
            self.page.rect(x, PAGE_HEIGHT - top - height, width, height)
        lines = grid.lines[id(placed)]
        line_top = top + (height - sum(line.size * CELL_LINE_HEIGHT for line in lines)) / 2
        for line in lines:
            pitch = line.size * CELL_LINE_HEIGHT
            self.draw(x + PAD, line_top, pitch, line)
            line_top += pitch


class _Placed(NamedTuple):
    row: int  # index over head rows then body rows
    column: int
    cell: Cell


class _Grid:
    """A table's cells placed on columns (rowspan / colspan resolved), their wrapped lines, row heights."""

    def __init__(self, table: Table) -> None:
        self.table = table
        rows = table.head + table.body
        self.widths = _column_widths(rows)
        self.cells: list[_Placed] = []
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            column = 0
            for cell in row:
                while (r, column) in taken:
                    column += 1
                self.cells.append(_Placed(r, column, cell))
                taken |= {(r + i, column + j) for i in range(cell.rowspan) for j in range(cell.colspan)}
                column += cell.colspan
        padding = table.padding_mm * MM
        self.lines: dict[int, list[Line]] = {}
        self.heights = [0.0] * len(rows)
        needs: list[tuple[_Placed, float]] = []
        for placed in self.cells:
            width = sum(self.widths[placed.column : placed.column + placed.cell.colspan]) - 2 * PAD
            lines = wrap(placed.cell.runs, width) or [Line([], 10.0)]
            self.lines[id(placed)] = lines
            needs.append((placed, 2 * padding + sum(line.size * CELL_LINE_HEIGHT for line in lines)))
        for placed, need in sorted(needs, key=lambda n: n[0].cell.rowspan):
            last = min(placed.row + placed.cell.rowspan, len(rows)) - 1
            have = sum(self.heights[placed.row : last + 1])
            if need > have:
                self.heights[last] += need - have
        self.spans = [(p.row, min(p.row + p.cell.rowspan, len(rows))) for p in self.cells]

    def height(self, rows: range) -> float:
        return sum(self.heights[r] for r in rows)

    def groups(self) -> list[range]:
        """Body rows in runs that rowspan cells tie together (each kept on one page)."""
        groups: list[range] = []
        start = len(self.table.head)
        end = start
        for row in range(start, len(self.heights)):
            end = max([end, row + 1] + [stop for first, stop in self.spans if first == row])
            if row + 1 == end:
                groups.append(range(start, end))
                start = end
        return groups


def _column_widths(rows: list[list[Cell]]) -> list[float]:
    """Column widths in points from the first row whose every cell gives a width (else equal columns)."""
    columns = max((sum(c.colspan for c in row) for row in rows), default=1)
    for row in rows:
        if row and all(c.width_pct is not None and c.colspan == 1 for c in row) and len(row) == columns:
            return [CONTENT_WIDTH * (c.width_pct or 0.0) / 100 for c in row]
    return [CONTENT_WIDTH / columns] * columns


def footer(document: PdfDocument) -> None:
    """ "Page X of Y", centred at the foot of every page."""
    total = len(document.pages)
    for number, page in enumerate(document.pages, start=1):
        text = f"Page {number} of {total}"
        x = (PAGE_WIDTH - text_width(text, FOOTER_STYLE)) / 2
        page.text(x, FOOTER_BASELINE, [Segment("regular", FOOTER_STYLE.size, FOOTER_STYLE.color, text)])

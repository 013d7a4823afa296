"""The template's HTML (a small subset) -> blocks to lay out, with the stdlib ``html.parser``.

Understood: ``h1``, ``h2``, ``p`` (``line-height``), ``ul``/``li``, ``br``, ``b``, ``font`` (``size`` in points,
``color`` as ``#RRGGBB``), ``table``/``thead``/``tbody``/``tr``/``th``/``td`` (``width`` in %, ``rowspan``,
``colspan``, table ``border`` and ``cellpadding`` in mm), and the ``<!-- section -->`` mark. Whitespace
collapses as in HTML; character references are already decoded by the parser, so escaped transcript text
(``&lt;b&gt;``) is drawn as the characters themselves.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import NamedTuple

RGB = tuple[float, float, float]  # 0..1 per channel
BLACK: RGB = (0.0, 0.0, 0.0)

SECTION_COMMENT = "section"


# Plain classes and NamedTuples, not dataclasses: this module is imported at RenderPdf's cold start, where
# each dataclass costs ~2 ms to create (python3.12).
class Style(NamedTuple):
    bold: bool = False
    size: float = 10.0
    color: RGB = BLACK


class Run(NamedTuple):
    style: Style
    text: str


class Paragraph:
    __slots__ = ("line_height", "runs", "tag")

    def __init__(self, tag: str, line_height: float | None = None) -> None:
        self.tag = tag  # h1, h2, p
        self.runs: list[Run] = []
        self.line_height = line_height


class ListItem:
    __slots__ = ("lines",)

    def __init__(self) -> None:
        self.lines: list[list[Run]] = [[]]  # split at <br>


class Cell:
    __slots__ = ("colspan", "header", "rowspan", "runs", "width_pct")

    def __init__(
        self, *, header: bool = False, width_pct: float | None = None, colspan: int = 1, rowspan: int = 1
    ) -> None:
        self.runs: list[Run] = []
        self.header, self.width_pct, self.colspan, self.rowspan = header, width_pct, colspan, rowspan


class Table:
    __slots__ = ("body", "border", "head", "padding_mm")

    def __init__(self, border: bool, padding_mm: float) -> None:
        self.border, self.padding_mm = border, padding_mm
        self.head: list[list[Cell]] = []
        self.body: list[list[Cell]] = []


class SectionMark:
    __slots__ = ()


Block = Paragraph | ListItem | Table | SectionMark


def parse_color(value: str) -> RGB:
    value = value.strip().lstrip("#")
    if len(value) != 6:
        return BLACK
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


class _Parser(HTMLParser):
    def __init__(self, styles: dict[str, Style]) -> None:
        super().__init__(convert_charrefs=True)
        self.styles = styles
        self.blocks: list[Block] = []
        self.style_stack: list[Style] = [Style()]
        self.target: list[Run] | None = None  # where text goes now
        self.item: ListItem | None = None
        self.table: Table | None = None
        self.section = "body"

    def _push(self, style: Style) -> None:
        self.style_stack.append(style)

    def _pop(self) -> None:
        if len(self.style_stack) > 1:
            self.style_stack.pop()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        style = self.style_stack[-1]
        if tag in ("h1", "h2", "p"):
            paragraph = Paragraph(tag, line_height=float(a["line-height"]) if "line-height" in a else None)
            self.blocks.append(paragraph)
            self.target = paragraph.runs
            self._push(self.styles.get(tag, Style()))
        elif tag == "li":
            self.item = ListItem()
            self.blocks.append(self.item)
            self.target = self.item.lines[-1]
            self._push(self.styles.get(tag, Style()))
        elif tag == "br" and self.item is not None:
            self.item.lines.append([])
            self.target = self.item.lines[-1]
        elif tag == "b":
            self._push(style._replace(bold=True))
        elif tag == "font":
            size = float(a["size"]) if "size" in a else style.size
            color = parse_color(a["color"]) if "color" in a else style.color
            self._push(style._replace(size=size, color=color))
        elif tag == "table":
            self.table = Table(border=a.get("border", "0") != "0", padding_mm=float(a.get("cellpadding", 0)))
            self.blocks.append(self.table)
        elif tag in ("thead", "tbody"):
            self.section = "head" if tag == "thead" else "body"
        elif tag == "tr" and self.table is not None:
            (self.table.head if self.section == "head" else self.table.body).append([])
        elif tag in ("td", "th") and self.table is not None:
            rows = self.table.head if self.section == "head" else self.table.body
            width = a.get("width", "").rstrip("%")
            cell = Cell(
                header=tag == "th",
                width_pct=float(width) if width else None,
                colspan=int(a.get("colspan") or 1),
                rowspan=int(a.get("rowspan") or 1),
            )
            rows[-1].append(cell)
            self.target = cell.runs
            self._push(style._replace(bold=True) if tag == "th" else style)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "p", "li", "td", "th"):
            self.target = None
            self._pop()
            if tag == "li":
                self.item = None
        elif tag in ("b", "font"):
            self._pop()
        elif tag == "table":
            self.table = None
        elif tag == "thead":
            self.section = "body"

    def handle_data(self, data: str) -> None:
        if self.target is not None and data:
            self.target.append(Run(self.style_stack[-1], data))

    def handle_comment(self, data: str) -> None:
        if data.strip() == SECTION_COMMENT:
            self.blocks.append(SectionMark())


def parse(html: str, styles: dict[str, Style]) -> list[Block]:
    """The blocks of ``html``, in order; ``styles`` gives each block tag's base style."""
    parser = _Parser(styles)
    parser.feed(html)
    parser.close()
    return parser.blocks

"""A minimal PDF 1.7 writer: pages of text lines, rectangles and lines, with embedded TrueType fonts.

Just what the clinical draft needs, and fast to import (stdlib only):

- Fonts are Type0 / CIDFontType2 with Identity-H encoding (two-byte glyph ids as character codes) and
  CIDToGIDMap /Identity. The font program is the pre-built subset of ``templates/fonts/<face>.ttf.z``
  (``scripts/build_pdf_fonts.py``), embedded as is, already Flate-compressed: nothing is parsed or subset at
  run time. The W array and the ToUnicode CMap list only the glyphs a document uses, so text extraction
  (pypdf, copy and paste, screen readers) gives back the characters drawn.
- Text is drawn as ``BT /F1 10 Tf r g b rg x y Td <glyph ids> Tj ET`` (one text object per line; a style
  change inside a line is a Tf / rg between two Tj); table borders as stroked rectangles. No word or character
  spacing operators: text is set left-aligned with its natural spaces.
- Streams are zlib-compressed (deterministic); the page tree root stays uncompressed with its /Count
  (``count_pages`` reads it); the file /ID is derived from the content, so the same input gives the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import zlib
from datetime import UTC, datetime
from importlib import resources
from typing import Any, NamedTuple

A4 = (595.28, 841.89)  # points
REPLACEMENT_CHARACTER = 0xFFFD
RGB = tuple[float, float, float]
BLACK: RGB = (0.0, 0.0, 0.0)


class _Advances(dict[str, int]):
    """Character -> advance width; a character the face lacks is drawn (and measured) as U+FFFD."""

    def __init__(self, advances: dict[str, int], fallback: int) -> None:
        super().__init__(advances)
        self.fallback = fallback

    def __missing__(self, key: str) -> int:
        return self.fallback


class FontMetrics:
    """One embedded face: character -> glyph map, advances, and its descriptor values (font units).

    (Plain classes, not dataclasses, in this module: it is imported at RenderPdf's cold start.)
    """

    def __init__(self, face: str, raw: dict[str, Any]) -> None:
        self.face = face
        self.postscript_name: str = raw["postscript_name"]
        self.units_per_em: int = raw["units_per_em"]
        self.ascent: int = raw["ascent"]
        self.descent: int = raw["descent"]
        self.cap_height: int = raw["cap_height"]
        self.bbox: tuple[int, int, int, int] = tuple(raw["bbox"])
        self.italic_angle: float = raw["italic_angle"]
        self.flags: int = raw["flags"]
        self.stem_v: int = raw["stem_v"]
        self.missing_width: int = raw["missing_width"]
        self.length1: int = raw["length1"]
        glyphs = raw["glyphs"]
        self.cmap: dict[int, int] = {cp: gid for cp, gid, _ in glyphs}
        self.advances: dict[int, int] = {gid: adv for _, gid, adv in glyphs}  # glyph id -> advance width
        replacement = self.cmap.get(REPLACEMENT_CHARACTER, 0)
        self._replacement = replacement
        self._char_advances = _Advances(
            {chr(cp): adv for cp, _, adv in glyphs}, self.advances.get(replacement, self.missing_width)
        )

    def glyph(self, ch: str) -> int:
        return self.cmap.get(ord(ch), self._replacement)

    def width(self, text: str, size: float) -> float:
        """Width in points of ``text`` set at ``size`` points: the sum of the glyphs' advances."""
        return sum(map(self._char_advances.__getitem__, text)) * size / self.units_per_em

    def program(self) -> bytes:
        """The zlib-compressed TrueType program (a FontFile2 stream's data with /Filter /FlateDecode)."""
        return _font_file(f"{self.face}.ttf.z")


def _font_file(name: str) -> bytes:
    return resources.files("medscribe").joinpath("templates", "fonts", name).read_bytes()


@functools.cache
def load_font(face: str) -> FontMetrics:
    """The metrics of ``templates/fonts/<face>.json`` (``regular`` or ``bold``)."""
    return FontMetrics(face, json.loads(_font_file(f"{face}.json")))


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text_string(text: str) -> str:
    """A PDF text string (UTF-16BE with BOM) for the Info dictionary."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class _UsedFont:
    __slots__ = ("glyphs", "metrics", "resource")

    def __init__(self, resource: str, metrics: FontMetrics) -> None:
        self.resource = resource  # F1, F2, ...
        self.metrics = metrics
        self.glyphs: dict[int, int] = {}  # glyph id -> first code point drawn with it


class Segment(NamedTuple):
    """A piece of one text line in one font, size and colour."""

    face: str
    size: float
    color: RGB
    text: str


class Page:
    """Drawing operations of one page, in points with the origin at the bottom left (PDF user space)."""

    def __init__(self, document: PdfDocument) -> None:
        self._document = document
        self.ops: list[str] = []

    def text(self, x: float, y: float, segments: list[Segment]) -> None:
        """One line starting at (x, baseline y): its segments follow each other at their natural widths."""
        parts = ["BT"]
        face: str | None = None
        size: float | None = None
        color: RGB | None = None
        positioned = False
        for segment in segments:
            if (segment.face, segment.size) != (face, size):
                font = self._document.font(segment.face)
                parts.append(f"/{font.resource} {_num(segment.size)} Tf")
                face, size = segment.face, segment.size
            if segment.color != color:
                parts.append(" ".join(_num(c) for c in segment.color) + " rg")
                color = segment.color
            if not positioned:
                parts.append(f"{_num(x)} {_num(y)} Td")
                positioned = True
            parts.append(f"<{self._document.encode(segment.face, segment.text)}> Tj")
        parts.append("ET")
        self.ops.append(" ".join(parts))

    def rect(self, x: float, y: float, width: float, height: float) -> None:
        """A stroked rectangle with its lower left corner at (x, y)."""
        self.ops.append(f"{_num(x)} {_num(y)} {_num(width)} {_num(height)} re S")

    def content(self) -> bytes:
        return ("0.57 w 0 G\n" + "\n".join(self.ops) + "\n").encode("ascii")


class PdfDocument:
    """Pages, the fonts they use, and the Info dictionary; :meth:`output` serialises it all."""

    def __init__(self, *, title: str, author: str, created: datetime, size: tuple[float, float] = A4) -> None:
        self.title, self.author, self.created, self.size = title, author, created, size
        self.pages: list[Page] = []
        self._fonts: dict[str, _UsedFont] = {}

    def add_page(self) -> Page:
        page = Page(self)
        self.pages.append(page)
        return page

    def font(self, face: str) -> _UsedFont:
        if face not in self._fonts:
            self._fonts[face] = _UsedFont(f"F{len(self._fonts) + 1}", load_font(face))
        return self._fonts[face]

    def encode(self, face: str, text: str) -> str:
        """Hex glyph ids of ``text`` (Identity-H), remembering each glyph for the W array and ToUnicode."""
        used = self.font(face)
        out = []
        for ch in text:
            gid = used.metrics.glyph(ch)
            used.glyphs.setdefault(gid, ord(ch) if ord(ch) in used.metrics.cmap else REPLACEMENT_CHARACTER)
            out.append(f"{gid:04X}")
        return "".join(out)

    def output(self) -> bytes:
        return _Serializer(self).run()


class _Serializer:
    def __init__(self, document: PdfDocument) -> None:
        self.document = document
        self.objects: list[bytes] = []

    def reserve(self) -> int:
        self.objects.append(b"")
        return len(self.objects)

    def put(self, number: int, body: str | bytes) -> int:
        self.objects[number - 1] = body.encode("latin-1") if isinstance(body, str) else body
        return number

    def add(self, body: str | bytes) -> int:
        return self.put(self.reserve(), body)

    def stream(self, data: bytes, extra: str = "", *, compress: bool = True) -> int:
        if compress:
            data = zlib.compress(data, 6)
            extra += " /Filter /FlateDecode"
        return self.add(
            f"<< /Length {len(data)}{extra} >>\nstream\n".encode("latin-1") + data + b"\nendstream"
        )

    def run(self) -> bytes:
        doc = self.document
        catalog, pages_root = self.reserve(), self.reserve()
        page_ids = []
        content_ids = [self.stream(page.content()) for page in doc.pages]
        fonts = " ".join(f"/{u.resource} {self.font(u)} 0 R" for u in doc._fonts.values())
        width, height = doc.size
        for content in content_ids:
            page_ids.append(
                self.add(
                    f"<< /Type /Page /Parent {pages_root} 0 R /MediaBox [0 0 {_num(width)} {_num(height)}]"
                    f" /Resources << /Font << {fonts} >> >> /Contents {content} 0 R >>"
                )
            )
        kids = " ".join(f"{p} 0 R" for p in page_ids)
        self.put(pages_root, f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>")
        self.put(catalog, f"<< /Type /Catalog /Pages {pages_root} 0 R >>")
        created = doc.created.astimezone(UTC).strftime("D:%Y%m%d%H%M%SZ")
        info = self.add(
            f"<< /Title {_text_string(doc.title)} /Author {_text_string(doc.author)} /Producer (medscribe)"
            f" /CreationDate ({created}) >>"
        )
        return self.finish(catalog, info)

    def font(self, used: _UsedFont) -> int:
        m = used.metrics
        used.glyphs.setdefault(m.glyph(" "), 0x20)  # readers measure word gaps with the space's width
        scale = 1000 / m.units_per_em
        name = f"{'MSDJV' + ('B' if m.face == 'bold' else 'R')}+{m.postscript_name}"
        program = m.program()
        file_id = self.stream(program, f" /Length1 {m.length1} /Filter /FlateDecode", compress=False)
        bbox = " ".join(_num(v * scale) for v in m.bbox)
        descriptor = self.add(
            f"<< /Type /FontDescriptor /FontName /{name} /Flags {m.flags} /FontBBox [{bbox}]"
            f" /ItalicAngle {_num(m.italic_angle)} /Ascent {_num(m.ascent * scale)}"
            f" /Descent {_num(m.descent * scale)} /CapHeight {_num(m.cap_height * scale)} /StemV {m.stem_v}"
            f" /MissingWidth {_num(m.missing_width * scale)} /FontFile2 {file_id} 0 R >>"
        )
        gids = sorted(used.glyphs)
        widths = " ".join(f"{g} [{_num(m.advances.get(g, m.missing_width) * scale)}]" for g in gids)
        cid_font = self.add(
            f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name}"
            " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
            f" /FontDescriptor {descriptor} 0 R /DW {_num(m.missing_width * scale)} /W [{widths}]"
            " /CIDToGIDMap /Identity >>"
        )
        to_unicode = self.stream(_to_unicode_cmap(used.glyphs))
        return self.add(
            f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H"
            f" /DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>"
        )

    def finish(self, catalog: int, info: int) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode("ascii") + body + b"\nendobj\n"
        file_id = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest().upper()
        xref = len(out)
        out += f"xref\n0 {len(self.objects) + 1}\n0000000000 65535 f \n".encode("ascii")
        out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode("ascii")
        out += (
            f"trailer\n<< /Size {len(self.objects) + 1} /Root {catalog} 0 R /Info {info} 0 R"
            f" /ID [<{file_id}> <{file_id}>] >>\nstartxref\n{xref}\n%%EOF\n"
        ).encode("ascii")
        return bytes(out)


def _to_unicode_cmap(glyphs: dict[int, int]) -> bytes:
    """A ToUnicode CMap mapping each used glyph id back to the character it was drawn for."""
    entries = sorted(glyphs.items())
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{gid:04X}> <{cp:04X}>" for gid, cp in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return ("\n".join(lines) + "\n").encode("ascii")

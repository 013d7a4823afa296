"""The PDF's fonts parsed once per process, not once per document (a warm Lambda container reuses them too).

fpdf2 2.8.9 has no API to share a parsed font between documents: ``FPDF.add_font`` opens the file with
fontTools and reads its cmap, metrics and names into a ``TTFFont`` for every document, and at output the
subsetter rewrites that fontTools object in place, so neither can serve a second document. Here each face is
added once to a throw-away document (the prototype: fpdf2's own ``add_font``, with its checks), and each
document gets a copy of it whose per-document parts are fresh, as ``TTFFont.__init__`` makes them:

- shared, read-only: the cmap, the glyph ids and widths (``cw``: a lookup of a character the font lacks adds
  the font's default width, the same for every document), the descriptor, name, metrics;
- fresh: the document's font index ``i``, its fontTools object (lazily opened from the same file, as
  fpdf2 opens it), the glyph subset map, the missing-glyph list, the biggest size used, the HarfBuzz font,
  and the font descriptor (output numbers it and names its subset on the object itself: documents rendered
  at once in threads must not share it).

The fresh fontTools object is opened without its layout tables (GDEF, GSUB, GPOS): fpdf2 drops them from every
embedded subset (``output._add_fonts``: ``drop_tables``) and shapes text with HarfBuzz from the font file,
but fontTools' subsetter decompiled them first (~20% of a render). It is also given what every document's
subset would otherwise parse again from the same file (~75% of the subsetter's CPU; docs/throughput.md):

- its glyph order: the Noto files carry no glyph names (``post`` format 3), so fontTools made them up from the
  cmap for each document (decompiling the cmap, naming each glyph, then dropping that cmap);
- its cmap, decompiled once per file with those names; each document gets its own subtables and mappings (the
  subsetter replaces them with the subset's), sharing nothing it could change;
- its ``glyf`` table as fontTools' lazy decompile makes it (a ``Glyph`` per glyph holding its raw bytes, expanded
  only when used), new ``Glyph`` objects per document from the raw bytes kept once; its ``hmtx`` metrics, a
  copy of the dictionary.

Memory: one parsed copy of these tables per font file used, bounded by the shipped files (measured with
tracemalloc: ~2 MB for Noto Sans regular, ~1 MB bold, ~14 MB for the CJK file). The PDF is byte-for-byte the one
``add_font`` makes (tests/unit/test_pdf_fontcache.py); ``SLOTS`` pins the ``TTFFont`` fields this handles,
and a font this does not cover (CFF, variable, colour) takes ``add_font`` itself.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import threading
from pathlib import Path
from typing import Any

from fontTools import ttLib
from fontTools.ttLib.tables._g_l_y_f import Glyph
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

# TTFFont.__slots__ of fpdf2 2.8.9: a field added or removed upstream is one this copy may not handle.
SLOTS = frozenset(
    {
        "i", "type", "name", "desc", "glyph_ids", "_hbfont", "sp", "ss", "up", "ut", "cw", "ttffile", "fontkey",
        "emphasis", "scale", "subset", "cmap", "ttfont", "missing_glyphs", "biggest_size_pt", "color_font",
        "unicode_range", "palette_index", "is_compressed", "is_cff", "is_cid_keyed", "is_symbol", "cff_ros",
        "collection_font_number",
    }
)  # fmt: skip
LAYOUT_TABLES = ("GDEF", "GSUB", "GPOS")  # dropped by fpdf2 from every embedded subset
_lock = threading.Lock()


@functools.cache
def _shareable() -> bool:
    return frozenset(TTFFont.__slots__) == SLOTS


def _prototype(family: str, style: str, path: Path) -> TTFFont | None:
    """The face parsed once (``None``: one this module does not copy)."""
    with _lock:
        return _prototype_locked(family, style, path)


@functools.cache
def _prototype_locked(family: str, style: str, path: Path) -> TTFFont | None:
    scratch = FPDF()
    scratch.add_font(family, style, path)
    font = next(iter(scratch.fonts.values()), None)  # none: a core font's name, which add_font refuses
    if not isinstance(font, TTFFont) or font.is_cff or font.is_compressed or font.color_font is not None:
        return None
    if ".notdef" not in ttLib.TTFont(path, lazy=True).getGlyphOrder():
        return None  # add_font draws a .notdef into the document's own fontTools object
    return font


@dataclasses.dataclass(frozen=True)
class _Parsed:
    """What a document's fontTools object would parse from a font file, parsed once (read-only once built)."""

    glyph_order: tuple[str, ...]
    cmap: Any  # the decompiled ``cmap`` table, None when the file has none
    glyphs: tuple[tuple[str, bytes], ...] | None  # each glyph's name and raw ``glyf`` data, in glyph order
    metrics: dict[str, tuple[int, int]] | None  # ``hmtx``: advance width and left side bearing per glyph


def _parsed(path: str | Path, font_number: int) -> _Parsed:
    with _lock:
        return _parsed_locked(str(path), font_number)


@functools.cache
def _parsed_locked(path: str, font_number: int) -> _Parsed:
    font = ttLib.TTFont(path, recalcTimestamp=False, fontNumber=font_number, lazy=True)
    glyph_order = tuple(font.getGlyphOrder())
    cmap = font.get("cmap")
    if cmap is not None:
        cmap.ensureDecompiled()
    glyf = font["glyf"] if "glyf" in font and "loca" in font else None
    glyphs = None if glyf is None else tuple((n, getattr(g, "data", b"")) for n, g in glyf.glyphs.items())
    metrics = dict(font["hmtx"].metrics) if "hmtx" in font else None
    if cmap is not None:  # each copy names its own font: this one keeps no font (nor its tables) alive
        for subtable in cmap.tables:
            subtable.ttFont = None
    font.close()
    return _Parsed(glyph_order=glyph_order, cmap=cmap, glyphs=glyphs, metrics=metrics)


def _seeded(ttfont: ttLib.TTFont, parsed: _Parsed) -> None:
    """``ttfont`` (a new fontTools object of the parsed file) given the parsed tables, each its own copy, as its
    own decompile would make them."""
    ttfont.setGlyphOrder(list(parsed.glyph_order))
    if parsed.cmap is not None:
        ttfont.tables["cmap"] = _cmap_copy(parsed.cmap, ttfont)
    if parsed.glyphs is not None:
        glyf = ttLib.newTable("glyf")
        glyf.glyphs = {
            name: Glyph(data) for name, data in parsed.glyphs
        }  # raw: expanded on use, as fontTools'
        glyf.glyphOrder = ttfont.getGlyphOrder()
        glyf._reverseGlyphOrder = {}
        ttfont.tables["glyf"] = glyf
    if parsed.metrics is not None:
        hmtx = ttLib.newTable("hmtx")
        hmtx.metrics = dict(parsed.metrics)
        ttfont.tables["hmtx"] = hmtx


def _cmap_copy(table: Any, ttfont: ttLib.TTFont) -> Any:
    """The decompiled cmap table for another fontTools object of the same file: its own table, subtables and
    mappings (two subtables sharing one mapping, as fontTools reads one offset named twice, still share it)."""
    copied = copy.copy(table)
    copied.tables = []
    mappings: dict[int, Any] = {}
    for subtable in table.tables:
        new = copy.copy(subtable)
        for name in ("cmap", "uvsDict"):
            value = subtable.__dict__.get(name)
            if value is not None:
                if id(value) not in mappings:
                    mappings[id(value)] = (
                        {k: list(v) for k, v in value.items()} if name == "uvsDict" else dict(value)
                    )
                setattr(new, name, mappings[id(value)])
        new.ttFont = ttfont
        copied.tables.append(new)
    return copied


def add_font(pdf: FPDF, family: str, style: str, path: Path) -> None:
    """``pdf.add_font(family, style, path)``, from the face parsed once per process."""
    prototype = _prototype(family, style, path) if _shareable() else None
    if prototype is None or prototype.fontkey in pdf.fonts:
        pdf.add_font(family, style, path)
        return
    font = copy.copy(prototype)
    font.i = len(pdf.fonts) + 1
    font.desc = copy.copy(prototype.desc)
    font.ttfont = ttLib.TTFont(
        prototype.ttffile, recalcTimestamp=False, fontNumber=prototype.collection_font_number, lazy=True
    )
    _seeded(font.ttfont, _parsed(prototype.ttffile, prototype.collection_font_number))
    for tag in LAYOUT_TABLES:
        if tag in font.ttfont:
            del font.ttfont[tag]
    font._hbfont = None
    font.biggest_size_pt = 0
    font.missing_glyphs = []
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font

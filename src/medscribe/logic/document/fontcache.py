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
but fontTools' subsetter decompiled them first (~20% of a render). The PDF is byte-for-byte the one
``add_font`` makes (tests/unit/test_pdf_fontcache.py); ``SLOTS`` pins the ``TTFFont`` fields this handles,
and a font this does not cover (CFF, variable, colour) takes ``add_font`` itself.
"""

from __future__ import annotations

import copy
import functools
import threading
from pathlib import Path

from fontTools import ttLib
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
    for tag in LAYOUT_TABLES:
        if tag in font.ttfont:
            del font.ttfont[tag]
    font._hbfont = None
    font.biggest_size_pt = 0
    font.missing_glyphs = []
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font

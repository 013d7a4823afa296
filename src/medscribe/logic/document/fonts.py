"""The PDF's fonts (Noto subsets in the ``medscribe_fonts`` package, built by scripts/build_pdf_fonts.py) and their
coverage.

Noto Sans (regular, bold) draws Latin, Greek and Cyrillic; Noto Sans Arabic, Hebrew, Devanagari and CJK (the
common-use hanzi/kanji/hangul/kana sets) are fpdf2 fallback fonts, registered for a document only when its text
needs them (the CJK file is the large one). A character that no shipped font covers is drawn as a visible
placeholder, ``[U+0E01]``, never dropped or shown as a bare "�"; :func:`uncovered` lists such characters so a
caller can say that a name could not be printed exactly.
"""

from __future__ import annotations

import functools
import io
from importlib import resources
from pathlib import Path

from fontTools.ttLib import TTFont

FAMILY = "sans"
FACES = {"": "sans-regular", "B": "sans-bold"}  # fpdf2 style -> file stem
FALLBACKS = ("arabic", "hebrew", "devanagari", "cjk", "math", "symbols", "symbols2")
SHAPED = ("arabic", "hebrew", "devanagari")  # scripts that need text shaping (joining, bidi, reordering)
SHAPING_MARKS = frozenset("\u200c\u200d\u200e\u200f")  # ZWNJ, ZWJ, LRM, RLM: kept, shaping reads them
PLACEHOLDER = "[U+{:04X}]"
FONTS_PACKAGE = "medscribe_fonts"  # data only: layers/pdf/medscribe_fonts


@functools.cache
def font_bytes(stem: str) -> bytes:
    return font_path(stem).read_bytes()


@functools.cache
def cmap(stem: str) -> frozenset[int]:
    """Code points the font file maps (its cmap only: no glyph is parsed)."""
    font = TTFont(io.BytesIO(font_bytes(stem)), lazy=True)
    return frozenset(font.getBestCmap())


@functools.cache
def coverage() -> frozenset[int]:
    """Every code point some shipped font draws (bold text falls back to a regular face)."""
    return cmap(FACES[""]).union(*(cmap(stem) for stem in FALLBACKS))


def fallbacks_for(text: str) -> list[str]:
    """The fallback fonts ``text`` needs: those covering a character Noto Sans does not."""
    base = cmap(FACES[""])
    missing = {ord(ch) for ch in text} - base
    return [stem for stem in FALLBACKS if missing & cmap(stem)]


def uncovered(text: str) -> list[str]:
    """The distinct printable characters of ``text`` that no shipped font can draw, in order of appearance."""
    covered = coverage()
    seen: dict[str, None] = {}
    for ch in text:
        if ch.isprintable() and not ch.isspace() and ord(ch) not in covered:
            seen.setdefault(ch)
    return list(seen)


def drawable(text: str) -> str:
    """``text`` as the PDF draws it: whitespace becomes a space, invisible control and format characters are
    dropped (joiners and direction marks stay: shaping needs them), and a character no font covers becomes a
    visible ``[U+XXXX]`` placeholder."""
    covered = coverage()
    out: list[str] = []
    for ch in text:
        if ch.isspace():
            out.append(" ")
        elif not ch.isprintable() and ch not in SHAPING_MARKS:
            continue
        elif ord(ch) in covered:
            out.append(ch)
        else:
            out.append(PLACEHOLDER.format(ord(ch)))
    return "".join(out)


def font_path(stem: str) -> Path:
    """The font file on disk, for ``FPDF.add_font``: in the ``medscribe_fonts`` package, which ships in the PdfLayer
    (layers/pdf/Makefile) and is installed beside medscribe for local mode (installed as files, as in a layer)."""
    return Path(str(resources.files(FONTS_PACKAGE).joinpath(f"{stem}.ttf")))

"""Build the PDF fonts: Noto subsets for fpdf2 (run at development time; needs Debian's Noto fonts).

    apt-get install fonts-noto-core fonts-noto-cjk
    .venv/bin/python scripts/build_pdf_fonts.py [--source /usr/share/fonts]

Writes ``layers/pdf/medscribe_fonts/<name>.ttf`` (TrueType outlines, OpenType layout kept for text shaping)
and ``coverage.txt`` (what each file covers). ``medscribe.logic.document.fonts`` loads them; fpdf2 subsets them
again per document at output time, so the PDF embeds only the glyphs it draws.

- ``sans-regular`` / ``sans-bold``: Noto Sans, Latin (Latin-1, Extended-A/B, Additional, IPA, combining marks),
  Greek, Cyrillic, punctuation, symbols (µ ± ° ≥ → ½ ℃ №).
- ``arabic``, ``hebrew``, ``devanagari``: Noto Sans Arabic / Hebrew / Devanagari (regular), whole blocks.
- ``math``, ``symbols``, ``symbols2``: Noto Sans Math / Symbols / Symbols 2, only the symbols above that Noto
  Sans lacks (≥ ≤ → ⅓ ...).
- ``cjk``: Noto Sans CJK SC (regular) cut to the common-use sets: GB2312 level 1+2 hanzi (6,763), Big5 level 1
  hanzi (5,401, traditional), JIS X 0208 level 1 kanji (2,965), KS X 1001 hangul (2,350), kana, CJK punctuation
  and full-width forms; its CFF outlines converted to TrueType (fpdf2 embeds glyf fonts best). One regional
  style (SC) draws every hanzi/kanji.

The output is reproducible: no timestamps, sorted inputs.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "layers" / "pdf" / "medscribe_fonts"  # the PdfLayer's font package
DEFAULT_SOURCE = Path("/usr/share/fonts")


def _ranges(*pairs: tuple[int, int]) -> list[int]:
    return [cp for low, high in pairs for cp in range(low, high + 1)]


def _decoded(codec: str, leads: range, trails: range) -> list[int]:
    """Characters a double-byte codec maps from lead/trail byte ranges (its level 1/2 sets)."""
    out: set[int] = set()
    for lead in leads:
        for trail in trails:
            try:
                text = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            out.update(ord(ch) for ch in text)
    return sorted(out)


LATIN = _ranges(
    (0x0020, 0x007E), (0x00A0, 0x036F), (0x0370, 0x03FF), (0x0400, 0x052F), (0x1E00, 0x1EFF),
    (0x2000, 0x206F), (0x2070, 0x209F), (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2150, 0x218F),
    (0x2190, 0x21FF), (0x2200, 0x22FF), (0x25A0, 0x25FF), (0xFFFD, 0xFFFD),
)  # fmt: skip
JOINERS = _ranges((0x200C, 0x200F), (0x25CC, 0x25CC))  # ZWNJ/ZWJ, LRM/RLM, dotted circle (shaping)
ARABIC = _ranges((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
HEBREW = _ranges((0x0590, 0x05FF), (0xFB1D, 0xFB4F))
DEVANAGARI = _ranges((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF))
CJK_COMMON = sorted(
    set(_decoded("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF)))  # hanzi levels 1 + 2
    | set(_decoded("big5", range(0xA4, 0xC7), range(0x40, 0xFF)))  # Big5 level 1 (frequent hanzi)
    | set(_decoded("euc_jp", range(0xB0, 0xD0), range(0xA1, 0xFF)))  # JIS X 0208 level 1 kanji
    | set(_decoded("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF)))  # KS X 1001 hangul
    | set(_ranges((0x3000, 0x303F), (0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF00, 0xFFEF)))
)
# name -> (source path under --source, face index in a collection or None, code points)
FONTS: dict[str, tuple[str, int | None, list[int]]] = {
    "sans-regular": ("truetype/noto/NotoSans-Regular.ttf", None, LATIN),
    "sans-bold": ("truetype/noto/NotoSans-Bold.ttf", None, LATIN),
    "arabic": ("truetype/noto/NotoSansArabic-Regular.ttf", None, ARABIC + JOINERS),
    "hebrew": ("truetype/noto/NotoSansHebrew-Regular.ttf", None, HEBREW + JOINERS),
    "devanagari": ("truetype/noto/NotoSansDevanagari-Regular.ttf", None, DEVANAGARI + JOINERS),
    "cjk": ("opentype/noto/NotoSansCJK-Regular.ttc", 2, CJK_COMMON),  # face 2: Noto Sans CJK SC
    # symbols of LATIN that Noto Sans lacks (≥ ≤ → ⅓ ...); build() keeps only what Noto Sans does not map
    "math": ("truetype/noto/NotoSansMath-Regular.ttf", None, LATIN),
    "symbols": ("truetype/noto/NotoSansSymbols-Regular.ttf", None, LATIN),
    "symbols2": ("truetype/noto/NotoSansSymbols2-Regular.ttf", None, LATIN),
}
SUPPLEMENTS = ("math", "symbols", "symbols2")  # cut to what the faces before them do not cover


def _cff_to_truetype(font: TTFont) -> None:
    """Replace CFF outlines with quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    glyf.compile(font)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
        "maxStackElements", "maxSizeOfInstructions", "maxComponentElements",
    ):  # fmt: skip
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    maxp.maxComponentDepth = 0
    maxp.numGlyphs = len(order)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\000\001\000\000"


def build(path: Path, index: int | None, code_points: Iterable[int]) -> bytes:
    """The subset TrueType font, the same bytes for the same inputs."""
    if index is None:
        font = TTFont(path, recalcTimestamp=False)
    else:
        font = TTCollection(path, recalcTimestamp=False).fonts[index]
    options = subset.Options()
    options.layout_features = ["*"]  # fpdf2 shapes text through uharfbuzz: keep GSUB/GPOS
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # copyright, names, version, license (OFL) and its URL
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.drop_tables += ["FFTM", "MATH", "vhea", "vmtx", "VORG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(set(code_points)))
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_truetype(font)
    font["head"].modified = font["head"].created  # reproducible: no build time in the file
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _coverage(files: dict[str, bytes]) -> bytes:
    lines = ["# file: characters its cmap maps (generated by scripts/build_pdf_fonts.py)"]
    for name, data in files.items():
        cmap = TTFont(io.BytesIO(data)).getBestCmap()
        lines.append(f"{name}.ttf: {len(cmap)} characters, {len(data)} bytes")
    return ("\n".join(lines) + "\n").encode("ascii")


def outputs(source: Path) -> dict[Path, bytes]:
    built: dict[str, bytes] = {}
    covered: set[int] = set()
    for name, (rel, index, cps) in FONTS.items():
        wanted = [cp for cp in cps if cp not in covered] if name in SUPPLEMENTS else cps
        built[name] = build(source / rel, index, wanted)
        if name == "sans-regular" or name in SUPPLEMENTS:
            covered |= set(TTFont(io.BytesIO(built[name])).getBestCmap())
    files = {TARGET / f"{name}.ttf": data for name, data in built.items()}
    files[TARGET / "coverage.txt"] = _coverage(built)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="Debian's fonts directory")
    args = parser.parse_args()
    for path, data in outputs(args.source).items():
        path.write_bytes(data)
        print(f"{path.name}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

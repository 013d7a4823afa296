"""Build the PDF fonts (run at development time; fontTools is a dev dependency, never shipped).

    .venv/bin/python scripts/build_pdf_fonts.py [--check]

Reads the DejaVu Sans faces in ``scripts/fonts/`` and writes, per face, into ``src/medscribe/templates/fonts/``:

- ``<face>.ttf.z``: the face subset to the code points the clinical drafts draw (``CODE_POINTS``),
  zlib-compressed: embedded as is as the PDF's FontFile2 stream (``/Filter /FlateDecode``), no work at run time;
- ``<face>.json``: what layout and the PDF font dictionaries need without parsing the font: units per em,
  ascent, descent, cap height, bbox, italic angle, flags, stem, and one ``[code point, glyph id, advance]``
  triple per mapped character (advances in font units).

Glyph ids are kept as the subset numbers them (CIDToGIDMap /Identity). ``--check`` rebuilds in memory and
fails if the committed files differ (tests/unit/test_pdf_fonts.py runs the same comparison).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import zlib
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "scripts" / "fonts"
TARGET = ROOT / "src" / "medscribe" / "templates" / "fonts"
FACES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
# Basic Latin, Latin-1 (µ ± ° ½, the multiplication sign), Latin Extended-A/B, IPA, combining marks, Greek, Cyrillic (+ supplement),
# Latin Extended Additional, general punctuation (dashes, quotes, •, …), super/subscripts, currency,
# letterlike symbols (℃ №), number forms (⅓), arrows (→), mathematical operators (≥ ≤), geometric shapes, U+FFFD.
RANGES = (
    (0x0020, 0x007E),
    (0x00A0, 0x036F),
    (0x0370, 0x03FF),
    (0x0400, 0x052F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x2070, 0x209F),
    (0x20A0, 0x20CF),
    (0x2100, 0x214F),
    (0x2150, 0x218F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x25A0, 0x25FF),
    (0xFFFD, 0xFFFD),
)
CODE_POINTS = [cp for low, high in RANGES for cp in range(low, high + 1)]
ZLIB_LEVEL = 9


def build_face(path: Path) -> tuple[bytes, bytes]:
    """(zlib-compressed subset TTF, metrics JSON) for one face; the same bytes for the same inputs."""
    font = TTFont(path, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = []  # the PDF draws glyph by glyph: no GSUB/GPOS shaping
    options.hinting = False
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # copyright, family, style, id, full name, version, PS name
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.drop_tables += ["FFTM", "GDEF", "GSUB", "GPOS", "kern", "MATH"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=CODE_POINTS)
    subsetter.subset(font)
    font["head"].modified = font["head"].created  # reproducible: no build time in the file
    out = io.BytesIO()
    font.save(out)
    program = out.getvalue()
    font = TTFont(io.BytesIO(program))
    head, hhea, os2, post = font["head"], font["hhea"], font["OS/2"], font["post"]
    order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    hmtx = font["hmtx"].metrics
    glyphs = [[cp, order[name], hmtx[name][0]] for cp, name in sorted(font.getBestCmap().items())]
    bold = os2.usWeightClass >= 600
    metrics = {
        "postscript_name": font["name"].getDebugName(6),
        "units_per_em": head.unitsPerEm,
        "ascent": hhea.ascent,
        "descent": hhea.descent,
        "cap_height": getattr(os2, "sCapHeight", 0) or font["glyf"]["H"].yMax,
        "bbox": [head.xMin, head.yMin, head.xMax, head.yMax],
        "italic_angle": post.italicAngle,
        "flags": 32,  # nonsymbolic
        "stem_v": 120 if bold else 80,
        "missing_width": hmtx[".notdef"][0],
        "length1": len(program),
        "glyphs": glyphs,
    }
    text = json.dumps(metrics, separators=(",", ":"), sort_keys=True) + "\n"
    return zlib.compress(program, ZLIB_LEVEL), text.encode("ascii")


def outputs() -> dict[Path, bytes]:
    files: dict[Path, bytes] = {}
    for face, name in FACES.items():
        program, metrics = build_face(SOURCE / name)
        files[TARGET / f"{face}.ttf.z"] = program
        files[TARGET / f"{face}.json"] = metrics
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed files are stale")
    args = parser.parse_args()
    stale = []
    for path, data in outputs().items():
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(path.name)
        else:
            path.write_bytes(data)
            print(f"{path.relative_to(ROOT)}: {len(data)} bytes")
    if stale:
        print(f"stale: {', '.join(stale)}; run scripts/build_pdf_fonts.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

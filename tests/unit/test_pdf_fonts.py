"""The prebuilt PDF fonts (templates/fonts): what scripts/build_pdf_fonts.py makes, and what the metrics say.

The font programs are embedded as is and never parsed at run time, so nothing but these tests would notice a
metrics file that no longer matches its font (wrong widths would overlap or misplace text on every page).
"""

from __future__ import annotations

import io
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from medscribe.logic.document import drawable
from medscribe.logic.document.pdfwriter import load_font

ROOT = Path(__file__).resolve().parents[2]
FACES = ("regular", "bold")


def embedded(face: str) -> TTFont:
    return TTFont(io.BytesIO(zlib.decompress(load_font(face).program())))


def test_regenerating_the_fonts_gives_the_committed_bytes() -> None:
    # Given the build script and its sources (run as the program it is: tests do not import scripts/)
    # When it rebuilds every file in memory and compares
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_pdf_fonts.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    # Then each one is byte for byte the committed file (no build time, no drift)
    assert done.returncode == 0, done.stderr
    assert {p.name for p in (ROOT / "src/medscribe/templates/fonts").glob("*.*")} >= {
        f"{face}.{ext}" for face in FACES for ext in ("ttf.z", "json")
    }


@pytest.mark.parametrize("face", FACES)
def test_metrics_match_the_embedded_font_program(face: str) -> None:
    # Given the metrics file and the font program the PDF embeds
    metrics = load_font(face)
    font = embedded(face)
    order = font.getGlyphOrder()
    hmtx = font["hmtx"].metrics
    # Then every character maps to the glyph the font's own cmap names, with that glyph's advance
    cmap = font.getBestCmap()
    assert set(metrics.cmap) == set(cmap)
    for cp, name in cmap.items():
        assert metrics.cmap[cp] == order.index(name)
        assert metrics.advances[metrics.cmap[cp]] == hmtx[name][0]
    # And the descriptor values are the font's
    assert metrics.units_per_em == font["head"].unitsPerEm
    assert (metrics.ascent, metrics.descent) == (font["hhea"].ascent, font["hhea"].descent)
    assert metrics.length1 == len(zlib.decompress(metrics.program()))


def test_the_subset_draws_the_clinical_characters_and_replaces_the_rest() -> None:
    # Given text with accented Latin, Greek, Cyrillic and clinical symbols, and CJK
    text = "Zoë Müller — 5 µg ± 0.5, ≥ 3 °C, ½ \u00d7 2 → Ωμέγα Привет “x” • … 你"
    # Then everything but the CJK character is drawable in both faces (regular and bold)
    assert drawable(text) == text[:-1] + "\ufffd"
    for face in FACES:
        assert all(ord(ch) in load_font(face).cmap for ch in drawable(text))

"""Citations of a `corpus/drafts/RESULTS.md` section name a section that exists.

RESULTS.md keeps its opening, an index of the earlier sections (one row per heading, word for word -> its file in
`corpus/drafts/results/`) and the current session's sections. A citation names a section by the start of its
heading: `RESULTS.md ("Session 9, flagnoise")`, `RESULTS.md`, "Session 12, time9"`, or unquoted
`(RESULTS.md, Session 10, b7dev)`. Each must name exactly one heading of the index or of RESULTS.md itself, and
the index must agree with the files it points to, so that a section moved at the end of a session stays findable.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DRAFTS = ROOT / "corpus" / "drafts"
RESULTS = DRAFTS / "RESULTS.md"
RESULTS_DIR = DRAFTS / "results"
SCANNED = [
    ROOT / "README.md",
    ROOT / "docs",
    DRAFTS / "PROCEDURE.md",
    ROOT / "src",
    ROOT / "tests",
    ROOT / "scripts",
]

_QUOTED = r'"[^"]{1,300}"'
_CITATION = re.compile(
    rf"RESULTS\.md`?(?:\s*[,(]\s*|\s+)(?P<quoted>{_QUOTED}(?:\s*(?:,|and)\s*{_QUOTED})*)"
    r"|RESULTS\.md`?\s*[,(]?\s*(?P<bare>Session \d+, [\w-]+)"
)
_INDEX_ROW = re.compile(r"^\| (?P<heading>.+) \| \[results/(?P<file>[\w.-]+\.md)\]\(results/(?P=file)\) \|$")
_RESULTS_FILE = re.compile(r"corpus/drafts/results/([\w.-]+\.md)")


def flat(text: str, *, python: bool) -> str:
    """One line: a comment continued on the next line joins it, runs of white space are one space."""
    if python:
        text = re.sub(r"\n[ \t]*#[ \t]*", " ", text)
    return re.sub(r"\s+", " ", text)


def citations(text: str, *, python: bool = False) -> list[str]:
    """The section names cited after each mention of RESULTS.md, in order."""
    found: list[str] = []
    for match in _CITATION.finditer(flat(text, python=python)):
        if match["bare"]:
            found.append(match["bare"])
        else:
            found.extend(re.findall(r'"([^"]+)"', match["quoted"]))
    return found


def resolves(cited: str, headings: list[str]) -> list[str]:
    """The headings `cited` names: equal to it, or starting with it and going on with no letter or digit."""
    return [h for h in headings if h == cited or (h.startswith(cited) and not h[len(cited)].isalnum())]


def headings_of(path: Path, level: str = "#+") -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [m.group(1) for m in re.finditer(rf"^{level} (.+)$", text, flags=re.MULTILINE)]


def index_rows() -> list[tuple[str, str]]:
    lines = RESULTS.read_text(encoding="utf-8").splitlines()
    return [(m["heading"], m["file"]) for m in map(_INDEX_ROW.match, lines) if m]


def scanned_files() -> list[Path]:
    files: list[Path] = []
    for place in SCANNED:
        candidates = [place] if place.is_file() else sorted(place.rglob("*"))
        files += [
            p for p in candidates if p.suffix in {".md", ".py"} and p.resolve() != Path(__file__).resolve()
        ]
    return files


# --- the reader itself -------------------------------------------------------------------------------------


def test_citations_are_read_in_every_written_form() -> None:
    # Given a citation quoted in brackets, a list wrapped over lines, a Python comment and an unquoted one
    text = (
        'Figures: `corpus/drafts/RESULTS.md`\n  ("Structural omission guard", "Session 9,\n  omit6").\n'
        'Measured: `corpus/drafts/RESULTS.md`, "Session 9, coverage" and "Session 12, omit9".\n'
        '(RESULTS.md, Session 10, b7dev) and RESULTS.md was long; once ("before", `RESULTS.md`).'
    )
    code = '# both left, RESULTS.md "Session 10,\n    # omit8")\nx = 1  # see RESULTS.md'
    # When they are read / Then each cited name is found, and a mention with nothing cited gives none
    assert citations(text) == [
        "Structural omission guard",
        "Session 9, omit6",
        "Session 9, coverage",
        "Session 12, omit9",
        "Session 10, b7dev",
    ]
    assert citations(code, python=True) == ["Session 10, omit8"]


def test_a_citation_names_a_whole_word_start_of_one_heading() -> None:
    headings = [
        "Session 9, coverage: nothing said",
        "Session 9, coverage2: piecewise",
        "Silent errors, session 7 (x)",
    ]
    assert resolves("Session 9, coverage", headings) == ["Session 9, coverage: nothing said"]
    assert resolves("Session 9, cover", headings) == []
    assert resolves("Silent errors, session 7", headings) == ["Silent errors, session 7 (x)"]
    assert resolves("Session 9, coverage3", headings) == []


# --- the repository ----------------------------------------------------------------------------------------


def test_every_citation_names_one_section_of_the_index_or_of_results_md() -> None:
    # Given every heading RESULTS.md's index lists and every heading of RESULTS.md itself
    headings = [h for h, _ in index_rows()] + headings_of(RESULTS)
    # When every citation of docs/, PROCEDURE.md, src/, tests/, scripts/ and the README is read
    cited = {
        (str(path.relative_to(ROOT)), name)
        for path in scanned_files()
        for name in citations(path.read_text(encoding="utf-8"), python=path.suffix == ".py")
    }
    # Then there are citations, and each names exactly one section
    assert len(cited) >= 20, cited
    wrong = {
        (where, name, len(resolves(name, headings)))
        for where, name in cited
        if len(resolves(name, headings)) != 1
    }
    assert not wrong, f"(file, cited name, headings it names) — fix the name or the index: {sorted(wrong)}"


def test_the_index_lists_every_moved_section_of_each_file_in_order() -> None:
    rows = index_rows()
    files = sorted(p.name for p in RESULTS_DIR.glob("*.md"))
    assert rows
    assert files
    assert {f for _, f in rows} == set(files), "a results file with no index row, or a row naming no file"
    for name in files:
        listed = [h for h, f in rows if f == name]
        assert headings_of(RESULTS_DIR / name, "##") == listed, name


def test_a_section_is_in_one_place_only() -> None:
    moved = [h for h, _ in index_rows()]
    here = headings_of(RESULTS, "##")
    assert len(moved) == len(set(moved))
    assert not set(moved) & set(here), "a section both moved and still in RESULTS.md"


def test_every_results_file_named_exists() -> None:
    named = {
        (str(path.relative_to(ROOT)), name)
        for path in scanned_files()
        for name in _RESULTS_FILE.findall(path.read_text(encoding="utf-8"))
    }
    assert not {(where, name) for where, name in named if not (RESULTS_DIR / name).is_file()}

"""``medscribe draft [TEXT|-] [--pdf FILE]`` (issue 15 item 10), run as a user runs it: a subprocess whose
last stdout line is the JSON contract; the PDF rendered from the same sections."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdf
import pytest

from medscribe.logic.document.sections import NOTHING_FLAGGED, TITLES
from medscribe.textdraft import draft_sections

NOTE = (
    "Her sister has lupus. Raise atenolol from 25 to 50 mg by mouth daily. "
    "Return if a rash appears. Allergic to sulfa drugs."
)


def medscribe_draft(*args: str, stdin: str | None = None, cwd: Path | None = None) -> tuple[int, Any, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "medscribe.cli", "draft", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=cwd,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert lines, proc.stderr[-2000:]
    return proc.returncode, json.loads(lines[-1]), proc.stderr


def check_contract(result: dict[str, Any]) -> None:
    assert list(result) == ["sections"]
    titles = [s["title"] for s in result["sections"]]
    assert titles[0] == "Needs review"
    assert set(titles) <= set(TITLES)
    assert titles == [t for t in TITLES if t in titles]  # print order
    for section in result["sections"]:
        for item in section["items"]:
            assert isinstance(item["text"], str)
            assert item["text"]
            assert isinstance(item["flags"], list)
            assert all(isinstance(f, str) for f in item["flags"])


@pytest.fixture(scope="module")
def note_drafted(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Any, Path]:
    """One ``medscribe draft NOTE --pdf FOLDER/draft.pdf`` process (exit code, last stdout line, folder), read by
    the tests of what the command prints and writes (a process costs seconds; they only read its results)."""
    folder = tmp_path_factory.mktemp("draft")
    code, result, _ = medscribe_draft(NOTE, "--pdf", str(folder / "draft.pdf"))
    return code, result, folder


def test_draft_prints_the_sections_as_the_last_stdout_line_and_writes_the_pdf(
    note_drafted: tuple[int, Any, Path],
) -> None:
    # Given a note, When drafted with --pdf
    code, result, folder = note_drafted
    pdf = folder / "draft.pdf"
    # Then the exit code is 0, the last line is the contract's JSON, and the facts are where they belong
    assert code == 0
    check_contract(result)
    by_title = {s["title"]: s["items"] for s in result["sections"]}
    (atenolol,) = by_title["Medications"]
    assert atenolol["text"] == "atenolol 50 mg by mouth once daily (was 25 mg: dose increased)"
    assert atenolol["flags"] == []
    assert [i["text"] for i in by_title["Family history"]] == ["sister: lupus"]
    assert by_title["Problems"] == []
    # And the PDF shows the same sections, titles and texts
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    for title in TITLES:
        assert title in text
    assert "(was 25 mg: dose increased)" in " ".join(text.split())
    assert [p.name for p in folder.iterdir()] == ["draft.pdf"]  # no temporary file left beside it


def test_draft_reads_stdin_and_says_nothing_flagged_only_when_every_guard_ran() -> None:
    code, result, _ = medscribe_draft("-", stdin="Continue lisinopril 10 mg by mouth daily.\n")
    assert code == 0
    check_contract(result)
    assert result["sections"][0]["items"] == [{"text": NOTHING_FLAGGED, "flags": []}]


def test_draft_sections_is_the_same_object_the_command_prints(note_drafted: tuple[int, Any, Path]) -> None:
    code, result, _ = note_drafted
    assert code == 0
    assert result == draft_sections(NOTE)


@pytest.mark.parametrize(
    ("args", "stdin", "error"), [((" ",), None, "EmptyText"), (("-",), "x" * 20_001, "TextTooLong")]
)
def test_bad_input_is_a_named_error_line_and_exit_code_2(
    args: tuple[str, ...], stdin: str | None, error: str
) -> None:
    code, result, _ = medscribe_draft(*args, stdin=stdin)
    assert code == 2
    assert result["error"] == error


def test_an_unwritable_pdf_path_is_a_named_error_and_exit_code_3(tmp_path: Path) -> None:
    # a missing folder is created (the README's `--pdf out/draft.pdf`); a path under a file cannot be
    (tmp_path / "a-file").write_text("not a folder")
    code, result, _ = medscribe_draft(NOTE, "--pdf", str(tmp_path / "a-file" / "draft.pdf"))
    assert code == 3
    assert result["error"] == "PdfWriteFailed"

"""The docs tell users to run commands: each one must still exist with the options it is shown with.

Every `medscribe …` line in a fenced shell block of README.md and docs/*.md is parsed by the real command-line
parser (values a reader fills in — `$TOKEN`, `RID`, `path/to/audio.flac` — are placeholders the parser
accepts as they are; a synopsis's `[--option VALUE]` groups are tried with and without their contents), so a
renamed command or a dropped option fails here. The README's `medscribe draft` example runs for real.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from docs_blocks import ROOT, SHELL, all_blocks

from medscribe.cli import build_parser

OPTIONAL = re.compile(r"\[([^\[\]]*)\]")


def command_lines() -> list[tuple[str, str]]:
    found = []
    for block in all_blocks():
        if block.lang in SHELL:
            lines = block.commands()  # continuations joined; a console block's `$ ` lines
        else:  # a diagram, a Python snippet, a synopsis (```text)
            lines = [raw for raw in block.body.splitlines() if raw.startswith("medscribe ")]
        for raw in lines:
            line = re.sub(r"\s+#.*$", "", raw).strip().removesuffix("&").strip()
            match = re.search(r"(?:^(?:\w+=\S+ +)*|\$\()(?:\.venv/bin/)?medscribe (.+?)\)?$", line)
            if match:
                found.append((f"{Path(block.doc).name}: {line}", match.group(1)))
    return found


def variants(args: str) -> list[list[str]]:
    """The line as shown, with every optional group dropped, and with every optional group kept (a synopsis's
    alternatives `A|B` take their first)."""
    args = re.sub(r"\$\([^)]*\)|\$\{?\w+\}?", "PLACEHOLDER", args)
    dropped = OPTIONAL.sub("", args)
    kept = OPTIONAL.sub(lambda m: m.group(1).split("|")[0], args)
    out = []
    for text in dict.fromkeys((dropped, kept)):
        words = [w.split("|")[0] for w in shlex.split(text)]
        out.append(words)
    return out


LINES = command_lines()


def test_the_docs_show_commands_at_all() -> None:
    assert len(LINES) >= 10


@pytest.mark.parametrize(("where", "args"), LINES, ids=[w[:90] for w, _ in LINES])
def test_every_documented_command_parses(where: str, args: str) -> None:
    parser = build_parser()
    for words in variants(args):
        if words in (["--version"], ["--help"]):
            continue
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            try:
                parser.parse_args(words)
            except SystemExit as exc:
                pytest.fail(
                    f"{where}\n  medscribe {' '.join(words)}\n  {stderr.getvalue().strip()} (exit {exc.code})"
                )


def test_the_readme_draft_example_runs_as_written(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (line,) = [w for w, _ in LINES if w.startswith("README.md: .venv/bin/medscribe draft")]
    words = shlex.split(line.removeprefix("README.md: .venv/bin/medscribe "))
    assert "medscribe draft" in readme
    done = subprocess.run(
        [sys.executable, "-m", "medscribe.cli", *words],
        cwd=tmp_path,  # the example writes out/draft.pdf: here, never into the checkout
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    sections = {s["title"]: s["items"] for s in json.loads(done.stdout.strip().splitlines()[-1])["sections"]}
    meds = [i["text"] for i in sections.get("Medications", [])]
    assert any("50 mg" in t and "was 25 mg" in t for t in meds), meds
    assert not any("lupus" in i["text"].lower() for i in sections.get("Problems", []))
    assert (tmp_path / "out" / "draft.pdf").read_bytes().startswith(b"%PDF")

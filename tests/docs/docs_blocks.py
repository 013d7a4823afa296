"""The fenced blocks of README.md and docs/*.md, with their docs-check annotations (docs/testing.md).

A block is runnable when its fence says ``sh``, ``bash``, ``shell``, ``console`` (only its ``$ `` lines are
commands) or ``python``. HTML comments on the lines right above the fence annotate it:

    <!-- docs-check: skip reason="needs an AWS account" -->              the whole block is not run
    <!-- docs-check: skip-line="make test" reason="runs this check" -->   that command line is not run
    <!-- docs-check: exit=1 line="medscribe backfill x" reason="..." -->  that line must exit 1, not 0

A line is named exactly as shown (continuations joined), without its trailing ``# comment``; a name ending in
`` ...`` names the lines that begin so. No reason: an error.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# A fence may be indented (a block inside a list item): its closing fence has the same indent, and the body
# is read with that indent removed. Exactly three backticks (a ```` run is inline code, not a fence).
FENCE = re.compile(
    r"^(?P<indent> *)```(?!`)(?P<lang>\w*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.S | re.M
)
SHELL = {"sh", "bash", "shell", "console"}
RUNNABLE = {*SHELL, "python"}
ANNOTATION = re.compile(r"^<!--\s*docs-check:\s*(?P<body>.*?)\s*-->\s*$")
# A line that looks like a command a reader types: a fence that holds one must say which language it is.
COMMAND_LIKE = re.compile(r"^(\$ |\.venv/bin/|medscribe |make |sam |curl |aws )")


class AnnotationError(ValueError):
    """A docs-check comment the check cannot read (unknown verb, no reason)."""


@dataclass(frozen=True)
class Annotation:
    kind: str  # "skip" (the block), "skip-line", "exit"
    reason: str
    line: str | None = None  # the command as shown, without its trailing comment
    code: int = 0


@dataclass
class Block:
    doc: str  # README.md, docs/api.md
    line: int  # the fence's line (1-based)
    lang: str
    body: str
    notes: list[Annotation] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line}"

    @property
    def runnable(self) -> bool:
        return self.lang in RUNNABLE

    @property
    def skipped(self) -> Annotation | None:
        return next((a for a in self.notes if a.kind == "skip"), None)

    def commands(self) -> list[str]:
        """The block's command lines, continuations joined (``console``: the ``$ `` lines only)."""
        if self.lang == "python":
            return [self.body]
        text = re.sub(r"\\\n\s*", " ", self.body)
        lines = []
        for raw in text.splitlines():
            if self.lang == "console":
                if not raw.startswith("$ "):
                    continue  # printed output
                raw = raw[2:]
            lines.append(raw)
        return lines

    def note_for(self, command: str) -> Annotation | None:
        """The skip-line or exit annotation naming this command line, if any."""
        shown = bare_command(command)
        return next((a for a in self.notes if a.line is not None and names(a.line, shown)), None)


def names(line: str, shown: str) -> bool:
    """``line`` names ``shown`` exactly, or as its beginning when it ends with `` ...``."""
    if line.endswith(" ..."):
        return shown.startswith(line.removesuffix(" ..."))
    return line == shown


def bare_command(command: str) -> str:
    """A command line as an annotation names it: its trailing ``# comment`` and outer blanks removed."""
    return re.sub(r"\s+#.*$", "", command).strip()


def parse_annotation(body: str, where: str) -> Annotation:
    """``skip reason=".."``, ``skip-line="COMMAND" reason=".."`` or ``exit=N line="COMMAND" reason=".."``."""
    try:
        words = shlex.split(body)
    except ValueError as exc:
        raise AnnotationError(f"{where}: unreadable docs-check comment: {body!r} ({exc})") from None
    bare = [w for w in words if "=" not in w]
    options = dict(w.split("=", 1) for w in words if "=" in w)
    reason = options.pop("reason", "").strip()
    if not reason:
        raise AnnotationError(f'{where}: a docs-check comment needs reason="...": {body!r}')
    if bare == ["skip"] and not options:
        return Annotation("skip", reason)
    if not bare and set(options) == {"skip-line"} and options["skip-line"].strip():
        return Annotation("skip-line", reason, options["skip-line"].strip())
    if (
        not bare
        and set(options) == {"exit", "line"}
        and options["exit"].isdigit()
        and options["line"].strip()
    ):
        return Annotation("exit", reason, options["line"].strip(), int(options["exit"]))
    raise AnnotationError(f"{where}: unknown docs-check comment: {body!r}")


def blocks_of(path: Path) -> list[Block]:
    return blocks_in(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))


def blocks_in(text: str, doc: str) -> list[Block]:
    """The fenced blocks of one document's text, each with the annotations right above its fence."""
    found = []
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        above = text[: match.start()].splitlines()
        notes: list[Annotation] = []
        while above and (annotation := ANNOTATION.match(above[-1].strip())):
            notes.insert(0, parse_annotation(annotation.group("body"), f"{doc}:{len(above)}"))
            above.pop()
        indent = len(match.group("indent"))
        body = "".join(
            raw[indent:] if raw[:indent].isspace() else raw for raw in match.group("body").splitlines(True)
        )
        found.append(Block(doc, line, match.group("lang"), body, notes))
    return found


def all_blocks() -> list[Block]:
    return [b for doc in DOCS for b in blocks_of(doc)]

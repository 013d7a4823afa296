"""What the docs check ran and skipped, for the assertion that nothing unannotated was left out and for the
summary printed at the end of the pytest run (tests/docs/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from docs_blocks import Block
from docs_session import Outcome


@dataclass
class Report:
    ran_blocks: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    runs: list[tuple[str, float, int]] = field(default_factory=list)  # where, seconds, exit code
    skips: list[tuple[str, str]] = field(default_factory=list)  # where (a block or one of its lines), reason

    def started(self, doc: str) -> None:
        self.documents.add(doc)

    def ran(self, outcome: Outcome) -> None:
        where = outcome.block.where
        self.ran_blocks.add(where)
        self.runs.append((where, outcome.seconds, outcome.returncode))
        self.skips.extend((f"{where} line `{line}`", reason) for line, reason in outcome.skipped_lines)

    def skipped(self, block: Block, reason: str) -> None:
        self.skips.append((f"{block.where} (block)", reason))

    def lines(self) -> list[str]:
        if not self.runs and not self.skips:
            return []
        seconds = sum(s for _, s, _ in self.runs)
        out = [
            f"docs check: {len(self.runs)} blocks executed in {seconds:.0f} s, "
            f"{sum(1 for w, _ in self.skips if w.endswith('(block)'))} blocks and "
            f"{sum(1 for w, _ in self.skips if not w.endswith('(block)'))} lines skipped by annotation:"
        ]
        out += [f"  ran  {where}  {s:5.1f} s  exit {code}" for where, s, code in self.runs]
        out += [f"  skip {where}: {reason}" for where, reason in self.skips]
        return out


REPORT = Report()

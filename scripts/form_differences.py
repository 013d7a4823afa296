"""Items the draft places in a different section in the recogniser form than in the punctuated form (issue 15).

``python scripts/form_differences.py [--quiet]`` drafts both forms (``text`` and ``asr_text``) of every readable
note through ``medscribe.textdraft.draft_sections``: notes.jsonl's and each held-out batch's dev part (the first 28
lines of the file, read no further: a final part is never read) and every tuning set (``TUNING_SPLITS``).

An item is keyed by its kind and name (``report.entity_key``: one form for digits and words); it *differs* when
both forms draft it and its sections (Needs review aside) are not the same. Each line shows the note, the item,
its punctuated -> recogniser sections, whether the recogniser item is flagged (``FLAGGED <kinds>`` or
``silent``) and the recogniser words before the name (the structure that decided its scope). ``--quiet`` prints
the counts only. ``--notes FILE`` drafts that file's notes instead (a check set: run it with ``--quiet`` only, so
a set that must never be tuned on is never itemised). Last stdout line: JSON ``{"differing": n, "unflagged": n,
"one_form_only": n}``.
"""

from __future__ import annotations

import argparse
import json
from itertools import islice
from pathlib import Path
from typing import Any

from medscribe.evaluation.drafts import HELD_OUT_BATCHES, NOTES_FILE, TUNING_SPLITS
from medscribe.evaluation.report import entity_key

DEV_LINES = 28  # notes 1-28 of notes.jsonl and of each held-out batch: the dev part
WINDOW = 10  # recogniser words shown before the item's name


def readable_notes() -> list[dict[str, Any]]:
    """Dev parts (first DEV_LINES lines only) and tuning sets; never a line of a final part."""
    notes = []
    for path in (NOTES_FILE, *HELD_OUT_BATCHES.values()):
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                notes += [json.loads(line) for line in islice(handle, DEV_LINES) if line.strip()]
    for path in TUNING_SPLITS.values():
        if Path(path).exists():
            notes += [
                json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
    return [n for n in notes if not n["split"].endswith("final")]


def notes_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def placed(obj: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(kind, name key) -> {"sections": set, "flags": list} over every section but Needs review."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for section in obj.get("sections", []):
        if section.get("title") == "Needs review":
            continue
        for item in section.get("items", []):
            if not item.get("name"):
                continue
            slot = out.setdefault(
                (item.get("kind", ""), entity_key(item["name"])), {"sections": set(), "flags": []}
            )
            slot["sections"].add(section["title"])
            slot["flags"] += item.get("flags", [])
    return out


def context(asr_text: str, name: str) -> str:
    words, target = asr_text.split(), entity_key(name).split()
    for i in range(len(words)):
        if [w.lower() for w in words[i : i + len(target)]] == target:
            return " ".join(words[max(0, i - WINDOW) : i + len(target)])
    return "?"


def main(argv: list[str] | None = None) -> int:
    from medscribe.textdraft import draft_sections

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--notes", type=Path, default=None, help="a check set's notes file (with --quiet)")
    args = parser.parse_args(argv)
    if args.notes is not None and not args.quiet:
        parser.error("--notes counts a check set, never itemises it: add --quiet")
    notes = readable_notes() if args.notes is None else notes_of(args.notes)
    differing = unflagged = one_form = 0
    for note in notes:
        punct, recog = placed(draft_sections(note["text"])), placed(draft_sections(note["asr_text"]))
        for key in sorted(punct.keys() | recog.keys()):
            if key not in punct or key not in recog:
                one_form += 1
                continue
            if punct[key]["sections"] == recog[key]["sections"]:
                continue
            differing += 1
            flags = sorted(set(recog[key]["flags"]))
            unflagged += not flags
            if not args.quiet:
                was, now = (
                    "/".join(sorted(punct[key]["sections"])),
                    "/".join(sorted(recog[key]["sections"])),
                )
                mark = "FLAGGED " + ",".join(flags) if flags else "silent"
                print(f"{note['split']} {note['id']} {key[0]} {key[1]!r}: {was} -> {now} [{mark}]")
                print(f"    ... {context(note['asr_text'], key[1])}")
    print(json.dumps({"differing": differing, "unflagged": unflagged, "one_form_only": one_form}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

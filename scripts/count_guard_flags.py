"""Count the "not captured" flags the draft raises on the tuning material (issue 15 item 7: false flags).

``python scripts/count_guard_flags.py [--list]``: for the dev notes of ``corpus/drafts/notes.jsonl`` (never the
final third: its notes are not even drafted), every tuning set of ``TUNING_SPLITS``, the 36 corpus dictations and
the shipped sample, in both forms (punctuated and recogniser), the number of POSSIBLE_*_NOT_CAPTURED flags per
kind, and how many of them name nothing the note's expectations hold (``other``: a candidate false flag, to be
read), and how many the structural guard raised (``cue``: the message says "is said after <cue>" or "before a
dose"), how many by a word's shape (``shape``: "has the shape of", "is said like an eponym", "is said as
letters"). ``--list`` prints each flag's kind and subject (tuning material only).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.evaluation.drafts import HELD_OUT_BATCHES, NOTES_FILE, TUNING_SPLITS, load_notes
from medscribe.evaluation.matching import aliases, norm_name
from medscribe.textdraft import draft_from_text

KINDS = (
    "POSSIBLE_CONDITION_NOT_CAPTURED",
    "POSSIBLE_MEDICATION_NOT_CAPTURED",
    "POSSIBLE_ALLERGY_NOT_CAPTURED",
)


# the words of a flag raised by a word's shape (word_shapes.py): a condition's or drug's ending, an eponym, letters
_SHAPE_WORDS = (" has the shape of ", " is said like an eponym ", " is said as letters")


def expected_names(note: dict[str, Any]) -> list[str]:
    e = note.get("expect")
    if e is None:  # a corpus dictation: its gold
        g = note.get("gold", {})
        return [m["name"] for m in g.get("medications", [])] + [c["name"] for c in g.get("conditions", [])]
    names = [m["name"] for m in e["medications"]] + list(e["problems"])
    names += [a["substance"] for a in e["allergies"]] + [a.get("reaction", "") for a in e["allergies"]]
    for key in ("family_history", "conditional", "denied", "not_taking"):
        names += list(e[key])
    names += [f["name"] for f in e["forbidden"]]
    return [a for n in names if n for a in aliases(n)]


def sets() -> dict[str, list[dict[str, Any]]]:
    out = {"dev": [n for n in load_notes(NOTES_FILE) if n["split"] == "dev"]}
    for batch, path in HELD_OUT_BATCHES.items():  # the dev part of each held-out batch, never its final part
        if path.exists():
            out[f"{batch}-dev"] = [n for n in load_notes(path) if n["split"] == f"{batch}-dev"]
    out |= {split: load_notes(path) for split, path in TUNING_SPLITS.items() if path.exists()}
    out["dictations"] = [
        json.loads(line) for line in Path("corpus/dictations.jsonl").read_text().splitlines()
    ]
    out["sample"] = [{"id": "sample", "text": Path("samples/dictation.txt").read_text(encoding="utf-8")}]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    for name, notes in sets().items():
        for form in ("punctuated", "recogniser"):
            counts: Counter[str] = Counter()
            for note in notes:
                text = note["text"] if form == "punctuated" else recogniser_form(note["text"])
                _, draft = draft_from_text(text)
                names = expected_names(note)
                for f in draft.flags:
                    if f.kind not in KINDS:
                        continue
                    said = norm_name(f.message)
                    known = any(n and (f" {n} " in f" {said} ") for n in names)
                    counts[f.kind] += 1
                    counts["other"] += not known
                    counts["cue"] += " is said after " in f.message or " before a dose " in f.message
                    counts["shape"] += any(w in f.message for w in _SHAPE_WORDS)
                    if args.list:
                        print(
                            f"  {name}/{form[:5]} {note['id']:<16} {f.kind[9:-13]:<10} {'ok ' if known else 'OTHER'} {f.subject!r}"
                        )
            total = sum(counts[k] for k in KINDS)
            print(
                f"{name:<11} {form:<10} notes {len(notes):>2}  flags {total:>3}  cue {counts['cue']:>3}  "
                f"shape {counts['shape']:>3}  other {counts['other']:>3}  "
                + " ".join(f"{k[9:-13].lower()} {counts[k]}" for k in KINDS)
            )


if __name__ == "__main__":
    main()

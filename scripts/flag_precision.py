"""Flag precision of the draft (issue 15): which review flags stand on an item that is really wrong where it stands.

``python scripts/flag_precision.py [--list KIND ...] [--sets NAME ...]``: for every note with expectations of the
readable sets (``corpus/drafts/notes.jsonl``'s dev part, the dev part of each held-out batch — never a final
part — and every tuning set with full expectations), both forms (punctuated and recogniser), every review flag of
the draft is judged against the note's ``expect`` by the scorer's own rules (``medscribe.evaluation.drafts``,
PROCEDURE.md section 6):

- ``needed``: the flag is about an item (a section item it marks, or its own "Needs review" line) that would be a
  silent error (wrong fact, wrong dose, omission, misplaced) if that item were left unflagged, or removing this
  flag alone from the draft adds a finding (a weak flag: it was the one naming the real problem; a false all-clear
  on a ``needs_review`` note: it was the only flag);
- ``noise``: neither; the flag stands on a correct item.

The 36 corpus dictations and the sample have no expectations: only their flag counts per kind are printed.
Detection is cached per text under ``$MEDSCRIBE_HOME/flag_precision`` (the guards run every time). The last line
is JSON: per kind, needed / noise over the readable sets.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.evaluation.drafts import (
    ERROR_KINDS,
    HELD_OUT_BATCHES,
    NOTES_FILE,
    TUNING_SPLITS,
    is_final,
    load_notes,
    score_sections,
)
from medscribe.logic.document.draft import build_draft
from medscribe.logic.document.model import Draft
from medscribe.logic.document.sections import NEEDS_REVIEW, build_sections

SILENT = set(ERROR_KINDS) - {"false_all_clear"}


def readable_sets() -> dict[str, list[dict[str, Any]]]:
    out = {"dev": [n for n in load_notes(NOTES_FILE) if n["split"] == "dev"]}
    for batch, path in HELD_OUT_BATCHES.items():  # the dev part only, never a final part
        if path.exists():
            out[f"{batch}-dev"] = [n for n in load_notes(path) if n["split"] == f"{batch}-dev"]
    for split, path in TUNING_SPLITS.items():
        if path.exists():
            notes = load_notes(path)
            if notes and "medications" in notes[0].get("expect", {}):
                out[split] = notes
    for notes in out.values():
        assert not any(is_final(n["split"]) for n in notes)
    return out


def unscored_sets() -> dict[str, list[dict[str, Any]]]:
    lines = Path("corpus/dictations.jsonl").read_text(encoding="utf-8").splitlines()
    return {
        "dictations": [json.loads(line) for line in lines if line.strip()],
        "sample": [{"id": "sample", "text": Path("samples/dictation.txt").read_text(encoding="utf-8")}],
    }


def _cache_dir() -> Path:
    home = Path(os.environ.get("MEDSCRIBE_HOME", "/tmp/flag-precision-home"))
    path = home / "flag_precision"
    path.mkdir(parents=True, exist_ok=True)
    return path


def draft_of(text: str) -> Draft:
    """The draft as ``draft_from_text`` builds it; the detector's filtered response cached per text."""
    from medscribe.logic.entities import filter_by_score
    from medscribe.offline.ner import OfflineEntityDetector
    from medscribe.textnorm import normalize_clinical_text

    normalised = normalize_clinical_text(text)
    cached = _cache_dir() / (hashlib.sha256(normalised.encode()).hexdigest()[:24] + ".pkl")
    if cached.exists():
        response = pickle.loads(cached.read_bytes())
    else:
        response = OfflineEntityDetector().detect_entities(normalised)
        filter_by_score(response, 0.5)
        cached.write_bytes(pickle.dumps(response))
    return build_draft(response, normalised, min_score=0.5)


def _findings(note: dict[str, Any], obj: dict[str, Any]) -> Counter[tuple[str, str, str]]:
    return Counter((f.kind, f.section, f.what) for f in score_sections(note, obj))


def _items(obj: dict[str, Any]) -> list[tuple[int, int, dict[str, Any]]]:
    return [(s, i, item) for s, sec in enumerate(obj["sections"]) for i, item in enumerate(sec["items"])]


def _without_item_flags(obj: dict[str, Any], s: int, i: int) -> dict[str, Any]:
    """The object with one item unflagged (a "Needs review" line is dropped: it is nothing but its flag)."""
    out = json.loads(json.dumps(obj))
    if out["sections"][s]["title"] == NEEDS_REVIEW:
        del out["sections"][s]["items"][i]
    else:
        out["sections"][s]["items"][i]["flags"] = []
        out["sections"][s]["items"][i].pop("reasons", None)
    return out


def judge(note: dict[str, Any], draft: Draft) -> list[tuple[str, str, str]]:
    """(kind, verdict, why) per flag of the draft: verdict "needed" or "noise"."""
    obj = build_sections(draft).as_json()
    base = _findings(note, obj)
    wrong_item: dict[tuple[int, int], str] = {}
    for s, i, item in _items(obj):
        if item.get("flags"):
            new = _findings(note, _without_item_flags(obj, s, i)) - base
            silent = [k for k, _, _ in new if k in SILENT]
            if silent:
                wrong_item[(s, i)] = silent[0]
    out = []
    for n, flag in enumerate(draft.flags):
        without = draft.model_copy(update={"flags": draft.flags[:n] + draft.flags[n + 1 :]})
        obj2 = build_sections(without).as_json()
        alone = [k for k, _, _ in _findings(note, obj2) - base]
        touched = [
            (s, i)
            for (s, i, item), (_, _, item2) in zip(_items(obj), _items(_pad(obj, obj2)), strict=True)
            if item != item2
        ]
        why = next((wrong_item[t] for t in touched if t in wrong_item), None) or (alone[0] if alone else None)
        out.append((flag.kind, "needed" if why else "noise", why or ""))
    return out


def _pad(obj: dict[str, Any], obj2: dict[str, Any]) -> dict[str, Any]:
    """``obj2`` with the Needs review lines aligned on ``obj``'s (the removed flag's line an empty item)."""
    out = json.loads(json.dumps(obj2))
    for sec, sec2 in zip(obj["sections"], out["sections"], strict=True):
        if sec["title"] == NEEDS_REVIEW:
            texts = [it["text"] for it in sec2["items"]]
            aligned = []
            for it in sec["items"]:
                if it["text"] in texts:
                    aligned.append(sec2["items"][texts.index(it["text"])])
                    texts[texts.index(it["text"])] = None
                else:
                    aligned.append({})
            sec2["items"] = aligned
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--list", nargs="*", default=None, help="print each noise flag of these kinds (all: none)"
    )
    parser.add_argument("--sets", nargs="*", default=None)
    args = parser.parse_args()
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for name, notes in readable_sets().items():
        if args.sets and name not in args.sets:
            continue
        for form in ("punctuated", "recogniser"):
            count, flags, needed, noisy = 0, 0, 0, 0
            for note in notes:
                text = note["text"] if form == "punctuated" else recogniser_form(note["text"])
                draft = draft_of(text)
                count += 1
                for (kind, verdict, _why), flag in zip(judge(note, draft), draft.flags, strict=True):
                    per_kind[kind][verdict] += 1
                    flags += 1
                    needed += verdict == "needed"
                    noisy += verdict == "noise"
                    if args.list is not None and verdict == "noise" and (not args.list or kind in args.list):
                        print(f"    {name}/{form[:5]} {note['id']:<14} {kind:<28} {flag.label[:110]}")
            print(
                f"{name:<16} {form:<10} notes {count:>3} flags {flags:>4} needed {needed:>4} noise {noisy:>4}"
            )
    for name, notes in unscored_sets().items():
        if args.sets and name not in args.sets:
            continue
        for form in ("punctuated", "recogniser"):
            kinds: Counter[str] = Counter()
            flagged = 0
            for note in notes:
                text = note["text"] if form == "punctuated" else recogniser_form(note["text"])
                draft = draft_of(text)
                kinds.update(f.kind for f in draft.flags)
                flagged += bool(draft.flags)
            print(
                f"{name:<16} {form:<10} notes {len(notes):>3} flagged {flagged:>3} flags {sum(kinds.values()):>4}"
            )
            print("    " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    print("per kind (readable sets): needed / noise")
    for kind, c in sorted(per_kind.items(), key=lambda kv: -kv[1]["noise"]):
        print(f"  {kind:<32} {c['needed']:>4} {c['noise']:>4}")
    print(json.dumps({k: dict(v) for k, v in per_kind.items()}, sort_keys=True))


if __name__ == "__main__":
    main()

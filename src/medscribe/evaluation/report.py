"""Run the held-out notes through a draft source and report per split (dev / final) and form.

``python scripts/score_drafts.py [--command "medscribe draft -"] [--source auto|legacy|inprocess]
[--details]`` (or ``make score-drafts``) prints a table and, as its last line, one JSON object with every figure.
``--details`` lists the findings and entity misses of the **dev** and tuning notes only: the final third is never
itemised. Each later held-out batch (``batch3.jsonl`` … ``batch13.jsonl``, PROCEDURE.md sections 9, 11, 13, 17, 22,
27, 32, 39, 47, 54 and 61) is read beside notes.jsonl with its own split by order (``batch3-dev`` / ``batch3-final`` …
``batch13-dev`` / ``batch13-final`` columns); its final part is never itemised either.

Entity precision / recall: the offline detector's top-level entities (Score >= 0.5) against ``expect.entities``,
compared as distinct names per note and category (``score_entities``; ``--per-mention`` for the earlier rule),
counted with the NER conformance set's :class:`~medscribe.offline.ner.conformance.Tally`, texts compared in one
form (digit ordinals as words, recogniser form, then ``normalize_clinical_text``, lower case) so "3 days" and "three
days", "5th metacarpal" and "fifth metacarpal" agree. A set with no reference of a category has no figure for it:
``null`` in the JSON, "—" in the table (not 0.00 or 1.00).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from medscribe.evaluation.asr_form import recogniser_form, speak_ordinals
from medscribe.evaluation.drafts import (
    ERROR_KINDS,
    HELD_OUT_BATCHES,
    NOTES_FILE,
    TUNING_SPLITS,
    Finding,
    batch_of,
    check_notes,
    is_final,
    load_notes,
    score_sections,
)
from medscribe.evaluation.sources import SectionSource, detect, pick_source
from medscribe.offline.ner.conformance import CATEGORIES, MIN_SCORE, Tally

FORMS = {"punctuated": "text", "recogniser": "asr_text"}
# always reported; a held-out batch's or a tuning-only split is added when its notes are
SPLITS = ("dev", "final")
NO_FIGURE = "\u2014"  # the table's cell for a precision / recall with no reference of the category


def splits_of(notes: list[dict[str, Any]]) -> tuple[str, ...]:
    """dev and final (always), then each held-out batch present (its dev and final), then each tuning split."""
    present = {n["split"] for n in notes}
    batches = tuple(f"{b}-{part}" for b in HELD_OUT_BATCHES if b in map(batch_of, present) for part in SPLITS)
    return SPLITS + batches + tuple(s for s in TUNING_SPLITS if s in present)


def entity_key(text: str) -> str:
    """An entity text in the one form both sides are compared in: a digit ordinal spoken as its word ("5th" ->
    "fifth", as a reference writes it), the recogniser form, then ``normalize_clinical_text``, lower case."""
    from medscribe.textnorm import normalize_clinical_text

    return " ".join(normalize_clinical_text(recogniser_form(speak_ordinals(text))).lower().split())


def score_entities(
    note: dict[str, Any], response: dict[str, Any], tally: Tally, *, per_mention: bool = False
) -> None:
    """Top-level entities of ``response`` vs the note's references (PROCEDURE.md section 6).

    A reference is a name said in the note (``{category, text}``, no position), written once or once per mention
    as its author chose, so names are compared as sets per note and category: a name referenced and predicted
    (once or more) is one true positive, a referenced name never predicted one false negative, a predicted name in
    no reference one false positive. ``per_mention=True`` is the earlier rule (each reference matches at most one
    prediction: a drug said twice but referenced once was a false positive), kept to reproduce earlier figures.
    An EXTRA is itemised only in a category the note holds references of (a medication-only set lists no
    condition as extra)."""
    predicted = Counter(
        (e["Category"], entity_key(e["Text"]))
        for e in response.get("Entities", [])
        if e["Score"] >= MIN_SCORE and e["Category"] in CATEGORIES
    )
    refs = [
        (r.get("category") or r["Category"], r.get("text") or r["Text"]) for r in note["expect"]["entities"]
    ]
    gold = Counter((category, entity_key(text)) for category, text in refs if category in CATEGORIES)
    if not per_mention:
        gold, predicted = Counter(set(gold)), Counter(set(predicted))
    referenced = {category for category, _ in gold}
    for category, text in sorted(gold | predicted):
        hit = min(gold[(category, text)], predicted[(category, text)])
        tally.tp[category] += hit
        tally.fn[category] += gold[(category, text)] - hit
        tally.fp[category] += predicted[(category, text)] - hit
        if gold[(category, text)] > hit:
            tally.misses.append(f"{note['id']} {category} MISSED {text}")
        if predicted[(category, text)] > hit and category in referenced:
            tally.misses.append(f"{note['id']} {category} EXTRA {text}")


def _cell() -> dict[str, Any]:
    return {"notes": 0, "findings": [], "tally": Tally()}


def evaluate(
    notes: list[dict[str, Any]],
    source: SectionSource,
    detector: Callable[[str], dict[str, Any]] | None = detect,
    *,
    per_mention: bool = False,
) -> dict[tuple[str, str], dict[str, Any]]:
    """Findings and entity tallies per (split, form); ``detector=None`` skips the entity figures."""
    cells = {(s, f): _cell() for s in splits_of(notes) for f in FORMS}
    for note in notes:
        for form, key in FORMS.items():
            cell = cells[(note["split"], form)]
            cell["notes"] += 1
            for finding in score_sections(note, source(note[key])):
                cell["findings"].append((note["id"], finding))
            if detector is not None:
                score_entities(note, detector(note[key]), cell["tally"], per_mention=per_mention)
    return cells


def figures(cell: dict[str, Any], with_entities: bool = True) -> dict[str, Any]:
    kinds = Counter(f.kind for _, f in cell["findings"])
    out: dict[str, Any] = {"notes": cell["notes"]}
    out["silent_dangerous_errors"] = sum(kinds[k] for k in ERROR_KINDS)
    out.update({k: kinds[k] for k in ERROR_KINDS})
    out["weak_flags"] = kinds["weak_flag"]
    out["notes_with_silent_errors"] = len({nid for nid, f in cell["findings"] if f.kind in ERROR_KINDS})
    if with_entities:
        t: Tally = cell["tally"]
        out["entities"] = {c: entity_figures(t, c) for c in CATEGORIES}
    return out


def entity_figures(t: Tally, category: str) -> dict[str, Any]:
    """Precision / recall of one category, ``None`` for both when the set holds no reference of it (a set not
    annotated for a category cannot say how precise the detector is there)."""
    referenced = t.tp[category] + t.fn[category] > 0
    return {
        "precision": round(t.precision(category), 3) if referenced else None,
        "recall": round(t.recall(category), 3) if referenced else None,
        "tp": t.tp[category],
        "fp": t.fp[category],
        "fn": t.fn[category],
    }


def pr_cell(figures: dict[str, Any]) -> str:
    """ "0.94/0.86", or "—/—" when the set has no reference of the category."""
    return "/".join(NO_FIGURE if figures[k] is None else f"{figures[k]:.2f}" for k in ("precision", "recall"))


def table(result: dict[str, Any]) -> str:
    cols = [(s, f) for s in result["figures"] for f in FORMS]
    rows = ["silent_dangerous_errors", *ERROR_KINDS, "weak_flags", "notes_with_silent_errors", "notes"]
    labels = [f"{s}/{f[:5]}" for s, f in cols]
    widths = [max(13, len(label) + 2) for label in labels]  # "batch3-final/recog" is wider than the others
    lines = [f"{'':<26}" + "".join(label.rjust(w) for label, w in zip(labels, widths, strict=True))]
    for r in rows:
        cells = [str(result["figures"][s][f][r]) for s, f in cols]
        lines.append(f"{r:<26}" + "".join(c.rjust(w) for c, w in zip(cells, widths, strict=True)))
    if "entities" in result["figures"][cols[0][0]]["punctuated"]:
        lines.append(f"{'entities P/R':<26}")
        for c in CATEGORIES:
            cells = [pr_cell(result["figures"][s][f]["entities"][c]) for s, f in cols]
            lines.append(f"  {c:<24}" + "".join(e.rjust(w) for e, w in zip(cells, widths, strict=True)))
    return "\n".join(lines)


def hazard_coverage(notes: list[dict[str, Any]], batch: str | None = None) -> dict[str, dict[str, int]]:
    """Notes holding each hazard, all and in the final part, over one held-out set: notes.jsonl (``batch=None``)
    or a later held-out batch ("batch3"); tuning notes are not counted."""
    cover: dict[str, dict[str, int]] = {}
    for note in notes:
        if note["split"] in TUNING_SPLITS or batch_of(note["split"]) != batch:
            continue
        for hazard in note["hazards"]:
            cover.setdefault(hazard, {"all": 0, "final": 0})
            cover[hazard]["all"] += 1
            cover[hazard]["final"] += is_final(note["split"])
    return dict(sorted(cover.items()))


def coverage_line(name: str, cover: dict[str, dict[str, int]]) -> str:
    return f"hazard coverage {name} (notes all/final): " + ", ".join(
        f"{h} {c['all']}/{c['final']}" for h, c in cover.items()
    )


def run(
    notes: list[dict[str, Any]],
    source_label: str,
    source: SectionSource,
    detector: Callable[[str], dict[str, Any]] | None = detect,
    *,
    per_mention: bool = False,
) -> tuple[dict[str, Any], dict[tuple[str, str], dict[str, Any]]]:
    cells = evaluate(notes, source, detector, per_mention=per_mention)
    result = {
        "source": source_label,
        "entity_matching": "per mention" if per_mention else "distinct names",
        "notes": len(notes),
        "figures": {
            s: {f: figures(cells[(s, f)], detector is not None) for f in FORMS} for s in splits_of(notes)
        },
    }
    return result, cells


def details(cells: dict[tuple[str, str], dict[str, Any]]) -> str:
    """The findings and entity misses (a reference not found: MISSED, a prediction in no reference: EXTRA) of the
    dev and tuning splits, one a line (no final split, of notes.jsonl or of a held-out batch, is ever itemised)."""
    lines = []
    for split, form in cells:
        if is_final(split):
            continue
        for note_id, finding in cells[(split, form)]["findings"]:
            lines.append(f"{split}/{form[:5]} {note_id:<18} {Finding.show(finding)}")
        lines.extend(f"{split}/{form[:5]} entity {miss}" for miss in cells[(split, form)]["tally"].misses)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the clinical draft on the held-out notes (issue 15).")
    parser.add_argument(
        "--notes",
        type=Path,
        action="append",
        help="a notes file (repeatable); default: notes.jsonl, the held-out batches (HELD_OUT_BATCHES) and the tuning sets",
    )
    parser.add_argument("--command", default=None, help='a draft command, e.g. "medscribe draft -"')
    parser.add_argument("--source", choices=("auto", "legacy", "inprocess"), default="auto")
    parser.add_argument(
        "--details",
        action="store_true",
        help="list the dev and tuning findings and entity misses (never the final ones)",
    )
    parser.add_argument(
        "--per-mention",
        action="store_true",
        help="entities by the earlier rule (a reference matches one prediction), to reproduce earlier figures",
    )
    parser.add_argument(
        "--entity-set",
        type=Path,
        default=None,
        help="score an entity-only set (corpus/drafts/tuning_ner.jsonl)",
    )
    args = parser.parse_args(argv)
    if args.entity_set is not None:
        return _entity_set_main(args.entity_set, args.details, args.per_mention)
    extra = [*HELD_OUT_BATCHES.values(), *TUNING_SPLITS.values()]
    paths = args.notes or [NOTES_FILE, *(p for p in extra if p.exists())]
    notes = [n for p in paths for n in load_notes(p)]
    bad = check_notes(notes)
    if bad:
        print("\n".join(bad))
        return 2
    label, source = pick_source(args.source, args.command)
    with_entities = any(n["expect"]["entities"] for n in notes)  # a tuning batch may hold no references
    result, cells = run(notes, label, source, detect if with_entities else None, per_mention=args.per_mention)
    result["hazard_coverage"] = hazard_coverage(notes)
    batches = [b for b in HELD_OUT_BATCHES if any(batch_of(n["split"]) == b for n in notes)]
    result["hazard_coverage_batches"] = {b: hazard_coverage(notes, b) for b in batches}
    print(
        f"source: {label}; {len(notes)} notes, dev {sum(n['split'] == 'dev' for n in notes)}"
        + "".join(f", {s} {sum(n['split'] == s for n in notes)}" for s in splits_of(notes) if s != "dev")
    )
    if args.details:
        print(details(cells))
    print(table(result))
    for b, cover in result["hazard_coverage_batches"].items():
        print(coverage_line(b, cover))
    print(json.dumps(result, sort_keys=True))
    return 0


def _entity_set_main(path: Path, with_details: bool, per_mention: bool) -> int:
    from medscribe.evaluation import entity_set

    notes = entity_set.load(path)
    bad = entity_set.check(notes)
    if bad:
        print("\n".join(bad))
        return 2
    tallies = entity_set.evaluate(notes, detect, per_mention=per_mention)
    figures = entity_set.report(tallies)
    print(f"entity set {path.name}: {len(notes)} notes, references {dict(entity_set.counted(notes))}")
    if with_details:
        for form, tally in tallies.items():
            print("\n".join(f"{form[:5]} {m}" for m in tally.misses))
    print(entity_set.table(figures))
    print(json.dumps({"entity_set": path.name, "figures": figures}, sort_keys=True))
    return 0

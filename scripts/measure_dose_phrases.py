"""Generated prescription phrases (:mod:`dose_phrases`) drafted through ``medscribe draft``'s path, each judged
against its truth: **exact** (the drug's one Medications row says the dose, and what the family requires: the old
dose as "(was …)", every taper step in order, a range flagged DOSE_RANGE, a limit as "(max …)" and never the dose,
a liquid's strength with its form, a weekly schedule), **flagged** (not exact, but the row carries a flag naming its
dose: :data:`DOSE_FLAGS`) or **silent** (neither: a misread a clinician could sign).

    .venv/bin/python scripts/measure_dose_phrases.py            # counts per third, form and family
    .venv/bin/python scripts/measure_dose_phrases.py --show     # also the tuning third's non-exact cases
    .venv/bin/python scripts/measure_dose_phrases.py --round 2  # the second round's templates

The held-out third (:func:`dose_phrases.held_out`) is reported as counts only, never itemised.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dose_phrases  # noqa: F401  (registers round 1)
import dose_phrases2  # noqa: F401  (registers round 2)
from dose_pools import atom
from dose_truth import Case, Truth, cases, held_out

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.evaluation.matching import mentions
from medscribe.textdraft import draft_sections

DOSE_FLAGS = {
    "DOSE_RANGE",
    "DOSE_STRENGTH_UNCLEAR",
    "DOSE_UNIT_UNSAID",
    "DOSE_TITRATION",
    "DOSE_UNATTACHED",
    "DOSE_CHANGE_UNATTACHED",
    "DOSE_NUMBER_UNCLEAR",
    "PARTIAL_AMOUNT",
    "NOT_NORMALISED",
    "SELF_CORRECTION",
    "CORRECTION_SCOPE_UNCLEAR",
}
_SAID = re.compile(r"\(said \u201c[^\u201d]*\u201d\)")
_N = r"(\d+(?:\.\d+)?)"
_WORDS = [
    (re.compile(r"\u00b5g|\u03bcg|\bmicrograms?\b"), "mcg"),
    (re.compile(r"\bmilligrams?\b"), "mg"),
    (re.compile(r"(?<=\d)\s*(?:nanograms?|ng)\b"), " ng"),
    (re.compile(r"\bmillilitres?\b"), "ml"),
    (re.compile(r"\bgrams?\b"), "g"),
    (re.compile(r"\bkilograms?\b|\bkilos?\b"), "kg"),
    (re.compile(r"(?<=\d),(?=\d{3}\b)"), ""),
]
_MASS = r"(mg|mcg|g)"
_COUNT = r"(mg|mcg|ng|g|ml|units?|tablets?|capsules?|puffs?|drops?|patch(?:es)?)\b"
_ATOMS = [  # in order; each match is removed before the next pattern
    ("conc", re.compile(rf"{_N}\s*{_MASS}\s*(?:/|in|per)\s*{_N}\s*ml\b")),
    ("day", re.compile(rf"{_N}\s*(mcg|mg)\s*(?:/|per|every)\s*24\s*(?:hours|hrs|h)\b")),
    ("rate", re.compile(rf"{_N}\s*(mcg|mg)\s*(?:/|per|an|a)\s*(?:hour|hr|h)\b")),
    ("kgday", re.compile(rf"{_N}\s*mg\s*(?:/|per)\s*kg\s*(?:/|per|a)?\s*(?:day|d)\b")),
    ("kg", re.compile(rf"{_N}\s*mg\s*(?:/|per)\s*kg\b")),
    ("m2", re.compile(rf"{_N}\s*mg\s*(?:/\s*m(?:2|\u00b2)|per\s+(?:square\s+metre|metre\s+squared|m2))")),
    ("range", re.compile(rf"{_N}\s*{_MASS}?\s*(?:-|\u2013|to|or)\s*{_N}\s*{_COUNT}")),
    ("plain", re.compile(rf"{_N}\s*{_COUNT}")),
]
_UNIT_KEY = {"unit": "units", "units": "units", "ml": "mL"}


def _unit(u: str) -> str:
    u = u.lower()
    if u in ("mg", "mcg", "g", "ng"):
        return u
    if u.startswith("patch"):
        return "patch"
    return _UNIT_KEY.get(u, u if u.endswith("s") else u + "s")


def atoms(text: str) -> list[str]:
    """The quantities of a draft's dose text, in order, as :func:`dose_pools.atom` writes them."""
    text = _SAID.sub(" ", text).lower()
    for pattern, repl in _WORDS:
        text = pattern.sub(repl, text)
    found: list[tuple[int, str]] = []
    for kind, pattern in _ATOMS:
        for m in pattern.finditer(text):
            g = m.groups()
            if kind == "conc":
                a = f"{atom(float(g[0]), g[1])}/{float(g[2]):g} ml"
            elif kind == "day":
                a = f"{float(g[0]) * (1000 if g[1] == 'mg' else 1):g} mcg/24h"
            elif kind == "rate":
                a = f"{float(g[0]) * (1000 if g[1] == 'mg' else 1):g} mcg/h"
            elif kind in ("kgday", "kg", "m2"):
                a = f"{float(g[0]):g} " + {"kgday": "mg/kg/day", "kg": "mg/kg", "m2": "mg/m2"}[kind]
            elif kind == "range":
                unit = _unit(g[3])
                lo = atom(float(g[0]), g[1] or unit).split()[0]
                a = f"{lo}-{atom(float(g[2]), unit)}"
            else:
                a = atom(float(g[0]), _unit(g[1]))
            found.append((m.start(), a))
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return [a for _, a in sorted(found)]


def _same_total(said: list[str], want: list[str], on_row: list[str]) -> bool:
    """ "20 mg tablet, 2.5 tablets = 50 mg" for "20 mg tablets, two and a half tablets": the strength shown on the
    row and the count as the dose, with the total it makes."""
    masses = [a for a in want if a.endswith(" mg")]
    counts = [a for a in want if a.endswith((" tablet", " capsule"))]
    if len(masses) != 1 or len(counts) != 1 or masses[0] not in on_row:
        return False
    total = f"{round(float(masses[0].split()[0]) * float(counts[0].split()[0]), 6):g} mg"
    return sorted(said) in (sorted(counts), sorted([*counts, total]))


def _was(text: str) -> list[str] | None:
    m = re.search(r"\(was ([^:;)]*)", text)
    return atoms(m.group(1)) if m else None


def judge(truth: Truth, sections: dict[str, list[dict[str, Any]]]) -> tuple[str, str]:
    """("exact" | "flagged" | "silent", why)."""
    rows = [i for i in sections.get("Medications", []) if mentions(i, truth.drug)]
    if not rows:
        noted = any(mentions(i, truth.drug) for i in sections.get("Needs review", []))
        return ("flagged" if noted else "silent"), "no row"
    why = _wrong(truth, rows)
    flagged = any(_dose_flag(r, frequency=why.startswith("frequency")) for r in rows)
    if not why:
        return "exact", ""
    return ("flagged" if flagged else "silent"), why


def _dose_flag(row: dict[str, Any], *, frequency: bool = False) -> bool:
    """The row carries a flag naming its dose (or, when its schedule is what is wrong, its frequency)."""
    reasons = " ".join(row.get("reasons") or []).lower()
    kinds = set(row["flags"])
    named = "frequency" if frequency else "dose"
    return bool(kinds & DOSE_FLAGS) or (bool(kinds & {"BLANK_CELL", "CONTRADICTION"}) and named in reasons)


def _wrong(truth: Truth, rows: list[dict[str, Any]]) -> str:
    if len(rows) > 1:
        return f"{len(rows)} rows"
    row = rows[0]
    text, dose = row["text"], str(row.get("dose") or "")
    said = atoms(dose)
    want = [q.atom for q in truth.dose]
    same = (said if truth.taper else sorted(said)) == (want if truth.taper else sorted(want))
    if not same and not _same_total(said, want, atoms(text)):
        return f"dose {said} != {want}"
    if truth.range and "DOSE_RANGE" not in row["flags"]:
        return "range not flagged"
    if truth.was is not None:
        was = _was(text)
        if truth.was and was != [q.atom for q in truth.was]:
            return f"was {was} != {[q.atom for q in truth.was]}"
        if not truth.was and was:
            return f"was {was}, none said"
        if not re.search(r"\(was |previous dose not stated|dose (?:in|de)creased|dose changed", text):
            return "change not named"
    if truth.limit:
        m = re.search(r"\(max(?:imum)? ([^)]*)\)", text)
        if not m or atoms(m.group(1)) != [q.atom for q in truth.limit]:
            return "limit not shown as max"
    if truth.strength and not {q.atom for q in truth.strength} <= set(atoms(text)):
        return "strength not shown"
    if truth.frequency and truth.frequency not in text.lower():
        return f"frequency not {truth.frequency}"
    return ""


def run(case: Case, form: str) -> tuple[str, str, dict[str, list[dict[str, Any]]]]:
    text = case.text if form == "text" else recogniser_form(case.said)
    sections = {s["title"]: s["items"] for s in draft_sections(text)["sections"]}
    return (*judge(case.truth, sections), sections)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="list the tuning third's non-exact cases")
    parser.add_argument("--family", default="", help="with --show: only this family")
    parser.add_argument("--round", type=int, default=1, help="the templates' round (1: section 31, 2: 31a)")
    args = parser.parse_args()
    held = held_out(args.round)
    counts: Counter[str] = Counter()
    families: Counter[str] = Counter()
    for case in cases(round_=args.round):
        third = "held-out" if case.template in held else "tuning"
        for form in ("text", "asr"):
            outcome, why, sections = run(case, form)
            counts[f"{third} {form} {outcome}"] += 1
            counts[f"{third} all {outcome}"] += 1
            if third == "tuning":
                families[f"{case.family} | {outcome}"] += 1
                if args.show and outcome != "exact" and args.family in case.family:
                    said = case.text if form == "text" else recogniser_form(case.said)
                    meds = [i["text"] + f" {i['flags']}" for i in sections.get("Medications", [])]
                    print(f"[{outcome}] {case.template} {form}: {said}\n    {why}\n    {meds}")
    print(
        json.dumps(
            {"counts": dict(sorted(counts.items())), "tuning families": dict(sorted(families.items()))},
            indent=1,
        )
    )


if __name__ == "__main__":
    main()

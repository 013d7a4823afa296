"""Medication / condition P, R, F1 of the offline NER on the corpus reference texts.

Usage: python scripts/eval_ner.py [--split tune|heldout|all] [--show]

A predicted medication (Score >= 0.5, the pipeline's filter) matches a gold one by name; "full" matches also
need dose (STRENGTH or DOSAGE text), frequency, route and negation to agree. Strings are compared
lower-cased with whitespace collapsed, after ``medscribe.textnorm.normalize_clinical_text`` when that module
exists (gold is in spoken form).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from medscribe.offline.ner import OfflineEntityDetector

ROOT = Path(__file__).resolve().parent.parent


def _normalizer() -> Callable[[str], str]:
    try:
        from medscribe.textnorm import normalize_clinical_text  # type: ignore[import-not-found]
    except ImportError:
        return lambda s: re.sub(r"\s+", " ", s.lower()).strip()
    return lambda s: re.sub(r"\s+", " ", normalize_clinical_text(s).lower()).strip()


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _predicted(
    resp: dict[str, Any], norm: Callable[[str], str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    meds, conds = [], []
    for e in resp["Entities"]:
        if e["Score"] < 0.5:
            continue
        neg = any(t["Name"] == "NEGATION" for t in e["Traits"])
        if e["Category"] == "MEDICATION":
            attrs: dict[str, str] = {}
            for a in e["Attributes"]:
                key = {
                    "STRENGTH": "dose",
                    "DOSAGE": "dose",
                    "FREQUENCY": "frequency",
                    "ROUTE_OR_MODE": "route",
                }.get(a["Type"])
                if key and key not in attrs and a["Score"] >= 0.5:
                    attrs[key] = norm(a["Text"])
            meds.append({"name": norm(e["Text"]), "negated": neg, **attrs})
        elif e["Category"] == "MEDICAL_CONDITION":
            conds.append({"name": norm(e["Text"]), "negated": neg})
    return meds, conds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="all")
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--asr-style", action="store_true", help="lower-case the text and drop punctuation first")
    args = ap.parse_args()
    norm = _normalizer()
    rows = [
        json.loads(line) for line in (ROOT / "corpus" / "dictations.jsonl").read_text().splitlines() if line
    ]
    det = OfflineEntityDetector()
    det.detect_entities("warm up metformin")
    splits = ["tune", "heldout"] if args.split == "all" else [args.split]
    for split in splits:
        c: Counter[str] = Counter()
        words = 0
        elapsed = 0.0
        for row in rows:
            if row["split"] != split:
                continue
            t0 = time.perf_counter()
            text = row["text"]
            if args.asr_style:
                text = re.sub(r"[^\w\s']", "", text.lower())
            resp = det.detect_entities(text)
            elapsed += time.perf_counter() - t0
            words += len(row["text"].split())
            meds, conds = _predicted(resp, norm)
            gold_meds = [
                {"name": norm(g["name"]), "negated": bool(g["negated"]),
                 **{k: norm(g[k]) for k in ("dose", "frequency", "route") if g.get(k)}}
                for g in row["gold"]["medications"]
            ]  # fmt: skip
            unmatched = list(meds)
            for g in gold_meds:
                hit = next((m for m in unmatched if m["name"] == g["name"]), None)
                if hit is None:
                    c["med_fn"] += 1
                    c["full_fn"] += 1
                    if args.show:
                        print(f"{row['id']} MISSED {g}")
                    continue
                unmatched.remove(hit)
                c["med_tp"] += 1
                for k in ("dose", "frequency", "route", "negated"):
                    c[f"{k}_ok"] += hit.get(k) == g.get(k)
                if hit == g:
                    c["full_tp"] += 1
                else:
                    c["full_fn"] += 1
                    c["full_fp"] += 1
                    if args.show:
                        print(f"{row['id']} DIFF gold={g} pred={hit}")
            for m in unmatched:
                c["med_fp"] += 1
                c["full_fp"] += 1
                if args.show:
                    print(f"{row['id']} EXTRA {m}")
            gold_conds = [(norm(g["name"]), bool(g["negated"])) for g in row["gold"]["conditions"]]
            gold_conds = list(dict.fromkeys(gold_conds))
            pred_conds = list(dict.fromkeys((m["name"], m["negated"]) for m in conds))
            rest = list(pred_conds)
            for g in gold_conds:
                if g in rest:
                    rest.remove(g)
                    c["cond_tp"] += 1
                else:
                    c["cond_fn"] += 1
                    if args.show:
                        print(f"{row['id']} COND MISSED {g} pred={pred_conds}")
            c["cond_fp"] += len(rest)
            if args.show and rest:
                print(f"{row['id']} COND EXTRA {rest}")
        p, r, f = _prf(c["med_tp"], c["med_fp"], c["med_fn"])
        fp_, fr, ff = _prf(c["full_tp"], c["full_fp"], c["full_fn"])
        cp, cr, cf = _prf(c["cond_tp"], c["cond_fp"], c["cond_fn"])
        tp = c["med_tp"] or 1
        print(
            f"[{split}] medication name P={p:.3f} R={r:.3f} F1={f:.3f} | full (name+dose+freq+route+neg) "
            f"P={fp_:.3f} R={fr:.3f} F1={ff:.3f} | attr acc dose={c['dose_ok'] / tp:.2f} "
            f"freq={c['frequency_ok'] / tp:.2f} route={c['route_ok'] / tp:.2f} neg={c['negated_ok'] / tp:.2f} | "
            f"conditions(name+neg) P={cp:.3f} R={cr:.3f} F1={cf:.3f} | {1000 * elapsed / max(words, 1) * 1000:.0f} ms"
            f" per 1000 words"
        )


if __name__ == "__main__":
    main()

"""Quality benchmark of the offline backends on the evaluation corpus (``corpus/dictations.jsonl``).

For every dictation: transcribe ``corpus/audio/<id>.<format>`` with the offline ASR (``medscribe.offline.asr``),
then run ``normalize_clinical_text`` + ``OfflineEntityDetector.detect_entities`` on (a) the reference text and
(b) the ASR transcript, keeping entities with Score >= 0.5 as the pipeline does. Prints, per voice and
overall, separately for the ``tune`` and ``heldout`` splits:

- WER: word error rate of the transcript against the reference (jiwer; lower-cased, punctuation removed,
  spoken form on both sides);
- RTF: recognition time / audio duration (audio decoding included, decoder construction excluded);
- medication precision / recall / F1, matching the lower-cased drug name against the gold name, on reference
  text ("ref") and on the pipeline's own transcripts ("asr");
- dose / frequency accuracy: among matched medications whose gold dose (frequency) is set, the share whose
  STRENGTH or DOSAGE (FREQUENCY) attribute equals the gold value (both normalised, lower-cased);
- negation accuracy: among matched medications and conditions, the share whose NEGATION trait agrees with
  the gold ``negated`` flag.

    .venv/bin/python scripts/bench_quality.py                 # everything (~2 min on 2 cores)
    .venv/bin/python scripts/bench_quality.py --no-lexicon    # ASR without the medical lexicon
    .venv/bin/python scripts/bench_quality.py --split heldout --json bench.json
    .venv/bin/python scripts/bench_quality.py --conformance-only   # the NER conformance table (~2 s)

After the table: medication P/R per split (reference text and ASR transcripts), and the per-category
P/R of the NER conformance set (``tests/offline/data/conformance_notes.json``, tuned on) beside the held-out
notes (``tests/offline/data/ner_heldout_notes.json``, whose ``conventions`` record the figures each set
had when first scored; scoring in ``medscribe.offline.ner.conformance``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jiwer

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "dictations.jsonl"
AUDIO = ROOT / "corpus" / "audio"
CONFORMANCE = ROOT / "tests" / "offline" / "data" / "conformance_notes.json"
HELD_OUT = ROOT / "tests" / "offline" / "data" / "ner_heldout_notes.json"
MIN_SCORE = 0.5


def words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("-", " ")).split())


def norm(value: str | None) -> str | None:
    from medscribe.textnorm import normalize_clinical_text

    return None if value is None else " ".join(normalize_clinical_text(value).lower().split())


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    attr_ok: Counter[str] = field(default_factory=Counter)
    attr_n: Counter[str] = field(default_factory=Counter)
    neg_ok: int = 0
    neg_n: int = 0

    def add(self, other: Tally) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        self.attr_ok.update(other.attr_ok)
        self.attr_n.update(other.attr_n)
        self.neg_ok, self.neg_n = self.neg_ok + other.neg_ok, self.neg_n + other.neg_n

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def acc(self, attr: str) -> float | None:
        return self.attr_ok[attr] / self.attr_n[attr] if self.attr_n[attr] else None

    @property
    def negation(self) -> float | None:
        return self.neg_ok / self.neg_n if self.neg_n else None


def score_entities(response: dict[str, Any], gold: dict[str, Any]) -> Tally:
    """Compare a DetectEntitiesV2 response with one dictation's gold annotations."""
    kept = [e for e in response["Entities"] if e["Score"] >= MIN_SCORE]
    meds = [e for e in kept if e["Category"] == "MEDICATION"]
    conds = [e for e in kept if e["Category"] == "MEDICAL_CONDITION"]
    t = Tally()

    def negated(e: dict[str, Any]) -> bool:
        return any(tr["Name"] == "NEGATION" and tr["Score"] >= MIN_SCORE for tr in e.get("Traits", []))

    unmatched = list(meds)
    for g in gold["medications"]:
        name = g["name"].lower()
        hit = next((e for e in unmatched if " ".join(e["Text"].lower().split()) == name), None)
        if hit is None:
            t.fn += 1
            continue
        unmatched.remove(hit)
        t.tp += 1
        attrs = defaultdict(set)
        for a in hit.get("Attributes", []):
            attrs[a["Type"]].add(norm(a["Text"]))
        for key, types in (("dose", ("STRENGTH", "DOSAGE")), ("frequency", ("FREQUENCY",))):
            if g[key] is not None:
                t.attr_n[key] += 1
                t.attr_ok[key] += any(norm(g[key]) in attrs[ty] for ty in types)
        t.neg_n += 1
        t.neg_ok += negated(hit) == g["negated"]
    t.fp += len(unmatched)
    cond_unmatched = list(conds)
    for g in gold["conditions"]:
        name = norm(g["name"])
        hit = next((e for e in cond_unmatched if norm(e["Text"]) == name), None)
        if hit is not None:
            cond_unmatched.remove(hit)
            t.neg_n += 1
            t.neg_ok += negated(hit) == g["negated"]
    return t


@dataclass
class Row:
    id: str
    split: str
    voice: str
    ref: str
    hyp: str
    seconds: float
    asr_seconds: float
    on_ref: Tally
    on_asr: Tally


def run(rows: list[dict[str, Any]], *, lexicon: bool, ner: bool) -> list[Row]:
    from medscribe.offline import asr, pcm
    from medscribe.shapes import TranscribeOutput
    from medscribe.textnorm import normalize_clinical_text

    detector = None
    if ner:
        from medscribe.offline.ner import OfflineEntityDetector

        detector = OfflineEntityDetector()
    asr.recognizer(lexicon)  # build the decoder outside the timed region
    out = []
    for r in rows:
        path = AUDIO / f"{r['id']}.{r['format']}"
        started = time.perf_counter()
        result = asr.transcribe_file(path, job_name=r["id"], lexicon=lexicon)
        elapsed = time.perf_counter() - started
        hyp = TranscribeOutput.model_validate(result).text
        seconds = len(pcm.load_audio(path)) / pcm.SAMPLE_RATE
        on_ref, on_asr = Tally(), Tally()
        if detector is not None:
            on_ref = score_entities(detector.detect_entities(normalize_clinical_text(r["text"])), r["gold"])
            on_asr = score_entities(detector.detect_entities(normalize_clinical_text(hyp)), r["gold"])
        out.append(Row(r["id"], r["split"], r["voice"], r["text"], hyp, seconds, elapsed, on_ref, on_asr))
        print(f"  {r['id']} {r['voice']:<16} {elapsed / seconds:.2f} RTF", file=sys.stderr, flush=True)
    return out


def summarise(rows: list[Row]) -> dict[str, Any]:
    on_ref, on_asr = Tally(), Tally()
    for r in rows:
        on_ref.add(r.on_ref)
        on_asr.add(r.on_asr)
    return {
        "n": len(rows),
        "wer": jiwer.wer([words(r.ref) for r in rows], [words(r.hyp) for r in rows]),
        "rtf": sum(r.asr_seconds for r in rows) / sum(r.seconds for r in rows),
        "ref": _tally(on_ref),
        "asr": _tally(on_asr),
    }


def _tally(t: Tally) -> dict[str, Any]:
    return {
        "precision": t.precision,
        "recall": t.recall,
        "f1": t.f1,
        "dose_acc": t.acc("dose"),
        "freq_acc": t.acc("frequency"),
        "negation_acc": t.negation,
    }


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def table(rows: list[Row], ner: bool) -> tuple[str, dict[str, Any]]:
    lines, report = [], {}
    head = "| split | voice | n | WER | RTF |"
    if ner:
        head += " med P/R/F1 (ref) | dose/freq/neg (ref) | med P/R/F1 (asr) | dose/freq/neg (asr) |"
    lines += [head, "|" + "---|" * (head.count("|") - 1)]
    flite = [v for v in sorted({r.voice for r in rows}) if v.startswith("flite:")]
    for split in ("tune", "heldout"):
        in_split = [r for r in rows if r.split == split]
        if not in_split:
            continue
        groups = [(v, [r for r in in_split if r.voice == v]) for v in sorted({r.voice for r in in_split})]
        groups += [("all flite voices", [r for r in in_split if r.voice in flite]), ("ALL", in_split)]
        for name, group in groups:
            if not group:
                continue
            s = summarise(group)
            report[f"{split}/{name}"] = s
            line = f"| {split} | {name} | {s['n']} | {s['wer']:.3f} | {s['rtf']:.3f} |"
            if ner:
                for side in ("ref", "asr"):
                    m = s[side]
                    line += f" {m['precision']:.3f}/{m['recall']:.3f}/{m['f1']:.3f} |"
                    line += f" {_fmt(m['dose_acc'])}/{_fmt(m['freq_acc'])}/{_fmt(m['negation_acc'])} |"
            lines.append(line)
    return "\n".join(lines), report


def conformance_report() -> str:
    """Per-category P/R of the offline NER on the tuned conformance notes and, beside them, on the held-out
    notes (never tuned on one by one; see HELD_OUT's ``conventions``), then the tuned set's counts."""
    from medscribe.offline.ner import OfflineEntityDetector
    from medscribe.offline.ner.conformance import evaluate, load_notes, side_by_side

    tuned = load_notes(CONFORMANCE)
    held = load_notes(HELD_OUT)
    detect = OfflineEntityDetector().detect_entities
    columns = {
        f"tuned ({len(tuned)})": evaluate(tuned, detect),
        **{
            f"{name} ({len(group)})": evaluate(group, detect)
            for name in ("heldout", "fresh", "last")
            if (group := [n for n in held if n.get("set") == name])
        },
    }
    total = evaluate(tuned, detect)
    return (
        "NER conformance, P/R per category: tuned notes beside held-out ones (heldout: scored once before the"
        " generalisation changes, fresh: written after them, last: written after those, never tuned on;"
        " once-scored figures in the held-out file's conventions)\n"
        f"{side_by_side(columns)}\n\ntuned conformance set ({len(tuned)} notes):\n{total.table()}"
    )


def medication_lines(report: dict[str, Any]) -> str:
    lines = []
    for key, s in report.items():
        if key.endswith("/ALL"):
            ref, asr = s["ref"], s["asr"]
            lines.append(
                f"medication {key.split('/')[0]}: reference text P={ref['precision']:.3f} R={ref['recall']:.3f}"
                f" | ASR transcript P={asr['precision']:.3f} R={asr['recall']:.3f}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", choices=["tune", "heldout", "all"], default="all")
    parser.add_argument("--voice", action="append", help="only these voices (repeatable)")
    parser.add_argument("--no-lexicon", action="store_true", help="ASR without the medical lexicon")
    parser.add_argument("--no-ner", action="store_true", help="WER/RTF only")
    parser.add_argument("--json", type=Path, help="write the numbers and transcripts here")
    parser.add_argument("--conformance-only", action="store_true", help="only the NER conformance table")
    args = parser.parse_args(argv)
    if args.conformance_only:
        print(conformance_report())
        return 0
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [
        r for r in rows if args.split in ("all", r["split"]) and (not args.voice or r["voice"] in args.voice)
    ]
    results = run(rows, lexicon=not args.no_lexicon, ner=not args.no_ner)
    text, report = table(results, ner=not args.no_ner)
    print(f"lexicon: {'off' if args.no_lexicon else 'on'}; Score >= {MIN_SCORE}")
    print(text)
    if not args.no_ner:
        print()
        print(medication_lines(report))
        print()
        print(conformance_report())
    if args.json:
        transcripts = {r.id: r.hyp for r in results}
        args.json.write_text(json.dumps({"summary": report, "transcripts": transcripts}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

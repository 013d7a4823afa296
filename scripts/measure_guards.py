"""Measure the draft guards' thresholds (docs/guards.md): `python scripts/measure_guards.py [OUT_DIR]`.

1. Transcribes, with the offline ASR, the corpus dictations, the sample, and generated non-speech (tones, beeps,
   chords, white and brown noise, 8-voice babble mixed from the corpus, voiced "ha"-like bursts, the sample over
   chords) and prints each transcript's intelligibility measures (medscribe.logic.intelligibility).
2. Builds the draft (offline detector) of every corpus text and every ASR transcript and counts guard flags.
3. Matches every 6+ letter word of the CMU dictionary against the drug names (fuzzy false matches).
Needs the `local` extra (pocketsphinx, soxr).
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from medscribe.logic.document import build_draft
from medscribe.logic.document.guard_data import drug_names
from medscribe.logic.document.guard_kinds import GUARD_HEADINGS
from medscribe.logic.document.not_captured import drug_match
from medscribe.logic.intelligibility import assess_output, doubts, failures
from medscribe.offline.asr import transcribe_file
from medscribe.offline.ner.detector import OfflineEntityDetector
from medscribe.offline.ner_lexicon import cmudict_path
from medscribe.shapes import TranscribeOutput
from medscribe.textnorm import normalize_clinical_text

SR = 16_000
ROOT = Path(__file__).resolve().parents[1]


def _load(path: Path) -> np.ndarray:
    x, sr = sf.read(path, always_2d=True)
    x = x.mean(axis=1)
    return soxr.resample(x, sr, SR) if sr != SR else x


def synthetic(out: Path) -> dict[str, Path]:
    rng = np.random.default_rng(11)
    t = np.arange(SR * 10) / SR
    notes = [261.6, 329.6, 392.0, 523.3, 349.2, 440.0, 293.7, 493.9] * 3
    music = np.zeros_like(t)
    for i, f in enumerate(notes):
        seg = (t >= i * 0.4) & (t < i * 0.4 + 0.38)
        env = np.exp(-3 * ((t - i * 0.4) % 0.4))
        for h, a in ((1, 0.5), (1.25, 0.3), (1.5, 0.3), (2, 0.15)):
            music += seg * env * a * np.sin(2 * np.pi * f * h * t)
    brown = np.cumsum(rng.standard_normal(len(t)))
    brown -= np.convolve(brown, np.ones(400) / 400, "same")
    babble = np.zeros(SR * 20)
    for k, p in enumerate(sorted((ROOT / "corpus" / "audio").iterdir())[:8]):
        x = _load(p)[: SR * 20]
        off = (k * 7919) % (SR * 3)
        seg = x[: len(babble) - off]
        babble[off : off + len(seg)] += seg
    ha = np.zeros(SR * 6)
    for i in range(12):
        s, n = int(i * 0.45 * SR), int(0.2 * SR)
        tt = np.arange(n) / SR
        buzz = np.sign(np.sin(2 * np.pi * 140 * tt)) * np.exp(-6 * tt)
        ha[s : s + n] += 0.4 * np.convolve(buzz, np.hanning(40), "same")
    speech = _load(ROOT / "samples" / "dictation.wav")
    signals = {
        "tone440": 0.5 * np.sin(2 * np.pi * 440 * t),
        "tone1k_beeps": 0.5 * np.sin(2 * np.pi * 1000 * t) * ((t % 1.0) < 0.5),
        "music_chords": music / np.abs(music).max() * 0.8,
        "white_noise": rng.standard_normal(len(t)) * 0.3,
        "brown_noise": brown / np.abs(brown).max() * 0.7,
        "babble8": babble / np.abs(babble).max() * 0.8,
        "ha_bursts": ha,
        "dictation_plus_music": speech / np.abs(speech).max() * 0.6 + 0.35 * np.resize(music, len(speech)),
    }
    paths = {}
    for name, x in signals.items():
        paths[name] = out / f"{name}.wav"
        sf.write(paths[name], np.clip(x, -1, 1).astype(np.float32), SR)
    return paths


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/medscribe-guards")
    out.mkdir(parents=True, exist_ok=True)
    real = {f"real:{p.name}": p for p in sorted((ROOT / "corpus" / "audio").iterdir())}
    real["real:sample"] = ROOT / "samples" / "dictation.wav"
    jobs = real | {f"synth:{k}": p for k, p in synthetic(out).items()}
    detector = OfflineEntityDetector()
    counts: collections.Counter[str] = collections.Counter()
    for name, path in jobs.items():
        raw = transcribe_file(path, job_name="x", account_id="0", media_format=path.suffix[1:])
        output = TranscribeOutput.model_validate(raw)
        if not output.results.items:
            print(f"{name:28s} no words")
            continue
        a = assess_output(output)
        print(
            f"{name:28s} words={a.words:3d} distinct={a.distinct_ratio:.2f} top={a.top_share:.2f} "
            f"run={a.longest_run} conf={a.mean_confidence or 0:.2f} fail={failures(a)} doubt={doubts(a)}"
        )
        if name.startswith("real:"):
            text = normalize_clinical_text(output.text)
            draft = build_draft(detector.detect_entities(text), text, asr_items=output.results.items)
            counts.update(f"asr {f.kind}" for f in draft.flags if f.kind in GUARD_HEADINGS)
    for line in (ROOT / "corpus" / "dictations.jsonl").read_text().splitlines():
        text = normalize_clinical_text(json.loads(line)["text"])
        draft = build_draft(detector.detect_entities(text), text)
        counts.update(f"text {f.kind}" for f in draft.flags if f.kind in GUARD_HEADINGS)
    print("guard flags on the corpus:", dict(counts) or "none")
    words = set()
    for entry in Path(cmudict_path() or "").read_text(encoding="latin-1").splitlines():
        w = re.sub(r"\(\d+\)$", "", entry.split(" ", 1)[0].lower())
        if re.fullmatch(r"[a-z]{6,}", w):
            words.add(w)
    names = drug_names()
    hits = sorted((w, m) for w in words if w not in names and (m := drug_match(w)))
    print(f"{len(words)} CMU words of 6+ letters, {len(hits)} fuzzy-match a drug name: {hits}")


if __name__ == "__main__":
    main()

"""Render the shipped sample dictation and the evaluation corpus with offline TTS voices.

Usage (from the repo root; needs the Debian packages ``flite`` and ``espeak-ng``)::

    .venv/bin/python scripts/make_corpus.py            # both
    .venv/bin/python scripts/make_corpus.py sample     # samples/dictation.wav + samples/dictation.txt
    .venv/bin/python scripts/make_corpus.py corpus     # corpus/audio/<id>.<format> from corpus/dictations.jsonl

Every file is 16 kHz mono (16-bit PCM for wav/flac). The outputs are committed: re-run only to change them.
A voice is ``"flite:<voice>"`` (slt, rms, awb, kal) or ``"espeak-ng:<voice>"`` (en-us, en+f3, ...).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_WAV = ROOT / "samples" / "dictation.wav"
SAMPLE_TXT = ROOT / "samples" / "dictation.txt"
CORPUS = ROOT / "corpus" / "dictations.jsonl"
AUDIO_DIR = ROOT / "corpus" / "audio"
TARGET_RATE = 16_000

# Wording chosen so the stock pocketsphinx model + the medical lexicon transcribe it well with flite's slt voice
# (e.g. "two times daily" is recognised, "twice daily" is not; see scripts/bench_quality.py for numbers).
SAMPLE_TEXT = (
    "This is a follow up visit for a fifty eight year old woman with type two diabetes and hypertension. "
    "She denies chest pain and denies shortness of breath. "
    "Her blood pressure today is one hundred thirty over eighty. "
    "Continue metformin five hundred milligrams two times daily. "
    "Continue lisinopril ten milligrams once daily. "
    "She reports no side effects from her medications. "
    "Follow up in three months."
)
SAMPLE_VOICE = "flite:slt"

_SUBTYPES = {"wav": "PCM_16", "flac": "PCM_16", "mp3": "MPEG_LAYER_III", "ogg": "VORBIS"}
_FORMATS = {"wav": "WAV", "flac": "FLAC", "mp3": "MP3", "ogg": "OGG"}


def synthesize(text: str, voice: str) -> tuple[np.ndarray, int]:
    """Speak ``text`` with ``voice``; returns (float32 mono samples, sample rate)."""
    engine, _, name = voice.partition(":")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "tts.wav"
        if engine == "flite":
            cmd = ["flite", "-voice", name, "-t", text, "-o", str(out)]
        elif engine == "espeak-ng":
            cmd = ["espeak-ng", "-v", name, "-w", str(out), text]
        else:
            raise ValueError(f"unknown TTS engine in voice {voice!r}")
        subprocess.run(cmd, check=True, capture_output=True)
        data, rate = sf.read(out, dtype="float32", always_2d=True)
    return data.mean(axis=1), int(rate)


def render(text: str, voice: str, path: Path) -> float:
    """Synthesize and write ``path`` (format from its suffix) at 16 kHz mono; returns the duration in s."""
    samples, rate = synthesize(text, voice)
    if rate != TARGET_RATE:
        samples = soxr.resample(samples, rate, TARGET_RATE, quality="HQ")
    fmt = path.suffix.lstrip(".")
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, samples, TARGET_RATE, format=_FORMATS[fmt], subtype=_SUBTYPES[fmt])
    return len(samples) / TARGET_RATE


def make_sample() -> None:
    duration = render(SAMPLE_TEXT, SAMPLE_VOICE, SAMPLE_WAV)
    SAMPLE_TXT.write_text(SAMPLE_TEXT + "\n", encoding="utf-8")
    print(f"{SAMPLE_WAV.relative_to(ROOT)}: {duration:.2f} s ({SAMPLE_VOICE})")


def load_corpus(path: Path = CORPUS) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def make_corpus() -> None:
    total = 0.0
    for row in load_corpus():
        out = AUDIO_DIR / f"{row['id']}.{row['format']}"
        total += render(str(row["text"]), str(row["voice"]), out)
    size = sum(p.stat().st_size for p in AUDIO_DIR.iterdir())
    print(f"corpus: {total:.1f} s of audio, {size / 1e6:.1f} MB in {AUDIO_DIR.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", nargs="?", choices=["sample", "corpus", "all"], default="all")
    args = parser.parse_args(argv)
    if args.what in ("sample", "all"):
        make_sample()
    if args.what in ("corpus", "all"):
        make_corpus()
    return 0


if __name__ == "__main__":
    sys.exit(main())

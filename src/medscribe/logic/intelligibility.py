"""Is a transcript speech a clinician said, or noise read as words? (issue 15 item 8)

An ASR turns music, tones, babble and laughter into words: few distinct ones repeated ("ha ha ha ha"), heard
with low confidence. :func:`assess` measures a transcript's words; :func:`require_intelligible` ends the
recording as ``NoSpeechDetected`` (the existing terminal failure: FAILED in every sink, RecordingFailed event,
no draft) when they are clearly not dictation; :func:`doubts` names what makes a transcript doubtful without
failing it (the draft then carries a page-top TRANSCRIPT_MAY_BE_UNINTELLIGIBLE flag, :mod:`.document.guards`).

Thresholds were measured on the offline ASR's transcripts of the repository's dictations (corpus/audio, the
sample) against generated tones, chords, noise, babble and voiced bursts: docs/guards.md.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from medscribe.errors import NoSpeechDetected
from medscribe.shapes import TranscribeOutput

REPETITION_MIN_WORDS = 8  # fewer words say too little about shares (a run of 4 still fails)
FAIL_TOP_SHARE = 0.6  # one word is most of all words ("ha ha ha uh"; dictations: <= 0.28)
FAIL_DISTINCT_RATIO = 0.25  # distinct words / words (per window) below this: a loop, not dictation
DISTINCT_WINDOW = (
    50  # words per window: a long dictation repeats its vocabulary, a loop repeats within seconds
)
FAIL_RUN = 4  # the same word this many times in a row
FAIL_MEAN_CONFIDENCE = 0.2  # mean word confidence below this: noise read as words (dictations: >= 0.35)
DOUBT_MEAN_CONFIDENCE = 0.55  # below this: flagged, not failed (babble 0.52, speech over music 0.54)
DOUBT_TOP_SHARE = 0.3
DOUBT_RUN = 3

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Assessment:
    words: int
    distinct: int
    top_word: str
    top_share: float  # share of all words taken by the most frequent one
    longest_run: int  # the longest run of one word repeated
    mean_confidence: float | None  # None: no confidences (a text, not audio)
    distinct_ratio: float = 0.0  # distinct / words, averaged over windows of DISTINCT_WINDOW words


def _distinct_ratio(tokens: Sequence[str]) -> float:
    """The moving-average type-token ratio: distinct / words in each window of ``DISTINCT_WINDOW`` words,
    averaged (the whole text when shorter). A plain ratio falls with length (a two-hour dictation reuses its
    vocabulary), so it would fail long real speech; a loop of noise words is low in every window."""
    if not tokens:
        return 0.0
    if len(tokens) <= DISTINCT_WINDOW:
        return len(set(tokens)) / len(tokens)
    step = max(1, (len(tokens) - DISTINCT_WINDOW) // 200)  # at most ~200 windows: bounded work
    starts = range(0, len(tokens) - DISTINCT_WINDOW + 1, step)
    return sum(len(set(tokens[i : i + DISTINCT_WINDOW])) for i in starts) / (len(starts) * DISTINCT_WINDOW)


def assess(words: Sequence[str], confidences: Sequence[float] = ()) -> Assessment:
    tokens = [t for w in words for t in _TOKEN.findall(w.lower())]
    counts = Counter(tokens)
    top, top_count = counts.most_common(1)[0] if counts else ("", 0)
    run = best = 0
    for i, t in enumerate(tokens):
        run = run + 1 if i and tokens[i - 1] == t else 1
        best = max(best, run)
    return Assessment(
        words=len(tokens),
        distinct=len(counts),
        top_word=top,
        top_share=top_count / len(tokens) if tokens else 0.0,
        longest_run=best,
        mean_confidence=sum(confidences) / len(confidences) if confidences else None,
        distinct_ratio=_distinct_ratio(tokens),
    )


def failures(a: Assessment) -> list[str]:
    """Why the transcript is not dictation at all ([] when it may be)."""
    out: list[str] = []
    if a.words >= REPETITION_MIN_WORDS:
        if a.top_share >= FAIL_TOP_SHARE:
            out.append(f"one word is {a.top_share:.0%} of all words")
        if a.distinct_ratio < FAIL_DISTINCT_RATIO:
            out.append(f"only {a.distinct} distinct words of {a.words}")
    if a.longest_run >= FAIL_RUN:
        out.append(f"one word repeated {a.longest_run} times in a row")
    if a.mean_confidence is not None and a.mean_confidence < FAIL_MEAN_CONFIDENCE:
        out.append(f"mean word confidence {a.mean_confidence:.2f} < {FAIL_MEAN_CONFIDENCE}")
    return out


def doubts(a: Assessment) -> list[str]:
    """Why the transcript may be unintelligible although it is not failed."""
    out: list[str] = []
    if a.words >= REPETITION_MIN_WORDS and a.top_share >= DOUBT_TOP_SHARE:
        out.append(f"one word is {a.top_share:.0%} of all words")
    if a.longest_run >= DOUBT_RUN:
        out.append(f"one word repeated {a.longest_run} times in a row")
    if a.mean_confidence is not None and a.mean_confidence < DOUBT_MEAN_CONFIDENCE:
        out.append(f"mean word confidence {a.mean_confidence:.2f}")
    return out


def assess_output(output: TranscribeOutput) -> Assessment:
    words: list[str] = []
    confidences: list[float] = []
    for item in output.results.items:
        if item.type != "pronunciation" or not item.alternatives:
            continue
        words.append(item.alternatives[0].content)
        try:
            confidences.append(float(item.alternatives[0].confidence))
        except ValueError:
            continue
    return assess(words or [output.text], confidences)


def require_intelligible(output: TranscribeOutput) -> None:
    """``NoSpeechDetected`` when the transcript's words are clearly noise, not dictation."""
    reasons = failures(assess_output(output))
    if reasons:
        raise NoSpeechDetected(f"the transcript is not intelligible speech: {'; '.join(reasons)}")

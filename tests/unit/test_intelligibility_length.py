"""The unintelligible-transcript rule must not depend on length: a long dictation reuses its vocabulary."""

from __future__ import annotations

import json
from pathlib import Path

from medscribe.logic.intelligibility import assess, failures

ROOT = Path(__file__).resolve().parents[2]


def corpus_words() -> list[str]:
    lines = (ROOT / "corpus" / "dictations.jsonl").read_text(encoding="utf-8").splitlines()
    return [w for line in lines for w in json.loads(line)["text"].split()]


def test_every_dictation_of_the_corpus_in_one_long_transcript_is_not_failed() -> None:
    # Given all the corpus's dictations as one long transcript, twice over (thousands of words)
    words = corpus_words() * 2
    assert len(words) > 1500
    # Then it reads as dictation, although its plain distinct/words ratio is far below the loop threshold
    a = assess(words, [0.8] * len(words))
    assert len(set(words)) / len(words) < 0.25
    assert failures(a) == []


def test_a_long_loop_of_a_few_noise_words_still_fails() -> None:
    words = ["ha", "ha", "uh", "la"] * 500
    assert failures(assess(words, [0.5] * len(words)))

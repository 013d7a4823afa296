"""The time linking's cost grows with the note, not with its square: a recogniser run is one sentence, so every
time expression meets every entity of the note (a long run once took 90 s instead of 1 s)."""

from __future__ import annotations

import time

from medscribe.offline.ner import OfflineEntityDetector

RUN = (
    "cough for the past three weeks worse since tuesday on and off for years more frequent since christmas "
    "started amlodipine 5 mg each morning last month increased to 10 mg two days ago rash on both arms "
    "overnight knee pain in the early hours review in four weeks metformin 500 mg twice daily for ten days "
    "headache since lunchtime within the hour "
)


def _cost(detector: OfflineEntityDetector, text: str) -> float:
    """CPU seconds of this process, best of three (wall time would count other jobs on a shared machine)."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        detector.detect_entities(text)
        best = min(best, time.process_time() - start)
    return best


def test_a_long_recogniser_run_costs_about_its_length() -> None:
    # Given one unpunctuated run, and the same run eight times over
    detector = OfflineEntityDetector()
    detector.detect_entities("warm up the dictionaries")
    short, long = RUN * 4, RUN * 32
    # When both are detected / Then eight times the text costs well under the 64 times of a quadratic pass
    ratio = _cost(detector, long) / _cost(detector, short)
    assert ratio < 24, ratio

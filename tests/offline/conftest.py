"""The offline detector's tests share one detector per test module (building it loads nothing; its tables load
on first use and are cached per checkout)."""

from __future__ import annotations

import pytest

from medscribe.offline.ner import OfflineEntityDetector


@pytest.fixture(scope="module")
def detector() -> OfflineEntityDetector:
    return OfflineEntityDetector()

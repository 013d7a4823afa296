"""The MockConfigFile-driven workflow tests exercise the poll path (TranscriptionWaitMode=poll): a mocked
StartTranscription returns at once, so nothing would ever answer a callback wait. The callback path has its
own tests (test_callback.py) with the real handlers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from medscribe.local.engine import LocalPipeline

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pipeline(fresh_database: str, tmp_path: Path) -> Iterator[LocalPipeline]:
    from medscribe.local.engine import LocalPipeline

    with LocalPipeline(
        ROOT,
        database_url=fresh_database,
        home=tmp_path,
        instant_waits=True,
        parameters={"TranscriptionWaitMode": "poll"},
    ) as p:
        yield p

"""One transient-error map: every adapter retries (or hands the state machine) the same codes. (That a code
surviving botocore's retries is ServiceThrottled after one call: ``test_adapters_comprehend``.)"""

from __future__ import annotations

from medscribe.adapters import comprehend, database, dynamodb, events, transcribe
from medscribe.adapters.transient import TRANSIENT_CODES


def test_every_adapter_uses_the_one_map() -> None:
    for module in (comprehend, dynamodb, events, transcribe):
        assert module.THROTTLING_CODES is TRANSIENT_CODES, module.__name__
    assert TRANSIENT_CODES <= database.DATA_API_TRANSIENT_CODES

"""One transient-error map: every adapter retries (or hands the state machine) the same codes."""

from __future__ import annotations

import copy

import pytest
from adapter_support import stub_client
from botocore.stub import Stubber
from comprehend_fakes import DETECT_RESPONSE, TEXT

from medscribe.adapters import comprehend, database, dynamodb, events, transcribe
from medscribe.adapters.comprehend import ComprehendMedicalDetector
from medscribe.adapters.transient import TRANSIENT_CODES
from medscribe.errors import ServiceThrottled


def test_every_adapter_uses_the_one_map() -> None:
    for module in (comprehend, dynamodb, events, transcribe):
        assert module.THROTTLING_CODES is TRANSIENT_CODES, module.__name__
    assert TRANSIENT_CODES <= database.DATA_API_TRANSIENT_CODES


@pytest.mark.parametrize("code", ["ServiceUnavailableException", "InternalServerException"])
def test_comprehend_unavailable_is_transient_and_retried(code: str) -> None:
    # Given Comprehend Medical unavailable once, then answering
    client = stub_client("comprehendmedical")
    sleeps: list[float] = []
    detector = ComprehendMedicalDetector(client, infer_rxnorm=False, sleep=sleeps.append)
    with Stubber(client) as stub:
        stub.add_client_error("detect_entities_v2", code, "unavailable", 500)
        stub.add_response("detect_entities_v2", copy.deepcopy(DETECT_RESPONSE), {"Text": TEXT})
        # When detected
        result = detector.detect_entities(TEXT)
    # Then it was retried (one backoff) and succeeded
    assert len(result["Entities"]) == 2
    assert len(sleeps) == 1


@pytest.mark.parametrize("code", ["ServiceUnavailableException", "InternalServerException"])
def test_comprehend_unavailable_to_the_end_is_a_named_transient_error(code: str) -> None:
    client = stub_client("comprehendmedical")
    detector = ComprehendMedicalDetector(client, infer_rxnorm=False, max_attempts=2, sleep=lambda _: None)
    with Stubber(client) as stub:
        for _ in range(2):
            stub.add_client_error("detect_entities_v2", code, "unavailable", 500)
        with pytest.raises(ServiceThrottled):
            detector.detect_entities(TEXT)

"""One transient-error map: every adapter retries (or hands the state machine) the same codes."""

from __future__ import annotations

import pytest
from adapter_support import stub_client
from botocore.stub import Stubber
from comprehend_fakes import TEXT

from medscribe.adapters import comprehend, database, dynamodb, events, transcribe
from medscribe.adapters.comprehend import ComprehendMedicalDetector
from medscribe.adapters.transient import TRANSIENT_CODES
from medscribe.errors import ServiceThrottled


def test_every_adapter_uses_the_one_map() -> None:
    for module in (comprehend, dynamodb, events, transcribe):
        assert module.THROTTLING_CODES is TRANSIENT_CODES, module.__name__
    assert TRANSIENT_CODES <= database.DATA_API_TRANSIENT_CODES


@pytest.mark.parametrize("code", ["ServiceUnavailableException", "InternalServerException"])
def test_comprehend_unavailable_after_botocore_is_a_named_transient_error(code: str) -> None:
    # Given Comprehend Medical still unavailable once botocore's attempts are spent
    client = stub_client("comprehendmedical")
    detector = ComprehendMedicalDetector(client, infer_rxnorm=False)
    with Stubber(client) as stub:
        stub.add_client_error("detect_entities_v2", code, "unavailable", 500)
        # When detected, Then ServiceThrottled (retried by the state machine) after that one call
        with pytest.raises(ServiceThrottled):
            detector.detect_entities(TEXT)
        stub.assert_no_pending_responses()

"""One sink of the RecordFailure Parallel state: DynamoDB FAILED, PostgreSQL FAILED, or RecordingFailed."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from medscribe.logic.outcome import record_failure
from medscribe.models import FailureInput
from medscribe.wiring import get_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore is patched at the first client: medscribe.wiring.client
metrics = Metrics()


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    state = FailureInput.model_validate(event)  # (powertools' parser: +80 ms import)
    logger.append_keys(
        recording_id=state.recording.recording_id, tenant=state.recording.tenant, sink=state.sink
    )
    services = get_services()
    services.outcomes.register_context(context)  # bounds an in-progress publish claim
    result = record_failure(state, services)
    metrics.add_metric(name="FailureRecorded", unit=MetricUnit.Count, value=int(result.recorded))
    return result.model_dump(mode="json")

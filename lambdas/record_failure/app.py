"""One sink of the RecordFailure Parallel state: DynamoDB FAILED, PostgreSQL FAILED, or RecordingFailed."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.typing import LambdaContext

from medscribe.logic.outcome import record_failure
from medscribe.models import FailureInput
from medscribe.wiring import get_services

logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
@event_parser(model=FailureInput)
def lambda_handler(event: FailureInput, context: LambdaContext) -> dict[str, Any]:
    logger.append_keys(
        recording_id=event.recording.recording_id, tenant=event.recording.tenant, sink=event.sink
    )
    services = get_services()
    services.outcomes.register_context(context)  # bounds an in-progress publish claim
    result = record_failure(event, services)
    metrics.add_metric(name="FailureRecorded", unit=MetricUnit.Count, value=int(result.recorded))
    return result.model_dump(mode="json")

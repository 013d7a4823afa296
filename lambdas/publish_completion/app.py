"""Publish RecordingProcessed on the medscribe bus (once per recording)."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.typing import LambdaContext

from medscribe.logic.outcome import publish_completion
from medscribe.models import ResultsPersisted
from medscribe.wiring import get_services

logger = Logger()
tracer = Tracer()
metrics = Metrics()


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
@event_parser(model=ResultsPersisted)
def lambda_handler(event: ResultsPersisted, context: LambdaContext) -> dict[str, Any]:
    logger.append_keys(recording_id=event.recording.recording_id, tenant=event.recording.tenant)
    services = get_services()
    services.outcomes.register_context(context)  # bounds an in-progress publish claim
    result = publish_completion(event, services)
    metrics.add_metric(name="CompletionPublished", unit=MetricUnit.Count, value=1)
    return result.model_dump(mode="json")

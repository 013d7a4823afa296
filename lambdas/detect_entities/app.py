"""Run DetectEntitiesV2 on the normalised transcript; store the response in S3."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from medscribe.logic.pipeline import detect_entities
from medscribe.models import TranscriptionStarted
from medscribe.wiring import get_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore is patched at the first client: medscribe.wiring.client
metrics = Metrics()


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    state = TranscriptionStarted.model_validate(event)  # (powertools' parser: +80 ms import)
    logger.append_keys(recording_id=state.recording.recording_id, tenant=state.recording.tenant)
    result = detect_entities(state, get_services())
    metrics.add_metric(name="EntitiesDetected", unit=MetricUnit.Count, value=1)
    return result.model_dump(mode="json")

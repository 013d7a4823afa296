"""One item of a backfill (BackfillPipeline's Map): its recording id, skipped when COMPLETED, else copied to
its processing key and handed back as the TranscribePipeline execution to run (``logic.backfill``)."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from medscribe.logic.backfill import BackfillItem, prepare_item
from medscribe.wiring import get_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore is patched at the first client: medscribe.wiring.client
metrics = Metrics()


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    item = BackfillItem.model_validate(event)
    logger.append_keys(tenant=item.tenant)
    prepared = prepare_item(item, get_services())
    logger.append_keys(recording_id=prepared.recording_id)
    metrics.add_metric(name="BackfillItemsSkipped", unit=MetricUnit.Count, value=int(prepared.skip))
    return prepared.model_dump(mode="json")

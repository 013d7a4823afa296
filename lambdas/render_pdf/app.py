"""Render the clinical summary / prescription draft PDF into S3."""

import os
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from medscribe.logic.pipeline import render_pdf
from medscribe.models import EntitiesFiltered
from medscribe.wiring import get_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore is patched at the first client: medscribe.wiring.client
metrics = Metrics()

if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start":
    # SnapStart snapshots the initialized process: render once now so the snapshot holds the PDF stack warm.
    from medscribe.logic.document.pdf import warm_up

    warm_up()


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    state = EntitiesFiltered.model_validate(event)  # (powertools' parser: +80 ms import)
    logger.append_keys(recording_id=state.recording.recording_id, tenant=state.recording.tenant)
    result = render_pdf(state, get_services())
    metrics.add_metric(name="DocumentRendered", unit=MetricUnit.Count, value=1)
    return result.model_dump(mode="json")

"""S3 "Object Created" under incoming/{tenant}/ (EventBridge) -> an execution named after the recording id.

Every upload (the version the event names) is copied, once, to its recording's own key and deleted once the
execution has started; a later upload to a started recording is deleted and audited
(``medscribe.logic.intake.start_upload``). A direct upload's key is the uploader's file name: only PostgreSQL
keeps it.

HTTP lives in lambdas/api. An upload whose tenant folder is missing, malformed or unknown raises
``UnknownTenant``: Lambda's async retries, then the on-failure destination (TriggerDLQ), keep the event.
"""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from medscribe.logic.intake import ObjectCreatedEvent, command_from_upload, start_upload
from medscribe.wiring import get_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore is patched at the first client: medscribe.wiring.client
metrics = Metrics()


def _state_machine_arn() -> str:
    arn = get_services().settings.state_machine_arn
    if not arn:
        raise RuntimeError("STATE_MACHINE_ARN is not set")
    return arn


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    svc = get_services()
    # Errors propagate: the rule's retry policy and DLQ keep the upload event.
    command = command_from_upload(
        ObjectCreatedEvent.model_validate(event), svc.settings.known_tenants, svc.table.get
    )
    logger.append_keys(recording_id=command.recording_id, tenant=command.tenant)
    result = start_upload(command, svc, _state_machine_arn())
    metrics.add_metric(name="RecordingsStarted", unit=MetricUnit.Count, value=int(result.started))
    if result.rejected:  # a later upload to a started recording: deleted, audited (upload_rejected)
        metrics.add_metric(name="UploadsRejected", unit=MetricUnit.Count, value=1)
    return result.model_dump(mode="json")

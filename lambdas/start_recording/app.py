"""Start an execution named after the recording id: from the API (POST /recordings, GET /recordings/{id})
or from an S3 upload under incoming/ (EventBridge "Object Created")."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import BadRequestError, NotFoundError
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from medscribe import errors
from medscribe.logic.intake import ObjectCreatedEvent, command_from_api, command_from_upload, start_recording
from medscribe.models import DEFAULT_TENANT, StartRequest
from medscribe.wiring import get_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore is patched at the first client: medscribe.wiring.client
metrics = Metrics()
app = APIGatewayRestResolver()


def _state_machine_arn() -> str:
    arn = get_services().settings.state_machine_arn
    if not arn:
        raise RuntimeError("STATE_MACHINE_ARN is not set")
    return arn


@app.post("/recordings")
@tracer.capture_method(capture_response=False)
def post_recording() -> Response[str]:
    svc = get_services()
    try:
        request = StartRequest.model_validate(app.current_event.json_body or {})
    except ValidationError as exc:
        raise BadRequestError(
            f"invalid request: {exc.error_count()} error(s): {exc.errors()[0]['loc']}"
        ) from exc
    if not svc.settings.audio_bucket:
        raise RuntimeError("AUDIO_BUCKET is not set")
    try:
        command = command_from_api(request, svc.settings.audio_bucket, svc)
    except errors.AudioNotFound as exc:
        raise NotFoundError("no such audio object") from exc
    except errors.InvalidInput as exc:
        raise BadRequestError(str(exc)) from exc
    result = start_recording(command, svc, _state_machine_arn())
    metrics.add_metric(name="RecordingsStarted", unit=MetricUnit.Count, value=int(result.started))
    return Response(
        status_code=202 if result.started else 200,
        content_type=content_types.APPLICATION_JSON,
        body=result.model_dump_json(),
    )


@app.get("/recordings")
@tracer.capture_method(capture_response=False)
def list_recordings() -> dict[str, Any]:
    params = app.current_event.query_string_parameters or {}
    tenant = params.get("tenant", DEFAULT_TENANT)
    try:
        limit = int(params.get("limit", "50"))
        items = get_services().table.list_by_tenant(tenant, status=params.get("status"), limit=limit)
    except ValueError as exc:
        raise BadRequestError(str(exc)) from exc
    return {"tenant": tenant, "recordings": items}


@app.get("/recordings/<recording_id>")
@tracer.capture_method(capture_response=False)
def get_recording(recording_id: str) -> dict[str, Any]:
    svc = get_services()
    item = svc.table.get(recording_id)
    if item is None:
        raise NotFoundError("no such recording")
    if item.get("status") == "COMPLETED" and item.get("pdf_key") and item.get("bucket"):
        item["pdf_url"] = svc.store.presigned_get(item["bucket"], item["pdf_key"], expires_in=3600)
    return item


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event.get("source") == "aws.s3":
        # Errors propagate: the rule's retry policy and DLQ keep the upload event.
        command = command_from_upload(ObjectCreatedEvent.model_validate(event))
        logger.append_keys(recording_id=command.recording_id, tenant=command.tenant)
        result = start_recording(command, get_services(), _state_machine_arn())
        metrics.add_metric(name="RecordingsStarted", unit=MetricUnit.Count, value=int(result.started))
        return result.model_dump(mode="json")
    return app.resolve(event, context)

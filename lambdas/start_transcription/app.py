"""Start the Transcribe Medical job named after the recording id.

Poll mode: the input is the state (``ValidatedRecording``). Callback mode (``.waitForTaskToken``): the input
also carries ``task_token``, stored against the recording before the job starts; the job's end returns it.
"""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from medscribe.logic.callback import start_transcription_and_wait
from medscribe.logic.pipeline import start_transcription
from medscribe.models import TranscriptionCallbackRequest, ValidatedRecording
from medscribe.wiring import get_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore is patched at the first client: medscribe.wiring.client
metrics = Metrics()


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if "task_token" in event:
        request = TranscriptionCallbackRequest.model_validate(event)
        logger.append_keys(recording_id=request.recording.recording_id, tenant=request.recording.tenant)
        result = start_transcription_and_wait(request, get_services())
    else:
        state = ValidatedRecording.model_validate(event)  # (powertools' parser: +80 ms import)
        logger.append_keys(recording_id=state.recording.recording_id, tenant=state.recording.tenant)
        result = start_transcription(state, get_services())
    metrics.add_metric(name="TranscriptionStarted", unit=MetricUnit.Count, value=1)
    return result.model_dump(mode="json")

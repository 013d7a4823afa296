"""Completion signal of callback mode: the transcript landed in S3 (or Transcribe reported the job's end)
-> SendTaskSuccess / SendTaskFailure on the recording's open wait."""

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from medscribe.logic.callback import SignalResult, complete_transcription, signal_from_event
from medscribe.wiring import get_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore is patched at the first client: medscribe.wiring.client
metrics = Metrics()


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    signal = signal_from_event(event)
    if signal is None:
        return SignalResult(recording_id=None, source=None, outcome="ignored").model_dump(mode="json")
    logger.append_keys(recording_id=signal.recording_id)
    result = complete_transcription(signal, get_services())
    logger.info("transcription signal", extra={"source": result.source, "outcome": result.outcome})
    metrics.add_metric(name=f"TranscriptionSignal_{result.outcome}", unit=MetricUnit.Count, value=1)
    return result.model_dump(mode="json")

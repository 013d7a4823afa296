"""Regenerate events/ and tests/statemachine/MockConfigFile.json from real local runs (`make events`).

1. Upload samples/dictation.wav under incoming/ on the local stack: S3 -> EventBridge -> StartRecording ->
   the state machine, every step a real handler. The event each function received is written to
   events/<function folder>.json, so every sample event is a real one and step N's output is literally the
   next file. A text file renamed .wav is uploaded too, for the failure path's sample.
2. From those payloads, the Step Functions Local MockConfigFile with one test case per path through the
   workflow (happy, retries, every Catch, the poll bound).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from medscribe.local.api_events import api_event
from medscribe.local.engine import LocalPipeline

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"
MOCK_CONFIG = ROOT / "tests" / "statemachine" / "MockConfigFile.json"
STATE_MACHINE = "TranscribePipeline"
# API samples: the claims API Gateway's Cognito authorizer passes (strings), and a POST /recordings body.
SAMPLE_CLAIMS = {
    "sub": "5f0c6a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f",
    "aud": "localclient",
    "token_use": "id",
    "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local",
    "custom:tenant": "demo",
    "cognito:groups": "clinician",
    "exp": "Tue Dec 01 06:00:00 UTC 2026",
}
SAMPLE_CREATE = {"content_type": "audio/wav", "transcription_type": "DICTATION"}
POLL_LIMIT_IN_TESTS = 4  # the PollLimitReached case lowers settings.max_polls so the bound is reached fast
# Poll mode: the sample events and the MockConfigFile test cases are for the poll path (CheckTranscription).
TEMPLATE_DEFAULTS = {
    "PollIntervalSeconds": "15",
    "MaxPolls": "240",
    "ConfidenceThreshold": "0.5",
    "TranscriptionWaitMode": "poll",
}


def stable_s3_event(event: dict[str, Any]) -> dict[str, Any]:
    """The same sample bytes give the same etag and recording id; pin the envelope's id and time too, so
    `make events` rewrites the S3 event identically (AWS shape: string time, lower-case etag)."""
    return {**event, "id": "17793124-05d4-b198-2fde-7ededc63b103", "time": "2026-11-22T07:00:57Z"}


# Wall-clock fields a run stamps (ISO-8601 strings): pinned, so `make events` rewrites the same files.
PINNED_TIMES = {"received_at": "2026-11-22T07:00:58.000000Z", "persisted_at": "2026-11-22T07:01:02.000000Z"}


def pin_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: PINNED_TIMES[k] if k in PINNED_TIMES and isinstance(v, str) else pin_times(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [pin_times(v) for v in value]
    return value


def dump(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(pin_times(value), indent=2, sort_keys=False) + "\n")


def main() -> int:
    with (
        tempfile.TemporaryDirectory() as home,
        LocalPipeline(ROOT, home=Path(home), instant_waits=True, parameters=TEMPLATE_DEFAULTS) as p,
    ):
        recording_id, arn = p.start_from_upload(ROOT / "samples" / "dictation.wav", tenant="default")
        ok = p.wait(arn)
        if ok.status != "SUCCEEDED":
            print(f"happy run ended {ok.status}: {ok.error} {ok.cause}", file=sys.stderr)
            return 1
        first: dict[str, Any] = {}
        for inv in p.dispatcher.invocations:
            first.setdefault(inv.function, inv)
        # The poll's sample output is the check that saw the job COMPLETED (earlier ones saw IN_PROGRESS).
        completed_check = [i for i in p.dispatcher.invocations if i.function == "CheckTranscriptionFunction"][
            -1
        ]
        bad = Path(home) / "not-audio.wav"
        bad.write_text("This is a text file renamed .wav, not audio.\n")
        _, bad_arn = p.start_from_upload(bad, tenant="default")
        failed = p.wait(bad_arn)
        assert failed.status == "FAILED", failed.status
        failure_event = next(
            i for i in p.dispatcher.invocations if i.function == "RecordFailureFunction"
        ).event
        folders = {spec.logical_id: spec.code_uri.name for spec in p.stack.functions.values()}

    for logical_id, inv in first.items():
        dump(EVENTS / f"{folders[logical_id]}.json", inv.event)
    s3_event = stable_s3_event(first["StartRecordingFunction"].event)
    dump(EVENTS / "s3_object_created.json", s3_event)
    dump(EVENTS / "start_recording.json", s3_event)
    dump(EVENTS / "record_failure.json", failure_event)
    post = api_event("POST", "/recordings", SAMPLE_CREATE)
    post["requestContext"]["authorizer"] = {"claims": SAMPLE_CLAIMS}
    dump(EVENTS / "api_post_recording.json", post)
    dump(EVENTS / "api.json", post)
    get = api_event("GET", f"/recordings/{recording_id}")
    get["resource"] = "/recordings/{recording_id}"
    get["pathParameters"] = {"recording_id": recording_id}
    get["requestContext"]["resourcePath"] = "/recordings/{recording_id}"
    get["requestContext"]["authorizer"] = {"claims": {**SAMPLE_CLAIMS, "custom:tenant": "default"}}
    dump(EVENTS / "api_get_recording.json", get)
    dump(EVENTS / "execution_input.json", json.loads(ok.history[0]["executionStartedEventDetails"]["input"]))

    outputs = {k: v.result for k, v in first.items()}
    outputs["CheckTranscriptionFunction"] = completed_check.result
    dump(MOCK_CONFIG, mock_config(outputs))
    print(f"wrote {len(first) + 5} events and {MOCK_CONFIG.relative_to(ROOT)}")
    return 0


def mock_config(outputs: dict[str, Any]) -> dict[str, Any]:
    def ok(fn: str) -> dict[str, Any]:
        return {"Return": {"StatusCode": 200, "Payload": outputs[fn]}}

    def throw(error: str, cause: str) -> dict[str, Any]:
        return {"Throw": {"Error": error, "Cause": cause}}

    started = outputs["StartTranscriptionFunction"]
    few_polls = {**started, "settings": {**started["settings"], "max_polls": POLL_LIMIT_IN_TESTS}}
    completed = outputs["CheckTranscriptionFunction"]
    in_progress = {**completed, "status": "IN_PROGRESS"}
    responses: dict[str, dict[str, Any]] = {
        "ValidateAudioOK": {"0": ok("ValidateAudioFunction")},
        "StartTranscriptionOK": {"0": ok("StartTranscriptionFunction")},
        "StartTranscriptionOKFewPolls": {"0": {"Return": {"StatusCode": 200, "Payload": few_polls}}},
        "CheckCompleted": {"0": ok("CheckTranscriptionFunction")},
        "CheckInProgressThenCompleted": {
            "0": {"Return": {"StatusCode": 200, "Payload": in_progress}},
            "1": ok("CheckTranscriptionFunction"),
        },
        "CheckAlwaysInProgress": {"0-999": {"Return": {"StatusCode": 200, "Payload": in_progress}}},
        "DetectEntitiesOK": {"0": ok("DetectEntitiesFunction")},
        "FilterEntitiesOK": {"0": ok("FilterEntitiesFunction")},
        "RenderPdfOK": {"0": ok("RenderPdfFunction")},
        "PersistResultsOK": {"0": ok("PersistResultsFunction")},
        "PublishCompletionOK": {"0": ok("PublishCompletionFunction")},
        "LambdaServiceExceptionThenOK": {
            "0": throw("Lambda.ServiceException", "Lambda was unable to run the function"),
            "1": ok("ValidateAudioFunction"),
        },
        "DatabaseUnavailableThenOK": {
            "0": throw("DatabaseUnavailable", "Aurora Serverless is resuming"),
            "1": ok("PersistResultsFunction"),
        },
        "UnsupportedAudioFormat": {
            "0": throw("UnsupportedAudioFormat", "text/plain is not an accepted audio format")
        },
        "TranscriptionJobFailedOnStart": {
            "0": throw("TranscriptionJobFailed", "job FAILED: unsupported media")
        },
        "TranscriptionJobFailed": {
            "0": throw("TranscriptionJobFailed", "job FAILED: The media format is invalid")
        },
        "TranscriptNotFound": {"0": throw("TranscriptNotFound", "no transcript at the output key")},
        "FilterValidationError": {"0": throw("ValidationError", "1 validation error for EntitiesDetected")},
        "DocumentRenderFailed": {"0": throw("DocumentRenderFailed", "template error")},
        "DatabaseAlwaysUnavailable": {"0-9": throw("DatabaseUnavailable", "connection refused")},
        "EventPublishAlwaysFailed": {"0-9": throw("EventPublishFailed", "FailedEntryCount=1")},
    }
    happy = {
        "ValidateAudio": "ValidateAudioOK",
        "StartTranscription": "StartTranscriptionOK",
        "CheckTranscription": "CheckCompleted",
        "DetectEntities": "DetectEntitiesOK",
        "FilterEntities": "FilterEntitiesOK",
        "RenderPdf": "RenderPdfOK",
        "PersistResults": "PersistResultsOK",
        "PublishCompletion": "PublishCompletionOK",
    }
    cases = {
        "HappyPath": happy,
        "RetryLambdaServiceException": {**happy, "ValidateAudio": "LambdaServiceExceptionThenOK"},
        "RetryDatabaseUnavailable": {**happy, "PersistResults": "DatabaseUnavailableThenOK"},
        "PollUntilCompleted": {**happy, "CheckTranscription": "CheckInProgressThenCompleted"},
        "PollLimitReached": {
            **happy,
            "StartTranscription": "StartTranscriptionOKFewPolls",
            "CheckTranscription": "CheckAlwaysInProgress",
        },
        "CatchValidateAudio": {**happy, "ValidateAudio": "UnsupportedAudioFormat"},
        "CatchStartTranscription": {**happy, "StartTranscription": "TranscriptionJobFailedOnStart"},
        "CatchCheckTranscription": {**happy, "CheckTranscription": "TranscriptionJobFailed"},
        "CatchDetectEntities": {**happy, "DetectEntities": "TranscriptNotFound"},
        "CatchFilterEntities": {**happy, "FilterEntities": "FilterValidationError"},
        "CatchRenderPdf": {**happy, "RenderPdf": "DocumentRenderFailed"},
        "CatchPersistResults": {**happy, "PersistResults": "DatabaseAlwaysUnavailable"},
        "CatchPublishCompletion": {**happy, "PublishCompletion": "EventPublishAlwaysFailed"},
    }
    return {"StateMachines": {STATE_MACHINE: {"TestCases": cases}}, "MockedResponses": responses}


if __name__ == "__main__":
    sys.exit(main())

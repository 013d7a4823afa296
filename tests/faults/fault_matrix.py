"""Fault injection over the real ASL (test helper, not production code).

``FaultInjector`` wraps the local stack's Lambda dispatcher (``mock_config_for``: the mocked transcription
states, which never reach it, as mocked ``Throw``s): for one recording and one Task state it injects
- ``transient``: the first invocation fails with a retried error, later ones run normally;
- ``terminal``: every invocation fails with a terminal error (no retry: Catch -> RecordFailure);
- ``crash``: the first invocation runs (its side effects happen), then the Lambda "dies" (``Runtime.ExitError``,
  what Lambda reports for a process that exited) before answering.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from fault_support import EVENTS, MOCK_CONFIG, PARTIAL, TRANSCRIPTION_STATES

from medscribe.local.mocks import MockConfig

ORIGINAL_ID = json.loads((EVENTS / "execution_input.json").read_text())["recording"]["recording_id"]
TASK_STATES = (
    "ValidateAudio",
    "StartTranscription",
    "CheckTranscription",
    "DetectEntities",
    "FilterEntities",
    "RenderPdf",
    "PersistResults",
    "PublishCompletion",
)
TRANSIENT_ERROR = {"PersistResults": "DatabaseUnavailable", "PublishCompletion": "EventPublishFailed"}
TERMINAL_ERROR = {
    "ValidateAudio": "CorruptAudio",
    "StartTranscription": "TranscriptionJobFailed",
    "CheckTranscription": "TranscriptionJobFailed",
    "DetectEntities": "TranscriptNotFound",
    "FilterEntities": "InvalidInput",
    "RenderPdf": "DocumentRenderFailed",
    "PersistResults": "InvalidInput",
    "PublishCompletion": "EventTooLarge",
}
CRASH_ERROR = "Runtime.ExitError"
TERMINAL_INVOCATIONS = (
    20  # a mocked terminal fault answers this many invocations (more than any retry policy)
)


@dataclass(frozen=True)
class Expected:
    """What one case must end in: the execution ("SUCCEEDED" or "FAILED <error name>"), the status both stores
    (DynamoDB and PostgreSQL) hold, the one event published, and the PDFs written."""

    execution: str
    stores: str
    event: str
    pdf_objects: int


# Every case's outcome, pinned (a terminal fault that is silently ignored, or a transient one that is not
# retried, fails its case). A fault after RenderPdf keeps its PDF (the side effect happened); a crash of
# PublishCompletion after its event is out leaves the recording COMPLETED (the outcome stands).
EXPECTED: dict[tuple[str, str], Expected] = {
    ("ValidateAudio", "transient"): Expected("SUCCEEDED", "COMPLETED", "RecordingProcessed", 1),
    ("ValidateAudio", "terminal"): Expected("FAILED CorruptAudio", "FAILED", "RecordingFailed", 0),
    ("ValidateAudio", "crash"): Expected("FAILED Runtime.ExitError", "FAILED", "RecordingFailed", 0),
    ("StartTranscription", "transient"): Expected("SUCCEEDED", "COMPLETED", "RecordingProcessed", 1),
    ("StartTranscription", "terminal"): Expected(
        "FAILED TranscriptionJobFailed", "FAILED", "RecordingFailed", 0
    ),
    ("StartTranscription", "crash"): Expected("FAILED Runtime.ExitError", "FAILED", "RecordingFailed", 0),
    ("CheckTranscription", "transient"): Expected("SUCCEEDED", "COMPLETED", "RecordingProcessed", 1),
    ("CheckTranscription", "terminal"): Expected(
        "FAILED TranscriptionJobFailed", "FAILED", "RecordingFailed", 0
    ),
    ("CheckTranscription", "crash"): Expected("FAILED Runtime.ExitError", "FAILED", "RecordingFailed", 0),
    ("DetectEntities", "transient"): Expected("SUCCEEDED", "COMPLETED", "RecordingProcessed", 1),
    ("DetectEntities", "terminal"): Expected("FAILED TranscriptNotFound", "FAILED", "RecordingFailed", 0),
    ("DetectEntities", "crash"): Expected("FAILED Runtime.ExitError", "FAILED", "RecordingFailed", 0),
    ("FilterEntities", "transient"): Expected("SUCCEEDED", "COMPLETED", "RecordingProcessed", 1),
    ("FilterEntities", "terminal"): Expected("FAILED InvalidInput", "FAILED", "RecordingFailed", 0),
    ("FilterEntities", "crash"): Expected("FAILED Runtime.ExitError", "FAILED", "RecordingFailed", 0),
    ("RenderPdf", "transient"): Expected("SUCCEEDED", "COMPLETED", "RecordingProcessed", 1),
    ("RenderPdf", "terminal"): Expected("FAILED DocumentRenderFailed", "FAILED", "RecordingFailed", 0),
    ("RenderPdf", "crash"): Expected("FAILED Runtime.ExitError", "FAILED", "RecordingFailed", 1),
    ("PersistResults", "transient"): Expected("SUCCEEDED", "COMPLETED", "RecordingProcessed", 1),
    ("PersistResults", "terminal"): Expected("FAILED InvalidInput", "FAILED", "RecordingFailed", 1),
    ("PersistResults", "crash"): Expected("FAILED Runtime.ExitError", "FAILED", "RecordingFailed", 1),
    ("PublishCompletion", "transient"): Expected("SUCCEEDED", "COMPLETED", "RecordingProcessed", 1),
    ("PublishCompletion", "terminal"): Expected("FAILED EventTooLarge", "FAILED", "RecordingFailed", 1),
    ("PublishCompletion", "crash"): Expected(
        "FAILED Runtime.ExitError", "COMPLETED", "RecordingProcessed", 1
    ),
}


def mock_config_for(recording_id: str, fault: tuple[str, str] | None = None) -> MockConfig:
    """The HappyPath answers for the transcription states, for this recording id. Those states never reach the
    Lambda dispatcher (the MockConfigFile answers them), so a fault in one of them is a mocked ``Throw``:
    transient and crash fail the first invocation only (a mocked state has no side effect to keep), terminal
    fails every invocation."""
    raw = json.loads(MOCK_CONFIG.read_text().replace(ORIGINAL_ID, recording_id))
    machine = next(iter(raw["StateMachines"]))
    happy = raw["StateMachines"][machine]["TestCases"]["HappyPath"]
    case = {s: happy[s] for s in TRANSCRIPTION_STATES}
    if fault is not None and fault[0] in case:
        state, kind = fault
        table = raw["MockedResponses"][case[state]]
        case[state] = f"Fault{state}"
        raw["MockedResponses"][case[state]] = _with_fault(table, state, kind)
    raw["StateMachines"][machine]["TestCases"][PARTIAL] = case
    return MockConfig(raw, hybrid=True)


def _with_fault(table: dict[str, Any], state: str, kind: str) -> dict[str, Any]:
    """A response table (``{"0": ..., "1-2": ...}``) with the fault first: later invocations shifted by one."""
    if kind == "terminal":
        return {f"0-{TERMINAL_INVOCATIONS - 1}": _throw(TERMINAL_ERROR[state])}
    first = _throw(TRANSIENT_ERROR.get(state, "ServiceThrottled") if kind == "transient" else CRASH_ERROR)
    shifted = {"-".join(str(int(n) + 1) for n in key.split("-")): response for key, response in table.items()}
    return {"0": first, **shifted}


def _throw(error: str) -> dict[str, Any]:
    return {"Throw": {"Error": error, "Cause": "injected fault"}}


def execution_input_for(recording_id: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(
        (EVENTS / "execution_input.json").read_text().replace(ORIGINAL_ID, recording_id)
    )
    return value


@dataclass
class FaultInjector:
    dispatcher: Any
    faults: dict[str, tuple[str, str]] = field(default_factory=dict)  # recording id -> (state, kind)
    counts: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def install(self) -> None:
        self._invoke = self.dispatcher.invoke
        self.dispatcher.invoke = self.invoke

    def invoke(self, function_name: str, body: Any, response_headers: dict[str, Any]) -> bytes:
        spec = self.dispatcher.stack.function_for_arn(function_name)
        state = self.dispatcher.state_for_function.get(spec.logical_id)
        event = json.loads(body) if body else {}
        rid = (event.get("recording") or {}).get("recording_id", "")
        fault = self.faults.get(rid)
        if fault is None or state != fault[0]:
            return bytes(self._invoke(function_name, body, response_headers))
        kind = fault[1]
        n = self.counts[(rid, state)]
        self.counts[(rid, state)] += 1
        if kind == "transient" and n == 0:
            return _error(response_headers, TRANSIENT_ERROR.get(state, "ServiceThrottled"))
        if kind == "terminal":
            return _error(response_headers, TERMINAL_ERROR[state])
        if kind == "crash" and n == 0:
            self._invoke(function_name, body, response_headers)  # the side effects happen...
            response_headers.pop("x-amz-function-error", None)
            return _error(response_headers, CRASH_ERROR)  # ...then the process dies before answering
        return bytes(self._invoke(function_name, body, response_headers))


def _error(response_headers: dict[str, Any], error_type: str) -> bytes:
    response_headers["x-amz-function-error"] = "Unhandled"
    return json.dumps({"errorType": error_type, "errorMessage": "injected fault", "stackTrace": []}).encode()

"""Every step handler, called as Lambda calls it, against the emulated AWS stack (moto) with the offline
backends and a real PostgreSQL — and the proof that step N's output is step N+1's input."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from pydantic import BaseModel, ValidationError

from medscribe import models
from medscribe.keys import RecordingKeys

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ASR_BOUND = 0.75  # not the default: the setting must reach the draft

# (function logical id, input model, output model) in workflow order.
CHAIN: list[tuple[str, type[BaseModel], type[BaseModel]]] = [
    ("ValidateAudioFunction", models.ExecutionInput, models.ValidatedRecording),
    ("StartTranscriptionFunction", models.ValidatedRecording, models.TranscriptionStarted),
    ("CheckTranscriptionFunction", models.TranscriptionStarted, models.TranscriptionJob),
    ("DetectEntitiesFunction", models.TranscriptionStarted, models.EntitiesDetected),
    ("FilterEntitiesFunction", models.EntitiesDetected, models.EntitiesFiltered),
    ("RenderPdfFunction", models.EntitiesFiltered, models.DocumentRendered),
    ("PersistResultsFunction", models.DocumentRendered, models.ResultsPersisted),
    ("PublishCompletionFunction", models.ResultsPersisted, models.RecordingCompleted),
]


def _execution_input(pipeline: Any, key: str, recording_id: str) -> dict[str, Any]:
    # Not under incoming/: that would also start an execution through the upload trigger.
    pipeline.client("s3").upload_file(str(SAMPLES / "dictation.wav"), pipeline.bucket, key)
    return models.ExecutionInput(
        recording=models.Recording(recording_id=recording_id, bucket=pipeline.bucket, audio_key=key),
        settings=models.PipelineSettings(asr_confidence_bound=ASR_BOUND),
    ).to_state()


def _call(pipeline: Any, logical_id: str, event: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = pipeline.dispatcher.call(pipeline.stack.function(logical_id).arn, event)
    return result


def test_given_a_dictation_when_each_handler_runs_in_order_then_outputs_chain_and_stores_agree(
    pipeline: Any, fresh_database: str
) -> None:
    state = _execution_input(pipeline, "uploads/chain.wav", "chain-1")
    inputs: dict[str, dict[str, Any]] = {}
    for logical_id, input_model, output_model in CHAIN:
        input_model.model_validate(state)  # step N's output is step N+1's input
        inputs[logical_id] = state
        if logical_id == "CheckTranscriptionFunction":
            # The state machine's bounded poll, as a loop here. Bounded by a deadline, not a round count: the
            # real decode (a worker process loading its decoder first) took > 30 s on a loaded 2-core machine.
            deadline = time.monotonic() + 240
            while True:
                job = output_model.model_validate(_call(pipeline, logical_id, state))
                if job.status == "COMPLETED" or time.monotonic() > deadline:  # type: ignore[attr-defined]
                    break
                time.sleep(0.05)
            # The ASL merges the job at $.transcription (ResultSelector + ResultPath).
            state = {**state, "transcription": job.model_dump(mode="json")}
            assert state["transcription"]["status"] == "COMPLETED"
            continue
        state = output_model.model_validate(_call(pipeline, logical_id, state)).model_dump(mode="json")

    final = models.RecordingCompleted.model_validate(state)
    keys = RecordingKeys(tenant="default", recording_id="chain-1")
    s3 = pipeline.client("s3")
    for key in (keys.transcribe_output, keys.transcript_text, keys.entities_filtered, keys.summary_pdf):
        head = s3.head_object(Bucket=pipeline.bucket, Key=key)
        assert head["ServerSideEncryption"] == "aws:kms"  # every put is SSE-KMS
    assert final.filtered.medication_count >= 1
    item = pipeline.client("dynamodb").get_item(
        TableName=pipeline.stack.physical["RecordingsTable"], Key={"recording_id": {"S": "chain-1"}}
    )["Item"]
    assert item["status"]["S"] == "COMPLETED"
    with psycopg.connect(fresh_database) as conn:
        (status,) = conn.execute("SELECT status FROM recordings WHERE recording_id = 'chain-1'").fetchone()
        (n,) = conn.execute("SELECT count(*) FROM entities WHERE recording_id = 'chain-1'").fetchone()
    assert status == "COMPLETED"
    assert n == final.persisted.entity_rows == final.filtered.kept_count
    # The draft's review flags are in the FilterEntities output and in PostgreSQL, the same count in both.
    filtered = json.loads(s3.get_object(Bucket=pipeline.bucket, Key=keys.entities_filtered)["Body"].read())
    assert len(filtered["draft"]["flags"]) == final.filtered.flag_count
    assert final.settings.review_threshold == filtered["draft"]["review_threshold"]
    assert (
        filtered["draft"]["asr_confidence_bound"]
        == ASR_BOUND
        != models.PipelineSettings().asr_confidence_bound
    )
    with psycopg.connect(fresh_database) as conn:
        (flag_rows,) = conn.execute(
            "SELECT count(*) FROM review_flags WHERE recording_id = 'chain-1'"
        ).fetchone()
    assert flag_rows == final.filtered.flag_count

    # Re-running the last two steps (a retry, a redrive) neither duplicates rows nor publishes twice.
    rerun = _call(pipeline, "PersistResultsFunction", inputs["PersistResultsFunction"])
    again = _call(pipeline, "PublishCompletionFunction", rerun)
    assert again["event"]["event_id"] == final.event.event_id
    with psycopg.connect(fresh_database) as conn:
        (n2,) = conn.execute("SELECT count(*) FROM entities WHERE recording_id = 'chain-1'").fetchone()
    assert n2 == n
    processed = [
        e
        for e in pipeline.received_events()
        if e["detail-type"] == "RecordingProcessed" and e["detail"]["recording_id"] == "chain-1"
    ]
    assert len(processed) == 1
    # The event carries ids and keys, never PHI: no transcript sentence, no entity text.
    detail = json.dumps(processed[0]["detail"]).lower()
    text = s3.get_object(Bucket=pipeline.bucket, Key=keys.transcript_text)["Body"].read().decode().lower()
    for sentence in filter(None, (part.strip() for part in text.split("."))):
        assert sentence not in detail
    assert "metformin" not in detail


def test_given_a_malformed_event_when_a_handler_runs_then_it_raises_a_named_validation_error(
    pipeline: Any,
) -> None:
    with pytest.raises(ValidationError):
        _call(pipeline, "FilterEntitiesFunction", {"recording": {"recording_id": "x"}})


def test_given_text_renamed_wav_when_validated_then_unsupported_audio_format(
    pipeline: Any, tmp_path: Path
) -> None:
    from medscribe.errors import UnsupportedAudioFormat

    bad = tmp_path / "notes.wav"
    bad.write_text("Patient notes typed by hand, not audio.\n" * 20)
    key = "uploads/notes.wav"
    pipeline.client("s3").upload_file(str(bad), pipeline.bucket, key)
    state = models.ExecutionInput(
        recording=models.Recording(recording_id="bad-1", bucket=pipeline.bucket, audio_key=key)
    ).to_state()
    with pytest.raises(UnsupportedAudioFormat):
        _call(pipeline, "ValidateAudioFunction", state)


def _api(pipeline: Any, event: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = pipeline.dispatcher.call(pipeline.stack.function("ApiFunction").arn, event)
    return response


def _claims(tenant: str, role: str = "clinician") -> dict[str, str]:
    return {"sub": f"sub-{tenant}", "token_use": "id", "custom:tenant": tenant, "cognito:groups": role}


def test_api_handler_reserves_an_opaque_id_and_answers_with_problems(pipeline: Any) -> None:
    from medscribe.local.api_events import api_event

    # Given the claims API Gateway's Cognito authorizer would pass
    post = api_event("POST", "/recordings", {"original_file_name": "Jane_Doe_MRN_448812.wav"})
    post["requestContext"]["authorizer"] = {"claims": _claims("clinic-a")}
    # When a clinician creates a recording
    created = _api(pipeline, post)
    # Then the id is a server-chosen UUID, the upload key is incoming/{tenant}/{id}.wav, nothing of the name
    assert created["statusCode"] == 201, created["body"]
    body = json.loads(created["body"])
    rid = body["recording_id"]
    assert body["upload"]["fields"]["key"] == f"incoming/clinic-a/{rid}.wav"
    assert "Jane" not in created["body"]
    assert "448812" not in created["body"]
    get = api_event("GET", f"/recordings/{rid}")
    get["resource"] = "/recordings/{recording_id}"
    get["pathParameters"] = {"recording_id": rid}
    get["requestContext"]["authorizer"] = {"claims": _claims("clinic-a")}
    assert json.loads(_api(pipeline, get)["body"])["status"] == "UPLOAD_PENDING"
    # another tenant: 404, not 403
    get["requestContext"]["authorizer"] = {"claims": _claims("clinic-b")}
    assert _api(pipeline, get)["statusCode"] == 404
    # malformed JSON: 400 problem; no claims: 401 problem
    bad = api_event("POST", "/recordings")
    bad["body"] = "{not json"
    bad["requestContext"]["authorizer"] = {"claims": _claims("clinic-a")}
    answer = _api(pipeline, bad)
    assert answer["statusCode"] == 400
    assert json.loads(answer["body"])["status"] == 400
    del get["requestContext"]["authorizer"]
    assert _api(pipeline, get)["statusCode"] == 401

"""events/ feeds `sam local invoke -e`, `medscribe invoke -e` and the tests: every function has a sample, each
sample is a valid input of its function, and the samples chain (step N's recorded output is step N+1's sample)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from medscribe import models
from medscribe.api.models import CreateRecording
from medscribe.local.cfn_yaml import load_template
from medscribe.logic.backfill import BackfillItem
from medscribe.logic.intake import ObjectCreatedEvent

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"
INPUT_MODELS: dict[str, type[BaseModel]] = {
    "validate_audio": models.ExecutionInput,
    "start_transcription": models.ValidatedRecording,
    "check_transcription": models.TranscriptionStarted,
    "detect_entities": models.TranscriptionStarted,
    "filter_entities": models.EntitiesDetected,
    "render_pdf": models.EntitiesFiltered,
    "persist_results": models.DocumentRendered,
    "publish_completion": models.ResultsPersisted,
    "record_failure": models.FailureInput,
    "backfill_item": BackfillItem,  # a BackfillPipeline Map item (ListObjectsV2 entry + bucket, tenant)
}
CHAIN = ["validate_audio", "start_transcription", "check_transcription"]
AFTER_POLL = ["detect_entities", "filter_entities", "render_pdf", "persist_results", "publish_completion"]


def load(name: str) -> Any:
    return json.loads((EVENTS / f"{name}.json").read_text())


def test_every_function_in_the_template_has_a_sample_event() -> None:
    template = load_template(ROOT / "template.yaml")
    folders = {
        Path(r["Properties"]["CodeUri"]).name
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Serverless::Function"
    }
    assert folders == {*INPUT_MODELS, "start_recording", "api", "transcription_done", "mfa_guard"}
    for folder in folders:
        assert (EVENTS / f"{folder}.json").is_file(), folder


@pytest.mark.parametrize("folder", sorted(INPUT_MODELS))
def test_sample_is_a_valid_input_of_its_function(folder: str) -> None:
    INPUT_MODELS[folder].model_validate(load(folder))


def test_trigger_samples_parse() -> None:
    from medscribe.logic.callback import signal_from_event

    ObjectCreatedEvent.model_validate(load("s3_object_created"))
    signal = signal_from_event(load("transcription_done"))  # the callback signal: a transcript landed
    assert signal is not None
    assert signal.recording_id == load("execution_input")["recording"]["recording_id"]
    from medscribe.logic.mfa import PreTokenGenerationEvent

    PreTokenGenerationEvent.model_validate(load("mfa_guard"))  # Cognito's pre-token-generation event
    post = load("api_post_recording")
    CreateRecording.model_validate(json.loads(post["body"]))
    assert post["requestContext"]["authorizer"]["claims"]["custom:tenant"]
    assert load("api_get_recording")["pathParameters"]["recording_id"]


def test_samples_chain_like_the_state_machine() -> None:
    mock = json.loads((ROOT / "tests" / "statemachine" / "MockConfigFile.json").read_text())
    responses = mock["MockedResponses"]
    returned = {
        "ValidateAudio": responses["ValidateAudioOK"]["0"]["Return"]["Payload"],
        "StartTranscription": responses["StartTranscriptionOK"]["0"]["Return"]["Payload"],
        "DetectEntities": responses["DetectEntitiesOK"]["0"]["Return"]["Payload"],
        "FilterEntities": responses["FilterEntitiesOK"]["0"]["Return"]["Payload"],
        "RenderPdf": responses["RenderPdfOK"]["0"]["Return"]["Payload"],
        "PersistResults": responses["PersistResultsOK"]["0"]["Return"]["Payload"],
    }
    assert returned["ValidateAudio"] == load("start_transcription")
    assert returned["StartTranscription"] == load("check_transcription")
    assert returned["DetectEntities"] == load("filter_entities")
    assert returned["FilterEntities"] == load("render_pdf")
    assert returned["RenderPdf"] == load("persist_results")
    assert returned["PersistResults"] == load("publish_completion")
    # DetectEntities' input is the polled state: StartTranscription's output with the COMPLETED job merged in.
    completed = responses["CheckCompleted"]["0"]["Return"]["Payload"]
    detect = load("detect_entities")
    assert detect["transcription"] == completed
    assert {k: v for k, v in detect.items() if k not in ("transcription", "poll")} == {
        k: v for k, v in load("check_transcription").items() if k not in ("transcription", "poll")
    }

"""TranscribeMedical: request shape (Stubber validates against the service model), moto job lifecycle,
ConflictException resume, FAILED jobs, throttling, and reading the output object."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from adapter_support import REGION, stub_client
from botocore.stub import Stubber

from medscribe.adapters.transcribe import TranscribeMedical
from medscribe.errors import ServiceThrottled
from medscribe.keys import RecordingKeys, job_name
from medscribe.ports import JobRequest

BUCKET = "medscribe-audio-test"
KMS = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KEYS = RecordingKeys(tenant="clinic-a", recording_id="visit-0001")


def _request(**overrides: Any) -> JobRequest:
    values: dict[str, Any] = {
        "job_name": job_name("visit-0001"),
        "bucket": BUCKET,
        "audio_key": "incoming/clinic-a/visit 1.m4a",
        "media_format": "m4a",
        "sample_rate_hz": 44_100,
        "output_key": KEYS.transcribe_output,
        "transcription_type": "DICTATION",
        "identify_phi": False,
        "channels": 1,
    }
    values.update(overrides)
    return JobRequest(**values)


def _job(status: str, **extra: Any) -> dict[str, Any]:
    job: dict[str, Any] = {
        "MedicalTranscriptionJobName": job_name("visit-0001"),
        "TranscriptionJobStatus": status,
        "LanguageCode": "en-US",
        "MediaSampleRateHertz": 44100,
        "MediaFormat": "m4a",
        "Media": {"MediaFileUri": f"s3://{BUCKET}/incoming/clinic-a/visit 1.m4a"},
        "CreationTime": datetime(2026, 11, 22, 6, 0, tzinfo=UTC),
        "Specialty": "PRIMARYCARE",
        "Type": "DICTATION",
    }
    job.update(extra)
    return {"MedicalTranscriptionJob": job}


def test_dictation_request_has_the_documented_parameters() -> None:
    # Given a dictation job request and a KMS key
    client = stub_client("transcribe")
    expected = {
        "MedicalTranscriptionJobName": "medscribe-visit-0001",
        "LanguageCode": "en-US",
        "Specialty": "PRIMARYCARE",
        "Type": "DICTATION",
        "Media": {"MediaFileUri": f"s3://{BUCKET}/incoming/clinic-a/visit 1.m4a"},
        "MediaFormat": "m4a",
        "MediaSampleRateHertz": 44100,
        "OutputBucketName": BUCKET,
        "OutputKey": "clinic-a/visit-0001/transcribe/medscribe-visit-0001.json",
        "OutputEncryptionKMSKeyId": KMS,
    }
    with Stubber(client) as stub:
        stub.add_response("start_medical_transcription_job", _job("QUEUED"), expected)
        # When started
        state = TranscribeMedical(client, kms_key_id=KMS).start(_request())
        stub.assert_no_pending_responses()
    # Then the job is QUEUED and its output is expected exactly at the recording's key
    assert state.status == "QUEUED"
    assert state.output_key == KEYS.transcribe_output


def _start_params(**overrides: Any) -> dict[str, Any]:
    """The StartMedicalTranscriptionJob parameters the adapter sends for a request with these overrides."""
    client = stub_client("transcribe")
    captured: list[dict[str, Any]] = []
    client.meta.events.register(
        "before-parameter-build.transcribe.StartMedicalTranscriptionJob",
        lambda params, **_: captured.append(dict(params)),
    )
    with Stubber(client) as stub:
        stub.add_response("start_medical_transcription_job", _job("QUEUED"))
        TranscribeMedical(client).start(_request(**overrides))
    (params,) = captured
    return params


@pytest.mark.parametrize(
    ("overrides", "settings", "phi"),
    [
        ({"transcription_type": "CONVERSATION"}, {"ShowSpeakerLabels": True, "MaxSpeakerLabels": 2}, False),
        ({"transcription_type": "CONVERSATION", "channels": 2}, {"ChannelIdentification": True}, False),
        ({"identify_phi": True}, None, True),
    ],
)
def test_conversation_settings_and_phi(overrides: dict[str, Any], settings: Any, phi: bool) -> None:
    params = _start_params(**overrides)
    assert params.get("Settings") == settings
    assert ("ContentIdentificationType" in params) is phi
    assert "OutputEncryptionKMSKeyId" not in params


def test_sample_rate_outside_the_api_range_is_left_to_transcribe() -> None:
    params = _start_params(sample_rate_hz=96_000, media_format="wav")
    assert "MediaSampleRateHertz" not in params
    assert params["MediaFormat"] == "wav"


def test_conflict_resumes_the_existing_job() -> None:
    # Given a job of that name already exists (a retried StartTranscription)
    client = stub_client("transcribe")
    with Stubber(client) as stub:
        stub.add_client_error(
            "start_medical_transcription_job",
            "ConflictException",
            "The requested job name already exists.",
            409,
        )
        stub.add_response(
            "get_medical_transcription_job",
            _job("IN_PROGRESS"),
            {"MedicalTranscriptionJobName": "medscribe-visit-0001"},
        )
        # When started again
        state = TranscribeMedical(client).start(_request())
        stub.assert_no_pending_responses()
    # Then the existing job's state is returned instead of an error
    assert state.status == "IN_PROGRESS"
    assert state.output_key == KEYS.transcribe_output


def test_failed_job_carries_its_failure_reason() -> None:
    client = stub_client("transcribe")
    reason = "The media format provided does not match the detected media format."
    with Stubber(client) as stub:
        stub.add_response("get_medical_transcription_job", _job("FAILED", FailureReason=reason))
        state = TranscribeMedical(client).get("medscribe-visit-0001")
    assert state.status == "FAILED"
    assert state.failure_reason == reason


@pytest.mark.parametrize(
    "uri",
    [
        f"https://s3.us-east-1.amazonaws.com/{BUCKET}/{KEYS.transcribe_output}",
        f"https://{BUCKET}.s3.us-east-1.amazonaws.com/{KEYS.transcribe_output}",
    ],
)
def test_completed_job_reports_the_output_key_from_its_transcript_uri(uri: str) -> None:
    client = stub_client("transcribe")
    with Stubber(client) as stub:
        stub.add_response(
            "get_medical_transcription_job", _job("COMPLETED", Transcript={"TranscriptFileUri": uri})
        )
        state = TranscribeMedical(client).get("medscribe-visit-0001")
    assert (state.status, state.output_key, state.failure_reason) == (
        "COMPLETED",
        KEYS.transcribe_output,
        None,
    )


def test_job_in_progress_has_no_output_key_yet() -> None:
    client = stub_client("transcribe")
    with Stubber(client) as stub:
        stub.add_response("get_medical_transcription_job", _job("IN_PROGRESS"))
        state = TranscribeMedical(client).get("medscribe-visit-0001")
    assert (state.status, state.output_key) == ("IN_PROGRESS", "")


@pytest.mark.parametrize("code", ["LimitExceededException", "ThrottlingException"])
def test_throttling_raises_service_throttled(code: str) -> None:
    client = stub_client("transcribe")
    with Stubber(client) as stub:
        stub.add_client_error("start_medical_transcription_job", code, "slow down", 400)
        with pytest.raises(ServiceThrottled):
            TranscribeMedical(client).start(_request())


def test_bad_request_is_not_swallowed() -> None:
    client = stub_client("transcribe")
    with Stubber(client) as stub:
        stub.add_client_error("start_medical_transcription_job", "BadRequestException", "bad", 400)
        with pytest.raises(Exception, match="BadRequestException"):
            TranscribeMedical(client).start(_request())


def test_moto_lifecycle_and_conflict_resume(aws: None) -> None:
    # Given moto's Transcribe
    client = boto3.client("transcribe", region_name=REGION)
    service = TranscribeMedical(client)
    # When a job is started twice and then polled
    first = service.start(_request())
    second = service.start(_request())
    polled = [service.get("medscribe-visit-0001").status for _ in range(3)]
    # Then the second start resumed the first job, and polling advances it to COMPLETED
    assert first.status == "QUEUED"
    assert second.job_name == first.job_name
    assert polled[-1] == "COMPLETED"


# ---- the output object --------------------------------------------------------------------------------


def _output(transcripts: list[dict[str, str]], items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "jobName": "medscribe-visit-0001",
        "accountId": "111122223333",
        "status": "COMPLETED",
        "results": {"transcripts": transcripts, "items": items or []},
    }

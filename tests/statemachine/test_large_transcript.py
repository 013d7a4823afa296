"""A 2-hour dictation through the whole workflow: Step Functions caps a state's input/output at 256 KB, so the
steps pass S3 keys, never the transcript or the entity list. Transcribe Medical is the mocked part (its output
file is a fixture in Transcribe's shape); DetectEntities, FilterEntities, RenderPdf, PersistResults and
PublishCompletion are the real handlers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from medscribe import models
from medscribe.keys import RecordingKeys, execution_name, job_name
from medscribe.shapes import TranscribeOutput

STEP_FUNCTIONS_PAYLOAD_LIMIT = 256 * 1024
SENTENCES = [
    "Patient reports intermittent headaches for two weeks.",
    "Continue metformin 500 mg twice daily with meals.",
    "Blood pressure is well controlled on lisinopril 10 mg once daily.",
    "She denies chest pain and shortness of breath.",
    "Review labs including hemoglobin A1c at the next visit.",
]


def two_hour_transcript(job: str) -> dict[str, Any]:
    """Transcribe Medical output for ~2 hours of speech (150 words per minute -> ~18,000 words)."""
    items: list[dict[str, Any]] = []
    words: list[str] = []
    t = 0.0
    while t < 7200:
        for sentence in SENTENCES:
            for token in sentence.rstrip(".").split():
                items.append(
                    {
                        "start_time": f"{t:.2f}",
                        "end_time": f"{t + 0.35:.2f}",
                        "alternatives": [{"confidence": "0.98", "content": token}],
                        "type": "pronunciation",
                    }
                )
                t += 0.4
            items.append({"alternatives": [{"confidence": "0.0", "content": "."}], "type": "punctuation"})
            words.append(sentence)
    body = {
        "jobName": job,
        "accountId": "123456789012",
        "results": {"transcripts": [{"transcript": " ".join(words)}], "items": items},
        "status": "COMPLETED",
    }
    TranscribeOutput.model_validate(body)
    return body


def test_two_hour_transcript_runs_through_the_workflow_under_the_state_size_limit(
    pipeline: Any, tmp_path: Path
) -> None:
    # Given a recording whose Transcribe Medical job produced a 2-hour transcript
    recording = models.Recording(recording_id="long-1", bucket=pipeline.bucket, audio_key="incoming/long.wav")
    keys = RecordingKeys(tenant="default", recording_id="long-1")
    job = job_name("long-1")
    transcript = two_hour_transcript(job)
    pipeline.client("s3").put_object(
        Bucket=pipeline.bucket, Key=keys.transcribe_output, Body=json.dumps(transcript).encode()
    )
    assert len(json.dumps(transcript)) > 10 * STEP_FUNCTIONS_PAYLOAD_LIMIT
    validated = models.ValidatedRecording(
        recording=recording,
        audio=models.AudioInfo(
            media_format="flac",
            duration_seconds=7200.0,
            sample_rate_hz=16000,
            channels=1,
            size_bytes=230_000_000,
        ),
    )
    completed = models.TranscriptionJob(job_name=job, status="COMPLETED", output_key=keys.transcribe_output)
    started = models.TranscriptionStarted(**validated.model_dump(), transcription=completed)
    mock = {
        "StateMachines": {
            "TranscribePipeline": {
                "TestCases": {
                    "Long": {
                        "ValidateAudio": "Validated",
                        "StartTranscription": "Started",
                        "CheckTranscription": "Completed",
                    }
                }
            }
        },
        "MockedResponses": {
            "Validated": {"0": {"Return": {"StatusCode": 200, "Payload": validated.to_state()}}},
            "Started": {"0": {"Return": {"StatusCode": 200, "Payload": started.to_state()}}},
            "Completed": {"0": {"Return": {"StatusCode": 200, "Payload": completed.to_state()}}},
        },
    }
    config = tmp_path / "MockConfigFile.json"
    config.write_text(json.dumps(mock))
    pipeline.use_mock_config(config)

    # When the workflow runs
    sfn = pipeline.client("stepfunctions")
    arn = sfn.start_execution(
        stateMachineArn=f"{pipeline.state_machine_arn}#Long",
        name=execution_name("long-1"),
        input=json.dumps(models.ExecutionInput(recording=recording).to_state()),
    )["executionArn"]
    result = pipeline.wait(arn, timeout=600)

    # Then it succeeds, with every state's input and output far below the 256 KB limit
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    sizes = [
        len(details.get("input", "") or details.get("output", ""))
        for event in result.history
        for key, details in event.items()
        if key in ("stateEnteredEventDetails", "stateExitedEventDetails")
    ]
    assert sizes
    assert max(sizes) < STEP_FUNCTIONS_PAYLOAD_LIMIT // 8
    output = models.RecordingCompleted.model_validate(result.output)
    assert output.transcript.word_count > 15_000
    assert output.filtered.medication_count > 100

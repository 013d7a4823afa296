"""Non-speech read as words ends as NoSpeechDetected (issue 15 item 8); a real dictation does not.

"ha ha ha ha" is what an ASR writes for 30 s of music or laughter: the execution must FAIL through the existing
failure path (FAILED in every sink, RecordingFailed event, no PDF), never a clean-looking draft.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fault_support import (
    ROOT,
    execution_input,
    mock_states,
    read_sinks,
    start,
    transcribe_output_key,
    use_mocks,
)

from medscribe import errors
from medscribe.keys import RecordingKeys
from medscribe.logic.speech import require_speech
from medscribe.shapes import TranscribeOutput


def _output(words: list[tuple[str, float]]) -> dict[str, Any]:
    return {
        "jobName": "medscribe-x",
        "accountId": "0",
        "status": "COMPLETED",
        "results": {
            "transcripts": [{"transcript": " ".join(w for w, _ in words)}],
            "items": [
                {
                    "type": "pronunciation",
                    "start_time": f"{i * 0.4:.2f}",
                    "end_time": f"{i * 0.4 + 0.3:.2f}",
                    "alternatives": [{"confidence": f"{c:.4f}", "content": w}],
                }
                for i, (w, c) in enumerate(words)
            ],
        },
    }


def _run(pipeline: Any, output: dict[str, Any], name: str) -> Any:
    pipeline.client("s3").put_object(
        Bucket=pipeline.bucket, Key=transcribe_output_key(), Body=json.dumps(output).encode()
    )
    use_mocks(mock_states("ValidateAudio", "StartTranscription", "CheckTranscription"))
    return start(pipeline, name)


@pytest.mark.parametrize(
    "words",
    [
        [("ha", 0.93)] * 12,  # laughter / music heard confidently as one syllable
        [("leisure", 0.13)] * 7,  # what the offline ASR wrote for generated voiced bursts (docs/guards.md)
        [("the", 0.5), ("ha", 0.6), ("ha", 0.6), ("ha", 0.6), ("ha", 0.6), ("a", 0.5)],
    ],
    ids=["ha-x12", "offline-asr-bursts", "ha-run-in-words"],
)
def test_repeated_tokens_are_no_speech_detected(words: list[tuple[str, float]]) -> None:
    with pytest.raises(errors.NoSpeechDetected):
        require_speech(TranscribeOutput.model_validate(_output(words)))


@pytest.mark.parametrize(
    "words",
    [
        [("aspirin", 0.9), ("daily", 0.9), ("aspirin", 0.9), ("daily", 0.9)],  # short, repetitive, but speech
        [("no", 0.9), ("no", 0.9), ("no", 0.9), ("chest", 0.9), ("pain", 0.9)],
    ],
    ids=["short-repeat", "triple-no"],
)
def test_short_repetitive_speech_is_not_failed(words: list[tuple[str, float]]) -> None:
    output = TranscribeOutput.model_validate(_output(words))
    assert require_speech(output) == output.text


def test_ha_ha_ha_ha_fails_the_execution_as_no_speech_detected_everywhere(
    pipeline: Any, fresh_database: str
) -> None:
    # Given the transcript of 30 s of music: "ha ha ha ha ..."
    # When the real ASL runs (transcription answered as completed, DetectEntities onwards for real)
    result = _run(pipeline, _output([("ha", 0.9)] * 20), "unintelligible-ha")
    # Then the execution fails with the named error through the failure path, and no draft is drawn
    assert (result.status, result.error) == ("FAILED", "NoSpeechDetected")
    rid = execution_input()["recording"]["recording_id"]
    sinks = read_sinks(pipeline, fresh_database, rid)
    assert (sinks.dynamodb_status, sinks.dynamodb_error) == ("FAILED", "NoSpeechDetected")
    assert (sinks.pg_status, sinks.pg_error) == ("FAILED", "NoSpeechDetected")
    assert sinks.outcome_events() == ["RecordingFailed"]
    assert sinks.pdf is False
    assert "FilterEntities" not in result.states_entered()


def test_a_real_dictation_is_not_flagged_unintelligible(pipeline: Any, fresh_database: str) -> None:
    # Given what the offline ASR really writes for the repository's sample dictation
    from medscribe.offline.asr import transcribe_file

    output: dict[str, Any] = transcribe_file(
        ROOT / "samples" / "dictation.wav", job_name="medscribe-x", account_id="0", media_format="wav"
    )
    # When the pipeline runs on it
    result = _run(pipeline, output, "intelligible-sample")
    # Then it completes, and its stored draft carries no "transcript may be unintelligible" flag
    assert result.status == "SUCCEEDED", result.error
    rid = execution_input()["recording"]["recording_id"]
    keys = RecordingKeys(tenant=execution_input()["recording"]["tenant"], recording_id=rid)
    stored = json.loads(
        pipeline.client("s3").get_object(Bucket=pipeline.bucket, Key=keys.entities_filtered)["Body"].read()
    )
    kinds = [f["kind"] for f in stored["draft"]["flags"]]
    assert "TRANSCRIPT_MAY_BE_UNINTELLIGIBLE" not in kinds
    assert "GUARD_NOT_RUN" not in kinds
    assert set(stored["draft"]["guards_run"]) >= {"intelligibility", "look_alike", "sound_alike"}


def test_no_path_leaks_into_the_failure_message(tmp_path: Path) -> None:
    with pytest.raises(errors.NoSpeechDetected) as caught:
        require_speech(TranscribeOutput.model_validate(_output([("secretname", 0.9)] * 6)))
    assert "secretname" not in str(caught.value)

"""No speech ends as the named failure NoSpeechDetected: recorded everywhere, evented, no draft."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile as sf
from fault_support import execution_input, mock_states, read_sinks, start, transcribe_output_key, use_mocks

from medscribe import errors
from medscribe.logic.speech import require_speech
from medscribe.shapes import TranscribeOutput


def _output(transcripts: list[dict[str, str]], items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "jobName": "medscribe-x",
        "accountId": "111122223333",
        "status": "COMPLETED",
        "results": {"transcripts": transcripts, "items": items or []},
    }


def _word(content: str, confidence: float) -> dict[str, Any]:
    return {
        "type": "pronunciation",
        "start_time": "0.0",
        "end_time": "0.3",
        "alternatives": [{"confidence": f"{confidence:.4f}", "content": content}],
    }


def _asr_output(tmp_path: Path, kind: str) -> dict[str, Any]:
    """What the offline ASR (the local Transcribe) really writes for generated silence / white noise."""
    from medscribe.offline.asr import transcribe_file

    rng = np.random.default_rng(7)
    samples = np.zeros(16000 * 6) if kind == "silence" else (rng.standard_normal(16000 * 6) * 0.3).clip(-1, 1)
    path = tmp_path / f"{kind}.wav"
    sf.write(path, samples, 16000)
    output: dict[str, Any] = transcribe_file(path, job_name="medscribe-x", account_id="0", media_format="wav")
    return output


@pytest.mark.parametrize(
    "output",
    [
        _output([]),
        _output([{"transcript": ""}]),
        _output([{"transcript": "um"}], []),
        _output([{"transcript": "ah the"}], [_word("ah", 0.12), _word("the", 0.2)]),
    ],
    ids=["transcripts-empty-list", "empty-transcript", "no-items", "only-low-confidence-noise"],
)
def test_no_speech_outputs_are_no_speech_detected(output: dict[str, Any]) -> None:
    with pytest.raises(errors.NoSpeechDetected):
        require_speech(TranscribeOutput.model_validate(output))


def test_a_confident_word_is_speech() -> None:
    output = _output([{"transcript": "aspirin daily"}], [_word("aspirin", 0.9), _word("daily", 0.3)])
    assert require_speech(TranscribeOutput.model_validate(output)) == "aspirin daily"


@pytest.mark.parametrize("kind", ["transcripts-empty-list", "silence", "noise"])
def test_a_recording_without_speech_fails_as_no_speech_detected_everywhere(
    kind: str, pipeline: Any, fresh_database: str, tmp_path: Path
) -> None:
    # Given the transcript Transcribe (or the offline ASR, for real silence / noise) wrote for the recording
    output = _output([]) if kind == "transcripts-empty-list" else _asr_output(tmp_path, kind)
    pipeline.client("s3").put_object(
        Bucket=pipeline.bucket, Key=transcribe_output_key(), Body=__import__("json").dumps(output).encode()
    )
    # When the real ASL runs, the transcription steps answered as a completed job, DetectEntities for real
    use_mocks(mock_states("ValidateAudio", "StartTranscription", "CheckTranscription"))
    result = start(pipeline, f"nospeech-{kind}")
    # Then the execution fails with the named error, recorded in every sink and evented, with no draft
    assert result.status == "FAILED"
    assert result.error == "NoSpeechDetected"
    rid = execution_input()["recording"]["recording_id"]
    sinks = read_sinks(pipeline, fresh_database, rid)
    assert (sinks.dynamodb_status, sinks.dynamodb_error) == ("FAILED", "NoSpeechDetected")
    assert (sinks.pg_status, sinks.pg_error) == ("FAILED", "NoSpeechDetected")
    assert sinks.outcome_events() == ["RecordingFailed"]
    assert sinks.events[0]["detail"]["error"]["name"] == "NoSpeechDetected"
    assert sinks.pdf is False
    assert "RenderPdf" not in result.states_entered()

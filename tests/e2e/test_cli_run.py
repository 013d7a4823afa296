"""End to end: `medscribe run` on the shipped dictation (real audio, real ASR, real NER, real PostgreSQL),
and on a bad file. Runs the CLI as a user does, in a subprocess, and checks every artifact it leaves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from decode_memo_support import memo_env
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def medscribe(*args: str, database_url: str, home: Path, real_decode: bool = False) -> tuple[int, Any, str]:
    """Run the CLI as a user does; return its exit code, its last stdout line parsed as JSON, its stderr. Audio
    decoded before in this test run is not decoded again (decode_memo_support) unless ``real_decode``."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDSCRIBE_HOME": str(home),
        "MEDSCRIBE_ROOT": str(ROOT),
        **({} if real_decode else memo_env()),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "medscribe.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert lines, proc.stderr[-3000:]
    return proc.returncode, json.loads(lines[-1]), proc.stderr


def run_cli(
    audio: Path, out: Path, database_url: str, home: Path, *, real_decode: bool = False
) -> tuple[int, dict[str, Any], str]:
    return medscribe(
        "run",
        str(audio),
        "--out",
        str(out),
        "--instant-waits",
        database_url=database_url,
        home=home,
        real_decode=real_decode,
    )


def test_sample_dictation_end_to_end(fresh_database: str, tmp_path: Path) -> None:
    # Given the shipped dictation and its reference text
    reference = (ROOT / "samples" / "dictation.txt").read_text().lower()
    # When the whole pipeline runs locally (the suite's end-to-end run that decodes for real, docs/testing.md)
    code, result, stderr = run_cli(
        ROOT / "samples" / "dictation.wav", tmp_path / "out", fresh_database, tmp_path, real_decode=True
    )
    # Then it succeeds, with the documented final line
    assert code == 0, stderr[-3000:]
    assert result["status"] == "SUCCEEDED"
    assert result["error"] is None
    assert set(result) == {
        "status",
        "recording_id",
        "error",
        "transcript_text",
        "entities",
        "dropped_count",
        "pdf",
        "estimated_cost_usd",
    }
    # the AWS cost of this recording, by part: callback mode's constant 9 transitions, 24 billed audio seconds
    estimate = result["estimated_cost_usd"]
    assert estimate["usage"]["transitions"] == 9
    assert estimate["parts"]["transcribe_medical"] == round(24 / 60 * 0.075, 6)
    assert estimate["total"] == pytest.approx(sum(estimate["parts"].values()), abs=1e-5)
    transcript = result["transcript_text"].lower()
    for word in ("metformin", "lisinopril", "diabetes"):
        assert word in reference
        assert word in transcript
    meds = {e["Text"].lower() for e in result["entities"] if e["Category"] == "MEDICATION"}
    assert meds & {"metformin", "lisinopril"}
    for e in result["entities"]:
        assert e["Score"] >= 0.5
    # progress was shown state by state
    for state in (
        "ValidateAudio",
        "StartTranscriptionAndWait",  # callback mode (the default): no Wait/Check loop
        "DetectEntities",
        "PublishCompletion",
    ):
        assert f"-> {state}" in stderr
    assert "-> WaitForTranscription" not in stderr
    # and its fast exit released the offline worker pool (multiprocessing found no semaphore to clean up)
    assert "leaked semaphore" not in stderr, stderr[-3000:]

    out = tmp_path / "out" / result["recording_id"]
    for name in ("transcript.json", "entities.json", "summary.pdf", "event.json", "history.json"):
        assert (out / name).is_file(), name
    assert json.loads((out / "transcript.json").read_text())["results"]["items"]
    pdf_text = " ".join(page.extract_text() for page in PdfReader(str(result["pdf"])).pages).lower()
    assert "metformin" in pdf_text
    assert result["recording_id"].lower() in pdf_text.replace("\n", "")
    event = json.loads((out / "event.json").read_text())
    assert event["detail-type"] == "RecordingProcessed"
    assert event["detail"]["recording_id"] == result["recording_id"]
    assert event["detail"]["schema_version"] == "2.0"
    # and the event names no part of the uploaded file (a direct upload's key is the uploader's file name)
    assert "audio_key" not in event["detail"]
    assert "dictation" not in json.dumps(event["detail"]).lower()
    record = json.loads((out / "recording.json").read_text())
    assert record["status"] == "COMPLETED"
    assert record["pdf_key"].endswith("documents/summary.pdf")
    with psycopg.connect(fresh_database) as conn:
        (status,) = conn.execute(
            "SELECT status FROM recordings WHERE recording_id = %s", (result["recording_id"],)
        ).fetchone()
        (text,) = conn.execute(
            "SELECT text FROM transcriptions WHERE recording_id = %s", (result["recording_id"],)
        ).fetchone()
        (meds_in_db,) = conn.execute(
            "SELECT count(*) FROM entities WHERE recording_id = %s AND category = 'MEDICATION'",
            (result["recording_id"],),
        ).fetchone()
        (docs,) = conn.execute(
            "SELECT count(*) FROM documents WHERE recording_id = %s", (result["recording_id"],)
        ).fetchone()
    assert status == "COMPLETED"
    assert "metformin" in text.lower()
    assert meds_in_db >= 1
    assert docs == 1

    # And running the same recording again leaves the same rows (idempotent upserts)
    code2, result2, stderr2 = run_cli(
        ROOT / "samples" / "dictation.wav", tmp_path / "out2", fresh_database, tmp_path
    )
    assert code2 == 0, stderr2[-3000:]
    assert result2["recording_id"] == result["recording_id"]
    assert "recording already ended SUCCEEDED: reporting it again" in stderr2  # (it looked like a re-run)
    # and the same audio again publishes no second RecordingProcessed (the stack's state persists in the home)
    assert json.loads((tmp_path / "out2" / result["recording_id"] / "event.json").read_text()) is None
    with psycopg.connect(fresh_database) as conn:
        (n_recordings,) = conn.execute("SELECT count(*) FROM recordings").fetchone()
        (n_meds,) = conn.execute(
            "SELECT count(*) FROM entities WHERE recording_id = %s AND category = 'MEDICATION'",
            (result["recording_id"],),
        ).fetchone()
    assert n_recordings == 1
    assert n_meds == meds_in_db


def test_text_file_renamed_wav_fails_with_named_error_and_is_recorded(
    fresh_database: str, tmp_path: Path
) -> None:
    bad = tmp_path / "dictation.wav"
    bad.write_text("Not audio: a text file renamed .wav.\n" * 50)
    code, result, stderr = run_cli(bad, tmp_path / "out", fresh_database, tmp_path)
    assert code != 0
    assert result["status"] == "FAILED"
    assert result["error"]["name"] == "UnsupportedAudioFormat", stderr[-2000:]
    assert result["error"]["message"]
    out = tmp_path / "out" / result["recording_id"]
    event = json.loads((out / "event.json").read_text())
    assert event["detail-type"] == "RecordingFailed"
    assert event["detail"]["error"]["name"] == "UnsupportedAudioFormat"
    assert json.loads((out / "recording.json").read_text())["status"] == "FAILED"
    with psycopg.connect(fresh_database) as conn:
        row = conn.execute(
            "SELECT status, error_name FROM recordings WHERE recording_id = %s", (result["recording_id"],)
        ).fetchone()
    assert row == ("FAILED", "UnsupportedAudioFormat")


def test_invoke_runs_one_handler_on_a_sample_event(fresh_database: str, tmp_path: Path) -> None:
    # Given the recorded sample event of FilterEntities (seeded by one real run of the sample)
    sample_path = ROOT / "events" / "filter_entities.json"
    # When the one function is invoked with it
    code, out, stderr = medscribe(
        "invoke", "filter_entities", "-e", str(sample_path), database_url=fresh_database, home=tmp_path
    )
    # Then the handler's output model comes back on stdout
    assert code == 0, stderr[-3000:]
    sample = json.loads(sample_path.read_text())
    assert out["recording"]["recording_id"] == sample["recording"]["recording_id"]
    assert out["filtered"]["min_score"] == sample["settings"]["min_score"]
    assert out["filtered"]["kept_count"] + out["filtered"]["dropped_count"] == sample["entities"]["count"]


def test_invoke_reports_a_handler_error_by_name(fresh_database: str, tmp_path: Path) -> None:
    bad = tmp_path / "event.json"
    bad.write_text(json.dumps({"recording": {"recording_id": "x"}}))
    code, out, _ = medscribe(
        "invoke",
        "ValidateAudioFunction",
        "-e",
        str(bad),
        "--no-seed",
        database_url=fresh_database,
        home=tmp_path,
    )
    assert code == 1
    assert out["errorType"] == "ValidationError"


def test_unreachable_database_is_a_named_failure_not_a_traceback(tmp_path: Path) -> None:
    # An unreachable database is a step fault (issue 8): the stack starts, the steps that need PostgreSQL retry
    # to their bound, and the recording ends FAILED with the named error (recorded in DynamoDB, evented).
    code, out, stderr = medscribe(
        "run",
        str(ROOT / "samples" / "dictation.wav"),
        "--out",
        str(tmp_path),
        "--instant-waits",
        database_url="postgresql://nobody@127.0.0.1:1/none?connect_timeout=2",
        home=tmp_path,
    )
    assert code == 1
    assert out["status"] == "FAILED"
    assert out["recording_id"]
    assert out["error"]["name"] == "DatabaseUnavailable"
    assert out["pdf"] is None
    assert "Traceback" not in stderr

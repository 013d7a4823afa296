"""An upload's trigger may finish before the uploader's next request: ``start_from_upload`` (``medscribe run``)
must not read the uploaded object back. On a re-run of the same audio the trigger refuses the new upload and
deletes it at once (``logic.intake.reject_upload``); a HEAD after the PUT then found nothing (S3 404) and the
second ``medscribe run`` ended InternalError (exit 70). Here the uploader's requests after its PUT wait until
the trigger's delivery has ended: an event order, the one the race produced."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from medscribe.local.engine import LocalPipeline


def test_a_rerun_whose_trigger_deletes_the_upload_before_the_uploader_asks_again_starts_nothing_new(
    pipeline: LocalPipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a recording that ran (its audio copy holds the first upload; it fails fast: not audio)
    audio = tmp_path / "visit.wav"
    audio.write_text("not audio\n" * 50)
    first_id, first_arn = pipeline.start_from_upload(audio)
    assert pipeline.wait(first_arn, timeout=120).status == "FAILED"
    # and an uploader whose requests after its PUT are held until the trigger's delivery has ended
    put_sent, delivered = threading.Event(), threading.Event()
    uploader = threading.current_thread()
    held: list[str] = []
    call = pipeline.dispatcher.call

    def delivery(function: str, event: Any) -> Any:
        try:
            return call(function, event)
        finally:
            if pipeline.stack.function_for_arn(function).logical_id == "StartRecordingFunction":
                delivered.set()

    def hold(event_name: str, **_: Any) -> None:
        if threading.current_thread() is uploader and put_sent.is_set():
            held.append(event_name.rsplit(".", 1)[-1])
            assert delivered.wait(60), "the upload's trigger was never delivered"

    monkeypatch.setattr(pipeline.dispatcher, "call", delivery)
    s3 = pipeline.client("s3")
    s3.meta.events.register("after-call.s3.PutObject", lambda **_: put_sent.set())
    s3.meta.events.register("before-call.s3", hold)
    try:
        # When the same audio is run again
        again_id, again_arn = pipeline.start_from_upload(audio)
    finally:
        s3.meta.events.unregister("before-call.s3", hold)
    # Then it is the same recording, found, not started again; its trigger refused the new upload
    assert (again_id, again_arn) == (first_id, first_arn)
    assert delivered.wait(60)  # (the uploader need not wait for its trigger: the execution exists)
    starts = [i for i in pipeline.dispatcher.invocations if i.function == "StartRecordingFunction"]
    assert starts[-1].error_type is None
    assert starts[-1].result["rejected"] is True
    assert pipeline.async_errors == []
    assert held == []  # the uploader asked S3 nothing after its PUT

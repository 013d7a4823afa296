"""Process exactly what was validated: the upload form posted again, between ValidateAudio and the
transcription or after COMPLETED, through ``serve``'s real S3 POST -> EventBridge -> StartRecording chain.

The bytes ValidateAudio probed and the bytes the transcriber decoded are hashed where each step reads them
(``medscribe.logic.audio.probe_audio`` and ``medscribe.offline.workers.transcribe``, both looked up at call
time by the production code); the second post lands, and its upload event is handled, while ValidateAudio
still holds the first file, so the transcription starts after it.
"""

from __future__ import annotations

import copy
import hashlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from api_support import ROOT, Api, wait_for_status

from medscribe import wiring
from medscribe.keys import RecordingKeys, recording_for_job_name
from medscribe.logic import audio as audio_logic
from medscribe.offline import workers

FIRST = ROOT / "corpus" / "audio" / "d20.wav"  # 6 s of dictation
SECOND = ROOT / "corpus" / "audio" / "d01.wav"  # another dictation: other bytes
# The race is forced, not hoped for: the second post lands inside ValidateAudio's probe and its event is
# handled before the probe returns, every time (5/5 races went wrong on the code before the version pinning;
# with the written-once copy and the version check broken, the first race fails). Each race is a pipeline run.
RACES = 5


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rejections(recording_id: str) -> list[dict[str, Any]]:
    rows = wiring.get_services().repository.audit_events(recording_id)
    return [row for row in rows if row["action"] == "upload_rejected"]


def _until(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout}s: {what}"
        time.sleep(0.05)


class Taps:
    """What each step read, by recording id; ``race`` runs once per recording right after its validation."""

    def __init__(self) -> None:
        self.current: str | None = None
        self.validated: dict[str, str] = {}
        self.transcribed: dict[str, str] = {}
        self.race: Callable[[str], None] | None = None
        self.decoded: dict[tuple[str, str], Any] = {}  # (sha256, media format) -> the transcriber's output

    @property
    def patches(self) -> Iterator[Any]:
        probe, transcribe = audio_logic.probe_audio, workers.transcribe

        def probe_then_race(path: Path, *args: Any, **kwargs: Any) -> Any:
            result = probe(path, *args, **kwargs)
            rid = self.current
            if rid is not None and rid not in self.validated:
                self.validated[rid] = _sha(path)
                if self.race is not None:
                    self.race(rid)  # ValidateAudio has read its bytes; the transcription has not started
            return result

        def transcribe_tapped(path: Path, *args: Any, **kwargs: Any) -> Any:
            rid = recording_for_job_name(kwargs["job_name"])
            digest = _sha(path)
            if rid is not None:
                self.transcribed[rid] = digest
            # The decode is not what this test pins (tests/offline does): the same bytes are decoded once, and
            # a repeat gets that output under its own job's name (other bytes would be decoded for real).
            key = (digest, kwargs["media_format"])
            if key not in self.decoded:
                self.decoded[key] = transcribe(path, *args, **kwargs)
            output = copy.deepcopy(self.decoded[key])
            return {**output, "jobName": kwargs["job_name"], "accountId": kwargs["account_id"]}

        yield mock.patch.object(audio_logic, "probe_audio", probe_then_race)
        yield mock.patch.object(workers, "transcribe", transcribe_tapped)


@pytest.fixture
def taps() -> Iterator[Taps]:
    tapped = Taps()
    patches = list(tapped.patches)
    for patch in patches:
        patch.start()
    try:
        yield tapped
    finally:
        for patch in patches:
            patch.stop()


def test_a_form_posted_again_between_validation_and_transcription_is_never_transcribed(
    api: Api, taps: Taps
) -> None:
    forms: dict[str, dict[str, Any]] = {}

    def post_again(rid: str) -> None:
        assert api.upload(forms[rid], path=SECOND) == 204  # S3 cannot refuse it: the form is still valid
        _until(lambda: len(_rejections(rid)) == 1, "the second upload's event handled")

    taps.race = post_again
    # Given RACES recordings, each posted again with other audio right after ValidateAudio read the first file
    mismatches = []
    for _ in range(RACES):
        created = api.create("alice")
        rid = created["recording_id"]
        forms[rid], taps.current = created, rid
        assert api.upload(created, path=FIRST) == 204
        # When each runs to its end
        done = wait_for_status(api, "alice", rid, {"COMPLETED", "FAILED"})
        assert done.json()["status"] == "COMPLETED", done.text
        # Then the transcribed bytes are the validated bytes, which are the first file's
        if taps.transcribed.get(rid) != taps.validated.get(rid):
            mismatches.append(rid)
        assert taps.validated[rid] == _sha(FIRST)
        # And the second upload was refused: audited once, deleted (no object left under its key)
        assert [r["outcome"] for r in _rejections(rid)] == ["rejected"]
    assert len(taps.validated) == RACES
    assert mismatches == [], f"{len(mismatches)}/{RACES} transcribed other bytes than were validated"


def test_a_form_posted_again_after_completed_changes_nothing_and_is_audited(api: Api) -> None:
    pipeline = api.server.pipeline
    s3 = pipeline.client("s3")
    # Given a COMPLETED recording
    created = api.create("alice")
    rid = created["recording_id"]
    assert api.upload(created, path=FIRST) == 204
    done = wait_for_status(api, "alice", rid, {"COMPLETED", "FAILED"})
    assert done.json()["status"] == "COMPLETED", done.text
    audio_key = RecordingKeys("clinic-a", rid).audio
    before = s3.list_object_versions(Bucket=pipeline.bucket, Prefix=audio_key)["Versions"]
    item_before = wiring.get_services().table.get(rid)
    assert item_before is not None
    upload_key = item_before["upload_key"]
    # When the same form is posted again with other audio
    assert api.upload(created, path=SECOND) == 204
    _until(lambda: len(_rejections(rid)) == 1, "the late upload's event handled")
    # Then the stored audio is the first file still: one version, the same one, the same bytes
    after = s3.list_object_versions(Bucket=pipeline.bucket, Prefix=audio_key)["Versions"]
    assert [v["VersionId"] for v in after] == [v["VersionId"] for v in before]
    body = s3.get_object(Bucket=pipeline.bucket, Key=audio_key)["Body"].read()
    assert hashlib.sha256(body).hexdigest() == _sha(FIRST)
    # And the late upload is gone (every version of its key), the status unchanged, no second run
    late = s3.list_object_versions(Bucket=pipeline.bucket, Prefix=upload_key)
    assert late.get("Versions", []) == []
    item_after = wiring.get_services().table.get(rid)
    assert item_after is not None
    assert (item_after["status"], item_after["audio_version"]) == ("COMPLETED", item_before["audio_version"])
    assert item_after["audio_version"] == before[0]["VersionId"]
    sfn = pipeline.client("stepfunctions")
    runs = sfn.list_executions(stateMachineArn=pipeline.state_machine_arn)["executions"]
    assert sum(1 for e in runs if e["name"] == rid) == 1
    # And the refusal is audited: who (the S3 upload), what, which recording, rejected
    (row,) = _rejections(rid)
    assert (row["actor_sub"], row["actor_tenant"], row["outcome"]) == ("s3-upload", "clinic-a", "rejected")

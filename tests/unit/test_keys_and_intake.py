"""One recording id drives every name."""

from __future__ import annotations

import pytest

from medscribe import errors
from medscribe.keys import (
    RecordingKeys,
    check_recording_id,
    execution_name,
    incoming_key,
    is_issued_recording_id,
    issued_id_in_key,
    job_name,
    new_recording_id,
    recording_id_for_object,
    tenant_for_incoming_key,
)
from medscribe.logic.intake import ObjectCreatedEvent, command_from_upload


def test_same_upload_gives_same_id_and_new_bytes_give_new_id() -> None:
    a = recording_id_for_object("b", "incoming/clinic-1/visit 1.wav", '"etag1"')
    assert a == recording_id_for_object("b", "incoming/clinic-1/visit 1.wav", "etag1")
    assert a != recording_id_for_object("b", "incoming/clinic-1/visit 1.wav", "etag2")
    assert "visit" not in a
    assert "clinic" not in a
    check_recording_id(a)


def test_issued_ids_are_uuids_and_only_they_are_taken_from_keys() -> None:
    rid = new_recording_id()
    assert is_issued_recording_id(rid)
    assert rid != new_recording_id()
    assert issued_id_in_key(f"incoming/clinic-a/{rid}.wav") == rid
    assert issued_id_in_key("incoming/clinic-a/Jane_Doe.wav") is None
    assert incoming_key("clinic-a", rid, "wav") == f"incoming/clinic-a/{rid}.wav"


def test_names_respect_service_limits() -> None:
    long_id = "r" * 128
    assert len(execution_name(long_id)) <= 80
    assert execution_name("abc") == "abc"
    assert len(job_name(long_id)) <= 200
    with pytest.raises(errors.InvalidRecordingId):
        job_name("bad id/../x")


def test_tenant_from_key() -> None:
    assert tenant_for_incoming_key("incoming/clinic-7/a.wav") == "clinic-7"
    assert tenant_for_incoming_key("incoming/clinic-7/a.wav", {"clinic-7"}) == "clinic-7"


@pytest.mark.parametrize(
    "key",
    [
        "incoming/a.wav",
        "incoming/Bad_Tenant/a.wav",
        "incoming/clinic-9/a.wav",
        "incoming//a.wav",
        "incoming/x/",
    ],
)
def test_unknown_or_malformed_tenant_folders_are_refused_not_defaulted(key: str) -> None:
    with pytest.raises(errors.UnknownTenant):
        tenant_for_incoming_key(key, {"clinic-7"})


def test_all_keys_live_under_tenant_and_recording_prefix() -> None:
    keys = RecordingKeys(tenant="t1", recording_id="r1")
    for key in (
        keys.transcribe_output,
        keys.transcript_text,
        keys.entities_detected,
        keys.entities_filtered,
        keys.summary_pdf,
    ):
        assert key.startswith("t1/r1/")


def test_upload_event_outside_incoming_is_rejected() -> None:
    event = ObjectCreatedEvent.model_validate(
        {
            "source": "aws.s3",
            "detail-type": "Object Created",
            "detail": {"bucket": {"name": "b"}, "object": {"key": "t/r/x.pdf", "etag": "e"}},
        }
    )
    with pytest.raises(errors.InvalidInput):
        command_from_upload(event, frozenset({"t"}), lambda rid: None)


def _upload(key: str) -> ObjectCreatedEvent:
    return ObjectCreatedEvent.model_validate(
        {
            "source": "aws.s3",
            "detail-type": "Object Created",
            "detail": {"bucket": {"name": "b"}, "object": {"key": key, "etag": "e"}},
        }
    )


def test_upload_keeps_the_issued_id_only_when_reserved_for_that_tenant_and_key() -> None:
    rid = new_recording_id()
    key = f"incoming/clinic-a/{rid}.wav"
    reserved = {rid: {"tenant": "clinic-a", "audio_key": key}}
    known = frozenset({"clinic-a", "clinic-b"})
    assert command_from_upload(_upload(key), known, reserved.get).recording_id == rid
    # the same id under another tenant's folder (an uploader guessing or copying it) gets a hash id instead
    other = command_from_upload(_upload(f"incoming/clinic-b/{rid}.wav"), known, reserved.get)
    assert other.recording_id != rid
    assert other.tenant == "clinic-b"
    # an unreserved uuid-named upload too
    assert command_from_upload(_upload(key), known, lambda _: None).recording_id != rid

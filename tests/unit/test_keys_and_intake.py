"""One recording id drives every name."""

from __future__ import annotations

import pytest

from medscribe import errors
from medscribe.keys import (
    RecordingKeys,
    check_recording_id,
    execution_name,
    job_name,
    recording_id_for_object,
    tenant_for_incoming_key,
)
from medscribe.logic.intake import ObjectCreatedEvent, command_from_upload


def test_same_upload_gives_same_id_and_new_bytes_give_new_id() -> None:
    a = recording_id_for_object("b", "incoming/clinic-1/visit 1.wav", '"etag1"')
    assert a == recording_id_for_object("b", "incoming/clinic-1/visit 1.wav", "etag1")
    assert a != recording_id_for_object("b", "incoming/clinic-1/visit 1.wav", "etag2")
    assert a.startswith("visit-1-")
    check_recording_id(a)


def test_names_respect_service_limits() -> None:
    long_id = "r" * 128
    assert len(execution_name(long_id)) <= 80
    assert execution_name("abc") == "abc"
    assert len(job_name(long_id)) <= 200
    with pytest.raises(errors.InvalidRecordingId):
        job_name("bad id/../x")


def test_tenant_from_key() -> None:
    assert tenant_for_incoming_key("incoming/clinic-7/a.wav") == "clinic-7"
    assert tenant_for_incoming_key("incoming/a.wav") == "default"
    assert tenant_for_incoming_key("incoming/Bad_Tenant/a.wav") == "default"


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
        command_from_upload(event)

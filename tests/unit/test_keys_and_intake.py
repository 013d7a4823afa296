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
    uploaded_file_name,
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


def test_every_upload_is_processed_from_the_recordings_own_key_and_an_api_upload_keeps_its_id() -> None:
    # Given a direct upload named after the patient, and an API upload to its reserved key
    known = frozenset({"clinic-a"})
    phi = "incoming/clinic-a/scans/Jane_Doe_MRN_448812.wav"
    event = ObjectCreatedEvent.model_validate(
        {
            "source": "aws.s3",
            "detail-type": "Object Created",
            "detail": {
                "bucket": {"name": "b"},
                "object": {"key": phi, "etag": "e1", "version-id": "v1"},
            },
        }
    )
    rid = new_recording_id()
    api_key = f"incoming/clinic-a/{rid}.wav"
    # When each becomes a start command
    direct = command_from_upload(event, known, lambda _: None)
    issued = command_from_upload(
        _upload(api_key), known, {rid: {"tenant": "clinic-a", "audio_key": api_key}}.get
    )
    # Then the direct upload's pipeline key is {tenant}/{hash id}/audio, the uploaded object kept aside (to be
    # copied, then deleted: that version), and nothing of its name is in the id, the key or the repr
    assert direct.audio_key == RecordingKeys("clinic-a", direct.recording_id).audio
    assert direct.audio_key == f"clinic-a/{direct.recording_id}/audio"
    assert direct.upload is not None
    assert (direct.upload.key, direct.upload.etag, direct.upload.version_id) == (phi, "e1", "v1")
    assert "Jane" not in direct.recording_id + direct.audio_key + repr(direct)
    assert uploaded_file_name(phi) == "scans/Jane_Doe_MRN_448812.wav"
    # And the API upload (a server-chosen key) keeps its issued id and is moved, the version its event names,
    # to the recording's own key too (no file name to save: not a direct upload)
    assert (issued.recording_id, issued.audio_key) == (rid, f"clinic-a/{rid}/audio")
    assert issued.upload is not None
    assert (issued.upload.key, issued.direct) == (api_key, False)
    # And once started (the item names the moved key and keeps the issued one), a later upload to that key
    # still maps to that recording (to be refused), never to a new one
    started = {"tenant": "clinic-a", "audio_key": f"clinic-a/{rid}/audio", "upload_key": api_key}
    again = command_from_upload(_upload(api_key), known, {rid: started}.get)
    assert again.recording_id == rid


def test_the_upload_prefix_is_never_a_tenant() -> None:
    # Given a tenant named like the upload trigger's prefix (even when configured as known)
    # When it is checked, or an upload under incoming/incoming/ is mapped to its tenant
    # Then it is refused: its copies ({tenant}/{rid}/audio) would land under incoming/ and re-trigger
    from medscribe.errors import UnknownTenant
    from medscribe.keys import check_tenant, tenant_for_incoming_key

    with pytest.raises(UnknownTenant, match="reserved"):
        check_tenant("incoming", known={"incoming", "clinic-a"})
    with pytest.raises(UnknownTenant, match="reserved"):
        tenant_for_incoming_key("incoming/incoming/x.wav")
    assert check_tenant("clinic-a", known={"clinic-a"}) == "clinic-a"

"""Errors whose class names are the error names Step Functions sees.

A Lambda that raises one of these reports ``errorType`` = the class name; the state machine's Retry and
Catch blocks match on it. Names are part of the public contract (operators see them in the console and in
``RecordingFailed`` events): rename only with a schema version bump.

``TransientError`` subclasses are retried by the state machine; everything else is terminal and caught into
the failure path.
"""

from __future__ import annotations


class MedscribeError(Exception):
    """Base of every error the pipeline raises on purpose."""


class TransientError(MedscribeError):
    """Worth retrying: the same input may succeed later."""


class ServiceThrottled(TransientError):
    """An AWS service (or its offline stand-in) throttled us after the client's own retries."""


class DatabaseUnavailable(TransientError):
    """PostgreSQL could not be reached or the transaction was aborted by a transient condition."""


class EventPublishFailed(TransientError):
    """EventBridge PutEvents reported FailedEntryCount > 0."""


# ---- terminal: bad input -------------------------------------------------------------------------------
class InvalidInput(MedscribeError):
    """The step's input does not match its model."""


class InvalidRecordingId(InvalidInput):
    """A recording id must match ``[0-9A-Za-z._-]{1,128}``."""


class AudioNotFound(InvalidInput):
    """The audio object does not exist in the bucket."""


class InvalidAudio(InvalidInput):
    """Base of every audio validation failure."""


class UnsupportedAudioFormat(InvalidAudio):
    """The bytes are not one of AMR, FLAC, M4A, MP3, MP4, Ogg, WebM, WAV."""


class CorruptAudio(InvalidAudio):
    """The container is recognised but its header lies or the data is truncated."""


class AudioTooShort(InvalidAudio):
    """Shorter than Transcribe Medical's minimum (0.5 s)."""


class AudioTooLong(InvalidAudio):
    """Longer than Transcribe Medical's maximum (4 h)."""


class AudioTooLarge(InvalidAudio):
    """Larger than Transcribe Medical's maximum (2 GB)."""


class SampleRateTooLow(InvalidAudio):
    """Transcribe Medical needs at least 16 kHz."""


# ---- terminal: downstream ------------------------------------------------------------------------------
class TranscriptionJobFailed(MedscribeError):
    """Transcribe Medical reported FAILED; the message carries its FailureReason."""


class TranscriptionTimedOut(MedscribeError):
    """The poll loop hit its bound (raised by the state machine, named here for documentation)."""


class TranscriptNotFound(MedscribeError):
    """The job says COMPLETED but its output object is missing."""


class DocumentRenderFailed(MedscribeError):
    """The PDF could not be produced from the template."""


class EventTooLarge(MedscribeError):
    """An EventBridge entry (Source + DetailType + Detail + Resources, UTF-8) is over PutEvents' 256 KB."""


# ---- terminal: intake (issue 7, the front door) ------------------------------------------------------------
class UnknownTenant(InvalidInput):
    """An upload under ``incoming/`` whose tenant folder is missing, malformed or not a known tenant: refused
    (the upload rule's retries and DLQ keep the event), never mapped to a default tenant."""


class RecordingIdConflict(InvalidInput):
    """The recording id already belongs to another tenant (or another object): never re-assigned."""


# ---- added for consistency under faults (issue 8) -------------------------------------------------------
class PublishInProgress(TransientError):
    """Another invocation holds the claim to publish this recording's outcome event; retry to get its id."""


class NoSpeechDetected(MedscribeError):
    """The transcript has no words (no transcripts, no items, or only noise below the confidence bound)."""


class TranscriptionAttemptsExhausted(MedscribeError):
    """The recording's transcription jobs failed or went stale as many times as the configured maximum."""


class UploadCopyFailed(MedscribeError):
    """StartRecording (not a pipeline step) could not copy a direct upload to its processing key, or remove it
    once its execution started (an S3 error other than a missing object). Lambda's async retries, then the
    trigger DLQ, keep the event; the message names the S3 error code only, never the uploader's key."""


class ObjectExists(MedscribeError):
    """A conditional write (``If-None-Match: *``) found its key taken: a recording's audio is written once."""


class AudioChanged(InvalidInput):
    """The recording's audio is no longer the version that was validated (its key was written again): the
    pipeline stops rather than transcribe bytes nobody validated."""


class MfaRequired(MedscribeError):
    """A clinic-admin or operator signing in without an enrolled second factor: Cognito issues no token."""


# ---- backfill (issue 18): one archive item's failure, named in the backfill's summary ----------------------
class BackfillOutsideTenant(InvalidInput):
    """A backfill prefix or item outside the caller's own ``backfill/{tenant}/`` folder (the API answers 403)."""


class BackfillTooLarge(InvalidInput):
    """A backfill with more items than the configured maximum: refused before anything starts (400)."""


class ManifestLineInvalid(InvalidInput):
    """A manifest line that is not an item (garbage, a missing key, a bad field): that item fails, others run."""


class DuplicateManifestItem(InvalidInput):
    """A manifest key listed again: the later line fails, the first one runs."""

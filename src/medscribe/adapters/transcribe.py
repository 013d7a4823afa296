"""Amazon Transcribe Medical batch jobs (``StartMedicalTranscriptionJob`` / ``GetMedicalTranscriptionJob``).

Request (Transcribe API reference): ``LanguageCode`` en-US (the only one Transcribe Medical accepts),
``Specialty`` PRIMARYCARE (the only value), ``Type`` DICTATION or CONVERSATION, ``Media.MediaFileUri``
``s3://bucket/key``, ``MediaFormat`` (the API enum: mp3 mp4 wav flac ogg amr webm m4a; m4a and mp4 are
distinct values), ``MediaSampleRateHertz`` when inside the API's 16,000-48,000 Hz range (outside it the field is
omitted and Transcribe detects the rate), ``OutputBucketName`` + ``OutputKey``: a full object key ending in
``.json``, so the transcript lands exactly at ``s3://bucket/{output_key}`` (a key without an extension would be
treated as a folder), ``OutputEncryptionKMSKeyId`` when a key is configured. CONVERSATION audio gets speaker
labels (``ShowSpeakerLabels`` + ``MaxSpeakerLabels``) or, for two-channel audio, ``ChannelIdentification``
(the two cannot be combined in one request). ``ContentIdentificationType`` PHI when asked.

``start`` is idempotent on the job name: ``ConflictException`` (a job of that name exists) is resumed by
returning the existing job's state. ``get`` reports ``output_key`` from ``Transcript.TranscriptFileUri`` once
the job is COMPLETED and ``""`` before that (``GetMedicalTranscriptionJob`` does not echo ``OutputKey``): callers
should keep the key they started the job with. Throttling that survives botocore's retries (``ThrottlingException``,
``LimitExceededException``, ``TooManyRequestsException``) raises ``ServiceThrottled``.

The transcript itself is read by the pipeline step (``logic.pipeline.read_transcript``, S3 ``GetObject``
with the Lambda's role); an empty one is ``NoSpeechDetected`` (``logic.speech``).
"""

from __future__ import annotations

from typing import Any, get_args
from urllib.parse import unquote, urlparse

from botocore.exceptions import ClientError

from medscribe.adapters.transient import TRANSIENT_CODES
from medscribe.errors import ServiceThrottled, UnsupportedAudioFormat
from medscribe.models import JobStatus, MediaFormat
from medscribe.ports import JobRequest, JobState

LANGUAGE_CODE = "en-US"
SPECIALTY = "PRIMARYCARE"
MIN_SAMPLE_RATE_HZ = 16_000
MAX_SAMPLE_RATE_HZ = 48_000
MAX_SPEAKER_LABELS = 2
# The API's MediaFormat enum equals our validated formats (models.MediaFormat): one list, not two.
MEDIA_FORMATS: frozenset[str] = frozenset(get_args(MediaFormat))
THROTTLING_CODES = TRANSIENT_CODES  # the one map (adapters/transient.py): throttling and unavailable
_STATUSES: frozenset[str] = frozenset({"QUEUED", "IN_PROGRESS", "COMPLETED", "FAILED"})


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def build_request(request: JobRequest, kms_key_id: str | None) -> dict[str, Any]:
    """The ``StartMedicalTranscriptionJob`` parameters for ``request``."""
    if request.media_format not in MEDIA_FORMATS:
        raise UnsupportedAudioFormat(f"Transcribe Medical does not take {request.media_format!r}")
    if not request.output_key.endswith(".json"):
        raise ValueError("output_key must be a full object key ending in .json")
    params: dict[str, Any] = {
        "MedicalTranscriptionJobName": request.job_name,
        "LanguageCode": LANGUAGE_CODE,
        "Specialty": SPECIALTY,
        "Type": request.transcription_type,
        "Media": {"MediaFileUri": f"s3://{request.bucket}/{request.audio_key}"},
        "MediaFormat": request.media_format,
        "OutputBucketName": request.bucket,
        "OutputKey": request.output_key,
    }
    if MIN_SAMPLE_RATE_HZ <= request.sample_rate_hz <= MAX_SAMPLE_RATE_HZ:
        params["MediaSampleRateHertz"] = request.sample_rate_hz
    if kms_key_id:
        params["OutputEncryptionKMSKeyId"] = kms_key_id
    if request.transcription_type == "CONVERSATION":
        if request.channels == 2:
            params["Settings"] = {"ChannelIdentification": True}
        else:
            params["Settings"] = {"ShowSpeakerLabels": True, "MaxSpeakerLabels": MAX_SPEAKER_LABELS}
    if request.identify_phi:
        params["ContentIdentificationType"] = "PHI"
    return params


def _state(job: dict[str, Any], output_key: str) -> JobState:
    status = job["TranscriptionJobStatus"]
    if status not in _STATUSES:
        raise ValueError(f"unknown TranscriptionJobStatus {status!r}")
    typed: JobStatus = status
    return JobState(
        job_name=job["MedicalTranscriptionJobName"],
        status=typed,
        output_key=output_key,
        failure_reason=job.get("FailureReason") if status == "FAILED" else None,
        started_at=job.get("StartTime") or job.get("CreationTime"),
    )


def _output_key_from_job(job: dict[str, Any], fallback: str) -> str:
    """The object key in ``Transcript.TranscriptFileUri`` (present once COMPLETED), path-style
    (``https://s3.{region}.amazonaws.com/{bucket}/{key}``) or virtual-hosted (``https://{bucket}.s3...``)."""
    uri = job.get("Transcript", {}).get("TranscriptFileUri")
    if not uri:
        return fallback
    parsed = urlparse(uri)
    path = unquote(parsed.path.lstrip("/"))
    if parsed.netloc.startswith("s3.") or parsed.netloc.startswith("s3-"):  # path-style: bucket first
        path = path.split("/", 1)[1] if "/" in path else ""
    return path or fallback


class TranscribeMedical:
    """``TranscriptionService`` on Transcribe Medical. ``client`` is a boto3 ``transcribe`` client."""

    def __init__(self, client: Any, kms_key_id: str | None = None) -> None:
        self._client = client
        self._kms_key_id = kms_key_id

    def start(self, request: JobRequest) -> JobState:
        params = build_request(request, self._kms_key_id)
        try:
            response = self._client.start_medical_transcription_job(**params)
        except ClientError as exc:
            if _code(exc) == "ConflictException":
                return self._get(request.job_name, request.output_key)
            self._raise_throttled(exc, "StartMedicalTranscriptionJob")
            raise
        job = response["MedicalTranscriptionJob"]
        # the status of a job just created is QUEUED; the field is optional in the API model
        return _state({"TranscriptionJobStatus": "QUEUED", **job}, request.output_key)

    def get(self, job_name: str) -> JobState:
        return self._get(job_name, None)

    def _get(self, job_name: str, output_key: str | None) -> JobState:
        try:
            job = self._client.get_medical_transcription_job(MedicalTranscriptionJobName=job_name)[
                "MedicalTranscriptionJob"
            ]
        except ClientError as exc:
            self._raise_throttled(exc, "GetMedicalTranscriptionJob")
            raise
        return _state(job, output_key or _output_key_from_job(job, fallback=""))

    @staticmethod
    def _raise_throttled(exc: ClientError, operation: str) -> None:
        if _code(exc) in THROTTLING_CODES:
            raise ServiceThrottled(f"transcribe {operation}: {_code(exc)}") from exc

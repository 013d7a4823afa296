"""Bounds of the callback wait for a transcription job, from the audio duration.

In callback mode the StartTranscriptionAndWait state waits for a task token (``.waitForTaskToken``) that
TranscriptionDoneFunction returns when the transcript lands in S3. Completion signals are best effort, so the
wait is bounded twice, by values this module computes and ValidateAudio puts in the state
(``HeartbeatSecondsPath`` / ``TimeoutSecondsPath``):

- ``heartbeat_seconds``: no sign of life for this long (a signal or a ``SendTaskHeartbeat``) ends the wait
  with States.HeartbeatTimeout; ``base + duration x HEARTBEAT_PER_AUDIO_SECOND``, at most ``MAX_HEARTBEAT``.
- ``timeout_seconds``: the hard bound of one wait, twice the heartbeat, at most ``MAX_TIMEOUT``.

Either expiry is retried by the ASL at most ``CALLBACK_RETRIES`` times: the retried StartTranscription is the
sparse fallback check (its idempotent start reads the job: COMPLETED -> it returns the token itself, FAILED ->
TranscriptionJobFailed, still running -> a new token and another bounded wait). After the last attempt the
recording fails with TranscriptionTimedOut, so the worst case, ``(1 + CALLBACK_RETRIES) x MAX_TIMEOUT``, stays
under the state machine's TimeoutSeconds (21600 s) with time left for every other step.
"""

from __future__ import annotations

import math

from medscribe.models import WaitBounds

HEARTBEAT_PER_AUDIO_SECOND = 0.5  # Transcribe Medical batch jobs typically finish well under real time
MAX_HEARTBEAT = 3000
MAX_TIMEOUT = 6000
CALLBACK_RETRIES = 2  # must equal the ASL's Retry MaxAttempts for States.Timeout on the callback state
EXECUTION_TIMEOUT = 21600  # the ASL's TimeoutSeconds


def wait_bounds(duration_seconds: float, base_seconds: int) -> WaitBounds:
    heartbeat = min(MAX_HEARTBEAT, base_seconds + math.ceil(duration_seconds * HEARTBEAT_PER_AUDIO_SECOND))
    heartbeat = max(1, heartbeat)
    return WaitBounds(heartbeat_seconds=heartbeat, timeout_seconds=min(MAX_TIMEOUT, 2 * heartbeat))

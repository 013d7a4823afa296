"""The one map of transient AWS error codes, used by every adapter.

A ``ClientError`` whose code is here survived botocore's own retries and is still worth retrying later: the
adapters turn it into a ``TransientError`` (``ServiceThrottled``, or ``DatabaseUnavailable`` for the Data API)
that the state machine retries with backoff. Everything else is terminal.
"""

from __future__ import annotations

from typing import Final

from botocore.exceptions import ClientError

THROTTLING_CODES: Final = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "ProvisionedThroughputExceededException",
        "LimitExceededException",  # Transcribe: too many concurrent jobs
        "SlowDown",
    }
)
UNAVAILABLE_CODES: Final = frozenset(
    {
        "ServiceUnavailable",
        "ServiceUnavailableException",  # Comprehend Medical, Transcribe
        "ServiceUnavailableError",
        "InternalServerException",  # Comprehend Medical
        "InternalServerError",
        "InternalServerErrorException",
        "InternalFailure",  # EventBridge, DynamoDB
        "RequestTimeout",
        "RequestTimeoutException",
    }
)
TRANSIENT_CODES: Final = THROTTLING_CODES | UNAVAILABLE_CODES


def error_code(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return ""


def is_transient(exc: BaseException) -> bool:
    return error_code(exc) in TRANSIENT_CODES

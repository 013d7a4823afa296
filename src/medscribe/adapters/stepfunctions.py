"""Step Functions task callbacks (``medscribe.ports.TaskCallbacks``): SendTaskSuccess / SendTaskFailure.

A token that is no longer open (``TaskTimedOut``: the wait expired or was already answered; ``InvalidToken``;
``TaskDoesNotExist``) is reported as ``False``, not raised: completion signals are at-least-once and come from
two sources, so a late or duplicate one is normal. Throttling becomes ``ServiceThrottled`` (EventBridge's
async retry of the signal function). The token is never logged.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from medscribe.errors import ServiceThrottled

CLOSED_TOKEN_CODES = frozenset({"TaskTimedOut", "InvalidToken", "TaskDoesNotExist"})
THROTTLING_CODES = frozenset({"ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"})
MAX_CAUSE_CHARS = 32768  # SendTaskFailure's cause limit
MAX_ERROR_CHARS = 256


class StepFunctionsCallbacks:
    def __init__(self, client: Any) -> None:
        self._client = client

    def succeed(self, token: str, output: dict[str, Any]) -> bool:
        return self._send("SendTaskSuccess", taskToken=token, output=json.dumps(output))

    def fail(self, token: str, error: str, cause: str) -> bool:
        return self._send(
            "SendTaskFailure", taskToken=token, error=error[:MAX_ERROR_CHARS], cause=cause[:MAX_CAUSE_CHARS]
        )

    def _send(self, operation: str, **kwargs: str) -> bool:
        call = (
            self._client.send_task_success
            if operation == "SendTaskSuccess"
            else self._client.send_task_failure
        )
        try:
            call(**kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in CLOSED_TOKEN_CODES:
                return False
            if code in THROTTLING_CODES:
                raise ServiceThrottled(f"stepfunctions {operation}: {code}") from exc
            raise
        return True

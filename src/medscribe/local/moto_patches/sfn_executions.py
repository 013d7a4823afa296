"""Step Functions execution APIs as AWS answers them (moto 5.2.5 deviations, checked against AWS's API reference).

- ``StartExecution`` without ``name``: AWS names the execution with a generated UUID; moto 5.2.5's interpreter
  backend builds the ARN ``...:None`` and a second unnamed start fails with ExecutionAlreadyExists.
- ``StopExecution`` ``error``/``cause``: AWS keeps them (ExecutionAborted event details and DescribeExecution);
  moto 5.2.5 stops with ``error=""``/``cause=""`` whatever the caller sent.
- ``ListExecutions`` ``statusFilter`` outside the enum: AWS answers ValidationException; moto returns ``[]``.
- ``DescribeExecution``: AWS always carries ``inputDetails`` (``{"included": true}``); moto 5.2.5 omits it.
- ``GetExecutionHistory``: AWS pages (``maxResults``, default 100, at most 1000, 0 = default; ``nextToken``),
  orders (``reverseOrder``) and drops input/output from event details when ``includeExecutionData`` is false;
  moto 5.2.5 ignores all four and returns every event at once.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.aws_error import AWSError

MOTO_VERSION = "5.2.6"
STATUSES = ("SUCCEEDED", "TIMED_OUT", "PENDING_REDRIVE", "ABORTED", "FAILED", "RUNNING")
HISTORY_DEFAULT_PAGE = 100
HISTORY_MAX_PAGE = 1000


class ValidationException(AWSError):
    TYPE = "ValidationException"
    STATUS = 400


class InvalidToken(AWSError):
    TYPE = "InvalidToken"
    STATUS = 400


def enum_error(value: str, field: str, allowed: tuple[str, ...]) -> ValidationException:
    """AWS's wording for an enum constraint (a smithy validation message)."""
    return ValidationException(
        f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: "
        f"Member must satisfy enum value set: [{', '.join(allowed)}]"
    )


def _token(offset: int, arn: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset, "a": arn}).encode()).decode()


def _offset(token: str, arn: str) -> int:
    try:
        body = json.loads(base64.urlsafe_b64decode(token.encode()))
        offset = body["o"]
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise InvalidToken(f"Invalid Token: '{token}'") from exc
    if body.get("a") != arn or not isinstance(offset, int) or offset < 0:
        raise InvalidToken(f"Invalid Token: '{token}'")
    return offset


def page_history(
    events: list[dict[str, Any]],
    arn: str,
    *,
    max_results: int | None,
    next_token: str | None,
    reverse: bool,
    include_data: bool,
) -> dict[str, Any]:
    """One page of a history, as AWS cuts it."""
    if max_results is not None and not 0 <= max_results <= HISTORY_MAX_PAGE:
        raise ValidationException(
            f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to satisfy "
            f"constraint: Member must have value less than or equal to {HISTORY_MAX_PAGE}"
        )
    size = max_results or HISTORY_DEFAULT_PAGE
    ordered = list(reversed(events)) if reverse else list(events)
    start = _offset(next_token, arn) if next_token else 0
    page = ordered[start : start + size]
    if not include_data:
        page = [_without_data(event) for event in page]
    result: dict[str, Any] = {"events": page}
    if start + size < len(ordered):
        result["nextToken"] = _token(start + size, arn)
    return result


def _without_data(event: dict[str, Any]) -> dict[str, Any]:
    out = dict(event)
    for key, value in event.items():
        if key.endswith("EventDetails") and isinstance(value, dict):
            out[key] = {k: v for k, v in value.items() if k not in ("input", "output")}
    return out


def apply(stack: ExitStack) -> None:
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.stepfunctions.parser.models import StepFunctionsParserBackend
    from moto.stepfunctions.responses import StepFunctionResponse

    original_start = StepFunctionsParserBackend.start_execution

    def start_execution(backend: Any, state_machine_arn: str, name: Any = None, *args: Any, **kw: Any) -> Any:
        return original_start(backend, state_machine_arn, name or str(uuid.uuid4()), *args, **kw)

    def stop_execution(response: Any) -> ActionResult:
        backend = response.stepfunction_backend
        arn = response._get_param("executionArn")
        error, cause = response._get_param("error"), response._get_param("cause")
        execution = backend.describe_execution(arn)
        if execution.status == "RUNNING":
            execution.stop(stop_date=utcnow(), error=error, cause=cause)
            execution.error, execution.cause = error, cause
        return ActionResult({"stopDate": execution.stop_date or utcnow()})

    original_list = StepFunctionResponse.list_executions

    def list_executions(response: Any) -> Any:
        status = response._get_param("statusFilter")
        if status is not None and status not in STATUSES:
            raise enum_error(status, "statusFilter", STATUSES)
        return original_list(response)

    original_describe = StepFunctionResponse.describe_execution

    def describe_execution(response: Any) -> Any:
        result = original_describe(response)
        body: Any = result.result
        body.setdefault("inputDetails", {"included": True})
        if "output" in body:
            body.setdefault("outputDetails", {"included": True})
        return result

    original_history = StepFunctionResponse.get_execution_history

    def get_execution_history(response: Any) -> Any:
        raw = original_history(response)
        full: Any = json.loads(raw) if isinstance(raw, str | bytes) else raw.result
        include = response._get_param("includeExecutionData")
        page = page_history(
            full["events"],
            response._get_param("executionArn"),
            max_results=response._get_int_param("maxResults"),
            next_token=response._get_param("nextToken"),
            reverse=bool(response._get_param("reverseOrder")),
            include_data=include is not False,
        )
        return json.dumps(page)

    stack.enter_context(mock.patch.object(StepFunctionsParserBackend, "start_execution", start_execution))
    stack.enter_context(mock.patch.object(StepFunctionResponse, "stop_execution", stop_execution))
    stack.enter_context(mock.patch.object(StepFunctionResponse, "list_executions", list_executions))
    stack.enter_context(mock.patch.object(StepFunctionResponse, "describe_execution", describe_execution))
    stack.enter_context(
        mock.patch.object(StepFunctionResponse, "get_execution_history", get_execution_history)
    )

"""Step Functions execution APIs as AWS answers them (moto 5.2.6 deviations, checked against AWS's API reference).

- ``StartExecution`` without ``name``: AWS names the execution with a generated UUID; moto 5.2.6's interpreter
  backend builds the ARN ``...:None`` and a second unnamed start fails with ExecutionAlreadyExists.
- ``StopExecution`` ``error``/``cause``: AWS keeps them (ExecutionAborted event details and DescribeExecution);
  moto 5.2.6 stops with ``error=""``/``cause=""`` whatever the caller sent. (That the stop always ends the
  execution, whenever it comes, is ``sfn_stop``'s.)
- ``ListExecutions`` ``statusFilter`` outside the enum: AWS answers ValidationException; moto returns ``[]``.
- ``DescribeExecution``: AWS always carries ``inputDetails`` (``{"included": true}``) and the redrive fields
  ``redriveCount`` (0 until redriven), ``redriveDate`` (the latest redrive), ``redriveStatus`` (REDRIVABLE for a
  FAILED/TIMED_OUT/ABORTED standard execution, else NOT_REDRIVABLE with ``redriveStatusReason``); moto 5.2.6 omits
  them. ``ListExecutions`` items carry ``redriveCount``/``redriveDate`` and ``redriveFilter`` (REDRIVEN /
  NOT_REDRIVEN) is applied to the page moto returns. (``redrive.py`` adds RedriveExecution itself.)
- ``GetExecutionHistory``: AWS pages (``maxResults``, default 100, at most 1000, 0 = default; ``nextToken``),
  orders (``reverseOrder``) and drops input/output from event details when ``includeExecutionData`` is false;
  moto 5.2.6 ignores all four and returns every event at once. The page is written as JSON directly
  (``execution_events.plain``: moto's generic serializer costs ~1 ms per event), timestamps as epoch seconds as AWS sends them.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches import sfn_versions
from medscribe.local.moto_patches.aws_error import AWSError
from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
_R = "moto.stepfunctions.responses.StepFunctionResponse."
PATCH = PatchInfo(
    kind="fix",
    moto_version=MOTO_VERSION,
    restores=(
        "StartExecution, StopExecution, DescribeExecution, ListExecutions and GetExecutionHistory answer as the "
        "Step Functions API Reference documents (generated names, kept error/cause, inputDetails and redrive "
        "fields, statusFilter validation, history paging/order/includeExecutionData)."
    ),
    targets=(
        _R + "start_execution",
        _R + "stop_execution",
        _R + "list_executions",
        _R + "describe_execution",
        _R + "get_execution_history",
    ),
    canary="tests/emulator/test_canary_sfn_api.py::test_sfn_executions",
)
REDRIVABLE = {"FAILED", "TIMED_OUT", "ABORTED"}
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


def redrive_fields(execution: Any) -> dict[str, Any]:
    """DescribeExecution's redriveCount / redriveDate / redriveStatus / redriveStatusReason, as AWS sets them."""
    status = str(getattr(execution.status, "value", execution.status))
    fields: dict[str, Any] = {"redriveCount": getattr(execution, "redrive_count", 0)}
    if getattr(execution, "redrive_date", None) is not None:
        fields["redriveDate"] = execution.redrive_date
    if str(getattr(execution, "sm_type", "STANDARD")).upper().endswith("EXPRESS"):
        fields["redriveStatus"] = "NOT_REDRIVABLE"
        fields["redriveStatusReason"] = "Execution is an EXPRESS execution and cannot be redriven."
    elif status in REDRIVABLE:
        fields["redriveStatus"] = "REDRIVABLE"
    else:
        fields["redriveStatus"] = "NOT_REDRIVABLE"
        fields["redriveStatusReason"] = f"Execution is {status} and cannot be redriven."
    return fields


def apply(stack: ExitStack) -> None:
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.stepfunctions.responses import StepFunctionResponse

    from medscribe.local.moto_patches.execution_events import plain

    def start_execution(response: Any) -> ActionResult:
        backend = response.stepfunction_backend
        name = response._get_param("name") or str(uuid.uuid4())
        execution_input = response._get_param("input", if_none="{}")

        def start(arn: str) -> Any:
            return backend.start_execution(arn, name, execution_input)

        with sfn_versions.start_lock():  # (a version's start swaps a definition in for a moment)
            arn = response._get_param("stateMachineArn")
            execution = sfn_versions.start_on_version(backend, arn, start) or start(arn)
        return ActionResult({"executionArn": execution.execution_arn, "startDate": execution.start_date})

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

    def list_executions(response: Any) -> ActionResult:
        status = response._get_param("statusFilter")
        if status is not None and status not in STATUSES:
            raise enum_error(status, "statusFilter", STATUSES)
        on_version = sfn_versions.version_executions(
            response.stepfunction_backend, response._get_param("stateMachineArn"), status
        )
        result = ActionResult(on_version) if on_version is not None else original_list(response)
        body: Any = result.result
        wanted = response._get_param("redriveFilter")  # REDRIVEN | NOT_REDRIVEN (applied to this page)
        items = []
        for item in body["executions"]:
            execution = response.stepfunction_backend.describe_execution(item["executionArn"])
            fields = redrive_fields(execution)
            if wanted and (wanted == "REDRIVEN") != (fields["redriveCount"] > 0):
                continue
            item["redriveCount"] = fields["redriveCount"]
            if version := getattr(execution, sfn_versions.VERSION_ATTR, None):
                item["stateMachineVersionArn"] = version
            if "redriveDate" in fields:
                item["redriveDate"] = fields["redriveDate"]
            items.append(item)
        body["executions"] = items
        return result

    original_describe = StepFunctionResponse.describe_execution

    def describe_execution(response: Any) -> ActionResult:
        result = original_describe(response)
        body: Any = result.result
        execution = response.stepfunction_backend.describe_execution(body["executionArn"])
        body.update(redrive_fields(execution))
        if version := getattr(execution, sfn_versions.VERSION_ATTR, None):
            body["stateMachineVersionArn"] = version
        body.setdefault("inputDetails", {"included": True})
        if "output" in body:
            body.setdefault("outputDetails", {"included": True})
        return result

    def get_execution_history(response: Any) -> str:
        arn = response._get_param("executionArn")
        full: Any = plain(response.stepfunction_backend.get_execution_history(arn))
        include = response._get_param("includeExecutionData")
        page = page_history(
            full["events"],
            arn,
            max_results=response._get_int_param("maxResults"),
            next_token=response._get_param("nextToken"),
            reverse=bool(response._get_param("reverseOrder")),
            include_data=include is not False,
        )
        return json.dumps(page)

    stack.enter_context(mock.patch.object(StepFunctionResponse, "start_execution", start_execution))
    stack.enter_context(mock.patch.object(StepFunctionResponse, "stop_execution", stop_execution))
    stack.enter_context(mock.patch.object(StepFunctionResponse, "list_executions", list_executions))
    stack.enter_context(mock.patch.object(StepFunctionResponse, "describe_execution", describe_execution))
    stack.enter_context(
        mock.patch.object(StepFunctionResponse, "get_execution_history", get_execution_history)
    )

"""Lambda's asynchronous invocation, as EventBridge rule targets get it on AWS: the handler runs; an error is
retried ``MaximumRetryAttempts`` times (the function's ``EventInvokeConfig``, default 2), then the event goes to
the ``OnFailure`` destination (an SQS queue here: TriggerDLQ) as Lambda's invocation record, and one line on
stderr says so (function, error name, attempts: never the event, whose object key is an uploader's file name).

Locally the retries follow each other at once (AWS waits about 1 and 2 minutes).
"""

from __future__ import annotations

import json
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

DEFAULT_RETRIES = 2


def invoke_config(stack: Any, function_arn: str) -> tuple[int, str | None]:
    """(retries, on-failure destination ARN or None) of a function, from template.yaml."""
    spec = stack.function_for_arn(function_arn)
    props = stack.template["Resources"][spec.logical_id].get("Properties", {})
    config = stack.resolve(props.get("EventInvokeConfig", {}))
    destination = config.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
    return int(config.get("MaximumRetryAttempts", DEFAULT_RETRIES)), destination


def queue_url(stack: Any, arn: str) -> str | None:
    for lid, url in stack.queues.items():
        if stack.attributes.get(lid, {}).get("Arn") == arn:
            return str(url)
    return None


def record(function_arn: str, event: Any, error: BaseException, attempts: int) -> dict[str, Any]:
    """Lambda's on-failure destination record (``condition: RetriesExhausted``)."""
    return {
        "version": "1.0",
        "timestamp": datetime.now(tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "requestContext": {
            "requestId": str(uuid.uuid4()),
            "functionArn": f"{function_arn}:$LATEST",
            "condition": "RetriesExhausted",
            "approximateInvokeCount": attempts,
        },
        "requestPayload": event,
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "responsePayload": {"errorType": type(error).__name__, "errorMessage": str(error)},
    }


def deliver(
    stack: Any, call: Any, sqs: Any, function_arn: str, event: dict[str, Any]
) -> BaseException | None:
    """Run ``call(function_arn, event)`` as an asynchronous invocation; return the final error, if any."""
    retries, destination = invoke_config(stack, function_arn)
    error: BaseException | None = None
    attempts = 0
    for _ in range(retries + 1):
        attempts += 1
        try:
            call(function_arn, event)
            return None
        except Exception as exc:  # noqa: BLE001 - Lambda's async invoke retries any function error
            error = exc
    assert error is not None
    name = stack.function_for_arn(function_arn).logical_id
    url = queue_url(stack, destination) if destination else None
    if url is not None:
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(record(function_arn, event, error, attempts)))
    where = (
        f"event sent to {str(destination).rsplit(':', 1)[-1]}" if url else "event dropped (no destination)"
    )
    print(
        f"medscribe: {name} failed after {attempts} attempts ({type(error).__name__}): {where}",
        file=sys.stderr,
        flush=True,
    )
    return error

"""Runs one invocation of a Lambda function created through the local endpoint (a Python zip), in its own process.

``python -m medscribe.local.lambda_zip_runner <handler>`` with the unzipped code as the working directory and on
``PYTHONPATH`` (as ``/var/task`` is on Lambda): reads the event (JSON) on stdin, writes one JSON line on stdout:
``{"payload": <result>}`` or ``{"errorType": ..., "errorMessage": ..., "stackTrace": [...]}`` as Lambda reports a
function error. What the handler prints goes to stderr (its log), never into the result.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
import uuid
from dataclasses import dataclass, field


@dataclass
class Context:
    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return int(os.environ.get("MEDSCRIBE_LAMBDA_TIMEOUT_MS", "3000"))


def main() -> int:
    handler = sys.argv[1]
    result_out, sys.stdout = sys.stdout, sys.stderr
    name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
    context = Context(
        function_name=name,
        invoked_function_arn=os.environ.get("MEDSCRIBE_LAMBDA_ARN", ""),
        memory_limit_in_mb=int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")),
        log_group_name=f"/aws/lambda/{name}",
    )
    try:
        event = json.loads(sys.stdin.read() or "null")
        module_name, _, attr = handler.rpartition(".")
        function = getattr(importlib.import_module(module_name), attr)
        answer = {"payload": function(event, context)}
        line = json.dumps(answer)
    except Exception as exc:  # noqa: BLE001 - every handler error becomes a Lambda function error
        frames = traceback.extract_tb(exc.__traceback__)[-5:]
        line = json.dumps(
            {
                "errorType": type(exc).__name__,
                "errorMessage": str(exc),
                "stackTrace": traceback.format_list(frames),
            }
        )
    result_out.write(line + "\n")
    result_out.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

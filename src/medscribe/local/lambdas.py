"""In-process Lambda: moto's Step Functions interpreter invokes the real handlers named in template.yaml.

moto's docker-free Lambda backend only echoes payloads; ``LambdaDispatcher.invoke`` replaces it. A handler's
exception becomes a Lambda function error exactly as AWS reports it (``x-amz-function-error: Unhandled``,
``{"errorType": <class name>, "errorMessage": ..., "stackTrace": [...]}``), so the ASL's Retry and Catch
match on the Python exception's class name as they do on AWS.

Mocked responses (Step Functions Local's MockConfigFile) never reach this module: ``medscribe.local.mocks``
parses them and ``moto_patches.mocking`` answers the mocked states inside moto's interpreter, per execution.
"""

from __future__ import annotations

import importlib.util
import json
import threading
import traceback
import uuid
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from medscribe.local.stack import FunctionSpec, LocalStack


@dataclass
class LocalContext:
    """The attributes of a Lambda context that powertools and our handlers read."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int = 1024
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/local"
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 900_000


@dataclass
class Invocation:
    function: str
    event: Any
    result: Any = None
    error_type: str | None = None


class LambdaDispatcher:
    def __init__(self, stack: LocalStack, state_for_function: dict[str, str]) -> None:
        self.stack = stack
        self.state_for_function = state_for_function  # function logical id -> ASL state name
        self.invocations: list[Invocation] = []
        self._modules: dict[str, ModuleType] = {}
        self._lock = threading.Lock()

    def handler_for(self, spec: FunctionSpec) -> Any:
        module_name, _, attr = spec.handler.rpartition(".")
        with self._lock:
            module = self._modules.get(spec.name)
            if module is None:
                path = spec.code_uri / (module_name.replace(".", "/") + ".py")
                # A unique module name per function: every function's file is called app.py.
                loader_spec = importlib.util.spec_from_file_location(
                    f"medscribe_lambda_{spec.logical_id}", path
                )
                if loader_spec is None or loader_spec.loader is None:
                    raise ImportError(f"cannot load handler {spec.handler} from {path}")
                module = importlib.util.module_from_spec(loader_spec)
                loader_spec.loader.exec_module(module)
                self._modules[spec.name] = module
        return getattr(module, attr)

    def call(self, function: str, event: Any) -> Any:
        """Invoke a function by name/ARN with a Python event; raises what the handler raises. Recorded."""
        spec = self.stack.function_for_arn(function)
        record = Invocation(function=spec.logical_id, event=event)
        self.invocations.append(record)
        context = LocalContext(function_name=spec.name, invoked_function_arn=spec.arn)
        try:
            result = self.handler_for(spec)(event, context)
        except Exception as exc:
            record.error_type = type(exc).__name__
            raise
        record.result = result
        return result

    def invoke(self, function_name: str, body: Any, response_headers: dict[str, Any]) -> bytes:
        """moto's ``LambdaBackend.invoke`` contract: return the payload bytes, set headers on error."""
        self.stack.function_for_arn(
            function_name
        )  # an unknown function is moto's error, not a function error
        event = json.loads(body) if body else {}
        try:
            result = self.call(function_name, event)
        except Exception as exc:  # noqa: BLE001 - every handler error becomes a Lambda function error
            response_headers["x-amz-function-error"] = "Unhandled"
            payload = {
                "errorType": type(exc).__name__,
                "errorMessage": str(exc),
                "stackTrace": self._stack_trace(exc),
            }
            return json.dumps(payload).encode()
        return json.dumps(result).encode()

    def _stack_trace(self, exc: BaseException) -> list[str]:
        """Like Lambda's: the last frames, with paths relative to the project or site-packages (as in
        /var/task) so no path of this machine ends up in an execution history or an event."""
        frames = traceback.extract_tb(exc.__traceback__)[-5:]
        root = str(self.stack.root) + "/"
        for frame in frames:
            name = frame.filename
            name = name.split("site-packages/", 1)[-1] if "site-packages/" in name else name.replace(root, "")
            frame.filename = name
        return traceback.format_list(frames)

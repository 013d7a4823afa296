"""Lambda through the local endpoint as AWS answers it (moto 5.2.6 deviations, checked against AWS's API reference).

- A function created through the endpoint (CreateFunction, a Python zip) runs: moto 5.2.6's docker-free backend
  only echoes the payload (and medscribe's dispatcher knew template functions only: ``States.Runtime``). Here each
  invocation runs the handler in its own Python process (``medscribe.local.lambda_zip_runner``) on the unzipped
  code, with the function's environment variables, bounded by the function's ``Timeout`` (then
  ``Sandbox.Timedout``, as Lambda reports it). A function error is ``x-amz-function-error: Unhandled`` with
  ``errorType``/``errorMessage``/``stackTrace``, as for the template's functions.
- CreateFunction of what cannot run locally (an image, a runtime other than Python, a zip over Lambda's 250 MB
  unzipped limit) is refused at creation with InvalidParameterValueException, naming the reason.
- An unknown function: ResourceNotFoundException (moto's own ``get_function`` answer); the template dispatcher
  raised KeyError (HTTP 500).
- ``ListFunctions`` lists the template's functions too (moto 5.2.6 lists only functions created through its API;
  the template's run in process without being created in moto): ``install_template`` registers them.

``apply`` is the one patch of ``LambdaSimpleBackend.invoke``, ``LambdaBackend.create_function`` and
``list_functions``; the local stack's template dispatcher is plugged in with ``install_template`` (no second
wrapper): template functions go to it, created ones run in a process.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

from moto.awslambda.exceptions import FunctionAlreadyExists, InvalidParameterValueException

if TYPE_CHECKING:
    from medscribe.local.stack import LocalStack

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="feature",
    moto_version=MOTO_VERSION,
    restores=(
        "Lambda Invoke runs the function's handler (Lambda API Reference: Invoke, CreateFunction, ListFunctions; "
        "function errors as X-Amz-Function-Error Unhandled): moto without Docker only echoes the payload."
    ),
    targets=(
        "moto.awslambda_simple.models.LambdaSimpleBackend.invoke",
        "moto.awslambda.models.LambdaBackend.create_function",
        "moto.awslambda.models.LambdaBackend.list_functions",
    ),
    canary="tests/emulator/test_canary_services.py::test_lambda_api",
)
Invoke = Callable[[str, Any, dict[str, Any]], bytes]  # (function name or ARN, payload, response headers)
_TEMPLATES: list[tuple[LocalStack, Invoke]] = []  # installed template dispatchers, the latest in use
UNZIPPED_LIMIT = 250 * 1024 * 1024  # Lambda's deployment package limit (unzipped)
TEMPLATE_MEMORY_MB = 1024
_CODE_DIRS: dict[str, Path] = {}
_CODE_LOCK = threading.Lock()
_CODE_ROOT: tempfile.TemporaryDirectory[str] | None = None  # removed when the process exits


def refusal(spec: dict[str, Any]) -> str | None:
    """Why a CreateFunction request cannot run locally (None: it can)."""
    if spec.get("PackageType", "Zip") != "Zip":
        return "medscribe local mode runs Python zip functions only: PackageType Image is not supported"
    runtime = str(spec.get("Runtime") or "")
    if not runtime.startswith("python3"):
        return f"medscribe local mode runs Python zip functions only: runtime '{runtime}' is not supported"
    if "." not in str(spec.get("Handler") or ""):
        return "Handler must be module.function"
    return None


def code_dir(code: bytes) -> Path:
    """The unzipped code of a function (once per distinct zip, in a process-wide temp dir)."""
    global _CODE_ROOT
    digest = hashlib.sha256(code).hexdigest()
    with _CODE_LOCK:
        if digest in _CODE_DIRS:
            return _CODE_DIRS[digest]
        try:
            archive = zipfile.ZipFile(io.BytesIO(code))
        except zipfile.BadZipFile as exc:
            raise InvalidParameterValueException("Could not unzip uploaded file.") from exc
        with archive:
            if sum(info.file_size for info in archive.infolist()) > UNZIPPED_LIMIT:
                raise InvalidParameterValueException("Unzipped size must be smaller than 262144000 bytes")
            if _CODE_ROOT is None:
                _CODE_ROOT = tempfile.TemporaryDirectory(prefix="medscribe-lambda-")
            target = Path(_CODE_ROOT.name) / digest[:16]
            archive.extractall(target)  # zipfile drops absolute paths and '..' from member names
        _CODE_DIRS[digest] = target
        return target


def run_zip_function(fn: Any, body: Any, response_headers: dict[str, Any]) -> bytes:
    """One invocation of a created function in its own process; Lambda's payload or function-error shape."""
    workdir = code_dir(fn.code_bytes)
    timeout = float(fn.timeout or 3)
    # The function's AWS calls go to the local endpoint with dummy credentials, never to AWS.
    port = os.environ.get("MOTO_PORT")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": fn.region,
        "AWS_REGION": fn.region,
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}" if port else "http://127.0.0.1:1",
        **{str(k): str(v) for k, v in (fn.environment_vars or {}).items()},
        "PYTHONPATH": str(workdir),
        "AWS_LAMBDA_FUNCTION_NAME": fn.function_name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(fn.memory_size),
        "MEDSCRIBE_LAMBDA_ARN": fn.function_arn,
        "MEDSCRIBE_LAMBDA_TIMEOUT_MS": str(int(timeout * 1000)),
    }
    event = body.decode() if isinstance(body, bytes) else (body or "{}")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "medscribe.local.lambda_zip_runner", fn.handler],
            input=event,
            stdout=subprocess.PIPE,  # the result line; the function's log (stderr) goes to this process's log
            text=True,
            cwd=workdir,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        response_headers["x-amz-function-error"] = "Unhandled"
        message = f"Task timed out after {timeout:.2f} seconds"
        return json.dumps({"errorType": "Sandbox.Timedout", "errorMessage": message}).encode()
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        response_headers["x-amz-function-error"] = "Unhandled"
        message = f"RequestId: local Error: Runtime exited with error: exit status {done.returncode}"
        return json.dumps({"errorType": "Runtime.ExitError", "errorMessage": message}).encode()
    answer = json.loads(lines[-1])
    if "payload" in answer:
        return json.dumps(answer["payload"]).encode()
    response_headers["x-amz-function-error"] = "Unhandled"
    return json.dumps(answer).encode()


class TemplateFunction:
    """A function of template.yaml as ListFunctions shows it (it runs in process, not as a moto function)."""

    def __init__(self, name: str, arn: str, handler: str, environment: dict[str, str]) -> None:
        self.function_name, self.function_arn, self.handler = name, arn, handler
        self.environment = environment

    def get_configuration(self) -> dict[str, Any]:
        return {
            "FunctionName": self.function_name,
            "FunctionArn": self.function_arn,
            "Runtime": f"python{sys.version_info.major}.{sys.version_info.minor}",
            "Handler": self.handler,
            "MemorySize": TEMPLATE_MEMORY_MB,
            "PackageType": "Zip",
            "State": "Active",
            "Version": "$LATEST",
            "Environment": {"Variables": dict(self.environment)},
        }


def install_template(stack: ExitStack, local: LocalStack, invoke: Invoke) -> None:
    """Until ``stack`` closes, ``local``'s template functions are invoked through ``invoke`` (the dispatcher),
    refused by CreateFunction (they exist) and listed by ListFunctions."""
    entry = (local, invoke)
    _TEMPLATES.append(entry)
    stack.callback(_TEMPLATES.remove, entry)


def _template_of(function_name: str) -> tuple[LocalStack, Invoke] | None:
    """The installed template that defines ``function_name`` (a name or an ARN), if any."""
    if not _TEMPLATES:
        return None
    local, invoke = _TEMPLATES[-1]
    name = function_name.split(":function:")[-1].split(":")[0]
    return (local, invoke) if name in local.functions else None


def apply(stack: ExitStack) -> None:
    from moto.awslambda.models import LambdaBackend
    from moto.awslambda_simple.models import LambdaSimpleBackend

    original_create = LambdaBackend.create_function
    original_list = LambdaBackend.list_functions

    def create_function(backend: Any, spec: dict[str, Any]) -> Any:
        if _template_of(str(spec.get("FunctionName", ""))) is not None:
            raise FunctionAlreadyExists(str(spec["FunctionName"]))
        reason = refusal(spec)
        if reason is not None:
            raise InvalidParameterValueException(reason)
        fn = original_create(backend, spec)
        code_dir(fn.code_bytes)  # a bad or oversized zip is refused now, not at the first invoke
        return fn

    def invoke(
        backend: Any, function_name: str, qualifier: Any, body: Any, headers: Any, response_headers: Any
    ) -> bytes:
        template = _template_of(function_name)
        if template is not None:
            return template[1](function_name, body, response_headers)
        fn = backend.get_function(function_name, qualifier)  # unknown: ResourceNotFoundException
        return run_zip_function(fn, body, response_headers)

    def list_functions(backend: Any, func_version: Any = None) -> list[Any]:
        created = list(original_list(backend, func_version))
        if not _TEMPLATES:
            return created
        names = {fn.function_name for fn in created}
        template = [
            TemplateFunction(spec.name, spec.arn, spec.handler, spec.environment)
            for spec in _TEMPLATES[-1][0].functions.values()
            if spec.name not in names
        ]
        return [*template, *created]

    stack.enter_context(mock.patch.object(LambdaBackend, "create_function", create_function))
    stack.enter_context(mock.patch.object(LambdaSimpleBackend, "invoke", invoke))
    stack.enter_context(mock.patch.object(LambdaBackend, "list_functions", list_functions))

"""Load and invoke one Lambda handler the way the python3.12 runtime does, in this (fresh) process.

Used by scripts/bench_coldstart.py (cold-start figures) and tests/template/test_function_imports.py (what each
handler really imports). Stdlib only until the handler runs: this file must not import anything the handler
would import, or its cost would be hidden.

    python3.12 -I -S -B lambda_sim.py run --function-dir D [--layer L ...] --event E --fixtures F --result R
        sys.path = [D, L/python, ...] + the standard library (like /var/task + /opt/python on Lambda; without
        --layer the interpreter's site-packages stay, for the test, and --hide FILE lists top-level modules to
        make unimportable, as if absent). Times ``import app`` and the first
        invocation (lazy imports, settings, clients, the step's work, marshalling the result as JSON). Every
        AWS call goes through the real botocore client (parameter validation, serialisation, events) and is
        answered at botocore's ``before-call`` hook (the hook Stubber uses) from the fixtures: no network.
        Writes {"import_ms", "invoke_ms", "import_cpu_ms", "invoke_cpu_ms", "ok", "error", "calls", "modules",
        "import_modules", "files", "botocore_traced"} to R (wall clock, and CPU time of the process: the figure a busy machine distorts least).
    python lambda_sim.py fixtures F      (in the project's .venv: uses the offline NER)
        Writes the S3 objects the steps read (audio, Transcribe output, transcript, entities) to F.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import io
import json
import os
import re
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# What the python3.12 runtime's bootstrap (awslambdaric) has imported before it imports the handler.
RUNTIME_PRELOADED = ("json", "logging", "traceback", "decimal", "warnings", "time", "uuid")


# ---------------------------------------------------------------------------------------------------------
# Canned AWS answers (shapes from the API references; only what the steps read)
# ---------------------------------------------------------------------------------------------------------
def _object(fixtures: Path, key: str) -> bytes:
    for marker, name in (
        ("/transcribe/", "transcribe.json"),
        ("transcript.txt", "transcript.txt"),
        ("entities/detected.json", "detected.json"),
        ("entities/filtered.json", "filtered.json"),
    ):
        if marker in key:
            return (fixtures / name).read_bytes()
    return (fixtures / "audio.wav").read_bytes()


def _s3(op: str, params: dict[str, Any], fixtures: Path) -> dict[str, Any]:
    if op in ("HeadObject", "GetObject"):
        data = _object(fixtures, params["Key"])
        head = {"ContentLength": len(data), "ETag": '"0123456789abcdef0123456789abcdef"'}
        head |= {"ContentType": "application/octet-stream", "ServerSideEncryption": "aws:kms"}
        if op == "HeadObject":
            return head
        from botocore.response import StreamingBody

        return head | {"Body": StreamingBody(io.BytesIO(data), len(data))}
    if op == "PutObject":
        return {"ETag": '"0123456789abcdef0123456789abcdef"', "ServerSideEncryption": "aws:kms"}
    return {}


def _job(params: dict[str, Any], status: str) -> dict[str, Any]:
    name = params["MedicalTranscriptionJobName"]
    uri = f"https://s3.us-east-1.amazonaws.com/bucket/default/rid/transcribe/{name}.json"
    return {
        "MedicalTranscriptionJob": {
            "MedicalTranscriptionJobName": name,
            "TranscriptionJobStatus": status,
            "LanguageCode": "en-US",
            "MediaFormat": "wav",
            "Transcript": {"TranscriptFileUri": uri} if status == "COMPLETED" else {},
            "Specialty": "PRIMARYCARE",
            "Type": "DICTATION",
        }
    }


def _dynamodb(op: str, params: dict[str, Any]) -> dict[str, Any]:
    if op != "UpdateItem":
        return {}
    # A first write: every name the update sets comes back with the value it was given (UPDATED_NEW).
    names = params.get("ExpressionAttributeNames", {})
    values = params.get("ExpressionAttributeValues", {})
    attributes: dict[str, Any] = {}
    expression = params.get("UpdateExpression", "").partition("SET ")[2].split(" REMOVE ")[0]
    parts = re.split(r"([#\w]+)\s*=", expression)  # ["", target, value-expr, target, value-expr, ...]
    for target, rhs in zip(parts[1::2], parts[2::2], strict=True):
        placeholder = re.search(r":\w+", rhs)
        if placeholder and placeholder.group() in values:
            attributes[names.get(target, target)] = values[placeholder.group()]
    return {"Attributes": attributes}


def respond(service: str, op: str, params: dict[str, Any], fixtures: Path) -> dict[str, Any]:
    """The parsed response botocore would have returned for ``service``.``op``."""
    if service == "s3":
        return _s3(op, params, fixtures)
    if service == "transcribe":
        return _job(params, "IN_PROGRESS" if op.startswith("Start") else "COMPLETED")
    if service == "comprehendmedical":
        if op == "DetectEntitiesV2":
            detected: dict[str, Any] = json.loads((fixtures / "detected.json").read_text("utf-8"))
            return detected
        return {"Entities": [], "ModelVersion": "0.1.0"}
    if service == "dynamodb":
        return _dynamodb(op, params)
    if service == "eventbridge":
        return {"FailedEntryCount": 0, "Entries": [{"EventId": "11111111-2222-3333-4444-555555555555"}]}
    if service == "rds-data":
        if op == "BeginTransaction":
            return {"transactionId": "tx-1"}
        if op == "CommitTransaction":
            return {"transactionStatus": "Transaction Committed"}
        if op == "BatchExecuteStatement":
            return {"updateResults": [{"generatedFields": []} for _ in params.get("parameterSets", [])]}
        return {"records": [], "numberOfRecordsUpdated": 1}
    if service == "cognito-identity-provider":  # AdminGetUser of an enrolled user (the MFA guard)
        return {"Username": params.get("Username", "u"), "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"]}
    if service == "sfn":
        arn = "arn:aws:states:us-east-1:123456789012:execution:medscribe:x"
        return {"executionArn": arn, "startDate": "2026-12-01T00:00:00Z"}
    return {}


class _StubbedBotocore(importlib.abc.MetaPathFinder):
    """Patches ``botocore.client`` right after it is first imported (by the handler, inside the timing), so
    every client answers from ``respond`` at the ``before-call`` hook."""

    def __init__(self, fixtures: Path, calls: list[str]) -> None:
        self.fixtures, self.calls = fixtures, calls

    def find_spec(
        self, name: str, path: Any = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        if name != "botocore.client":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        assert spec is not None
        assert spec.loader is not None
        exec_module = spec.loader.exec_module

        def exec_and_patch(module: Any) -> None:
            exec_module(module)
            self._patch(module)

        spec.loader.exec_module = exec_and_patch  # type: ignore[method-assign]
        return spec

    def _patch(self, module: Any) -> None:
        create = module.ClientCreator.create_client
        fixtures, calls = self.fixtures, self.calls

        def keep_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
            context["sim_params"] = dict(params)

        def answer(model: Any, context: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]]:
            from botocore.awsrequest import AWSResponse
            from botocore.compat import HTTPHeaders

            service = model.service_model.service_id.hyphenize()
            calls.append(f"{service}.{model.name}")
            parsed = respond(service, model.name, context.get("sim_params", {}), fixtures)
            parsed.setdefault("ResponseMetadata", {"HTTPStatusCode": 200, "RequestId": "sim"})
            return AWSResponse("https://sim.invalid", 200, HTTPHeaders(), None), parsed

        def create_client(*args: Any, **kwargs: Any) -> Any:
            client = create(*args, **kwargs)
            client.meta.events.register("before-parameter-build.*.*", keep_params, unique_id="sim-params")
            client.meta.events.register("before-call.*.*", answer, unique_id="sim-answer")
            return client

        module.ClientCreator.create_client = create_client


class _Hidden(importlib.abc.MetaPathFinder):
    """Makes installed top-level modules unimportable, as if absent from the function's layers (the test runs
    the handler in the project's venv, which has everything installed)."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(
        self, name: str, path: Any = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        if name.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {name!r} (not in this function's layers)", name=name)
        return None


class _Context:
    """The attributes of the runtime's LambdaContext that handlers and powertools read."""

    function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "medscribe-sim")
    function_version = "$LATEST"
    invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
    memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"))
    aws_request_id = "00000000-0000-4000-8000-000000000001"
    log_group_name = f"/aws/lambda/{function_name}"
    log_stream_name = "2026/12/01/[$LATEST]0123456789abcdef"

    def __init__(self) -> None:
        self._deadline = time.monotonic() + 60

    def get_remaining_time_in_millis(self) -> int:
        return int((self._deadline - time.monotonic()) * 1000)


def _top_level_modules(before: set[str]) -> list[str]:
    """Top-level names of the modules imported since ``before`` (by the handler's import and invocation)."""
    return sorted({name.split(".")[0] for name in sys.modules if name not in before})


def _module_files() -> list[str]:
    files = {getattr(m, "__file__", None) for m in list(sys.modules.values())}
    return sorted(f for f in files if isinstance(f, str))


def run(
    function_dir: Path, layers: list[Path], event_path: Path, fixtures: Path, result: Path, hide: set[str]
) -> None:
    script_dir = str(Path(__file__).resolve().parent)
    stdlib = [p for p in sys.path if p and p != script_dir and (not layers or "-packages" not in p)]
    sys.path[:] = [str(function_dir), *(str(layer / "python") for layer in layers), *stdlib]
    for name in RUNTIME_PRELOADED:
        __import__(name)
    event = json.loads(event_path.read_text("utf-8"))
    calls: list[str] = []
    sys.meta_path.insert(0, _StubbedBotocore(fixtures, calls))
    if hide:
        sys.meta_path.insert(0, _Hidden(hide))
    before = set(sys.modules)
    out: dict[str, Any] = {"ok": False, "error": None, "import_ms": None, "invoke_ms": None}
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        app = __import__("app")
        t1, c1 = time.perf_counter(), time.process_time()
        out["import_ms"] = round((t1 - t0) * 1000, 1)
        out["import_cpu_ms"] = round((c1 - c0) * 1000, 1)
        out["import_modules"] = sorted(set(sys.modules) - before)
        os.environ["_X_AMZN_TRACE_ID"] = (
            "Root=1-674bb800-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1"
        )
        response = app.lambda_handler(event, _Context())
        json.dumps(response)  # the runtime marshals the result
        out["invoke_ms"] = round((time.perf_counter() - t1) * 1000, 1)
        out["invoke_cpu_ms"] = round((time.process_time() - c1) * 1000, 1)
        out["ok"] = True
    except Exception as exc:  # noqa: BLE001 - any failure of the handler is reported in the result
        out["error"] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-6)}"
    out |= {"calls": calls, "modules": _top_level_modules(before), "files": _module_files()}
    # X-Ray: the AWS calls are traced when botocore's API call is wrapped (aws_xray_sdk's botocore patch).
    client_module = sys.modules.get("botocore.client")
    api_call = getattr(getattr(client_module, "BaseClient", None), "_make_api_call", None)
    out["botocore_traced"] = hasattr(api_call, "__wrapped__")
    result.write_text(json.dumps(out), "utf-8")


# ---------------------------------------------------------------------------------------------------------
# Fixtures (run in the project's .venv)
# ---------------------------------------------------------------------------------------------------------
def _transcribe_output(text: str) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    t = 0.0
    for word in text.split():
        core, punct = (word[:-1], word[-1]) if word[-1] in ".,;:?!" else (word, "")
        start, t = t, t + 0.35
        alt = {"confidence": "0.93", "content": core}
        items.append(
            {
                "type": "pronunciation",
                "alternatives": [alt],
                "start_time": f"{start:.2f}",
                "end_time": f"{t:.2f}",
            }
        )
        if punct:
            items.append({"type": "punctuation", "alternatives": [{"confidence": "0.0", "content": punct}]})
    return {
        "jobName": "medscribe-sim",
        "accountId": "123456789012",
        "results": {"transcripts": [{"transcript": text}], "items": items},
        "status": "COMPLETED",
    }


def make_fixtures(out: Path) -> None:
    from medscribe.logic.entities import filter_by_score
    from medscribe.offline.ner import OfflineEntityDetector
    from medscribe.textnorm import normalize_clinical_text

    out.mkdir(parents=True, exist_ok=True)
    spoken = " ".join((ROOT / "samples" / "dictation.txt").read_text("utf-8").split())
    text = normalize_clinical_text(spoken)
    detected = OfflineEntityDetector().detect_entities(text)
    (out / "audio.wav").write_bytes((ROOT / "samples" / "dictation.wav").read_bytes())
    (out / "transcribe.json").write_text(json.dumps(_transcribe_output(spoken)), "utf-8")
    (out / "transcript.txt").write_text(text, "utf-8")
    (out / "detected.json").write_text(json.dumps(detected), "utf-8")
    filtered = filter_by_score(detected, 0.5).model_dump(mode="json")
    (out / "filtered.json").write_text(json.dumps(filtered), "utf-8")


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run")
    p_run.add_argument("--function-dir", type=Path, required=True)
    p_run.add_argument("--layer", type=Path, action="append", default=[])
    p_run.add_argument("--event", type=Path, required=True)
    p_run.add_argument("--fixtures", type=Path, required=True)
    p_run.add_argument("--result", type=Path, required=True)
    p_run.add_argument("--hide", type=Path, help="JSON list of top-level modules to make unimportable")
    p_fix = sub.add_parser("fixtures")
    p_fix.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "run":
        hide = set(json.loads(args.hide.read_text("utf-8"))) if args.hide else set()
        run(args.function_dir, args.layer, args.event, args.fixtures, args.result, hide)
    else:
        make_fixtures(args.out)


if __name__ == "__main__":
    main(sys.argv[1:])

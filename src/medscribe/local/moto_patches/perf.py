"""moto 5.2.6: speed of the Step Functions interpreter in local mode (no behaviour change).

- ``boto_client_for`` builds a new boto3 client for every task (~4 ms each: botocore loads the service model
  and builds the client class); it is imported by name into ~14 parser modules. Cached per (region, service,
  endpoint) while the local stack is up: boto3 clients are thread-safe, and the interpreter's clients carry no
  per-task state (its credentials are fixed dummies, whatever role the task passes: every Lambda task passes
  the execution role, which had made every task build a client: 14% of the stack's GIL time with 100
  recordings in flight).
- ``AmazonStateLanguageParser.parse`` re-parses the definition for every execution (ANTLR: ~6 ms per 10
  states). Parsed once per definition text and process (not per stack: the parse depends on the definition
  and on patches every stack applies alike): the parsed program is a tree of declarations whose evaluation
  keeps all run-time state in the execution's ``Environment`` (a loop already evaluates one state object many
  times), so executions can share it. One with an ``ItemBatcher`` is kept per stack (item_batcher wires it).
- The interpreter's task-service factory imports its AWS Batch integration, which imports ``moto.batch``, whose
  package ``__init__`` imports ``moto.batch.models`` and with it all of ``moto.ec2`` (~0.7 s, most of the
  parser's import time) for ``moto.batch.utils.JobStatus`` alone. ``lazy_moto_batch`` (called before the parser
  is first imported) registers ``moto.batch`` as a package whose ``batch_backends`` loads on first use, so
  ``moto.batch.utils`` imports alone; a Batch task or backend still gets the real models.
- ``AmazonStateLanguageParser.parse`` has this one wrapper: definitions with an ``ItemBatcher`` go through
  ``item_batcher.parse`` (kept per stack), the others to the process-wide cache.
- JSONPath expressions (``InputPath``, ``ResultPath``, ``Parameters`` "x.$" paths...) are parsed by
  ``jsonpath_ng`` on every evaluation, and its ``parse`` builds a new PLY lexer and parser each time (~25% of
  the interpreter's time per state). Parsed once per path string: a parsed path holds no state of a lookup.
  EventBridge does the same with ``jsonpath_ng.ext.parse`` for each of the eight default input paths of every
  event it sends to a queue, log group or bus target (moto's ``EventTemplateParser``: ~5 ms per event, ~2% of
  the main process's GIL time at 30 concurrent recordings); that ``parse`` is cached alike (~0.05 ms per event).
- Every botocore ``Session`` (boto3's default one, the stack builder's, moto's own for region lists) creates
  its own data loader, so ``endpoints.json`` and each service model (cognito-idp, ec2...) were parsed once per
  session (~40% of the local stack's start-up). ``share_botocore_loader`` gives sessions one loader per data
  path (kept for the process); the loader already hands the same parsed model to every client of a session.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
import threading
import types
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches import item_batcher
from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
_P = "moto.stepfunctions.parser.asl."
_EXEC = _P + "component.state.exec."
# Every parser module that imports ``boto_client_for`` by name (and the one defining it).
_PARSER_MODULES_WITH_CLIENTS = (
    _EXEC + "state_map.item_reader.eval.resource_eval_s3",
    _EXEC + "state_map.result_writer.resource_eval.resource_eval_s3",
    _EXEC + "state_task.lambda_eval_utils",
    *(
        f"{_EXEC}state_task.service.state_task_service_{name}"
        for name in (
            "aws_sdk",
            "batch",
            "dynamodb",
            "ecs",
            "events",
            "glue",
            "sfn",
            "sns",
            "sqs",
            "unsupported",
        )
    ),
    _P + "utils.boto_client",
)
PATCH = PatchInfo(
    kind="speedup",
    moto_version=MOTO_VERSION,
    restores=(
        "No AWS behaviour: the interpreter's boto3 clients cached, each ASL definition and JSONPath (also "
        "EventBridge's input paths) parsed once, moto.batch imported lazily."
    ),
    targets=(
        *(f"{name}.boto_client_for" for name in _PARSER_MODULES_WITH_CLIENTS),
        _P + "parse.asl_parser.AmazonStateLanguageParser.parse",
        _P + "utils.json_path.parse",
        _P + "component.common.path.result_path.parse",
        "jsonpath_ng.ext.parse",
        "botocore.session.create_loader",
    ),
    canary="tests/emulator/test_canary_speedups.py::test_perf",
)


def _cached_client_factory(original: Any) -> Any:
    @functools.cache
    def cached(region: str, service: str, intercepting: bool, port: str) -> Any:
        return original(region, service)

    def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        from moto.core.models import botocore_stubber
        from moto.settings import moto_server_port

        # moto 5.2.5's boto_client_for ignores state_credentials (every client signs with the same dummy keys),
        # and every Task passes the execution role's: a client per role would be a new client per task.
        return cached(region, service, bool(botocore_stubber.enabled), str(moto_server_port()))

    return boto_client_for


def _patch_clients(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.utils import boto_client

    original = boto_client.boto_client_for
    fast = _cached_client_factory(original)
    for name in _PARSER_MODULES_WITH_CLIENTS:
        module = importlib.import_module(name)
        if getattr(module, "boto_client_for", None) is original:
            stack.enter_context(mock.patch.object(module, "boto_client_for", fast))


# Parsed definitions kept for the whole process, so a later local stack in it (the test suite starts ~100)
# does not parse the pipeline's ASL again (~0.5 s of ANTLR for its 18 states). Oldest dropped past the bound.
_PARSED: dict[str, Any] = {}
_PARSED_MAX = 32


def _patch_parser(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    original = AmazonStateLanguageParser.parse
    # The one wrapper of parse: item_batcher's definitions go through it, and as it wires each parsed
    # ItemBatcher Map to this stack's closures, such programs stay per stack.
    per_stack = functools.lru_cache(maxsize=16)(functools.partial(item_batcher.parse, original))

    def parse(definition: str) -> Any:
        if item_batcher.wanted(definition):
            return per_stack(definition)
        parsed = _PARSED.get(definition)
        if parsed is None:
            parsed = original(definition)  # a parse error raises here and is never kept
            while len(_PARSED) >= _PARSED_MAX:
                _PARSED.pop(next(iter(_PARSED)), None)
            _PARSED[definition] = parsed
        return parsed

    stack.enter_context(mock.patch.object(AmazonStateLanguageParser, "parse", staticmethod(parse)))


def _patch_json_paths(stack: ExitStack) -> None:
    from jsonpath_ng import ext  # EventTemplateParser imports ext.parse at every call
    from moto.stepfunctions.parser.asl.component.common.path import result_path
    from moto.stepfunctions.parser.asl.utils import json_path

    for module in (json_path, result_path, ext):
        parse = functools.lru_cache(maxsize=1024)(module.parse)
        stack.enter_context(mock.patch.object(module, "parse", parse))


# The shared loaders, by data path, for the whole process: a later local stack in it (the test suite starts
# ~100) finds endpoints.json and the service models already parsed. A loader only reads botocore's data files.
_LOADERS: dict[str | None, Any] = {}
_LOADERS_LOCK = threading.Lock()


def share_botocore_loader(stack: ExitStack) -> None:
    """Sessions created while ``stack`` is open share one botocore data loader per data path."""
    import botocore.loaders
    import botocore.session

    original = botocore.loaders.create_loader

    def create_loader(search_path_string: str | None = None) -> botocore.loaders.Loader:
        with _LOADERS_LOCK:
            loader: botocore.loaders.Loader | None = _LOADERS.get(search_path_string)
            if loader is None:
                loader = _LOADERS[search_path_string] = original(search_path_string)
            return loader

    stack.enter_context(mock.patch.object(botocore.session, "create_loader", create_loader))


def lazy_moto_batch() -> None:
    """Register a lazy ``moto.batch`` package (process-wide; idempotent; no-op once moto.batch is imported)."""
    if "moto.batch" in sys.modules:
        return
    spec = importlib.util.find_spec("moto.batch")
    if spec is None or not spec.submodule_search_locations:
        return
    module = types.ModuleType("moto.batch")
    module.__path__ = list(spec.submodule_search_locations)
    module.__file__ = spec.origin
    module.__package__ = "moto.batch"
    module.__spec__ = spec

    def __getattr__(name: str) -> Any:
        if name == "batch_backends":
            return importlib.import_module("moto.batch.models").batch_backends
        raise AttributeError(f"module 'moto.batch' has no attribute {name!r}")

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules["moto.batch"] = module
    import moto

    moto.batch = module  # what the import system sets for a loaded submodule


def apply(stack: ExitStack) -> None:
    lazy_moto_batch()
    _patch_clients(stack)
    _patch_parser(stack)
    _patch_json_paths(stack)

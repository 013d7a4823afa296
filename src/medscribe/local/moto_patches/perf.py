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
- Every history event calls the ``on_event`` listeners (the local state's "dirty" mark) and notifies
  ``EXECUTION_EVENTS`` (a ``threading.Condition``): ``LocalPipeline.wait`` sleeps
  on it instead of polling DescribeExecution every 50 ms. The ARNs of executions that started / ended are kept
  too, and a waiter for one execution's start or end sleeps on a condition of that ARN alone (sharing the one
  lock), so only its own start or end wakes it: with 100 executions in one stack, a notify_all on every history
  event woke all 100 waiting threads ~40 times per recording (each thread taking the GIL to re-check and sleep
  again): O(executions^2) wake-ups that starved the interpreter's threads.
- JSONPath expressions (``InputPath``, ``ResultPath``, ``Parameters`` "x.$" paths...) are parsed by
  ``jsonpath_ng`` on every evaluation, and its ``parse`` builds a new PLY lexer and parser each time (~25% of
  the interpreter's time per state). Parsed once per path string: a parsed path holds no state of a lookup.
- GetExecutionHistory: moto's generic response serializer walks the botocore shape for every member of every
  event (~1 ms per event: ~25 ms for one recording's history, more than the interpreter spends running it).
  The history is already in the API's shape (camelCase keys, datetimes): ``plain`` makes it JSON-ready with
  the serializer's rules for what it touches (``None`` dropped, timestamps as epoch seconds truncated to ms);
  event timestamps, which moto keeps as ISO text, go out as epoch seconds too, as AWS sends them.
  ``sfn_executions`` (which owns GetExecutionHistory: paging) writes it with ``plain``.
- Every botocore ``Session`` (boto3's default one, the stack builder's, moto's own for region lists) creates
  its own data loader, so ``endpoints.json`` and each service model (cognito-idp, ec2...) were parsed once per
  session (~40% of the local stack's start-up). ``share_botocore_loader`` gives sessions one loader per data
  path (kept for the process); the loader already hands the same parsed model to every client of a session.
"""

from __future__ import annotations

import calendar
import datetime
import enum
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
_EVENTS_LOCK = threading.RLock()
EXECUTION_EVENTS = threading.Condition(_EVENTS_LOCK)  # any event (progress display), any end
# Waiters for one execution's start or end: ARN -> (its condition on the same lock, how many wait on it).
_arn_waiters: dict[str, tuple[threading.Condition, int]] = {}
_event_count = 0
_terminated_count = 0
# Per execution ARN: how many times it started / ended in this process (a redrive runs the same ARN again; a
# waiter compares with the count it read before asking the execution's status, so no stale end wakes it).
_starts: dict[str, int] = {}
_ends: dict[str, int] = {}
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
        "No AWS behaviour: the interpreter's boto3 clients cached, each ASL definition and JSONPath parsed once, "
        "history events announced to waiters (no DescribeExecution polling), moto.batch imported lazily."
    ),
    targets=(
        *(f"{name}.boto_client_for" for name in _PARSER_MODULES_WITH_CLIENTS),
        _P + "parse.asl_parser.AmazonStateLanguageParser.parse",
        _P + "eval.event.event_manager.EventManager.add_event",
        "moto.stepfunctions.parser.backend.execution.BaseExecutionWorkerCommunication.terminated",
        "moto.stepfunctions.parser.backend.execution.Execution.start",
        _P + "utils.json_path.parse",
        _P + "component.common.path.result_path.parse",
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


# Called after every history event (``on_event``): the one wrapper of EventManager.add_event serves them all.
_listeners: list[Any] = []


def on_event(stack: ExitStack, listener: Any) -> None:
    """Call ``listener()`` after every history event (also when adding it failed) until ``stack`` closes."""
    _listeners.append(listener)
    stack.callback(_listeners.remove, listener)


def _notify(terminated: bool = False, started_arn: str | None = None, ended_arn: str | None = None) -> None:
    global _event_count, _terminated_count
    with EXECUTION_EVENTS:
        _event_count += 1
        _terminated_count += int(terminated)
        for arn, counts in ((started_arn, _starts), (ended_arn, _ends)):
            if arn:
                counts[arn] = counts.get(arn, 0) + 1
                waiting = _arn_waiters.get(arn)
                if waiting is not None:
                    waiting[0].notify_all()
        EXECUTION_EVENTS.notify_all()


def _patch_events(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.eval.event.event_manager import EventManager
    from moto.stepfunctions.parser.backend.execution import BaseExecutionWorkerCommunication, Execution

    add_event_original = EventManager.add_event
    terminated_original = BaseExecutionWorkerCommunication.terminated
    start_original = Execution.start

    def start(self: Any) -> None:
        start_original(self)
        _notify(started_arn=self.exec_arn)

    def add_event(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            result = add_event_original(self, *args, **kwargs)
        finally:
            for listener in list(_listeners):
                listener()
        _notify()
        return result

    def terminated(self: Any) -> None:  # the status is set after the last event: notify again
        terminated_original(self)
        _notify(terminated=True, ended_arn=self.execution.exec_arn)

    stack.enter_context(mock.patch.object(Execution, "start", start))
    stack.enter_context(mock.patch.object(EventManager, "add_event", add_event))
    stack.enter_context(mock.patch.object(BaseExecutionWorkerCommunication, "terminated", terminated))


def _patch_json_paths(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.component.common.path import result_path
    from moto.stepfunctions.parser.asl.utils import json_path

    for module in (json_path, result_path):
        parse = functools.lru_cache(maxsize=1024)(module.parse)
        stack.enter_context(mock.patch.object(module, "parse", parse))


def plain(value: Any) -> Any:
    """``value`` as moto's JSON serializer writes it (for a history: dicts, lists, strings, numbers, datetimes)."""
    if isinstance(value, dict):
        return {
            k: _epoch(v) if k == "timestamp" and isinstance(v, str) else plain(v)
            for k, v in value.items()
            if v is not None
        }
    if isinstance(value, list | tuple):
        return [plain(v) for v in value if v is not None]
    if isinstance(value, datetime.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=datetime.UTC)  # as moto reads it
        return _unix_timestamp(aware)
    return value


def _unix_timestamp(value: datetime.datetime) -> int | float:
    """moto's ``TimestampSerializer._timestamp_unixtimestamp``: epoch seconds, truncated to milliseconds."""
    base = calendar.timegm(value.timetuple())
    return base + (value.microsecond // 1000) / 1000.0 if value.microsecond else base


def _epoch(text: str) -> Any:
    """An event's timestamp (moto keeps ``iso_8601_datetime_with_milliseconds`` text) as AWS's JSON protocol
    sends it, epoch seconds with milliseconds: the client then reads it with ``fromtimestamp`` instead of
    dateutil's parser (~0.1 ms per event, a third of reading a recording's history)."""
    if len(text) != 24 or not text.endswith("Z"):
        return text  # another format: left for the client's own parser
    try:
        parsed = datetime.datetime.fromisoformat(text[:-1]).replace(tzinfo=datetime.UTC)
    except ValueError:
        return text
    return _unix_timestamp(parsed)


@functools.cache
def _local_zone() -> Any:
    from dateutil.tz import tzlocal

    return tzlocal()


def _client_datetime(epoch: Any) -> Any:
    """What botocore's ``parse_timestamp`` makes of AWS's epoch seconds (a datetime in ``tzlocal()``), with one
    ``tzlocal`` for all (botocore builds one per value; they compare equal)."""
    if not isinstance(epoch, int | float):
        from botocore.utils import parse_timestamp

        return parse_timestamp(epoch)
    return datetime.datetime.fromtimestamp(epoch, _local_zone())


def read_history(execution_arn: str) -> list[dict[str, Any]]:
    """GetExecutionHistory's events for ``execution_arn`` (all pages) as boto3 returns them, read from the
    backend of this process: the same dicts as through the API (``None`` dropped, timestamps parsed the way
    botocore parses AWS's epoch seconds), without serializing to JSON and parsing it back (~1/4 of the CPU
    an execution costs, for a caller such as ``LocalPipeline.wait`` that only wants the list)."""
    from moto.stepfunctions.responses import get_backend

    _, _, _, region, account, *_ = execution_arn.split(":")
    history = get_backend(account, region).get_execution_history(execution_arn)

    def parsed(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: _client_datetime(_epoch(v)) if k == "timestamp" and isinstance(v, str) else parsed(v)
                for k, v in value.items()
                if v is not None
            }
        if isinstance(value, list | tuple):
            return [parsed(v) for v in value if v is not None]
        if isinstance(value, datetime.datetime):
            return _client_datetime(plain(value))
        if isinstance(value, enum.Enum):  # moto's HistoryEventType etc.: JSON carries the value
            return value.value
        return value

    events: list[dict[str, Any]] = parsed(history["events"])
    return events


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
    _patch_events(stack)
    _patch_json_paths(stack)


def event_count() -> int:
    with EXECUTION_EVENTS:
        return _event_count


def wait_for_event(after: int, timeout: float) -> int:
    """Block until the interpreter has recorded an event or ended an execution since ``event_count()`` was
    ``after`` (or ``timeout`` s pass); returns the current count."""
    with EXECUTION_EVENTS:
        EXECUTION_EVENTS.wait_for(lambda: _event_count != after, timeout)
        return _event_count


def start_count(arn: str) -> int:
    with EXECUTION_EVENTS:
        return _starts.get(arn, 0)


def _wait_for_arn(arn: str, counts: dict[str, int], after: int, timeout: float) -> bool:
    """Sleep on ``arn``'s own condition until its count in ``counts`` moved from ``after`` (or ``timeout``)."""
    with _EVENTS_LOCK:
        condition, users = _arn_waiters.get(arn, (None, 0))
        if condition is None:
            condition = threading.Condition(_EVENTS_LOCK)
        _arn_waiters[arn] = (condition, users + 1)
        try:
            return condition.wait_for(lambda: counts.get(arn, 0) != after, timeout)
        finally:
            condition, users = _arn_waiters[arn]
            if users <= 1:
                del _arn_waiters[arn]  # bounded: only ARNs someone waits on right now
            else:
                _arn_waiters[arn] = (condition, users - 1)


def wait_for_start(arn: str, after: int, timeout: float) -> bool:
    """Block until the execution ``arn`` has started since ``start_count(arn)`` was ``after`` (or ``timeout``)."""
    return _wait_for_arn(arn, _starts, after, timeout)


def end_count(arn: str) -> int:
    with EXECUTION_EVENTS:
        return _ends.get(arn, 0)


def wait_for_end(arn: str, after: int, timeout: float) -> bool:
    """Block until the execution ``arn`` has ended since ``end_count(arn)`` was ``after`` (or ``timeout``)."""
    return _wait_for_arn(arn, _ends, after, timeout)


def terminated_count() -> int:
    with EXECUTION_EVENTS:
        return _terminated_count


def wait_for_termination(after: int, timeout: float) -> int:
    """Block until some execution has ended since ``terminated_count()`` was ``after`` (or ``timeout``)."""
    with EXECUTION_EVENTS:
        EXECUTION_EVENTS.wait_for(lambda: _terminated_count != after, timeout)
        return _terminated_count

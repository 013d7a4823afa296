"""Step Functions Local's MockConfigFile, for any state machine run by the local interpreter.

The format is AWS's (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html)::

    {"StateMachines": {"<name>": {"TestCases": {"<case>": {"<state name>": "<mocked response name>"}}}},
     "MockedResponses": {"<mocked response name>": {"0": {"Return": {...}}, "1-2": {"Throw": {...}}}}}

``StartExecution`` on ``<stateMachineArn>#<case>`` runs that test case (``medscribe.local.moto_patches.mocking``
wires it into moto's interpreter). Semantics, as Step Functions Local's:

- a mocked response applies to any Task state by name (Lambda, SQS, DynamoDB, EventBridge, ``aws-sdk:*``),
  in Map iterations and Parallel branches too; states not named in the test case call the (local) service;
- the response index is the number of times the state has been invoked in this execution (retries and loop
  re-entries both count), not the retry count;
- ``Throw`` fails the task with exactly its ``Error`` and ``Cause``; ``Return`` is the service's response;
- a named state with no response for its current index fails the execution (``States.Runtime``).

A file is checked as Step Functions Local checks it (``MockConfigError`` otherwise): invocation keys are ``"N"``
or ``"N-M"``, consecutive from 0; each response holds exactly one of ``Return`` / ``Throw``; a ``Throw`` has a
string ``Error`` (and ``Cause``). This is the project's only MockConfigFile parser: the endpoint, ``serve``,
``LocalPipeline.use_mock_config`` and the tests all load test cases through it.

``hybrid=True`` (``--mock-hybrid`` / ``SFN_MOCK_HYBRID=1``) changes only the last rule: an index with no response calls the real handler instead (e.g.
inject one throttle, then let the real code run the retry). The pipeline's own workflow tests use it.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_VAR = "SFN_MOCK_CONFIG"
HYBRID_ENV_VAR = "SFN_MOCK_HYBRID"  # "1"/"true": an index with no mocked response runs the real handler


class MockConfigError(ValueError):
    """The MockConfigFile, or the test case asked for, is not usable."""


@dataclass
class TestCaseRun:
    """One execution's view of its test case: the response table and the per-state invocation counters."""

    state_machine: str
    name: str
    responses: dict[str, list[dict[str, Any]]]  # state name -> responses by invocation index
    hybrid: bool = False
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    invocations: list[tuple[str, int, bool]] = field(default_factory=list)  # (state, index, mocked)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def next_index(self, state: str) -> int:
        with self._lock:
            index = self.counts[state]
            self.counts[state] = index + 1
            mocked = index < len(self.responses.get(state, ()))
            self.invocations.append((state, index, mocked))
            return index

    def response(self, state: str, index: int) -> dict[str, Any] | None:
        table = self.responses.get(state, [])
        return table[index] if index < len(table) else None


class MockConfig:
    """A parsed MockConfigFile."""

    def __init__(self, raw: dict[str, Any], *, hybrid: bool = False) -> None:
        if not isinstance(raw, dict) or not isinstance(raw.get("StateMachines"), dict):
            raise MockConfigError("a MockConfigFile needs a StateMachines object")
        self.raw = raw
        self.hybrid = hybrid

    @classmethod
    def load(cls, path: Path | str, *, hybrid: bool = False) -> MockConfig:
        try:
            raw = json.loads(Path(path).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise MockConfigError(f"cannot read MockConfigFile {path}: {exc}") from exc
        return cls(raw, hybrid=hybrid)

    def test_cases(self, state_machine: str) -> list[str]:
        return sorted(self.raw["StateMachines"].get(state_machine, {}).get("TestCases", {}))

    def test_case(self, state_machine: str, case: str) -> TestCaseRun:
        machine = self.raw["StateMachines"].get(state_machine)
        if machine is None:
            raise MockConfigError(f"no state machine {state_machine!r} in the MockConfigFile")
        states = machine.get("TestCases", {}).get(case)
        if states is None:
            raise MockConfigError(f"no test case {case!r} for state machine {state_machine!r}")
        mocked = self.raw.get("MockedResponses", {})
        responses: dict[str, list[dict[str, Any]]] = {}
        for state, response_name in states.items():
            if not isinstance(response_name, str) or response_name not in mocked:
                raise MockConfigError(f"no MockedResponses entry {response_name!r} (state {state!r})")
            responses[state] = _expand(state, mocked[response_name])
        return TestCaseRun(state_machine, case, responses, hybrid=self.hybrid)


_RANGE = re.compile(r"(\d+)(?:-(\d+))?")  # "0", "1-3": invocation indexes, from 0


def _expand(state: str, table: Any) -> list[dict[str, Any]]:
    """``{"0": r0, "1-3": r1}`` -> ``[r0, r1, r1, r1]``; ranges must be consecutive from 0 (as AWS checks)."""
    if not isinstance(table, dict) or not table:
        raise MockConfigError(f"the mocked responses of {state!r} must be a non-empty object")
    spans: list[tuple[int, int, dict[str, Any]]] = []
    for key, response in table.items():
        match = _RANGE.fullmatch(key)
        if match is None:
            raise MockConfigError(f"bad invocation range {key!r} for state {state!r}")
        first, last = int(match[1]), int(match[2] or match[1])
        _check_response(state, key, response)
        spans.append((first, last, response))
    out: list[dict[str, Any]] = []
    for lo, hi, response in sorted(spans, key=lambda s: s[0]):
        if lo != len(out) or hi < lo:
            raise MockConfigError(f"invocation ranges of {state!r} must be consecutive from 0")
        out.extend([response] * (hi - lo + 1))
    return out


def _check_response(state: str, key: str, response: Any) -> None:
    """Exactly one of ``Return`` (any JSON: the service's response) or ``Throw`` (``Error`` and an optional
    ``Cause``, both strings)."""
    if not isinstance(response, dict) or ("Return" in response) == ("Throw" in response):
        raise MockConfigError(f"response {key!r} of {state!r} needs exactly one of Return / Throw")
    throw = response.get("Throw")
    if "Throw" in response and (
        not isinstance(throw, dict)
        or not isinstance(throw.get("Error"), str)
        or not isinstance(throw.get("Cause", ""), str)
    ):
        raise MockConfigError(f"the Throw of response {key!r} of {state!r} needs a string Error (and Cause)")


class MockRegistry:
    """The MockConfigFile in force for this process (the endpoint's ``--mock-config`` / SFN_MOCK_CONFIG) and
    the test-case run of every execution started with ``arn#TestCase``."""

    def __init__(self) -> None:
        self.config: MockConfig | None = None
        self.default_case: str | None = None  # applied to executions started without '#'
        self.runs: dict[str, TestCaseRun] = {}  # execution ARN -> its run
        self.aliases: dict[str, str] = {}  # state machine name -> its key in the file (e.g. a logical id)
        self._lock = threading.Lock()

    def use(self, config: MockConfig | None, *, default_case: str | None = None) -> None:
        with self._lock:
            self.config = config
            self.default_case = default_case if config is not None else None

    def use_file(self, path: Path | str | None, *, hybrid: bool = False) -> None:
        self.use(MockConfig.load(path, hybrid=hybrid) if path else None)

    def from_environment(self) -> None:
        """Load ``SFN_MOCK_CONFIG`` (as Step Functions Local does) when set and nothing is loaded yet."""
        if self.config is None and os.environ.get(ENV_VAR):
            hybrid = os.environ.get(HYBRID_ENV_VAR, "").lower() in ("1", "true", "yes")
            self.use_file(os.environ[ENV_VAR], hybrid=hybrid)

    def run_for(self, state_machine: str, case: str | None) -> TestCaseRun | None:
        """The run for a new execution of ``state_machine`` (``case`` from ``arn#case``; may be None)."""
        self.from_environment()
        case = case or self.default_case
        if case is None:
            return None
        if self.config is None:
            raise MockConfigError(f"test case {case!r} asked for, but no MockConfigFile is loaded")
        if state_machine not in self.config.raw["StateMachines"]:
            state_machine = self.aliases.get(state_machine, state_machine)
        return self.config.test_case(state_machine, case)

    def bind(self, execution_arn: str, run: TestCaseRun) -> None:
        with self._lock:
            self.runs[execution_arn] = run

    def clear(self) -> None:
        with self._lock:
            self.config, self.default_case = None, None
            self.runs.clear()
            self.aliases.clear()


REGISTRY = MockRegistry()

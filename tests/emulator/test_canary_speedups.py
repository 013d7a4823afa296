"""Canaries of the speed-ups: a speed-up changes no behaviour, so its canary checks that what it patches is
still there, in the shape it wraps (parameter names, module attributes, what it relies on). A failure: moto
changed that target; rewrite or delete the speed-up (docs/emulator.md)."""

from __future__ import annotations

import copy
import importlib
import inspect
import re
from types import ModuleType
from typing import Any

from medscribe.local.moto_patches import inventory, perf


def resolve(target: str) -> Any:
    """The object a dotted target names (module part imported, the rest by attribute)."""
    parts = target.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
            break
        except ImportError:
            continue
    for name in parts[cut:]:
        found = (
            found.__dict__[name]
            if isinstance(found, type) and name in found.__dict__
            else getattr(found, name)
        )
    return found


def parameters(target: str) -> list[str]:
    found = resolve(target)
    if isinstance(found, staticmethod | classmethod):
        found = found.__func__
    return list(inspect.signature(found).parameters)


def targets(module: str) -> tuple[str, ...]:
    return inventory.inventory()[module].targets


def test_perf() -> None:
    perf.lazy_moto_batch()
    for target in targets("perf"):
        if target.endswith(".boto_client_for"):
            assert parameters(target) == ["region", "service", "state_credentials"], target
    expected = {
        "AmazonStateLanguageParser.parse": ["definition"],
        "json_path.parse": ["path", "debug"],
        "result_path.parse": ["string"],
        "ext.parse": ["path", "debug"],
        "session.create_loader": ["search_path_string"],
    }
    for target in targets("perf"):
        short = ".".join(target.split(".")[-2:])
        if short in expected:
            assert parameters(target) == expected.pop(short), target
    assert expected == {}
    # lazy_moto_batch: the interpreter still needs only moto.batch.utils (JobStatus) from moto.batch
    source = inspect.getsource(
        resolve(
            "moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_batch"
        )
    )
    assert set(re.findall(r"from moto\.batch[\w.]* import (\w+)", source)) <= {"JobStatus"}


def test_execution_events() -> None:
    expected = {
        "EventManager.add_event": [
            "self",
            "context",
            "event_type",
            "event_details",
            "timestamp",
            "update_source_event_id",
        ],
        "BaseExecutionWorkerCommunication.terminated": ["self"],
        "Execution.start": ["self"],
    }
    for target in targets("execution_events"):
        assert parameters(target) == expected.pop(".".join(target.split(".")[-2:])), target
    assert expected == {}


def test_json_copy() -> None:
    for target in targets("json_copy"):
        module = resolve(target.rsplit(".", 1)[0])
        assert isinstance(resolve(target), ModuleType), target
        # the stand-in offers deepcopy and copy: the module must use nothing else of ``copy``
        assert set(re.findall(r"\bcopy\.(\w+)", inspect.getsource(module))) <= {"deepcopy", "copy"}, target


def test_startup() -> None:
    assert parameters("moto.core.utils.create_loader") == []
    assert parameters("moto.kms.models.generate_private_key") == ["key_spec"]
    models = resolve("moto.cognitoidp.models")
    assert isinstance(models.jwk, ModuleType)
    pool_init = inspect.getsource(models.CognitoIdpUserPool.__init__)
    assert "self.json_web_key = jwk.RSAKey.import_key(" in pool_init  # the only import the shim defers


def test_dispatch() -> None:
    assert parameters("moto.core.responses.method_names_from_class") == ["clazz"]
    assert parameters("moto.core.responses.BaseResponse._enrich_response") == ["headers", "body"]
    call_action = inspect.getsource(resolve("moto.core.responses.BaseResponse").call_action)
    assert "method_names_from_class" in call_action
    assert "in method_names" in call_action


def test_clock() -> None:
    assert parameters("moto.stepfunctions.parser.asl.component.program.program.Program.eval") == [
        "self",
        "env",
    ]
    wait = "moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function.WaitFunction"
    assert parameters(wait + "._wait_interval") == ["self", "env", "wait_seconds"]
    retrier = resolve("moto.stepfunctions.parser.asl.component.common.retry.retrier_decl")
    assert parameters(retrier.__name__ + ".RetrierDecl._eval_body") == ["self", "env"]
    assert "time.sleep(" in inspect.getsource(retrier.RetrierDecl._eval_body)  # what the clock stands in for


def test_dynamodb_expressions() -> None:
    make = "moto.dynamodb.parsing.expressions.UpdateExpressionParser.make"
    assert parameters(make) == ["cls", "expression_str"]
    assert isinstance(resolve(make), classmethod)
    validators = resolve("moto.dynamodb.parsing.validators")
    assert validators.deepcopy is copy.deepcopy  # the module's one name for copying, which the patch serves
    assert "self.node_to_validate = deepcopy(expression)" in inspect.getsource(validators.Validator.__init__)
    # the memoised tree is shared: moto must use a parsed tree only where it reads it or copies it first
    # (the response's find_clauses, the backend's validator); a new user of make is a place to re-read
    users: dict[str, int] = {}
    for name in ("moto.dynamodb.responses", "moto.dynamodb.models", "moto.dynamodb.models.table"):
        users[name] = inspect.getsource(resolve(name)).count("UpdateExpressionParser.make(")
    assert users == {"moto.dynamodb.responses": 2, "moto.dynamodb.models": 1, "moto.dynamodb.models.table": 0}
    # pickle and deepcopy rebuild a node the same way only while no node class copies or pickles itself
    nodes = resolve("moto.dynamodb.parsing.ast_nodes")
    for cls in vars(nodes).values():
        if isinstance(cls, type) and issubclass(cls, nodes.Node):
            own = set(vars(cls)) & {"__deepcopy__", "__copy__", "__reduce__", "__reduce_ex__", "__getstate__"}
            assert own == set(), (cls, own)


def test_error_shapes() -> None:
    assert parameters("moto.core.errors.ErrorLookupFactory.for_service") == ["self", "service_model"]
    errors = resolve("moto.core.errors")
    # a new factory per error answer: why its per-instance cache never hits
    assert "ErrorLookupFactory().for_service(" in inspect.getsource(errors.get_error_model)
    # the table depends on the service model alone
    assert parameters("moto.core.errors.ErrorLookupFactory._create_error_lut") == ["service_model"]

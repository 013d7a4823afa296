"""``ItemBatcher`` on a (Distributed) Map state (moto 5.2.6's ASL grammar rejects the field: parse error).

The field is removed from the definition before moto parses it and applied to the parsed Map state: its item
list is cut into batches of at most ``MaxItemsPerBatch`` items (and ``MaxInputBytesPerBatch`` bytes of JSON),
and each child execution receives ``{"Items": [...], "BatchInput": <BatchInput>}``, as on AWS. Items come from
the state input (``ItemsPath`` / ``Items``) or, on a Distributed Map, from what its ``ItemReader`` reads from S3.
``MaxItemsPerBatchPath`` / ``MaxInputBytesPerBatchPath`` are reference paths into the state input (``$$.`` into
the context object); ``BatchInput`` is a payload template (``"key.$": "<path>"``). Not supported: JSONata
(``{% %}``) values in ItemBatcher and intrinsic functions in BatchInput.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="feature",
    moto_version=MOTO_VERSION,
    restores=(
        "ItemBatcher on a Map state (Step Functions Developer Guide, 'ItemBatcher (Map)'): children receive "
        '{"Items": [...], "BatchInput": ...} batches of at most MaxItemsPerBatch / MaxInputBytesPerBatch.'
    ),
    targets=(),
    extends=("moto.stepfunctions.parser.asl.parse.asl_parser.AmazonStateLanguageParser.parse",),
    canary="tests/emulator/test_canary_sfn_features.py::test_item_batcher",
)


def _strip(node: Any, found: dict[str, dict[str, Any]]) -> None:
    """Remove ItemBatcher from every Map state (at any depth), remembering it by state name."""
    if isinstance(node, dict):
        for name, state in (node.get("States") or {}).items():
            if isinstance(state, dict) and state.get("Type") == "Map" and "ItemBatcher" in state:
                found[name] = state.pop("ItemBatcher")
        for value in node.values():
            _strip(value, found)
    elif isinstance(node, list):
        for value in node:
            _strip(value, found)


def batches(items: list[Any], config: dict[str, Any]) -> list[dict[str, Any]]:
    max_items = int(config.get("MaxItemsPerBatch") or len(items) or 1)
    max_bytes = int(config.get("MaxInputBytesPerBatch") or 256 * 1024)
    out: list[dict[str, Any]] = []
    current: list[Any] = []
    size = 0
    for item in items:
        item_size = len(json.dumps(item, separators=(",", ":")))
        if current and (len(current) >= max_items or size + item_size > max_bytes):
            out.append({"Items": current})
            current, size = [], 0
        current.append(item)
        size += item_size
    if current:
        out.append({"Items": current})
    if "BatchInput" in config:
        for batch in out:
            batch["BatchInput"] = config["BatchInput"]
    return out


def _maps(component: Any, seen: set[int]) -> list[Any]:
    """Every StateMap in a parsed program (a generic walk over the component tree)."""
    from moto.stepfunctions.parser.asl.component.component import Component
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.state_map import StateMap

    found: list[Any] = []
    stack = [component]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, StateMap):
            found.append(node)
        if isinstance(node, Component):
            stack.extend(vars(node).values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return found


def _select(path: str, env: Any) -> Any:
    from moto.stepfunctions.parser.asl.utils.json_path import extract_json

    if path.startswith("$$"):
        return extract_json("$" + path[2:], env.states.context_object.context_object_data)
    return extract_json(path, env.states.get_input())


def _template(value: Any, env: Any) -> Any:
    """A payload template: ``"key.$": path`` selects from the state input (or ``$$`` the context object)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key.endswith(".$") and isinstance(item, str):
                out[key[:-2]] = _select(item, env)
            else:
                out[key] = _template(item, env)
        return out
    if isinstance(value, list):
        return [_template(item, env) for item in value]
    return value


def resolve(config: dict[str, Any], env: Any) -> dict[str, Any]:
    """The ItemBatcher with its ``...Path`` limits and its BatchInput template evaluated against the state."""
    resolved = dict(config)
    for field in ("MaxItemsPerBatch", "MaxInputBytesPerBatch"):
        path = config.get(f"{field}Path")
        if path is None:
            continue
        value = _select(path, env)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{field}Path '{path}' must select a positive integer, got {value!r}")
        resolved[field] = value
    if "BatchInput" in config:
        resolved["BatchInput"] = _template(config["BatchInput"], env)
    return resolved


def _batching(iteration: Any, config: dict[str, Any]) -> None:
    """Batch the items a Map hands its children: a Distributed Map's Map Run (after its ItemReader read them),
    or an inline Map's item list."""
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.distributed_iteration_component import (
        DistributedIterationComponent,
    )

    if isinstance(iteration, DistributedIterationComponent):
        original_map_run = iteration._map_run

        def map_run(env: Any, eval_input: Any) -> None:
            items = env.stack.pop()  # from the ItemReader, or the state input
            env.stack.append(batches(items, resolve(config, env)) if isinstance(items, list) else items)
            original_map_run(env, eval_input)

        vars(iteration)["_map_run"] = map_run  # this parsed Map only (an instance attribute)
        return

    original_eval = iteration.eval

    def eval_with_batches(env: Any) -> None:
        eval_input = env.stack[-1]
        items = getattr(eval_input, "input_items", None)
        if isinstance(items, list):
            eval_input.input_items = batches(items, resolve(config, env))
        original_eval(env)

    iteration.eval = eval_with_batches


def parse(original: Any, definition: str) -> Any:
    """``AmazonStateLanguageParser.parse`` of a definition with ItemBatcher fields: ``original`` (moto's parse)
    without them, then each batching Map wired. Called by the one wrapper of ``parse`` (``perf``), once per
    definition and stack."""
    document = json.loads(definition)
    found: dict[str, dict[str, Any]] = {}
    _strip(document, found)
    program, tree = original(json.dumps(document))
    for state_map in _maps(program, set()):
        config = found.get(state_map.name)
        if config is not None:
            _batching(state_map.iteration_component, config)
    return program, tree


def wanted(definition: str) -> bool:
    return "ItemBatcher" in definition


def apply(stack: ExitStack) -> None:
    """Nothing of its own: ``perf``'s wrapper of ``AmazonStateLanguageParser.parse`` calls ``parse`` here."""

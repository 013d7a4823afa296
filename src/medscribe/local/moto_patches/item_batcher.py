"""``ItemBatcher`` on a (Distributed) Map state (moto 5.2.5's ASL grammar rejects the field: parse error).

The field is removed from the definition before moto parses it and applied to the parsed Map state: its item
list is cut into batches of at most ``MaxItemsPerBatch`` items (and ``MaxInputBytesPerBatch`` bytes of JSON),
and each child execution receives ``{"Items": [...], "BatchInput": <BatchInput>}``, as on AWS. Supported:
items from the state input (``ItemsPath`` / ``Items``); not supported: batching items that an ``ItemReader``
streams from S3, and the ``...Path`` variants of the limits.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from typing import Any
from unittest import mock

MOTO_VERSION = "5.2.5"


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


def _batching(iteration: Any, config: dict[str, Any]) -> Any:
    original = iteration.eval

    def eval_with_batches(env: Any) -> None:
        eval_input = env.stack[-1]
        items = getattr(eval_input, "input_items", None)
        if isinstance(items, list):
            eval_input.input_items = batches(items, config)
        original(env)

    return eval_with_batches


def apply(stack: ExitStack) -> None:
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    original_parse = AmazonStateLanguageParser.parse

    def parse(definition: str) -> Any:
        if "ItemBatcher" not in definition:
            return original_parse(definition)
        document = json.loads(definition)
        found: dict[str, dict[str, Any]] = {}
        _strip(document, found)
        program, tree = original_parse(json.dumps(document))
        for state_map in _maps(program, set()):
            config = found.get(state_map.name)
            if config is not None:
                state_map.iteration_component.eval = _batching(state_map.iteration_component, config)
        return program, tree

    stack.enter_context(mock.patch.object(AmazonStateLanguageParser, "parse", staticmethod(parse)))

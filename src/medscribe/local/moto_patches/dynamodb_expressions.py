"""moto 5.2.6: the work DynamoDB UpdateItem repeats for the same expression text (no behaviour change).

Every recording updates its status row ~10 times, each time with one of a few expression texts; moto parsed
and copied each expression's tree from scratch (~15% of the local stack's GIL time with 100 recordings):

- ``UpdateExpressionParser.make`` tokenises and parses the text into a tree, twice per UpdateItem (the response
  layer reads the names and values it uses, then the backend parses again). Memoised per text (bounded LRU):
  the tree depends on the text alone, and both callers only read it (the validator rewrites a copy, below).
  A text that fails to parse raises every time (``lru_cache`` keeps no exception).
- ``UpdateExpressionValidator`` deep-copies the tree before its passes rewrite the copy (``copy.deepcopy``
  through every node: ~40% of the backend's ``update_item``). The copy of a memoised tree is unpickled from the
  tree's pickle, taken once: pickle rebuilds each node through the same ``__reduce_ex__`` (class, attribute
  dict) that deepcopy uses, parent links included, so the copy is the same tree; any other value the
  validators copy (a ``DynamoType`` list in ``list_append``) still goes to ``copy.deepcopy``.
"""

from __future__ import annotations

import copy
import functools
import importlib
import pickle
import threading
from contextlib import ExitStack
from typing import Any
from unittest import mock

from medscribe.local.moto_patches.inventory import PatchInfo

MOTO_VERSION = "5.2.6"
PATCH = PatchInfo(
    kind="speedup",
    moto_version=MOTO_VERSION,
    restores=(
        "No AWS behaviour: UpdateItem's expression parsed once per text, and the validator's copy of the tree "
        "unpickled from one pickle instead of deep-copied node by node."
    ),
    targets=(
        "moto.dynamodb.parsing.expressions.UpdateExpressionParser.make",
        "moto.dynamodb.parsing.validators.deepcopy",
    ),
    canary="tests/emulator/test_canary_speedups.py::test_dynamodb_expressions",
)
PARSED_MAX = 512  # distinct expression texts kept (the pipeline uses a handful)

# id(tree) -> (tree, its pickle) for trees the memoised parse handed out. The tree is held, so its id is not
# reused while the entry exists; past the bound the oldest entries go (their trees are then deep-copied again).
_pickles: dict[int, tuple[Any, bytes]] = {}
_pickles_lock = threading.Lock()


def _memoised_make(original: Any) -> Any:
    @functools.lru_cache(maxsize=PARSED_MAX)
    def parsed(expression: str) -> Any:
        tree = original(expression)
        frozen = pickle.dumps(tree, pickle.HIGHEST_PROTOCOL)
        with _pickles_lock:
            _pickles[id(tree)] = (tree, frozen)
            while len(_pickles) > PARSED_MAX:
                _pickles.pop(next(iter(_pickles)))
        return tree

    def make(expression_str: Any) -> Any:
        if not isinstance(expression_str, str):  # not a text (unhashable...): moto's own answer
            return original(expression_str)
        return parsed(expression_str)

    return make


def tree_copy(value: Any, memo: Any = None) -> Any:
    """``copy.deepcopy(value)``, from a memoised tree's pickle when ``value`` is one."""
    entry = _pickles.get(id(value))
    if memo is None and entry is not None and entry[0] is value:
        return pickle.loads(entry[1])
    return copy.deepcopy(value, memo)


def apply(stack: ExitStack) -> None:
    from moto.dynamodb.parsing import validators

    parser: Any = importlib.import_module("moto.dynamodb.parsing.expressions").UpdateExpressionParser
    make = staticmethod(_memoised_make(parser.make))  # the module is untyped (moto's "type: ignore")
    stack.enter_context(mock.patch.object(parser, "make", make))
    stack.enter_context(mock.patch.object(validators, "deepcopy", tree_copy))

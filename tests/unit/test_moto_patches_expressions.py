"""moto_patches.dynamodb_expressions and error_shapes against moto 5.2.6: the same answers as plain moto on real
expressions and real errors, with the work done once (each checked for what it saves)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import moto
import pytest
from botocore.exceptions import ClientError

from medscribe.adapters.dynamodb import STATUS_ORDER, DynamoRecordingsTable
from medscribe.local.moto_patches import dynamodb_expressions, error_shapes

TABLE = "recordings"
AT = datetime(2026, 11, 22, 6, 30, tzinfo=UTC)
# Expressions as clients write them: SET with if_not_exists, arithmetic, list_append, nested paths, ADD, REMOVE,
# DELETE; with the names and values each needs (and their errors: an unknown name, a key attribute, overlap).
EXPRESSIONS: list[tuple[str, dict[str, str], dict[str, Any]]] = [
    ("SET #a = if_not_exists(#a, :v)", {"#a": "first_seen"}, {":v": {"S": "x"}}),
    ("SET #n = #n + :one", {"#n": "count"}, {":one": {"N": "1"}}),
    ("SET #n = if_not_exists(#n, :zero) + :one", {"#n": "count"}, {":zero": {"N": "0"}, ":one": {"N": "1"}}),
    (
        "SET #l = list_append(if_not_exists(#l, :e), :v)",
        {"#l": "log"},
        {":e": {"L": []}, ":v": {"L": [{"S": "a"}]}},
    ),
    ("SET #m = :m", {"#m": "meta"}, {":m": {"M": {"k": {"S": "v"}, "n": {"N": "2"}}}}),
    ("SET #m.#k = :v, #t = :t", {"#m": "meta", "#k": "k", "#t": "tag"}, {":v": {"S": "w"}, ":t": {"S": "t"}}),
    ("ADD #s :s SET #t = :t", {"#s": "tags", "#t": "tag"}, {":s": {"SS": ["a", "b"]}, ":t": {"S": "u"}}),
    ("DELETE #s :s", {"#s": "tags"}, {":s": {"SS": ["a"]}}),
    ("REMOVE #t, #m.#k", {"#t": "tag", "#m": "meta", "#k": "k"}, {}),
    ("SET #x = :v", {"#y": "other"}, {":v": {"S": "v"}}),  # an undefined name: ValidationException
    ("SET #r = :v", {"#r": "recording_id"}, {":v": {"S": "v"}}),  # a key attribute: ValidationException
    ("SET #a = :v, #a = :w", {"#a": "first_seen"}, {":v": {"S": "v"}, ":w": {"S": "w"}}),  # overlapping paths
    ("SET #a = :v REMOVE", {"#a": "first_seen"}, {":v": {"S": "v"}}),  # a syntax error
]


def shape(node: Any, parent: Any = None) -> Any:
    """A parse tree as nested tuples (class, attributes, children), checking each node's parent link."""
    node_class: Any = importlib.import_module("moto.dynamodb.parsing.ast_nodes").Node

    if not isinstance(node, node_class):
        return repr(node)
    assert node.parent is parent, node
    attributes = sorted((k, repr(v)) for k, v in vars(node).items() if k not in ("parent", "children"))
    children = tuple(shape(child, node) for child in node.children or [])
    return (type(node).__name__, tuple(attributes), children)


@contextmanager
def dynamodb(patched: bool) -> Iterator[Any]:
    with ExitStack() as stack:
        stack.enter_context(moto.mock_aws())
        if patched:
            dynamodb_expressions.apply(stack)
            error_shapes.apply(stack)
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "recording_id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "recording_id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield client


def outcomes(client: Any) -> list[Any]:
    """Every expression applied twice to two items: what each call answered, then the items."""
    answers: list[Any] = []
    for _ in range(2):
        for rid in ("r1", "r2"):
            for expression, names, values in EXPRESSIONS:
                kwargs: dict[str, Any] = {"ExpressionAttributeNames": names, "ReturnValues": "ALL_NEW"}
                if values:
                    kwargs["ExpressionAttributeValues"] = values
                try:
                    answer = client.update_item(
                        TableName=TABLE,
                        Key={"recording_id": {"S": rid}},
                        UpdateExpression=expression,
                        **kwargs,
                    )
                    answers.append(answer.get("Attributes"))
                except ClientError as exc:
                    answers.append((exc.response["Error"]["Code"], exc.response["Error"]["Message"]))
    items = sorted(client.scan(TableName=TABLE)["Items"], key=lambda item: item["recording_id"]["S"])
    return [answers, items]


def adapter_outcomes(client: Any) -> list[Any]:
    """The pipeline's own status updates (the adapter's expressions), in and out of order, and its claims."""
    table = DynamoRecordingsTable(client, TABLE, retention_days=30)
    answers: list[Any] = []
    for i, status in enumerate([*STATUS_ORDER, STATUS_ORDER[0], STATUS_ORDER[2]]):
        at = AT + timedelta(seconds=i)
        for rid in ("a", "b"):
            answers.append(table.put_status(recording_id=rid, tenant="t", status=status, at=at))
    answers.append(table.remember("a", "event_id", "e1"))
    answers.append(table.remember("a", "event_id", "e2"))
    table.put_task_token("b", "token-1")
    answers.append(table.task_token("b"))
    items = sorted(client.scan(TableName=TABLE)["Items"], key=lambda item: item["recording_id"]["S"])
    return [answers, items]


@pytest.mark.parametrize("run", [outcomes, adapter_outcomes], ids=["expressions", "adapter"])
def test_updates_answer_and_store_the_same_with_the_speedups(run: Callable[[Any], list[Any]]) -> None:
    # Given the same updates (successes and each kind of error), on plain moto and with the speed-ups
    with dynamodb(patched=False) as client:
        plain = run(client)
    with dynamodb(patched=True) as client:
        fast = run(client)
    # Then every answer, every error code and message, and every stored item is the same
    assert fast == plain
    errors = [a for a in plain[0] if isinstance(a, tuple)]
    assert len(errors) >= 4 or run is adapter_outcomes  # the error cases did fail


def test_a_text_is_parsed_once_and_its_shared_tree_is_never_changed() -> None:
    parser: Any = importlib.import_module("moto.dynamodb.parsing.expressions").UpdateExpressionParser

    expression = "SET #n = if_not_exists(#n, :zero) + :one, #l = list_append(if_not_exists(#l, :e), :v)"
    with dynamodb(patched=True) as client:
        tree = parser.make(expression)
        before = shape(tree)
        for _ in range(3):
            client.update_item(
                TableName=TABLE,
                Key={"recording_id": {"S": "r"}},
                UpdateExpression=expression,
                ExpressionAttributeNames={"#n": "count", "#l": "log"},
                ExpressionAttributeValues={
                    ":zero": {"N": "0"},
                    ":one": {"N": "1"},
                    ":e": {"L": []},
                    ":v": {"L": [{"S": "a"}]},
                },
            )
        # Then the update parsed no new tree, and the validators rewrote copies only
        assert parser.make(expression) is tree
        assert shape(tree) == before
        copy = dynamodb_expressions.tree_copy(tree)
        assert copy is not tree
        assert shape(copy) == before
        item = client.get_item(TableName=TABLE, Key={"recording_id": {"S": "r"}})["Item"]
        assert item["count"] == {"N": "3"}
        assert len(item["log"]["L"]) == 3
    # and once the stack closes, moto parses every time again
    assert parser.make(expression) is not parser.make(expression)


def test_a_services_error_table_is_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.core.errors import ErrorLookupFactory

    built: list[str] = []
    original = ErrorLookupFactory._create_error_lut

    def counting(service_model: Any) -> Any:
        built.append(service_model.metadata.get("serviceId"))
        return original(service_model)

    monkeypatch.setattr(ErrorLookupFactory, "_create_error_lut", staticmethod(counting))

    def three_missing_executions(client: Any) -> list[Any]:
        sfn = boto3.client("stepfunctions", region_name="us-east-1")
        answers = []
        for i in range(3):
            with pytest.raises(ClientError) as caught:
                sfn.describe_execution(executionArn=f"arn:aws:states:us-east-1:123456789012:execution:m:e{i}")
            answers.append(caught.value.response["Error"])
        return answers

    with dynamodb(patched=False) as client:
        plain = three_missing_executions(client)
    unpatched_builds = len(built)
    built.clear()
    with dynamodb(patched=True) as client:
        fast = three_missing_executions(client)
    # Then the same error answers, from one table instead of one per answer
    assert fast == plain
    assert plain[0]["Code"] == "ExecutionDoesNotExist"
    assert unpatched_builds >= 3
    assert len(built) <= 1

"""RDS Data API (AWS, Aurora Serverless v2): typed parameters, batched inserts, transactions by id."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError, ReadTimeoutError
from botocore.exceptions import ConnectionError as BotoConnectionError

from medscribe.adapters.database.repository import SqlRepository
from medscribe.adapters.database.sql import Session, normalise
from medscribe.adapters.transient import TRANSIENT_CODES
from medscribe.errors import DatabaseUnavailable

logger = Logger(child=True)  # a child of the handler's powertools Logger (same service)

MAX_BATCH_BYTES = 1_000_000  # Data API requests are limited to 4 MiB including JSON notation

DATA_API_TRANSIENT_CODES = (
    frozenset(
        {
            "DatabaseResumingException",
            "DatabaseUnavailableException",
            "StatementTimeoutException",
            "ServiceUnavailableError",
            "InternalServerErrorException",
            "TransactionNotFoundException",
        }
    )
    | TRANSIENT_CODES
)  # plus the one map of throttling/unavailable codes (adapters/transient.py)


def to_sql_parameters(params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Data API ``SqlParameter`` list (``name`` + typed ``value``) for normalised values."""
    out = []
    for name, value in normalise(params).items():
        field: dict[str, Any]
        if value is None:
            field = {"isNull": True}
        elif isinstance(value, bool):
            field = {"booleanValue": value}
        elif isinstance(value, int):
            field = {"longValue": value}
        elif isinstance(value, float):
            field = {"doubleValue": value}
        elif isinstance(value, str):
            field = {"stringValue": value}
        elif isinstance(value, bytes):
            field = {"blobValue": value}
        else:
            raise TypeError(f"{name}: cannot send {type(value).__name__} to the Data API")
        out.append({"name": name, "value": field})
    return out


def from_field(field: Mapping[str, Any]) -> Any:
    """A Data API ``Field`` as a Python value."""
    if field.get("isNull"):
        return None
    for key in ("stringValue", "longValue", "doubleValue", "booleanValue", "blobValue", "arrayValue"):
        if key in field:
            return field[key]
    return None


class _DataApiSession:
    def __init__(self, repo: DataApiRepository, transaction_id: str) -> None:
        self._repo = repo
        self._tx = transaction_id

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        request: dict[str, Any] = {**self._repo._target(), "sql": sql, "transactionId": self._tx}
        if params:
            request["parameters"] = to_sql_parameters(params)
        response = self._repo._call("execute_statement", **request)
        return [tuple(from_field(f) for f in record) for record in response.get("records", [])]

    def execute_many(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        batch: list[list[dict[str, Any]]] = []
        size = 0
        for row in rows:
            params = to_sql_parameters(row)
            n = len(json.dumps(params, default=str))
            if batch and size + n > MAX_BATCH_BYTES:
                self._send_batch(sql, batch)
                batch, size = [], 0
            batch.append(params)
            size += n
        if batch:
            self._send_batch(sql, batch)

    def _send_batch(self, sql: str, parameter_sets: list[list[dict[str, Any]]]) -> None:
        self._repo._call(
            "batch_execute_statement",
            **self._repo._target(),
            sql=sql,
            parameterSets=parameter_sets,
            transactionId=self._tx,
        )


class DataApiRepository(SqlRepository):
    """``ResultsRepository`` through the RDS Data API. ``client`` is a boto3 ``rds-data`` client."""

    def __init__(self, client: Any, cluster_arn: str, secret_arn: str, database: str) -> None:
        self._client = client
        self._cluster_arn = cluster_arn
        self._secret_arn = secret_arn
        self._database = database

    def _target(self) -> dict[str, str]:
        return {"resourceArn": self._cluster_arn, "secretArn": self._secret_arn}

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = getattr(self._client, operation)(**kwargs)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in DATA_API_TRANSIENT_CODES:
                raise DatabaseUnavailable(f"RDS Data API {operation}: {code}") from exc
            raise
        except (BotoConnectionError, ReadTimeoutError) as exc:
            raise DatabaseUnavailable(f"RDS Data API {operation}: {type(exc).__name__}") from exc
        return response

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        tx = self._call("begin_transaction", **self._target(), database=self._database)["transactionId"]
        try:
            yield _DataApiSession(self, tx)
        except BaseException:
            try:
                self._call("rollback_transaction", **self._target(), transactionId=tx)
            except Exception:  # the original error matters more; the transaction times out anyway
                logger.warning("RollbackTransaction failed", exc_info=True)
            raise
        self._call("commit_transaction", **self._target(), transactionId=tx)

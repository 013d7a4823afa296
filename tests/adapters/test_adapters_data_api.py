"""Results repositories through the RDS Data API: the same SQL and rows as psycopg on a real PostgreSQL, its
errors mapped to named ones, large batches split."""

from __future__ import annotations

import psycopg
import pytest
from adapter_support import PgBackedDataApi, stub_client
from botocore.stub import ANY, Stubber
from psycopg.conninfo import make_conninfo
from results_support import AT, CLUSTER, ENTITIES, SECRET, TEXT, VERSIONS, dump, state

from medscribe.adapters.database import (
    DataApiRepository,
    PsycopgRepository,
)
from medscribe.errors import DatabaseUnavailable

# ---- RDS Data API ----------------------------------------------------------------------------------------


def test_data_api_runs_the_same_sql_on_postgresql(data_api: PgBackedDataApi) -> None:
    # Given the Data API (requests validated and serialised by botocore, answered by PostgreSQL)
    repo = DataApiRepository(data_api.client, cluster_arn=CLUSTER, secret_arn=SECRET, database="medscribe")
    # When migrating twice and saving the same results twice
    assert repo.migrate() == VERSIONS
    assert repo.migrate() == []
    assert (
        repo.save_results(state=state(), transcript_text=TEXT, kept_entities=ENTITIES, dropped_count=1, at=AT)
        == 2
    )
    repo.mark_completed(recording_id="visit-0001", at=AT)
    first = dump(data_api.url)
    repo.save_results(state=state(), transcript_text=TEXT, kept_entities=ENTITIES, dropped_count=1, at=AT)
    repo.mark_completed(recording_id="visit-0001", at=AT)
    repo.record_failure(
        recording_id="visit-0001", tenant="clinic-a", error_name="X", error_message="late", at=AT
    )
    # Then the rows are identical and the COMPLETED recording was not failed
    assert dump(data_api.url) == first
    assert first["recordings"][0][2] == "COMPLETED"
    # and the calls were the documented ones, each in a transaction, with the secret ARN (no Secrets Manager call)
    ops = [op for op, _ in data_api.calls]
    assert set(ops) == {"BeginTransaction", "ExecuteStatement", "BatchExecuteStatement", "CommitTransaction"}
    assert all(body["secretArn"] == SECRET and body["resourceArn"] == CLUSTER for _, body in data_api.calls)
    assert all("transactionId" in body for op, body in data_api.calls if op != "BeginTransaction")
    assert data_api.transactions == {}


def test_data_api_gives_the_same_rows_as_psycopg(data_api: PgBackedDataApi, database_url: str) -> None:
    # Given the same results saved through each driver into separate databases
    DataApiRepository(data_api.client, CLUSTER, SECRET, "medscribe").migrate()
    DataApiRepository(data_api.client, CLUSTER, SECRET, "medscribe").save_results(
        state=state(), transcript_text=TEXT, kept_entities=ENTITIES, dropped_count=1, at=AT
    )
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS adapters_twin")
        conn.execute("CREATE DATABASE adapters_twin")
    twin = make_conninfo(database_url, dbname="adapters_twin")
    other = PsycopgRepository(twin)
    other.migrate()
    other.save_results(state=state(), transcript_text=TEXT, kept_entities=ENTITIES, dropped_count=1, at=AT)
    # Then every table holds the same rows
    assert dump(data_api.url) == dump(twin)


@pytest.mark.parametrize(
    "code", ["DatabaseResumingException", "StatementTimeoutException", "DatabaseUnavailableException"]
)
def test_data_api_transient_errors_raise_database_unavailable(code: str) -> None:
    # Given Aurora Serverless v2 resuming from 0 ACU (or timing out) at BeginTransaction
    client = stub_client("rds-data")
    repo = DataApiRepository(client, CLUSTER, SECRET, "medscribe")
    with Stubber(client) as stub:
        stub.add_client_error("begin_transaction", code, "The database is resuming", 400)
        # When migrating, Then the retryable DatabaseUnavailable is raised
        with pytest.raises(DatabaseUnavailable, match=code):
            repo.migrate()


def test_data_api_error_mid_transaction_rolls_back() -> None:
    # Given a statement that times out inside the transaction
    client = stub_client("rds-data")
    repo = DataApiRepository(client, CLUSTER, SECRET, "medscribe")
    target = {"resourceArn": CLUSTER, "secretArn": SECRET}
    with Stubber(client) as stub:
        stub.add_response("begin_transaction", {"transactionId": "tx-1"}, {**target, "database": "medscribe"})
        stub.add_response(
            "execute_statement",
            {"records": [[{"longValue": 1}]], "numberOfRecordsUpdated": 0},
            {**target, "sql": ANY, "transactionId": "tx-1", "parameters": ANY},
        )
        stub.add_client_error("execute_statement", "StatementTimeoutException", "timeout", 400)
        stub.add_response(
            "rollback_transaction",
            {"transactionStatus": "Rollback Complete"},
            {**target, "transactionId": "tx-1"},
        )
        # When migrating, Then DatabaseUnavailable is raised after RollbackTransaction
        with pytest.raises(DatabaseUnavailable):
            repo.migrate()
        stub.assert_no_pending_responses()


def test_data_api_sql_errors_are_terminal() -> None:
    client = stub_client("rds-data")
    repo = DataApiRepository(client, CLUSTER, SECRET, "medscribe")
    with Stubber(client) as stub:
        stub.add_response("begin_transaction", {"transactionId": "tx-1"})
        stub.add_client_error("execute_statement", "DatabaseErrorException", "syntax error", 400)
        stub.add_response("rollback_transaction", {"transactionStatus": "Rollback Complete"})
        with pytest.raises(Exception, match="DatabaseErrorException") as info:
            repo.record_failure(recording_id="r", tenant="t", error_name="E", error_message="m", at=AT)
        assert not isinstance(info.value, DatabaseUnavailable)


def test_data_api_splits_large_entity_batches(
    data_api: PgBackedDataApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a batch size limit that a few entities exceed (the real one keeps requests far below 4 MiB)
    monkeypatch.setattr("medscribe.adapters.database.data_api.MAX_BATCH_BYTES", 1500)
    repo = DataApiRepository(data_api.client, CLUSTER, SECRET, "medscribe")
    repo.migrate()
    many = [{**ENTITIES[1], "Id": i} for i in range(12)]
    # When they are saved
    n = repo.save_results(state=state(), transcript_text=TEXT, kept_entities=many, dropped_count=0, at=AT)
    # Then several BatchExecuteStatement calls carried them all, in the same transaction
    batches = [body for op, body in data_api.calls if op == "BatchExecuteStatement"]
    assert n == 12
    assert len(batches) > 1
    assert sum(len(b["parameterSets"]) for b in batches) == 12
    assert len({b["transactionId"] for b in batches}) == 1
    assert [r[1] for r in dump(data_api.url)["entities"]] == list(range(12))

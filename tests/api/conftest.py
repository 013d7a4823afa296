"""``medscribe serve`` in-process on free ports, once for this package: real HTTP, real Cognito tokens."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from api_support import M2M, PASSWORD, USERS, Api, wait_for_status
from decode_memo_support import memo_env
from pg_support import own_database
from tokens_support import m2m_access_token

from medscribe import wiring
from medscribe.cli_front import add_user, id_token
from medscribe.local.server import LocalServer


@pytest.fixture(scope="session")
def database(database_url: str) -> Iterator[str]:
    """A database of its own on the session's PostgreSQL (``tests/conftest.py``), not a second server: one
    embedded server per session is enough, and each start (initdb) and stop costs seconds of CPU."""
    with own_database(database_url, f"t_front_api_{os.getpid()}") as url:
        yield url


# The server lives while this directory's tests run (they run contiguously): closed by the teardown hook
# below after the last of them. A "package" fixture would not do: without __init__.py pytest keeps it for the
# whole session, and its moto mock would then leak into every later test's stack.
_OPEN: list[ExitStack] = []
API_DIR = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def api(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    stack = ExitStack()
    _OPEN.append(stack)
    saved = os.environ.get("MEDSCRIBE_LOG_LEVEL")
    os.environ["MEDSCRIBE_LOG_LEVEL"] = "INFO"  # handlers log their JSON lines: the PHI property reads them
    stack.callback(
        lambda: (
            os.environ.pop("MEDSCRIBE_LOG_LEVEL", None)
            if saved is None
            else os.environ.__setitem__("MEDSCRIBE_LOG_LEVEL", saved)
        )
    )
    # Each distinct audio is decoded once per test run (decode_memo_support): these tests run the sample through
    # serve a dozen times to test HTTP, tenancy, audit and PHI, never the decode. Off again with the server.
    os.environ.update(memo_env())
    stack.callback(lambda: [os.environ.pop(name, None) for name in memo_env()])
    server = stack.enter_context(
        LocalServer(
            port=0,
            aws_port=0,
            instant_waits=True,
            database_url=database,
            home=tmp_path_factory.mktemp("serve"),
            parameters={"Tenants": "clinic-a,clinic-b,ops"},
        )
    )
    tokens = {}
    for name, (tenant, role) in USERS.items():
        add_user(server.aws_url, f"{name}@{tenant}.test", tenant, role, PASSWORD)
        tokens[name] = id_token(server.aws_url, f"{name}@{tenant}.test", PASSWORD)
    tokens[M2M] = _m2m_caller(server, stack, "clinic-b")
    yield Api(server, tokens)
    _close()


@pytest.fixture(scope="session")
def alices(api: Api) -> dict[str, Any]:
    """A clinic-a recording, uploaded and processed to COMPLETED."""
    created = api.create("alice", original_file_name="Jane_Doe_MRN_448812.wav")
    assert api.upload(created) == 204
    wait_for_status(api, "alice", created["recording_id"], {"COMPLETED", "FAILED"})
    return created


def _m2m_caller(server: LocalServer, stack: ExitStack, tenant: str) -> str:
    """An app client with the client-credentials grant, mapped to ``tenant`` (M2M_CLIENT_TENANTS, as the
    template sets it), and the access token Cognito would issue it, signed with the pool's key."""
    import json

    import boto3

    from medscribe.local.moto_patches.cognito_rules import SigningKey

    idp = boto3.client(
        "cognito-idp",
        endpoint_url=server.aws_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    client_id = idp.create_user_pool_client(
        UserPoolId=server.user_pool_id,
        ClientName="clinic-b-integration",
        GenerateSecret=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["medscribe/recordings.read", "medscribe/recordings.write"],
        AllowedOAuthFlowsUserPoolClient=True,
    )["UserPoolClient"]["ClientId"]
    server.gateway.verifier.client_ids.add(client_id)
    saved = os.environ.get("M2M_CLIENT_TENANTS")
    os.environ["M2M_CLIENT_TENANTS"] = json.dumps({client_id: tenant})
    wiring.reset()
    stack.callback(
        lambda: (
            os.environ.pop("M2M_CLIENT_TENANTS", None)
            if saved is None
            else os.environ.__setitem__("M2M_CLIENT_TENANTS", saved)
        )
    )
    return m2m_access_token(
        SigningKey.for_home(server.pipeline.home),
        server.gateway.verifier.issuer,
        client_id,
        "medscribe/recordings.read medscribe/recordings.write",
    )


def _close() -> None:
    while _OPEN:
        _OPEN.pop().close()


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    if nextitem is None or API_DIR not in Path(nextitem.path).parents:
        _close()

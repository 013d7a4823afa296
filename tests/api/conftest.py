"""``medscribe serve`` in-process on free ports, once for this package: real HTTP, real Cognito tokens."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from medscribe.cli_front import add_user, id_token
from medscribe.local.server import LocalServer

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "dictation.wav"
PASSWORD = "Correct-Horse-9-Battery"
USERS = {  # name -> (tenant, role)
    "alice": ("clinic-a", "clinician"),
    "adam": ("clinic-a", "clinic-admin"),
    "bob": ("clinic-b", "clinician"),
    "olga": ("ops", "operator"),
}


@dataclass
class Api:
    server: LocalServer
    tokens: dict[str, str]

    @property
    def url(self) -> str:
        return self.server.api_url

    def call(self, method: str, path: str, user: str | None = None, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        if user is not None:
            headers["Authorization"] = self.tokens[user]
        return requests.request(method, self.url + path, headers=headers, timeout=60, **kwargs)

    def create(self, user: str, **body: Any) -> dict[str, Any]:
        response = self.call("POST", "/recordings", user, json=body)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def upload(self, created: dict[str, Any], path: Path = SAMPLE, filename: str = "audio.wav") -> int:
        upload = created["upload"]
        with path.open("rb") as f:
            response = requests.post(
                upload["url"], data=upload["fields"], files={"file": (filename, f, "audio/wav")}, timeout=60
            )
        return response.status_code


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("DATABASE_URL"):
        import psycopg
        from psycopg.conninfo import make_conninfo

        name = f"t_front_api_{os.getpid()}"
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        yield make_conninfo(os.environ["DATABASE_URL"], dbname=name)
        return
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("pg-api"), cleanup_mode="delete")
    try:
        yield str(server.get_uri())
    finally:
        server.cleanup()


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
    yield Api(server, tokens)
    _close()


def _close() -> None:
    while _OPEN:
        _OPEN.pop().close()


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    if nextitem is None or API_DIR not in Path(nextitem.path).parents:
        _close()


def wait_for_status(api: Api, user: str, recording_id: str, statuses: set[str], timeout: float = 240) -> Any:
    import time

    deadline = time.monotonic() + timeout
    while True:
        response = api.call("GET", f"/recordings/{recording_id}", user)
        assert response.status_code == 200, response.text
        if response.json()["status"] in statuses:
            return response
        assert time.monotonic() < deadline, f"{recording_id} still {response.json()['status']}"
        time.sleep(0.25)


UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

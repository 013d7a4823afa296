"""Helpers of the API tests (imported by name: ``from api_support import Api``); fixtures live in conftest."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from medscribe.local.moto_patches.cognito_rules import SigningKey
from medscribe.local.server import LocalServer

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "dictation.wav"
PASSWORD = "Correct-Horse-9-Battery"
USERS = {  # name -> (tenant, role)
    "alice": ("clinic-a", "clinician"),
    "adam": ("clinic-a", "clinic-admin"),
    "bob": ("clinic-b", "clinician"),
    "bea": ("clinic-b", "clinic-admin"),
    "olga": ("ops", "operator"),
}
M2M = "m2m-b"  # a client-credentials caller (app client mapped to clinic-b): its routes are under /m2m
# Every caller kind of clinic-b that must never reach clinic-a's data (the operator is a rule of its own).
CLINIC_B_CALLERS = ("bob", "bea", M2M)


@dataclass
class Api:
    server: LocalServer
    tokens: dict[str, str]

    @property
    def url(self) -> str:
        return self.server.api_url

    @property
    def pool_key(self) -> SigningKey:
        return SigningKey.for_home(self.server.pipeline.home)

    def call(self, method: str, path: str, user: str | None = None, **kwargs: Any) -> requests.Response:
        headers = dict(kwargs.pop("headers", {}))
        if user is not None:
            headers["Authorization"] = self.tokens[user]
        if user == M2M and (path.startswith("/recordings/") or (method == "POST" and path == "/recordings")):
            path = "/m2m" + path  # the client-credentials routes
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


def wait_for_status(
    api: Api,
    user: str,
    recording_id: str,
    statuses: set[str],
    timeout: float = 240,
    *,
    started_async: bool = False,
) -> Any:
    """Poll ``GET /recordings/{id}`` until one of ``statuses``. ``started_async``: the recording is created by
    the upload trigger (a direct upload), so a 404 only means "not yet" until the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        response = api.call("GET", f"/recordings/{recording_id}", user)
        if started_async and response.status_code == 404 and time.monotonic() < deadline:
            time.sleep(0.25)
            continue
        assert response.status_code == 200, response.text
        if response.json()["status"] in statuses:
            return response
        assert time.monotonic() < deadline, f"{recording_id} still {response.json()['status']}"
        time.sleep(0.25)


UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

"""The console's API (``/console/api``) holds the same tenant rules as the API, for every user caller kind of
another clinic (clinician, clinic-admin); the operator sees status of every tenant and never a document."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from api_support import Api

from medscribe import wiring


def _console(api: Api, path: str, user: str, **params: str) -> requests.Response:
    return requests.get(
        f"{api.url}/console/api{path}", headers={"Authorization": api.tokens[user]}, params=params, timeout=60
    )


def _audit_count() -> int:
    return len(wiring.get_services().repository.audit_events())


@pytest.mark.parametrize("attacker", ["bob", "bea"])
def test_another_clinic_cannot_view_list_or_download(api: Api, alices: dict[str, Any], attacker: str) -> None:
    rid = alices["recording_id"]
    for path in (f"/recordings/{rid}", f"/recordings/{rid}/document"):
        response = _console(api, path, attacker)
        assert response.status_code == 404, (path, response.status_code)
        assert not response.content.startswith(b"%PDF")
    listing = _console(api, "/recordings", attacker, tenant="clinic-a")
    assert listing.status_code == 200
    assert {r["tenant"] for r in listing.json()["recordings"]} <= {"clinic-b"}
    assert rid not in listing.text


def test_the_operator_sees_status_but_never_a_document(api: Api, alices: dict[str, Any]) -> None:
    rid = alices["recording_id"]
    view = _console(api, f"/recordings/{rid}", "olga")
    assert view.status_code == 200
    assert view.json()["may_open_document"] is False
    before = _audit_count()
    document = _console(api, f"/recordings/{rid}/document", "olga")
    assert document.status_code == 403
    assert not document.content.startswith(b"%PDF")
    assert _audit_count() == before  # nothing was read, so nothing to audit


def test_no_token_no_console_data(api: Api) -> None:
    response = requests.get(f"{api.url}/console/api/recordings", timeout=30)
    assert response.status_code == 401

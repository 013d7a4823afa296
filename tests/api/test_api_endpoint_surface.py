"""Issue 16, item 3: no unauthenticated PHI surface. The AWS endpoint of `serve` has no /moto-api (dashboard,
state dump) and answers no foreign CORS origin; the console's API is same-origin; a non-loopback host is
refused without the explicit flag."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from api_support import Api

from medscribe.local.endpoint import AwsEndpoint, NonLoopbackHost

EVIL = "https://evil.example"


@pytest.mark.parametrize(
    "path",
    [
        "/moto-api/",
        "/moto-api/data.json",
        "/moto-api/reset",
        "/moto-api",
        "/moto-apiX",
        "/%6Doto-api/data.json",
    ],
)
def test_no_moto_api(api: Api, path: str) -> None:
    for method in ("GET", "POST"):
        assert requests.request(method, api.server.aws_url + path, timeout=30).status_code == 404


def test_a_foreign_origin_gets_no_cors_on_get_or_preflight(api: Api, alices: dict[str, Any]) -> None:
    bucket = api.server.pipeline.bucket
    url = f"{api.server.aws_url}/{bucket}/{alices['upload']['fields']['key']}"
    get = requests.get(url, headers={"Origin": EVIL}, timeout=30)
    assert "Access-Control-Allow-Origin" not in get.headers
    assert not any(h.lower().startswith("access-control-") for h in get.headers)
    preflight = requests.options(
        url,
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x",
        },
        timeout=30,
    )
    assert preflight.status_code == 403
    assert "Access-Control-Allow-Origin" not in preflight.headers
    # Cognito's API through the endpoint too
    idp = requests.options(
        api.server.aws_url + "/",
        headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert "Access-Control-Allow-Origin" not in idp.headers


def test_the_console_api_is_same_origin(api: Api) -> None:
    token = {"Authorization": api.tokens["alice"]}
    foreign = requests.get(f"{api.url}/console/api/recordings", headers={**token, "Origin": EVIL}, timeout=30)
    assert foreign.status_code == 403
    assert "Access-Control-Allow-Origin" not in foreign.headers
    cross_site = requests.get(
        f"{api.url}/console/api/recordings", headers={**token, "Sec-Fetch-Site": "cross-site"}, timeout=30
    )
    assert cross_site.status_code == 403
    own = requests.get(f"{api.url}/console/api/recordings", headers={**token, "Origin": api.url}, timeout=30)
    assert own.status_code == 200
    # The API answers no CORS either
    response = api.call("GET", "/recordings", "alice", headers={"Origin": EVIL})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::"])
def test_a_non_loopback_endpoint_needs_the_explicit_flag(host: str) -> None:
    with pytest.raises(NonLoopbackHost):
        AwsEndpoint(host, 0)
    AwsEndpoint(host, 1, allow_non_loopback=True)  # constructed, not started


def test_serve_refuses_a_non_loopback_host_without_the_flag() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "medscribe.cli",
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--aws-port",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "--i-know-the-endpoint-is-unauthenticated" in proc.stderr
    assert "unauthenticated" in proc.stderr

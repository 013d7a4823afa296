"""Front-door figures through `medscribe serve` (free ports, default local timings, no instant waits):

- time from POST /recordings to COMPLETED for samples/dictation.wav (upload included);
- p50 / p95 of 100 authorized GET /recordings/{id};
- the attack table: attack -> HTTP status.

Usage: .venv/bin/python scripts/bench_front_door.py   (make bench-front)
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import jwt
import requests

from medscribe.cli_front import add_user, id_token
from medscribe.local.server import LocalServer

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "dictation.wav"
PASSWORD = "Bench-Passw0rd!"


def main() -> int:
    with (
        tempfile.TemporaryDirectory() as home,
        LocalServer(
            port=0, aws_port=0, home=Path(home), parameters={"Tenants": "clinic-a,clinic-b,ops"}
        ) as server,
    ):
        url = server.api_url
        tokens = {}
        for name, tenant, role in (
            ("alice", "clinic-a", "clinician"),
            ("bob", "clinic-b", "clinician"),
            ("olga", "ops", "operator"),
        ):
            add_user(server.aws_url, f"{name}@x.test", tenant, role, PASSWORD)
            tokens[name] = id_token(server.aws_url, f"{name}@x.test", PASSWORD)

        def call(method: str, path: str, user: str | None, **kw: Any) -> requests.Response:
            headers = {"Authorization": tokens[user]} if user else {}
            headers.update(kw.pop("headers", {}))
            return requests.request(method, url + path, headers=headers, timeout=120, **kw)

        started = time.monotonic()
        created = call("POST", "/recordings", "alice", json={"original_file_name": "dictation.wav"}).json()
        rid = created["recording_id"]
        with SAMPLE.open("rb") as f:
            upload = requests.post(
                created["upload"]["url"], data=created["upload"]["fields"], files={"file": ("a.wav", f)}
            )
        assert upload.status_code == 204, upload.text
        while True:
            status = call("GET", f"/recordings/{rid}", "alice").json()["status"]
            if status in ("COMPLETED", "FAILED"):
                break
            time.sleep(0.2)
        post_to_completed = time.monotonic() - started

        latencies = []
        for _ in range(100):
            t = time.perf_counter()
            assert call("GET", f"/recordings/{rid}", "alice").status_code == 200
            latencies.append((time.perf_counter() - t) * 1000)
        latencies.sort()

        claims = jwt.decode(tokens["alice"], options={"verify_signature": False})
        from cryptography.hazmat.primitives.asymmetric import rsa

        other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        forged = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": "dummy"})
        from moto.utilities.utils import load_resource

        pool_key = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json")).key
        expired = jwt.encode(
            {**claims, "exp": int(time.time()) - 60}, pool_key, algorithm="RS256", headers={"kid": "dummy"}
        )
        bobs = call("POST", "/recordings", "bob", json={}).json()
        moved = {**created["upload"]["fields"], "key": bobs["upload"]["fields"]["key"]}
        attacks = {
            "cross-tenant GET (bob -> alice's id)": call("GET", f"/recordings/{rid}", "bob").status_code,
            "cross-tenant list (?tenant=clinic-a)": call(
                "GET", "/recordings", "bob", params={"tenant": "clinic-a"}
            ).status_code,
            "cross-tenant start": call("POST", f"/recordings/{rid}/start", "bob").status_code,
            "body names another tenant": call(
                "POST", "/recordings", "alice", json={"tenant": "clinic-b"}
            ).status_code,
            "upload into another tenant's prefix (S3 POST)": requests.post(
                created["upload"]["url"], data=moved, files={"file": ("a.wav", b"RIFF0000WAVE")}
            ).status_code,
            "forged token (other key)": call(
                "GET", f"/recordings/{rid}", None, headers={"Authorization": forged}
            ).status_code,
            "expired token": call(
                "GET", f"/recordings/{rid}", None, headers={"Authorization": expired}
            ).status_code,
            "absent token": call("GET", f"/recordings/{rid}", None).status_code,
            "operator reads PDF (pdf field)": call("GET", f"/recordings/{rid}", "olga").json().get("pdf"),
            "operator creates a recording": call("POST", "/recordings", "olga", json={}).status_code,
            "malformed JSON": call(
                "POST", "/recordings", "alice", data="{x", headers={"Content-Type": "application/json"}
            ).status_code,
        }
        report = {
            "status": status,
            "post_to_completed_seconds": round(post_to_completed, 2),
            "get_ms_p50": round(statistics.median(latencies), 1),
            "get_ms_p95": round(latencies[94], 1),
            "attacks": attacks,
        }
        print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The attack list of issue 7, each through `serve` over HTTP with real tokens: all refused. Every cross-tenant
attack runs for every caller kind of clinic-b (clinician, clinic-admin, M2M client); the operator is its own
rule (every tenant's status, never a PDF, never a write)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
from api_support import CLINIC_B_CALLERS, M2M, SAMPLE, Api, wait_for_status
from spec_support import assert_conforms
from tokens_support import (
    alg_none,
    claims_of,
    expired,
    signed_by_moto_key,
    signed_by_other_key,
    signed_by_pool,
    tampered,
)

from medscribe import wiring


@pytest.mark.parametrize("attacker", CLINIC_B_CALLERS)
def test_cross_tenant_get_is_404_not_403(api: Api, alices: dict[str, Any], attacker: str) -> None:
    # When a clinic-b caller (of any kind) asks for alice's (clinic-a) COMPLETED recording
    response = api.call("GET", f"/recordings/{alices['recording_id']}", attacker)
    # Then it does not exist for them (existence is not disclosed), and nothing of it leaks: no PDF link
    assert response.status_code == 404
    assert alices["recording_id"] not in response.text
    assert "X-Amz-" not in response.text
    assert_conforms(response, "/recordings/{recording_id}", "get")


@pytest.mark.parametrize("attacker", ["bob", "bea"])  # the M2M routes have no list
def test_cross_tenant_list_is_refused_and_own_list_holds_only_own_tenant(
    api: Api, alices: dict[str, Any], attacker: str
) -> None:
    named = api.call("GET", "/recordings", attacker, params={"tenant": "clinic-a"})
    assert named.status_code == 403
    assert_conforms(named, "/recordings", "get")
    own = api.call("GET", "/recordings", attacker)
    assert own.status_code == 200
    assert {r["tenant"] for r in own.json()["recordings"]} <= {"clinic-b"}
    assert alices["recording_id"] not in own.text


@pytest.mark.parametrize("attacker", CLINIC_B_CALLERS)
def test_cross_tenant_start_is_404(api: Api, alices: dict[str, Any], attacker: str) -> None:
    response = api.call("POST", f"/recordings/{alices['recording_id']}/start", attacker)
    assert response.status_code == 404
    assert_conforms(response, "/recordings/{recording_id}/start", "post")


@pytest.mark.parametrize("caller", ["alice", "adam", M2M])
def test_body_naming_another_tenant_is_403_never_used(api: Api, caller: str) -> None:
    own_tenant, other = ("clinic-b", "clinic-a") if caller == M2M else ("clinic-a", "clinic-b")
    response = api.call("POST", "/recordings", caller, json={"tenant": other})
    assert response.status_code == 403
    assert_conforms(response, "/recordings", "post")
    own = api.call("POST", "/recordings", caller, json={"tenant": own_tenant})  # naming one's own is fine
    assert own.status_code == 201


def test_upload_into_another_tenants_prefix_is_refused_by_the_upload_policy(api: Api) -> None:
    # Given alice's presigned upload, and bob's reserved recording
    mine = api.create("alice")
    bobs = api.create("bob")
    # When alice rewrites the key of her form to bob's upload key (or any key under clinic-b)
    for key in (bobs["upload"]["fields"]["key"], "incoming/clinic-b/whatever.wav"):
        fields = {**mine["upload"]["fields"], "key": key}
        with SAMPLE.open("rb") as f:
            response = requests.post(
                mine["upload"]["url"], data=fields, files={"file": ("a.wav", f, "audio/wav")}, timeout=60
            )
        # Then S3 refuses it (the policy pins the key), and nothing is stored there
        assert response.status_code == 403, key
        assert "AccessDenied" in response.text
    s3 = api.server.pipeline.client("s3")
    listed = s3.list_objects_v2(Bucket=api.server.pipeline.bucket, Prefix="incoming/clinic-b/")
    assert [o["Key"] for o in listed.get("Contents", [])] == []


def test_upload_policy_also_pins_type_size_and_expiry(api: Api) -> None:
    created = api.create("alice")
    upload = created["upload"]
    not_audio = {**upload["fields"], "Content-Type": "text/html"}
    response = requests.post(
        upload["url"], data=not_audio, files={"file": ("a.wav", b"RIFF....")}, timeout=60
    )
    assert response.status_code == 403
    empty = requests.post(upload["url"], data=upload["fields"], files={"file": ("a.wav", b"")}, timeout=60)
    assert empty.status_code == 403  # content-length-range starts at 1 byte


@pytest.mark.parametrize(
    "kind", ["absent", "garbage", "other-key", "moto-key", "tampered", "alg-none", "expired", "wrong-aud"]
)
def test_forged_expired_or_absent_tokens_are_401_on_every_route(
    api: Api, alices: dict[str, Any], kind: str
) -> None:
    claims = claims_of(api.tokens["alice"])
    # only this case's token is made (each case made all eight: a fresh RSA key alone is 40 ms of CPU)
    forge: dict[str, Callable[[], str | None]] = {
        "absent": lambda: None,
        "garbage": lambda: "not-a-jwt",
        "other-key": lambda: signed_by_other_key(claims),
        "moto-key": lambda: signed_by_moto_key(claims),
        "tampered": lambda: tampered(api.tokens["bob"], **{"custom:tenant": "clinic-a"}),
        "alg-none": lambda: alg_none(claims),
        "expired": lambda: expired(claims, api.pool_key),
        "wrong-aud": lambda: signed_by_pool({**claims, "aud": "some-other-client"}, api.pool_key),
    }
    token = forge[kind]()
    rid = alices["recording_id"]
    for method, path, template in (
        ("GET", f"/recordings/{rid}", "/recordings/{recording_id}"),
        ("GET", "/recordings", "/recordings"),
        ("POST", "/recordings", "/recordings"),
        ("POST", f"/recordings/{rid}/start", "/recordings/{recording_id}/start"),
    ):
        headers = {"Authorization": token} if token else {}
        response = api.call(method, path, headers=headers, json={})
        assert response.status_code == 401, (kind, method, path)
        assert_conforms(response, template, method)
    # Bearer prefix is accepted with a genuine token, and so is the same claims' token signed by the pool's key
    assert api.call(
        "GET", f"/recordings/{rid}", headers={"Authorization": f"Bearer {api.tokens['alice']}"}
    ).ok
    assert api.call(
        "GET", f"/recordings/{rid}", headers={"Authorization": signed_by_pool(claims, api.pool_key)}
    ).ok


def test_operator_sees_status_but_never_a_pdf_and_cannot_write(api: Api, alices: dict[str, Any]) -> None:
    rid = alices["recording_id"]
    owner = api.call("GET", f"/recordings/{rid}", "alice").json()
    assert owner["status"] == "COMPLETED"
    assert owner["pdf"]["url"]
    response = api.call("GET", f"/recordings/{rid}", "olga")
    assert response.status_code == 200
    assert response.json()["status"] == "COMPLETED"
    assert response.json()["pdf"] is None
    assert_conforms(response, "/recordings/{recording_id}", "get")
    listing = api.call("GET", "/recordings", "olga", params={"tenant": "clinic-a"})
    assert rid in listing.text
    assert "documents" not in listing.text
    assert api.call("POST", "/recordings", "olga", json={}).status_code == 403
    assert api.call("POST", f"/recordings/{rid}/start", "olga").status_code == 403


def test_recording_id_hijack_race_never_moves_a_recording_to_another_tenant(api: Api) -> None:
    # Given alice's reserved recording, about to be uploaded
    created = api.create("alice")
    rid = created["recording_id"]
    pipeline = api.server.pipeline
    s3 = pipeline.client("s3")
    codes: list[int] = []

    def bob_attacks() -> None:
        for _ in range(10):
            codes.append(api.call("POST", f"/recordings/{rid}/start", "bob").status_code)
            codes.append(api.call("GET", f"/recordings/{rid}", "bob").status_code)
        # an IAM uploader of clinic-b naming an object after alice's id, in its own prefix
        s3.upload_file(str(SAMPLE), pipeline.bucket, f"incoming/clinic-b/{rid}.wav")

    # When bob races alice's upload and start
    thread = threading.Thread(target=bob_attacks)
    thread.start()
    assert api.upload(created) == 204
    start = api.call("POST", f"/recordings/{rid}/start", "alice")
    thread.join()
    # Then every attempt of bob's was a 404, and the id stays alice's, processing alice's object
    assert set(codes) == {404}
    assert start.status_code in (200, 202)
    done = wait_for_status(api, "alice", rid, {"COMPLETED", "FAILED"})
    assert done.json()["tenant"] == "clinic-a"
    item = wiring.get_services().table.get(rid)
    assert item is not None
    assert item["tenant"] == "clinic-a"
    assert item["audio_key"] == f"clinic-a/{rid}/audio"  # moved, at the start, to the recording's own key
    assert item["upload_key"] == f"incoming/clinic-a/{rid}.wav"
    assert api.call("GET", f"/recordings/{rid}", "bob").status_code == 404


def test_malformed_json_is_400_and_unknown_routes_404(api: Api) -> None:
    response = api.call(
        "POST", "/recordings", "alice", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert_conforms(response, "/recordings", "post")
    extra = api.call("POST", "/recordings", "alice", json={"surprise": 1})
    assert extra.status_code == 400
    assert api.call("GET", "/nope", "alice").status_code == 404
    assert api.call("DELETE", "/recordings", "alice").status_code == 404


def test_a_query_parameter_without_a_name_is_400_on_every_route(api: Api, alices: dict[str, Any]) -> None:
    # Given a malformed query string ("?=x", "?=") on a list, a read and a write route
    rid = alices["recording_id"]
    for method, path in (
        ("GET", "/recordings"),
        ("GET", f"/recordings/{rid}"),
        ("POST", f"/recordings/{rid}/start"),
    ):
        for query in ("?=x", "?status=FAILED&=", "?%20=1"):
            # When it is sent with a valid token
            response = api.call(method, path + query, "alice")
            # Then it is a 400 problem as the spec describes, never a 200 that ignored part of the request
            assert response.status_code == 400, (method, path, query, response.text)
            assert response.headers["Content-Type"].startswith("application/problem+json")
    assert api.call("GET", "/recordings?status=FAILED", "alice").status_code == 200


def test_direct_upload_to_an_unknown_tenant_folder_is_refused_not_defaulted(api: Api) -> None:
    pipeline = api.server.pipeline
    before = len(pipeline.async_errors)
    pipeline.client("s3").upload_file(str(SAMPLE), pipeline.bucket, "incoming/clinic-zz/visit.wav")
    deadline = time.monotonic() + 60
    while len(pipeline.async_errors) == before:
        assert time.monotonic() < deadline, "the upload to an unknown tenant's folder raised nothing in 60 s"
        time.sleep(0.05)
    assert type(pipeline.async_errors[-1]).__name__ == "UnknownTenant"
    assert wiring.get_services().table.page("default")[0] == []

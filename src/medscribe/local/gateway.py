"""API Gateway (REST, Cognito user pool authorizer) emulated in front of the SAME Lambda handler.

Routes come from api/openapi.yaml (the file template.yaml includes). For each request: match the route, verify
the token the way API Gateway's Cognito authorizer does — the raw JWT in ``Authorization`` (a ``Bearer ``
prefix is accepted too), RS256 signature against the local pool's JWKS, issuer, expiry, and the audience (ID
tokens) or the route's OAuth scopes (client-credentials access tokens) — then call the handler with a REST proxy
event whose ``requestContext.authorizer.claims`` holds the claims as strings, as API Gateway passes them.
Missing/forged/expired token -> 401, unknown route -> 404, handler crash -> 502 (API Gateway's
"Internal server error"), all as problem objects like the template's gateway responses.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

import jwt
import yaml

CLAIMS_ENVIRON_KEY = "medscribe.claims"
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # API Gateway REST: 10 MB
_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    template: str
    method: str
    pattern: re.Pattern[str]
    scopes: tuple[str, ...]  # empty: an ID token is required; else an access token with one of these scopes


def load_routes(spec: dict[str, Any]) -> list[Route]:
    default_security = spec.get("security", [])
    routes = []
    for template, item in spec.get("paths", {}).items():
        regex = "^" + re.sub(r"\\\{([^}]+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            security = op.get("security", default_security)
            scopes = tuple(s for requirement in security for values in requirement.values() for s in values)
            routes.append(Route(template, method.upper(), re.compile(regex), scopes))
    # As API Gateway: a literal path segment wins over a path variable (/recordings/search, not {recording_id}).
    return sorted(routes, key=lambda r: r.template.count("{"))


class TokenVerifier:
    """Cognito token verification against the pool's JWKS (fetched once from the local endpoint)."""

    def __init__(self, jwks_url: str, issuer: str, client_ids: Iterable[str]) -> None:
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True)
        self.issuer = issuer
        self.client_ids = set(client_ids)

    def verify(self, token: str, scopes: tuple[str, ...] = ()) -> dict[str, Any]:
        """The verified claims, or ``jwt.InvalidTokenError``."""
        key = self._jwks.get_signing_key_from_jwt(token).key
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            issuer=self.issuer,
            options={"require": ["exp", "iat", "sub", "token_use"], "verify_aud": False},
        )
        if scopes:
            granted = set(str(claims.get("scope", "")).split())
            if claims["token_use"] != "access" or claims.get("client_id") not in self.client_ids:
                raise jwt.InvalidTokenError("an access token of this pool's app client is required")
            if not granted.intersection(scopes):
                raise jwt.InvalidTokenError("missing scope")
        else:
            if claims["token_use"] != "id" or claims.get("aud") not in self.client_ids:
                raise jwt.InvalidAudienceError("an ID token for this pool's app client is required")
        return claims


def token_from_header(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if value[:7].lower() == "bearer ":
        value = value[7:].strip()
    return value or None


def _rest_claims(claims: dict[str, Any]) -> dict[str, str]:
    """Claims as the REST API's Cognito authorizer hands them to Lambda: all strings, dates as text."""
    out: dict[str, str] = {}
    for name, value in claims.items():
        if name in ("exp", "iat", "auth_time") and isinstance(value, int | float):
            out[name] = datetime.fromtimestamp(value, UTC).strftime("%a %b %d %H:%M:%S UTC %Y")
        elif isinstance(value, list):
            out[name] = ",".join(str(v) for v in value)
        else:
            out[name] = str(value)
    return out


def _problem(status: int, title: str) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"type": "about:blank", "title": title, "status": status}).encode()
    return status, {"Content-Type": "application/problem+json"}, body


class ApiGateway:
    """A WSGI app: GET /openapi.yaml, the API routes, and optionally other WSGI apps mounted at a prefix."""

    def __init__(
        self,
        spec_path: Path,
        verifier: TokenVerifier,
        invoke: Callable[[dict[str, Any]], dict[str, Any]],
        *,
        stage: str = "local",
        mounts: dict[str, Any] | None = None,
    ) -> None:
        self.spec_text = spec_path.read_text()
        self.routes = load_routes(yaml.safe_load(self.spec_text))
        self.verifier = verifier
        self.invoke = invoke
        self.stage = stage
        self.mounts = mounts or {}
        self._lock = threading.Lock()  # one warm "container": the handler serves one request at a time

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/") or "/"
        for prefix, mounted in self.mounts.items():
            if path == prefix or path.startswith(prefix + "/"):
                environ[CLAIMS_ENVIRON_KEY] = self._claims_or_none(environ)
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
                environ["PATH_INFO"] = path[len(prefix) :] or "/"
                result: Iterable[bytes] = mounted(environ, start_response)
                return result
        status, headers, body = self.handle(environ)
        reason = {200: "OK", 201: "Created", 202: "Accepted"}.get(status, "")
        start_response(f"{status} {reason}".strip(), list(headers.items()))
        return [body]

    def _claims_or_none(self, environ: dict[str, Any]) -> dict[str, Any] | None:
        token = token_from_header(environ.get("HTTP_AUTHORIZATION"))
        if token is None:
            return None
        try:
            return self.verifier.verify(token)
        except jwt.PyJWTError:
            return None

    def handle(self, environ: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        raw_path = environ.get("PATH_INFO", "/") or "/"
        if method == "GET" and raw_path == "/openapi.yaml":
            return 200, {"Content-Type": "application/yaml"}, self.spec_text.encode()
        route, params = self._match(method, raw_path)
        if route is None:
            return _problem(404, "Not Found")
        if int(environ.get("CONTENT_LENGTH") or 0) > MAX_PAYLOAD_BYTES:
            return _problem(413, "Request Entity Too Large")  # API Gateway's own limit, before the authorizer
        token = token_from_header(environ.get("HTTP_AUTHORIZATION"))
        if token is None:
            return _problem(401, "Unauthorized")
        try:
            claims = self.verifier.verify(token, route.scopes)
        except (jwt.PyJWTError, ValueError):
            return _problem(401, "Unauthorized")
        event = self._event(environ, method, raw_path, route, params, claims)
        try:
            with self._lock:
                response = self.invoke(event)
        except Exception:  # noqa: BLE001 - API Gateway answers 502 for a function error
            return _problem(502, "Bad Gateway")
        headers = {str(k): str(v) for k, v in (response.get("headers") or {}).items()}
        for name, values in (response.get("multiValueHeaders") or {}).items():
            headers[str(name)] = ",".join(str(v) for v in values)
        body = response.get("body") or ""
        data = body.encode() if isinstance(body, str) else bytes(body)
        if response.get("isBase64Encoded"):
            import base64

            data = base64.b64decode(data)
        return int(response.get("statusCode", 200)), headers, data

    def _match(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        for route in self.routes:
            m = route.pattern.match(path)
            if m and route.method == method:
                return route, {k: unquote(v) for k, v in m.groupdict().items()}
        return None, {}

    def _event(
        self,
        environ: dict[str, Any],
        method: str,
        path: str,
        route: Route,
        params: dict[str, str],
        claims: dict[str, Any],
    ) -> dict[str, Any]:
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        request_id = str(uuid.uuid4())
        return {
            "resource": route.template,
            "path": path,
            "httpMethod": method,
            "headers": headers,
            "multiValueHeaders": {k: [v] for k, v in headers.items()},
            "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
            "multiValueQueryStringParameters": query or None,
            "pathParameters": params or None,
            "stageVariables": None,
            "requestContext": {
                "resourcePath": route.template,
                "httpMethod": method,
                "path": f"/{self.stage}{path}",
                "stage": self.stage,
                "requestId": request_id,
                "requestTimeEpoch": int(time.time() * 1000),
                "identity": {
                    "sourceIp": environ.get("REMOTE_ADDR", "127.0.0.1"),
                    "userAgent": environ.get("HTTP_USER_AGENT", ""),
                },
                "authorizer": {"claims": _rest_claims(claims)},
            },
            "body": body.decode("utf-8", errors="replace") if body else None,
            "isBase64Encoded": False,
        }

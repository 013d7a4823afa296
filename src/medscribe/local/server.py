"""``medscribe serve``: one long-lived process holding the local stack, serving

- the API on ``--port`` (default 3000): API Gateway emulation (``medscribe.local.gateway``) in front of the
  same ``lambdas/api`` handler, with the Cognito authorizer's token checks;
- an AWS-compatible endpoint on ``--aws-port`` (default 4566; ``medscribe.local.endpoint``) onto the same
  in-process emulator: cognito-idp, s3, stepfunctions, dynamodb ... for boto3 and the AWS CLI; presigned
  upload and PDF links point at it. It is an unauthenticated emulator: loopback only unless
  ``allow_non_loopback``; no ``/moto-api``; no CORS. Its Cognito refuses what AWS refuses and signs with the
  data directory's own key (``moto_patches.cognito_rules``);
- the ops console at ``/console`` when ``medscribe.local.console`` is installed (its requests carry the
  verified claims, or None, in the WSGI environ under ``medscribe.claims``).
"""

from __future__ import annotations

import importlib
import os
import threading
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from medscribe import wiring
from medscribe.local import stopping
from medscribe.local.endpoint import AwsEndpoint
from medscribe.local.engine import LocalPipeline
from medscribe.local.gateway import ApiGateway, TokenVerifier
from medscribe.local.lifecycle import Started
from medscribe.local.moto_patches import apply_front_door
from medscribe.local.stack import REGION

DEFAULT_API_PORT = 3000
DEFAULT_AWS_PORT = 4566
API_FUNCTION = "ApiFunction"
HTTP_STOP_SECONDS = 10.0  # bound on a server thread's stop (stopping.StopTimedOut past it)


class LocalServer(Started):
    """``with LocalServer(port=0, aws_port=0) as server: server.api_url, server.aws_url`` (0 = a free port)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_API_PORT,
        aws_port: int = DEFAULT_AWS_PORT,
        root: Path | None = None,
        parameters: dict[str, str] | None = None,
        instant_waits: bool = False,
        home: Path | None = None,
        database_url: str | None = None,
        prewarm_workers: bool = False,
        persist: bool = False,
        allow_non_loopback: bool = False,
    ) -> None:
        self.host = host
        self.allow_non_loopback = allow_non_loopback
        self.port = port
        self.aws_port = aws_port
        self.pipeline = LocalPipeline(
            root,
            parameters=parameters,
            instant_waits=instant_waits,
            home=home,
            database_url=database_url,
            prewarm_workers=prewarm_workers,
            persist=persist,
        )
        self._exit = ExitStack()
        self._http: Any = None
        self.gateway: ApiGateway

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def aws_url(self) -> str:
        return self.endpoint.url

    @property
    def user_pool_id(self) -> str:
        return next(iter(self.pipeline.stack.user_pools.values()))

    @property
    def client_id(self) -> str:
        return next(iter(self.pipeline.stack.user_pool_clients.values()))

    def _start(self) -> None:
        self._exit.enter_context(self.pipeline)
        self.endpoint = AwsEndpoint(self.host, self.aws_port, allow_non_loopback=self.allow_non_loopback)
        self._exit.enter_context(self.endpoint)
        self.aws_port = self.endpoint.port
        apply_front_door(self._exit, self.pipeline.home)
        # Presigned upload/PDF links must reach the endpoint; the handlers read settings lazily.
        os.environ["S3_PRESIGN_ENDPOINT_URL"] = self.endpoint.url
        self._exit.callback(os.environ.pop, "S3_PRESIGN_ENDPOINT_URL", None)
        wiring.reset()
        pool = self.user_pool_id
        verifier = TokenVerifier(
            jwks_url=f"{self.endpoint.url}/{pool}/.well-known/jwks.json",
            issuer=f"https://cognito-idp.{REGION}.amazonaws.com/{pool}",
            client_ids=self.pipeline.stack.user_pool_clients.values(),
        )
        function = self.pipeline.stack.function(API_FUNCTION)

        def invoke(event: dict[str, Any]) -> dict[str, Any]:
            response: dict[str, Any] = self.pipeline.dispatcher.call(function.arn, event)
            return response

        self.gateway = ApiGateway(
            self.pipeline.root / "api" / "openapi.yaml", verifier, invoke, mounts=_console_mounts(self)
        )
        self._serve_http()

    def _serve_http(self) -> None:
        from werkzeug.serving import make_server

        from medscribe.local.state import health

        # /health, and 503 + Retry-After while the embedded PostgreSQL restarts (local.state.health).
        postgres = self.pipeline.postgres
        self.monitor = health.PostgresMonitor(postgres).start() if postgres is not None else None
        if self.monitor is not None:
            self._exit.callback(self.monitor.stop)  # a stopping.step of its own
        app = health.HealthGate(self.gateway, self.monitor, health.workers_status)
        self._http = make_server(self.host, self.port, app, threaded=True)
        self.port = int(self._http.server_port)
        thread = threading.Thread(target=self._http.serve_forever, name="medscribe-api", daemon=True)
        thread.start()

        def stop() -> None:
            with stopping.step("api-http") as record:
                stopping.stop_http(self._http, thread, HTTP_STOP_SECONDS, record)

        self._exit.callback(stop)


def _console_mounts(server: LocalServer) -> dict[str, Any]:
    """The ops console (``medscribe.local.console``: ``make_app(server)`` or a module-level WSGI ``app``)."""
    try:
        console = importlib.import_module("medscribe.local.console")
    except ImportError:
        return {}
    factory = getattr(console, "make_app", None)
    app = factory(server) if callable(factory) else getattr(console, "app", None)
    return {"/console": app} if app is not None else {}

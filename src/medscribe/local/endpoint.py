"""An AWS-compatible HTTP endpoint onto the local stack (what Step Functions Local / LocalStack give their users).

moto's ``ThreadedMotoServer`` started inside the process that holds the ``LocalPipeline`` serves the same
in-memory backends the pipeline uses, so any AWS client (boto3 with ``endpoint_url``, the AWS CLI with
``--endpoint-url``) drives the real stack: ``aws s3 cp`` to ``incoming/`` starts the real pipeline,
``aws stepfunctions describe-execution`` / ``get-execution-history`` read its executions, and any state machine
created through the endpoint runs on the same interpreter.

``mock_config`` (or ``SFN_MOCK_CONFIG``) loads a Step Functions Local MockConfigFile: ``StartExecution`` on
``<stateMachineArn>#<TestCase>`` then runs that test case (``medscribe.local.mocks``).

``MOTO_PORT`` is set to the endpoint's port before the server starts: moto's ASL interpreter builds its own
boto3 clients against ``localhost:$MOTO_PORT`` whenever a call is not intercepted in-process.

The endpoint is an **unauthenticated emulator** (any signature is accepted): it listens on loopback only unless
``allow_non_loopback`` is given, has no ``/moto-api`` (moto's dashboard and full state dump: 404), and answers
no CORS origin except the ones it is told to (``allowed_origins``; ``medscribe serve``: none).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4566


class NonLoopbackHost(ValueError):
    """The unauthenticated endpoint asked to listen beyond this machine without the explicit opt-in."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class EndpointGuard:
    """WSGI middleware in front of moto's dispatcher: no ``/moto-api`` (404) and no CORS for a foreign origin
    (moto's flask-cors echoes any ``Origin``): its ``Access-Control-*`` headers are dropped, its preflight 403."""

    def __init__(self, app: Callable[..., Iterable[bytes]], allowed_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed_origins = {o.rstrip("/") for o in allowed_origins}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO") or "")
        if path.startswith("/moto-api"):  # moto's own test: every such path goes to its dashboard app
            return _answer(start_response, "404 Not Found", b"Not Found")
        origin = environ.get("HTTP_ORIGIN")
        if origin is None or origin.rstrip("/") in self.allowed_origins:
            return self.app(environ, start_response)
        if environ.get("REQUEST_METHOD") == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ:
            return _answer(start_response, "403 Forbidden", b"CORS is not enabled for this origin")

        def no_cors(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            kept = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
            return start_response(status, kept, exc_info)

        return self.app(environ, no_cors)


def _answer(start_response: Any, status: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def free_port(host: str = DEFAULT_HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class AwsEndpoint:
    """``with AwsEndpoint(port=4566) as endpoint: boto3.client("s3", endpoint_url=endpoint.url)``.

    ``port=0`` picks a free port. Start it while a ``LocalPipeline`` (moto's ``mock_aws``) is active in this
    process: the server then shares the pipeline's backends (moto keeps them process-global).
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        mock_config: str | Path | None = None,
        mock_hybrid: bool = False,
        allow_non_loopback: bool = False,
        allowed_origins: Iterable[str] = (),
    ) -> None:
        if not allow_non_loopback and not is_loopback(host):
            raise NonLoopbackHost(
                f"the AWS endpoint is an unauthenticated emulator: refusing to listen on {host} "
                "(loopback only unless explicitly allowed)"
            )
        self.host = host
        self.allowed_origins = tuple(allowed_origins)
        self.port = port or free_port(host)
        self.mock_config = mock_config  # a MockConfigFile (Step Functions Local's); else SFN_MOCK_CONFIG
        self.mock_hybrid = mock_hybrid  # an index with no mocked response runs the real handler
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._saved_port: str | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> AwsEndpoint:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        from medscribe.local.mocks import REGISTRY

        if self.mock_config is not None:
            REGISTRY.use_file(self.mock_config, hybrid=self.mock_hybrid)
        else:
            REGISTRY.from_environment()
        self._saved_port = os.environ.get("MOTO_PORT")
        os.environ["MOTO_PORT"] = str(self.port)
        # werkzeug logs one line per request at INFO: the endpoint is a library here, not a terminal.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        # moto's ThreadedMotoServer, with the guard in front of its dispatcher.
        app = EndpointGuard(DomainDispatcherApplication(create_backend_app), self.allowed_origins)
        try:
            self._server = make_server(
                self.host, self.port, app, threaded=True, request_handler=MotoRequestHandler
            )
        except BaseException:
            self._restore_port()
            raise
        self._thread = threading.Thread(target=self._server.serve_forever, name="medscribe-aws", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            from medscribe.local import stopping

            with stopping.step("aws-endpoint-http") as record:
                if self._thread is not None:
                    stopping.stop_http(self._server, self._thread, 10.0, record)
                else:
                    self._server.server_close()
            self._server = None
            self._thread = None
        self._restore_port()

    def _restore_port(self) -> None:
        if self._saved_port is None:
            os.environ.pop("MOTO_PORT", None)
        else:
            os.environ["MOTO_PORT"] = self._saved_port

    def __enter__(self) -> AwsEndpoint:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

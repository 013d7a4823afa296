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
"""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4566


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
    ) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.mock_config = mock_config  # a MockConfigFile (Step Functions Local's); else SFN_MOCK_CONFIG
        self.mock_hybrid = mock_hybrid  # an index with no mocked response runs the real handler
        self._server: Any = None
        self._saved_port: str | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> AwsEndpoint:
        from moto.moto_server.threaded_moto_server import ThreadedMotoServer

        from medscribe.local.mocks import REGISTRY

        if self.mock_config is not None:
            REGISTRY.use_file(self.mock_config, hybrid=self.mock_hybrid)
        else:
            REGISTRY.from_environment()
        self._saved_port = os.environ.get("MOTO_PORT")
        os.environ["MOTO_PORT"] = str(self.port)
        # werkzeug logs one line per request at INFO: the endpoint is a library here, not a terminal.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server = ThreadedMotoServer(ip_address=self.host, port=self.port, verbose=False)
        try:
            self._server.start()
        except BaseException:
            self._restore_port()
            raise
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
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

"""``medscribe serve | users add | token``: the local front door (issue 7).

medscribe serve [--port 3000] [--aws-port 4566]     the API (Cognito-verified) + the AWS endpoint + console
medscribe users add EMAIL --tenant T --role R       a user in the local pool (through the AWS endpoint)
medscribe token EMAIL [--password P]                prints an ID token (USER_PASSWORD_AUTH)
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import threading
from contextlib import redirect_stdout, suppress
from typing import Any

DEFAULT_ENDPOINT = "http://127.0.0.1:4566"
POOL_SUFFIX = "-users"  # template.yaml: UserPoolName "${AWS::StackName}-users"
ROLES = ("clinician", "clinic-admin", "operator")


def _idp(endpoint: str) -> Any:
    import boto3

    return boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def _pool_and_client(idp: Any) -> tuple[str, str]:
    pools = [p for p in idp.list_user_pools(MaxResults=60)["UserPools"] if p["Name"].endswith(POOL_SUFFIX)]
    if not pools:
        raise SystemExit("medscribe: no local user pool: is `medscribe serve` running?")
    pool_id = pools[0]["Id"]
    clients = idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    return pool_id, clients[0]["ClientId"]


def default_password() -> str:
    # Meets the pool's policy (12+ characters, upper, lower, digit, symbol).
    return secrets.token_urlsafe(12) + "Aa1!"


def add_user(endpoint: str, email: str, tenant: str, role: str, password: str) -> str:
    idp = _idp(endpoint)
    pool_id, _ = _pool_and_client(idp)
    response = idp.admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:tenant", "Value": tenant},
        ],
        MessageAction="SUPPRESS",
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=password, Permanent=True)
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username=email, GroupName=role)
    sub = next((a["Value"] for a in response["User"]["Attributes"] if a["Name"] == "sub"), "")
    return str(sub)


def id_token(endpoint: str, email: str, password: str) -> str:
    idp = _idp(endpoint)
    _, client_id = _pool_and_client(idp)
    result = idp.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )
    return str(result["AuthenticationResult"]["IdToken"])


UNAUTHENTICATED_FLAG = "--i-know-the-endpoint-is-unauthenticated"


def cmd_serve(args: argparse.Namespace) -> int:
    from medscribe.local import stopping
    from medscribe.local.endpoint import is_loopback
    from medscribe.local.hygiene import stop_asr_workers
    from medscribe.local.server import LocalServer

    if not is_loopback(args.host) and not args.allow_non_loopback:
        print(
            f"medscribe: refusing --host {args.host}: the AWS endpoint is an unauthenticated emulator (anyone "
            f"who reaches it reads every recording); loopback only unless {UNAUTHENTICATED_FLAG}",
            file=sys.stderr,
        )
        return 2
    parameters = {"Tenants": args.tenants} if args.tenants else {}
    embedded_database = not os.environ.get("DATABASE_URL")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    # Ctrl-C stops serve however it was started: a background job of a non-interactive shell inherits SIGINT
    # ignored, and Python then leaves it ignored (no KeyboardInterrupt); `run` installs its own handler too.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with (
        redirect_stdout(sys.stderr),
        LocalServer(
            host=args.host,
            port=args.port,
            aws_port=args.aws_port,
            parameters=parameters,
            prewarm_workers=True,
            persist=True,
            allow_non_loopback=args.allow_non_loopback,
        ) as server,
    ):
        print(
            f"medscribe: API          {server.api_url}  (spec: {server.api_url}/openapi.yaml)",
            file=sys.stderr,
        )
        print(f"medscribe: AWS endpoint {server.aws_url}", file=sys.stderr)
        print(f"medscribe: user pool    {server.user_pool_id}  client {server.client_id}", file=sys.stderr)
        if embedded_database:  # `medscribe open` and `search` join it (local.database.local_database)
            print(f"medscribe: database     {server.pipeline.database_url}", file=sys.stderr)
        print("medscribe: ready (Ctrl-C to stop)", file=sys.stderr, flush=True)
        with suppress(KeyboardInterrupt):
            stopping.wait_for_stop(stop)
        stopping.reset()  # the record of this stop (local.stopping), written below
        home = server.pipeline.home
    with stopping.step("asr-workers"):  # killed: idle after the stack's stop (no job left to finish)
        stop_asr_workers()
    stopping.write(home)
    return 1 if stopping.timed_out() else 0


def _one_line_errors(action: Any, endpoint: str) -> int:
    """The user pool's answer (wrong password, unknown user, refused password) or an unreachable endpoint as one
    stderr line and exit 1, never a traceback."""
    from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError

    try:
        return int(action())
    except EndpointConnectionError:
        print(f"medscribe: cannot reach {endpoint}: is `medscribe serve` running?", file=sys.stderr)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        print(f"medscribe: {error.get('Code')}: {error.get('Message')}", file=sys.stderr)
    except BotoCoreError as exc:
        print(f"medscribe: {exc}", file=sys.stderr)
    return 1


def cmd_users_add(args: argparse.Namespace) -> int:
    given = args.password or os.environ.get("MEDSCRIBE_PASSWORD")
    password = given or default_password()

    def add() -> int:
        sub = add_user(args.endpoint_url, args.email, args.tenant, args.role, password)
        print(
            f"medscribe: user {args.email} (sub {sub}) tenant {args.tenant} role {args.role}", file=sys.stderr
        )
        if not given:
            print(password)
        return 0

    return _one_line_errors(add, args.endpoint_url)


def cmd_token(args: argparse.Namespace) -> int:
    password = args.password or os.environ.get("MEDSCRIBE_PASSWORD")
    if not password:
        print("medscribe: --password or MEDSCRIBE_PASSWORD is required", file=sys.stderr)
        return 2

    def token() -> int:
        print(id_token(args.endpoint_url, args.email, password))
        return 0

    return _one_line_errors(token, args.endpoint_url)


def add_front_commands(sub: Any) -> None:
    endpoint = os.environ.get("MEDSCRIBE_AWS_ENDPOINT", DEFAULT_ENDPOINT)
    serve = sub.add_parser("serve", help="the local API (Cognito-verified) + AWS endpoint + console")
    serve.add_argument("--host", default="127.0.0.1", help="default 127.0.0.1 (loopback only, see below)")
    serve.add_argument(
        UNAUTHENTICATED_FLAG,
        dest="allow_non_loopback",
        action="store_true",
        help="listen on a non-loopback --host although the AWS endpoint has no authentication",
    )
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--aws-port", type=int, default=4566)
    serve.add_argument("--tenants", default=None, help="known tenants, comma-separated")
    serve.set_defaults(func=cmd_serve)

    users = sub.add_parser("users", help="users of the local user pool (needs a running serve)")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="create a user with a tenant and a role")
    add.add_argument("email")
    add.add_argument("--tenant", required=True)
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument(
        "--password", default=None, help="default: $MEDSCRIBE_PASSWORD, else generated and printed"
    )
    add.add_argument("--endpoint-url", default=endpoint)
    add.set_defaults(func=cmd_users_add)

    token = sub.add_parser("token", help="print an ID token for a local user (needs a running serve)")
    token.add_argument("email")
    token.add_argument("--password", default=None, help="default: $MEDSCRIBE_PASSWORD")
    token.add_argument("--endpoint-url", default=endpoint)
    token.set_defaults(func=cmd_token)

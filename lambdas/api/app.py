"""The REST API behind API Gateway's Cognito authorizer: POST/GET /recordings, GET /recordings/{id},
POST /recordings/{id}/start (and the same under /m2m for client-credentials callers). Thin: parse with
powertools' validating resolver, build the ``Caller`` from the verified claims, call one use case of
``medscribe.api.service``; errors become JSON problem objects (RFC 9457)."""

import json
from datetime import date
from typing import Annotated, Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.utilities.typing import LambdaContext

from medscribe import errors
from medscribe.api import backfills, search, service
from medscribe.api.body import BodyRefused, check_json_body
from medscribe.api.caller import Caller, Forbidden, Unauthenticated, caller_from_claims, parse_client_tenants
from medscribe.api.models import CreateRecording
from medscribe.models import TENANT_PATTERN
from medscribe.wiring import get_services

logger = Logger()
tracer = Tracer(auto_patch=False)  # botocore is patched at the first client: medscribe.wiring.client
app = APIGatewayRestResolver(enable_validation=True)
PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str | None = None) -> Response[str]:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return Response(status_code=status, content_type=PROBLEM, body=json.dumps(body))


_SEARCH_PARAMETERS = frozenset({"q", "drug", "condition", "status", "from", "to", "limit", "next"})
# The query parameters each route declares in api/openapi.yaml (tests/api/test_api_query_names.py keeps the two
# equal); every other route declares none.
QUERY_PARAMETERS: dict[str, frozenset[str]] = {
    "/recordings": frozenset({"status", "limit", "next", "tenant"}),
    "/recordings/search": _SEARCH_PARAMETERS,
    "/m2m/recordings/search": _SEARCH_PARAMETERS,
}


def reject_undeclared_query_parameters(
    resolver: APIGatewayRestResolver, next_middleware: NextMiddleware
) -> Response[Any]:
    """``?=x`` is a malformed query string, and a name the route does not declare is a client error, not
    something to ignore: 400 on every route, before any handler runs (nothing is read or written)."""
    event = resolver.current_event
    names = set(event.query_string_parameters or {}) | set(event.multi_value_query_string_parameters or {})
    if any(not name.strip() for name in names):
        return problem(400, "Bad request", "the query string has a parameter without a name")
    if names - QUERY_PARAMETERS.get(event.resource, frozenset()):
        return problem(400, "Bad request", "the query string has a parameter this route does not take")
    return next_middleware(resolver)


app.use(middlewares=[reject_undeclared_query_parameters])


def _caller() -> Caller:
    claims = (app.current_event.request_context.authorizer.raw_event or {}).get("claims")
    return caller_from_claims(claims, parse_client_tenants(get_services().settings.m2m_client_tenants))


def _meta() -> service.RequestMeta:
    ctx = app.current_event.request_context
    return service.RequestMeta(
        source_ip=ctx.identity.source_ip, user_agent=ctx.identity.user_agent, request_id=ctx.request_id
    )


def _state_machine_arn() -> str:
    arn = get_services().settings.state_machine_arn
    if not arn:
        raise RuntimeError("STATE_MACHINE_ARN is not set")
    return arn


@app.post("/recordings")
@app.post("/m2m/recordings")
def create_recording(body: CreateRecording) -> Response[str]:
    created = service.create_recording(_caller(), body, get_services(), _meta())
    return Response(status_code=201, content_type="application/json", body=created.model_dump_json())


@app.post("/recordings/<recording_id>/start")
@app.post("/m2m/recordings/<recording_id>/start")
def start_recording(recording_id: str) -> Response[str]:
    started = service.start(_caller(), recording_id, get_services(), _state_machine_arn(), _meta())
    return Response(
        status_code=202 if started.started else 200,
        content_type="application/json",
        body=started.model_dump_json(),
    )


@app.get("/recordings/search")
@app.get("/m2m/recordings/search")
def search_recordings(
    q: Annotated[str | None, Query(max_length=search.MAX_QUERY_CHARS)] = None,
    drug: Annotated[str | None, Query(max_length=search.MAX_FILTER_CHARS)] = None,
    condition: Annotated[str | None, Query(max_length=search.MAX_FILTER_CHARS)] = None,
    status: Annotated[str | None, Query()] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    limit: Annotated[int, Query(ge=1, le=search.MAX_LIMIT)] = 20,
    next: Annotated[str | None, Query(max_length=512)] = None,
) -> Response[str]:
    page = search.search(
        _caller(),
        get_services(),
        _meta(),
        q=q,
        drug=drug,
        condition=condition,
        status=status,
        date_from=date_from,
        date_to=date_to,
        limit=limit,
        next_token=next,
    )
    return Response(status_code=200, content_type="application/json", body=page.model_dump_json())


@app.get("/recordings/<recording_id>")
@app.get("/m2m/recordings/<recording_id>")
def get_recording(recording_id: str) -> Response[str]:
    view = service.get(_caller(), recording_id, get_services(), _meta())
    return Response(status_code=200, content_type="application/json", body=view.model_dump_json())


@app.get("/recordings")
def list_recordings(
    status: Annotated[str | None, Query(max_length=32, pattern="^[A-Z_]+$")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    next: Annotated[str | None, Query(max_length=2048, pattern="^[A-Za-z0-9_.-]+$")] = None,
    tenant: Annotated[str | None, Query(max_length=63, pattern=TENANT_PATTERN)] = None,
) -> Response[str]:
    page = service.list_recordings(
        _caller(), get_services(), _meta(), status=status, limit=limit, next_token=next, tenant=tenant
    )
    return Response(status_code=200, content_type="application/json", body=page.model_dump_json())


@app.post("/backfills")
def create_backfill(body: backfills.CreateBackfill) -> Response[str]:
    status, out = backfills.create(_caller(), body, get_services(), _meta())
    return Response(status_code=status, content_type="application/json", body=json.dumps(out))


@app.get("/backfills/<backfill_id>")
def get_backfill(backfill_id: str) -> Response[str]:
    view = backfills.get(_caller(), backfill_id, get_services(), _meta())
    return Response(status_code=200, content_type="application/json", body=json.dumps(view))


@app.get("/backfills")
def list_backfills() -> Response[str]:
    page = backfills.list_backfills(_caller(), get_services(), _meta())
    return Response(status_code=200, content_type="application/json", body=json.dumps(page))


@app.exception_handler(RequestValidationError)
def _invalid(exc: RequestValidationError) -> Response[str]:
    errors = exc.errors()
    first = errors[0] if errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()))
    return problem(400, "Bad Request", f"{first.get('type', 'invalid')} at {where}" if where else None)


@app.exception_handler(Unauthenticated)
def _unauthenticated(exc: Unauthenticated) -> Response[str]:
    return problem(401, "Unauthorized")


@app.exception_handler(Forbidden)
def _forbidden(exc: Forbidden) -> Response[str]:
    return problem(403, "Forbidden", str(exc))


@app.exception_handler(service.NotFound)
def _not_found(exc: service.NotFound) -> Response[str]:
    return problem(404, "Not Found", "no such recording")


@app.exception_handler(service.Conflict)
def _conflict(exc: service.Conflict) -> Response[str]:
    return problem(409, "Conflict", str(exc))


@app.exception_handler(errors.RecordingIdConflict)
def _id_conflict(exc: errors.RecordingIdConflict) -> Response[str]:
    return problem(409, "Conflict", "recording id conflict")


@app.exception_handler(search.SearchRejected)
def _search_rejected(exc: search.SearchRejected) -> Response[str]:
    return problem(400, "Bad request", str(exc))


@app.exception_handler(service.BadRequest)
def _bad_request(exc: service.BadRequest) -> Response[str]:
    return problem(400, "Bad Request", str(exc))


@app.not_found
def _no_route(exc: Exception) -> Response[str]:
    return problem(404, "Not Found", "no such route")


@logger.inject_lambda_context(log_event=False)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    media = str(headers.get("content-type", "application/json")).split(";")[0].strip().lower()
    if event.get("body") and media != "application/json":
        return _problem_event(415, "Unsupported Media Type", "JSON only")
    try:  # before the resolver parses it (its validation middleware runs first): a refused body is never parsed
        check_json_body(event.get("body"))
    except BodyRefused as exc:
        return _problem_event(400, "Bad Request", str(exc))
    return app.resolve(event, context)


def _problem_event(status: int, title: str, detail: str) -> dict[str, Any]:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return {
        "statusCode": status,
        "headers": {"Content-Type": PROBLEM},
        "body": json.dumps(body),
        "isBase64Encoded": False,
    }

"""The ops console: a static page (``static/``) and the JSON it reads, all through ``medscribe.ops``.

Mounted by ``medscribe serve`` at ``/console``; every data request carries the claims ``serve`` verified in
the WSGI environ (``medscribe.claims``; None without a valid token -> 401). Tenant and role come from those
claims only: operators see every tenant's recordings (status, errors, graph, timeline) and may redrive, but
never a transcript or a document; other roles see their own tenant (another tenant's id -> 404) and may
download their documents. The page itself holds no data.

Same-origin only: a data request whose ``Origin`` is not the console's own (or that a browser marks
``Sec-Fetch-Site: cross-site``) is 403, and no response carries CORS headers. Every data read (list, view,
document) writes an audit row, channel ``console`` (``medscribe.api.audit``), before the data leaves.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from werkzeug.exceptions import Forbidden, HTTPException, NotFound, Unauthorized
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from medscribe.api.audit import RequestMeta, record
from medscribe.local.console import graph
from medscribe.ops import Ops, OpsError, RecordingNotFound
from medscribe.ports import AuditLog

CLAIMS_ENVIRON_KEY = "medscribe.claims"
ROLES = ("clinician", "clinic-admin", "operator", "integration")
STATIC = {"index.html", "console.js", "console.css"}


@dataclass(frozen=True)
class Viewer:
    tenant: str
    role: str
    sub: str = ""

    @property
    def is_operator(self) -> bool:
        return self.role == "operator"

    def sees(self, tenant: str) -> bool:
        return self.is_operator or tenant == self.tenant


def viewer_from(claims: dict[str, Any] | None) -> Viewer:
    if not claims:
        raise Unauthorized("a valid token is required")
    groups = claims.get("cognito:groups") or []
    if isinstance(groups, str):
        groups = groups.strip("[]").replace(",", " ").split()
    roles = [g for g in groups if g in ROLES]
    tenant = claims.get("custom:tenant")
    if len(roles) != 1 or not tenant:
        raise Forbidden("the token names no single role and tenant")
    return Viewer(tenant=str(tenant), role=roles[0], sub=str(claims.get("sub", "")))


class ConsoleApp:
    def __init__(self, ops: Callable[[], Ops], audit: Callable[[], AuditLog]) -> None:
        self._ops_factory = ops
        self._ops: Ops | None = None
        self._audit = audit
        self.urls = Map(
            [
                Rule("/", endpoint="page"),
                Rule("/static/<name>", endpoint="static"),
                Rule("/api/recordings", endpoint="recordings"),
                Rule("/api/recordings/<rid>", endpoint="recording"),
                Rule("/api/recordings/<rid>/redrive", endpoint="redrive", methods=["POST"]),
                Rule("/api/recordings/<rid>/document", endpoint="document"),
            ]
        )

    @property
    def ops(self) -> Ops:
        if self._ops is None:
            self._ops = self._ops_factory()
        return self._ops

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        try:
            endpoint, args = self.urls.bind_to_environ(environ).match()
            response = getattr(self, f"on_{endpoint}")(request, **args)
        except HTTPException as exc:
            response = _json({"error": exc.name, "message": exc.description}, exc.code or 500)
        except RecordingNotFound:
            response = _json({"error": "Not Found", "message": "no such recording"}, 404)
        except OpsError as exc:
            response = _json({"error": "Conflict", "message": str(exc)}, 409)
        result: Iterable[bytes] = response(environ, start_response)
        return result

    # ---- static ----------------------------------------------------------------------------------------
    def on_page(self, request: Request) -> Response:
        raw = str(request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or "/")
        if not raw.split("?", 1)[0].endswith("/"):
            # /console -> /console/ so the page's relative links (static/...) resolve under the mount.
            return redirect(request.script_root + "/", code=308)
        return self.on_static(request, "index.html")

    def on_static(self, request: Request, name: str) -> Response:
        if name not in STATIC:
            raise NotFound()
        body = resources.files("medscribe.local.console").joinpath("static", name).read_bytes()
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = Response(body, mimetype=mime)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    # ---- data ------------------------------------------------------------------------------------------
    def _viewer(self, request: Request) -> Viewer:
        _same_origin(request)
        return viewer_from(request.environ.get(CLAIMS_ENVIRON_KEY))

    def _audit_read(
        self,
        request: Request,
        viewer: Viewer,
        action: str,
        *,
        rid: str | None = None,
        tenant: str | None = None,
    ) -> None:
        meta = RequestMeta(
            source_ip=request.remote_addr,
            user_agent=request.user_agent.string,
            request_id=request.headers.get("X-Request-Id"),
        )
        record(self._audit(), viewer, action, "console", meta, recording_id=rid, target_tenant=tenant)

    def _visible(self, viewer: Viewer, rid: str) -> Any:
        execution = self.ops.status(rid)
        if not viewer.sees(execution.tenant):
            raise RecordingNotFound(rid)  # another tenant's id: 404, never 403
        return execution

    def on_recordings(self, request: Request) -> Response:
        viewer = self._viewer(request)
        status = request.args.get("status") or None
        tenant = request.args.get("tenant") or None
        if not viewer.is_operator:
            tenant = viewer.tenant
        rows = [e.to_json() for e in self.ops.list_recordings(status=status, tenant=tenant)]
        self._audit_read(request, viewer, "recording.list", tenant=tenant or "*")
        return _json({"role": viewer.role, "tenant": viewer.tenant, "recordings": rows})

    def on_recording(self, request: Request, rid: str) -> Response:
        viewer = self._viewer(request)
        execution = self._visible(viewer, rid)
        entries = self.ops.history(rid)
        svg = graph.render(self.ops.definition(), graph.outcomes_by_state(entries))
        self._audit_read(request, viewer, "recording.read", rid=rid, tenant=execution.tenant)
        return _json(
            {
                "recording": execution.to_json(),
                "graph_svg": svg,
                "timeline": [e.to_json() for e in entries],
                "may_redrive": viewer.is_operator and execution.status in ("FAILED", "TIMED_OUT", "ABORTED"),
                "may_open_document": not viewer.is_operator and execution.status == "SUCCEEDED",
            }
        )

    def on_redrive(self, request: Request, rid: str) -> Response:
        viewer = self._viewer(request)
        if not viewer.is_operator:
            raise Forbidden("only operators redrive executions")
        self._visible(viewer, rid)
        return _json({"recording": self.ops.redrive(rid).to_json()})

    def on_document(self, request: Request, rid: str) -> Response:
        viewer = self._viewer(request)
        if viewer.is_operator:
            raise Forbidden("operators do not see documents")
        execution = self._visible(viewer, rid)
        if execution.status != "SUCCEEDED":
            raise NotFound()
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            body = self.ops.open(rid, Path(tmp)).read_bytes()
        self._audit_read(request, viewer, "pdf.download", rid=rid, tenant=execution.tenant)
        response = Response(body, mimetype="application/pdf")
        response.headers["Cache-Control"] = "no-store"
        return response


def _same_origin(request: Request) -> None:
    """The console's API answers its own page only: a foreign ``Origin`` or a cross-site fetch is 403."""
    origin = request.headers.get("Origin")
    if origin is not None and origin.rstrip("/") != request.host_url.rstrip("/"):
        raise Forbidden("cross-origin requests are refused")
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        raise Forbidden("cross-site requests are refused")


def _json(payload: Any, status: int = 200) -> Response:
    response = Response(json.dumps(payload), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response

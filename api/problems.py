"""Every error as RFC 9457 problem details (``application/problem+json``), and their OpenAPI description."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.pool import PoolBusy, PoolError, QueryTimeout, WorkerOutOfMemory
from orgkg.queries import QueryError
from orgkg.sparql import QueryRejected
from orgkg.stores.base import NotAcceptable, QuerySyntaxError, StoreDamaged, StoreError

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://w3id.org/orgkg/problems/"


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(default="about:blank", description="URI naming the kind of problem")
    title: str = Field(description="short summary of the kind of problem")
    status: int = Field(description="the HTTP status code")
    detail: str | None = Field(default=None, description="what went wrong with this request")
    instance: str | None = Field(default=None, description="the request path")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="each invalid parameter, when there are several"
    )


class ProblemError(Exception):
    """Raise to answer with a problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        kind: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.title = title
        self.detail = detail
        self.kind = kind
        self.headers = headers


_ABSOLUTE_PATH = re.compile(r"(?<![\w.:/~%-])/(?:[^\s/'\"()<>,;]+/)+([^\s/'\"()<>,;]*)")


def hide_paths(text: str) -> str:
    """``text`` with absolute file paths cut to their last part: where the server keeps its files is nobody's business.

    >>> hide_paths("/srv/x/store: damaged (in /srv/x/store/generations/1/000009.sst) at http://h:1/a/b")
    'store: damaged (in 000009.sst) at http://h:1/a/b'
    """
    return _ABSOLUTE_PATH.sub(lambda m: m.group(1), text)


def problem_response(
    request: Request | None,
    status: int,
    title: str,
    detail: str | None = None,
    kind: str | None = None,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    """A problem details response."""
    body: dict[str, Any] = {"type": PROBLEM_BASE + kind if kind else "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = hide_paths(detail)
    if request is not None:
        body["instance"] = request.url.path
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


_STATUS_TITLES = {
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    413: "Content Too Large",
    414: "URI Too Long",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def _json_safe(errors: list[Any]) -> list[dict[str, Any]]:
    out = []
    for e in errors:
        item = {"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        out.append(item)
    return out


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers at the request's path (Starlette's 405 names only the first route's)."""
    methods = {
        method
        for method in ("GET", "POST", "PUT", "DELETE", "PATCH")
        for route in request.app.router.routes
        if route.matches({**request.scope, "method": method})[0] == Match.FULL
    }
    if "GET" in methods:
        methods.add("HEAD")  # api.headers.HeadAsGet
    return sorted(methods)


def install(app: FastAPI) -> None:
    """Answer every error the app can raise with problem details."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(request, exc.status, exc.title, exc.detail, exc.kind, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = _STATUS_TITLES.get(exc.status_code, "Error")
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
            detail = f"{request.method} is not allowed here; use {headers['Allow']}"
        return problem_response(request, exc.status_code, title, detail, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _json_safe(list(exc.errors()))
        detail = "; ".join(f"{'.'.join(e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in errors if e["loc"])
        return problem_response(request, 400, "Invalid request parameters", detail, "invalid-parameters", errors=errors)

    @app.exception_handler(QueryError)
    async def _query(request: Request, exc: QueryError) -> JSONResponse:
        return problem_response(request, 400, "Invalid named-query parameters", str(exc), "invalid-parameters")

    @app.exception_handler(QueryRejected)
    async def _rejected(request: Request, exc: QueryRejected) -> JSONResponse:
        if exc.reason == "update":
            return problem_response(request, 403, "SPARQL Update refused", str(exc), "update-refused")
        if exc.reason == "service":
            return problem_response(request, 403, "Federated query refused", str(exc), "service-refused")
        return problem_response(request, 400, "Malformed query", str(exc), "sparql-syntax")

    @app.exception_handler(QuerySyntaxError)
    async def _syntax(request: Request, exc: QuerySyntaxError) -> JSONResponse:
        return problem_response(request, 400, "Malformed query", str(exc), "sparql-syntax")

    @app.exception_handler(NotAcceptable)
    async def _not_acceptable(request: Request, exc: NotAcceptable) -> JSONResponse:
        return problem_response(request, 406, "Not Acceptable", str(exc), "not-acceptable")

    @app.exception_handler(StoreDamaged)
    async def _damaged(request: Request, exc: StoreDamaged) -> JSONResponse:
        return problem_response(request, 503, "The graph store is damaged", str(exc), "store-damaged")

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> JSONResponse:
        return problem_response(request, 503, "The graph store is unavailable", str(exc), "store-unavailable")

    @app.exception_handler(PoolError)
    async def _pool(request: Request, exc: PoolError) -> JSONResponse:
        if isinstance(exc, QueryTimeout):
            return problem_response(request, 503, "Query time limit exceeded", str(exc), "query-timeout")
        if isinstance(exc, WorkerOutOfMemory):
            return problem_response(request, 503, "Query memory limit exceeded", str(exc), "worker-out-of-memory")
        if isinstance(exc, PoolBusy):
            headers = {"Retry-After": "5"}
            return problem_response(request, 503, "All query workers are busy", str(exc), "busy", headers)
        return problem_response(request, 503, "Query worker failed", str(exc), "worker-failed")

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(request, 500, "Internal Server Error", f"{type(exc).__name__}", "internal")


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for these error statuses, each a problem document."""
    schema = {"$ref": "#/components/schemas/Problem"}
    return {
        s: {"description": _STATUS_TITLES.get(s, "Error"), "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}}}
        for s in statuses
    }

"""The orgkg HTTP service, built by ``create_app(store)``: SPARQL endpoint, named queries, lookup resources.

Thin by design: routes parse the request, call orgkg, and shape the response. Every query runs in a worker
process (``api.pool``) under a time limit; settings come from ``ORGKG_*`` environment variables
(``api.settings``); every error is an RFC 9457 problem document (``api.problems``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from api import problems
from api.cache import AnswerCache
from api.deps import set_store
from api.headers import HeadAsGet, SecurityHeaders
from api.limits import RequestLimits
from api.models import SparqlResults
from api.pool import WorkerPool
from api.routes import (
    documents,
    entities,
    health,
    leaders,
    organizations,
    policies,
    programmes,
    queries,
    search,
    sparql,
    tasks,
    units,
    uploads,
    validation,
)
from api.settings import Settings
from api.web import STATIC
from api.web import router as web_router
from orgkg.stores.base import Store

ROUTERS = [
    health,
    sparql,
    organizations,
    units,
    leaders,
    tasks,
    documents,
    uploads,
    programmes,
    policies,
    search,
    validation,
]


def create_app(store: Store, settings: Settings | None = None) -> FastAPI:
    """The FastAPI application serving ``store`` (settings from the environment unless given)."""
    settings = settings or Settings()
    lanes = {
        name: WorkerPool(
            store,
            size=size,
            timeout=settings.query_timeout,
            memory=settings.worker_memory_bytes,
            queue_limit=settings.queue_limit,
            name=name,
        )
        for name, size in (("lookup", settings.lookup_workers), ("public", settings.workers))
    }

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        for lane in lanes.values():
            await run_in_threadpool(lane.start)
        yield
        for lane in lanes.values():
            await run_in_threadpool(lane.close)

    app = FastAPI(
        title="orgkg",
        description="Organizations, units, leaders and responsibilities from Chinese policy documents, "
        "with the source quote of every fact. Read-only.",
        version="0.2.0",
        lifespan=lifespan,
        responses=problems.responses(400, 404, 406, 413, 414, 503),
    )
    set_store(app, store)
    app.state.settings = settings
    app.state.pool = lanes["lookup"]  # lookups, named queries, pages, /health
    app.state.public_pool = lanes["public"]  # /sparql: a flood there cannot take the other lane's workers
    app.state.answers = AnswerCache(store, settings.answer_cache_bytes)
    problems.install(app)
    app.add_middleware(RequestLimits, max_bytes=settings.max_request_bytes, upload_bytes=settings.max_upload_bytes)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)  # added last: outermost, so 413/414 answers carry the headers too
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Accept", "Content-Type", "Authorization"],
            expose_headers=["Link", "Orgkg-Truncated"],
        )
    for module in ROUTERS:
        app.include_router(module.router)
    app.include_router(queries.build_router(settings.queries))
    app.include_router(web_router)  # HTML pages at / and /ui/…, outside the OpenAPI document
    app.mount("/ui/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(entities.router)  # last: /id/{path} dereferences whatever IRI path is left
    _document_schemas(app)
    return app


def _document_schemas(app: FastAPI) -> None:
    """Add the schemas that responses refer to by name (problem details, SPARQL JSON) to the OpenAPI document."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            found = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in (problems.Problem, SparqlResults):
                extra = model.model_json_schema(ref_template="#/components/schemas/{model}")
                found.update(extra.pop("$defs", {}))
                found[model.__name__] = extra
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

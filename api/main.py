"""The orgkg HTTP service: named queries as REST, read-only; built by ``create_app(store)``.

Thin by design: routes parse the request, call orgkg, and shape the response. The full API (SPARQL protocol,
lookup resources, content negotiation) grows here in its own issue.
"""

from __future__ import annotations

from fastapi import FastAPI

from api.deps import set_store
from api.routes import health, queries
from orgkg.stores.base import Store


def create_app(store: Store) -> FastAPI:
    """The FastAPI application serving ``store``."""
    app = FastAPI(
        title="orgkg",
        description="Organizations, units, leaders and responsibilities from Chinese policy documents.",
        version="0.1.0",
    )
    set_store(app, store)
    app.include_router(health.router)
    app.include_router(queries.router)
    return app

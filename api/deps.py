"""Typed dependencies shared by the routes.

They are ``async def`` although they never wait: FastAPI runs a plain ``def`` dependency in its thread pool, one
thread hop per dependency per request, which under load cost more than the query (benchmarked in bench/serve.py).
"""

from __future__ import annotations

from typing import cast

from fastapi import FastAPI, Request

from api.pool import WorkerPool
from api.settings import Settings
from orgkg.stores.base import Store


def set_store(app: FastAPI, store: Store) -> None:
    """Make ``store`` the one the app serves."""
    app.state.store = store


async def get_store(request: Request) -> Store:
    """The store the app serves."""
    return cast(Store, request.app.state.store)


async def get_pool(request: Request) -> WorkerPool:
    """The worker processes that run lookups, named queries and pages on the store."""
    return cast(WorkerPool, request.app.state.pool)


async def get_public_pool(request: Request) -> WorkerPool:
    """The worker processes that run public SPARQL (``/sparql``), a lane of their own."""
    return cast(WorkerPool, request.app.state.public_pool)


async def get_settings(request: Request) -> Settings:
    """The service settings."""
    return cast(Settings, request.app.state.settings)

"""Typed dependencies shared by the routes."""

from __future__ import annotations

from typing import cast

from fastapi import FastAPI, Request

from api.pool import WorkerPool
from api.settings import Settings
from orgkg.stores.base import Store


def set_store(app: FastAPI, store: Store) -> None:
    """Make ``store`` the one the app serves."""
    app.state.store = store


def get_store(request: Request) -> Store:
    """The store the app serves."""
    return cast(Store, request.app.state.store)


def get_pool(request: Request) -> WorkerPool:
    """The worker processes that run every query on the store."""
    return cast(WorkerPool, request.app.state.pool)


def get_settings(request: Request) -> Settings:
    """The service settings."""
    return cast(Settings, request.app.state.settings)

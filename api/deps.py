"""Typed dependencies shared by the routes."""

from __future__ import annotations

from typing import cast

from fastapi import FastAPI, Request

from orgkg.stores.base import Store


def set_store(app: FastAPI, store: Store) -> None:
    app.state.store = store


def get_store(request: Request) -> Store:
    """The store the app serves."""
    return cast(Store, request.app.state.store)

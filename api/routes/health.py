"""Liveness and what the store holds."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from api.deps import get_store
from orgkg.stores.base import Store

router = APIRouter()


@router.get("/health", summary="Service status and the size of the graph served")
def health(store: Annotated[Store, Depends(get_store)]) -> dict[str, Any]:
    return {"status": "ok", "quads": store.quad_count(), "graphs": len(store.graph_names())}

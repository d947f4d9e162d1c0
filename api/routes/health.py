"""Liveness and what the store holds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.deps import get_pool
from api.models import Health
from api.pool import WorkerPool
from api.problems import responses

router = APIRouter(tags=["service"])


@router.get("/health", summary="Service status and the size of the graph served", responses=responses(503))
def health(pool: Annotated[WorkerPool, Depends(get_pool)]) -> Health:
    """Status, quads and graphs in the store, live query workers."""
    stats = pool.run(("stats",))
    return Health(status="ok", quads=stats["quads"], graphs=stats["graphs"], workers=len(pool.pids()))

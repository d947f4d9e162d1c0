"""Liveness and what the store holds, answered without waiting behind queries.

The counts come from a lookup worker once per store generation (an embedded store changes only by swapping
generations; a remote one is asked again after ``REMOTE_STATS_SECONDS``), so ``/health`` never waits for the
public SPARQL lane and, between writes, for no worker at all.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from api.cache import store_generation
from api.deps import get_pool, get_public_pool
from api.models import Health
from api.pool import WorkerPool
from api.problems import responses

router = APIRouter(tags=["service"])
REMOTE_STATS_SECONDS = 10.0


def _key(request: Request) -> Hashable:
    generation = store_generation(request.app.state.store)
    return generation if generation is not None else int(time.monotonic() // REMOTE_STATS_SECONDS)


@router.get("/health", summary="Service status and the size of the graph served", responses=responses(503))
async def health(
    request: Request,
    pool: Annotated[WorkerPool, Depends(get_pool)],
    public: Annotated[WorkerPool, Depends(get_public_pool)],
) -> Health:
    """Status, quads and graphs in the store, live query workers (both lanes)."""
    key = _key(request)
    known: tuple[Hashable, dict[str, Any]] | None = getattr(request.app.state, "health_stats", None)
    if known is None or known[0] != key:
        known = (key, await pool.arun(("stats",)))
        request.app.state.health_stats = known
    stats = known[1]
    lanes = {"lookup": len(pool.pids()), "public": len(public.pids())}
    return Health(status="ok", quads=stats["quads"], graphs=stats["graphs"], workers=sum(lanes.values()), lanes=lanes)

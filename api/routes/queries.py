"""Named queries (queries/*.rq) as REST: list them, describe one, run one with query-string parameters."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request

from api.deps import get_store
from orgkg.queries import NamedQuery, QueryError, get_query, load_queries
from orgkg.stores.base import Store, StoreError

router = APIRouter(prefix="/queries", tags=["named queries"])


def _describe(q: NamedQuery) -> dict[str, Any]:
    return {
        "name": q.name,
        "summary": q.summary,
        "description": q.description,
        "parameters": [
            {"name": p.name, "type": p.type, "required": p.required, "example": p.example, "description": p.description}
            for p in q.parameters
        ],
        "columns": [{"name": c.name, "description": c.description} for c in q.columns],
    }


@router.get("", summary="Every named query with its parameters and columns")
def list_queries() -> list[dict[str, Any]]:
    return [_describe(q) for q in load_queries().values()]


@router.get("/{name}", summary="Run a named query; parameters as query-string values (SPARQL JSON results)")
def run_query(name: str, request: Request, store: Annotated[Store, Depends(get_store)]) -> dict[str, Any]:
    try:
        q = get_query(name)
    except QueryError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
    try:
        bindings = q.bindings(dict(request.query_params))
    except QueryError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    try:
        return store.select(q.text, bindings).to_json()
    except StoreError as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from exc

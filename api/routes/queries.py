"""Named queries (queries/*.rq) as REST: one typed operation per file, generated from its ``#+`` header.

Each parameter of the header becomes a documented query-string parameter of ``GET /queries/{name}`` in the
OpenAPI schema (integer parameters typed as integers, names as non-blank strings, examples from the header).
Values are bound as RDF terms in a VALUES block (``orgkg.stores.base.with_values``), never pasted into the
query. The answer is the same SPARQL JSON as ``orgkg query NAME --format json``; CSV, TSV and XML by ``Accept``.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.cache import AnswerCache
from api.deps import get_pool, get_settings
from api.models import NamedQueryInfo, QueryColumn, QueryParameter
from api.pool import WorkerPool
from api.problems import ProblemError, responses
from api.settings import Settings
from orgkg.queries import NamedQuery, QueryError, get_query, load_queries
from orgkg.sparql import SOLUTIONS_MEDIA_TYPES, negotiate
from orgkg.stores.base import SparqlAnswer, with_values

RESULT_CONTENT: dict[str, Any] = {
    "application/sparql-results+json": {"schema": {"$ref": "#/components/schemas/SparqlResults"}},
    "application/json": {"schema": {"$ref": "#/components/schemas/SparqlResults"}},
    "application/sparql-results+xml": {"schema": {"type": "string"}},
    "application/xml": {"schema": {"type": "string"}},
    "text/xml": {"schema": {"type": "string"}},
    "text/csv": {"schema": {"type": "string"}},
    "text/tab-separated-values": {"schema": {"type": "string"}},
}


def describe(q: NamedQuery) -> NamedQueryInfo:
    """A named query's header as the API lists it."""
    return NamedQueryInfo(
        name=q.name,
        summary=q.summary,
        description=q.description,
        href=f"/queries/{q.name}",
        parameters=[
            QueryParameter(name=p.name, type=p.type, required=p.required, example=p.example, description=p.description)
            for p in q.parameters
        ],
        columns=[QueryColumn(name=c.name, description=c.description) for c in q.columns],
    )


async def run_named(
    request: Request, pool: WorkerPool, settings: Settings, q: NamedQuery, values: dict[str, str]
) -> Response:
    """Run a named query with raw parameter values; the response as negotiated.

    The worker serializes the answer (SPARQL JSON as ``JSONResponse`` writes it, or XML, CSV, TSV), so the
    server process only passes bytes on; the reply is awaited without a thread (``WorkerPool.arun``). Answers
    are kept per store generation (``api.cache``): the same question on unchanged data is not asked again.
    """
    unknown = sorted(set(request.query_params) - {p.name for p in q.parameters})
    if unknown:
        raise QueryError(
            f"query {q.name!r} has no parameter {', '.join(map(repr, unknown))}; "
            f"its parameters are: {', '.join(p.name for p in q.parameters) or 'none'}"
        )
    media = negotiate(request.headers.get("accept"), tuple(SOLUTIONS_MEDIA_TYPES))
    if media is None:
        raise ProblemError(
            406, "Not Acceptable", f"results are available as {', '.join(SOLUTIONS_MEDIA_TYPES)}", "not-acceptable"
        )
    text = with_values(q.text, q.bindings(values))
    headers = {"Vary": "Accept"}
    answers = cast(AnswerCache, request.app.state.answers)
    generation = answers.generation()
    key = (generation, text, media, settings.row_limit)
    answer = answers.get(key) if generation is not None else None
    if answer is None:
        answer = cast(
            SparqlAnswer, await pool.arun(("sparql", text, media, settings.row_limit, False, settings.max_answer_bytes))
        )
        if generation is not None and answers.generation() == generation:  # not across a swap of generations
            answers.put(key, answer)
    if answer.truncated:
        headers["Orgkg-Truncated"] = str(settings.row_limit)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def _endpoint(q: NamedQuery) -> Callable[..., Awaitable[Response]]:
    """A route function whose signature lists the query's parameters, so FastAPI validates and documents them."""
    names = {f"p_{p.name}": p.name for p in q.parameters}

    async def endpoint(request: Request, pool: WorkerPool, settings: Settings, **params: Any) -> Response:
        """Run the named query with the parameters given."""
        values = {names[k]: str(v) for k, v in params.items() if v is not None}
        return await run_named(request, pool, settings, q, values)

    signature = [
        inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
        inspect.Parameter("pool", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[WorkerPool, Depends(get_pool)]),
        inspect.Parameter(
            "settings", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[Settings, Depends(get_settings)]
        ),
    ]
    for p in q.parameters:
        examples = [] if p.example is None else [int(p.example) if p.type == "integer" else p.example]
        doc = f"{p.description} ({p.type})" if p.description else p.type
        if p.type == "integer":
            spec = Query(alias=p.name, description=doc, examples=examples, ge=-(10**9), le=10**9)
            kind: Any = int
        else:
            spec = Query(alias=p.name, description=doc, examples=examples, min_length=1, max_length=1000, pattern=r"\S")
            kind = str
        annotation: Any = Annotated[kind if p.required else kind | None, spec]  # a type built at run time
        default = inspect.Parameter.empty if p.required else None
        signature.append(
            inspect.Parameter(f"p_{p.name}", inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
        )
    endpoint.__signature__ = inspect.Signature(signature)  # type: ignore[attr-defined]
    endpoint.__name__ = f"query_{q.name.replace('-', '_')}"
    return endpoint


def build_router(queries_dir: Path) -> APIRouter:
    """The /queries routes for the query files in ``queries_dir`` (one typed operation each)."""
    router = APIRouter(prefix="/queries", tags=["named queries"])
    queries = load_queries(queries_dir)

    @router.get("", summary="Every named query with its parameters and columns", response_model=list[NamedQueryInfo])
    def list_queries() -> list[NamedQueryInfo]:
        """Name, summary, parameters and columns of each named query."""
        return [describe(q) for q in queries.values()]

    for q in queries.values():
        router.add_api_route(
            f"/{q.name}",
            _endpoint(q),
            methods=["GET"],
            summary=q.summary,
            description=(q.description + "\n\n" if q.description else "")
            + "Columns: "
            + ", ".join(f"`{c.name}` ({c.description})" if c.description else f"`{c.name}`" for c in q.columns),
            operation_id=f"query_{q.name.replace('-', '_')}",
            response_class=Response,
            responses={200: {"description": "SPARQL results", "content": RESULT_CONTENT}, **responses(400, 406, 503)},
        )

    @router.get("/{name}", include_in_schema=False)
    async def run_other(
        name: str,
        request: Request,
        pool: Annotated[WorkerPool, Depends(get_pool)],
        settings: Annotated[Settings, Depends(get_settings)],
    ) -> Response:
        """Run a query file added since the service started (untyped), or 404."""
        try:
            q = get_query(name, queries_dir)  # a file added since the service started
        except QueryError as exc:
            raise ProblemError(404, "Not Found", str(exc), "unknown-query") from exc
        return await run_named(request, pool, settings, q, dict(request.query_params))

    return router

"""The SPARQL 1.1 Protocol endpoint, read-only: GET ``?query=``, POST form-encoded or ``application/sparql-query``.

Results by ``Accept``: SELECT and ASK as SPARQL JSON, XML, CSV, TSV; CONSTRUCT and DESCRIBE as Turtle,
N-Triples, JSON-LD, RDF/XML. The default graph is the union of all named graphs. Every query is checked in a
worker process before it reaches the store (``orgkg.sparql.prepare``: no update, no SERVICE), runs under the
time limit and is capped at the row limit (the ``Orgkg-Truncated`` header says when rows were cut off).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api.deps import get_public_pool, get_settings
from api.pool import WorkerPool
from api.problems import ProblemError, responses
from api.settings import Settings
from orgkg.sparql import GRAPH_MEDIA_TYPES, SOLUTIONS_MEDIA_TYPES
from orgkg.stores.base import SparqlAnswer

router = APIRouter(tags=["SPARQL"])

_STRING = {"schema": {"type": "string"}}
_RESULTS = {"schema": {"$ref": "#/components/schemas/SparqlResults"}}
ANSWER_CONTENT: dict[str, Any] = {
    **{m: (_RESULTS if m.endswith("json") else _STRING) for m in SOLUTIONS_MEDIA_TYPES},
    **{m: ({"schema": {}} if m.endswith("json") else _STRING) for m in GRAPH_MEDIA_TYPES},
}
ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"description": "the query's result, in the format negotiated", "content": ANSWER_CONTENT}
}
QUERY_DOC = "a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE); updates and SERVICE are refused"
_DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")


async def _answer(request: Request, pool: WorkerPool, settings: Settings, query: str) -> Response:
    accept = request.headers.get("accept") or ""
    job = ("sparql", query, accept, settings.row_limit, True, settings.max_answer_bytes)
    answer: SparqlAnswer = await pool.arun(job)
    headers = {"Vary": "Accept"}
    if answer.truncated:  # the row limit, or the byte limit reached first
        headers["Orgkg-Truncated"] = str(settings.row_limit)
    return Response(answer.body, media_type=answer.media_type, headers=headers)


def _refuse_dataset(params: list[tuple[str, str]]) -> None:
    if any(k in _DATASET_PARAMS for k, _ in params):
        raise ProblemError(
            400,
            "Unsupported dataset parameters",
            "default-graph-uri and named-graph-uri are not supported: the default graph is the union of all "
            "named graphs; use GRAPH or FROM in the query",
            "dataset-parameters",
        )


def _one_query(values: list[str]) -> str:
    if len(values) != 1:
        raise ProblemError(400, "Bad Request", "give exactly one 'query' parameter", "sparql-protocol")
    return values[0]


@router.get(
    "/sparql",
    summary="SPARQL 1.1 Protocol query via GET",
    response_class=Response,
    responses={**ANSWER, **responses(400, 403, 406, 414, 503)},
)
async def sparql_get(
    request: Request,
    query: Annotated[str, Query(description=QUERY_DOC, min_length=1)],
    pool: Annotated[WorkerPool, Depends(get_public_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """Answer ``?query=`` (extra parameters SPARQL clients add, such as ``format``, are ignored)."""
    params = request.query_params.multi_items()
    _refuse_dataset(params)
    return await _answer(request, pool, settings, _one_query(request.query_params.getlist("query")))


@router.post(
    "/sparql",
    summary="SPARQL 1.1 Protocol query via POST (form-encoded or application/sparql-query)",
    response_class=Response,
    responses={**ANSWER, **responses(400, 403, 406, 413, 415, 503)},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {"query": {"type": "string", "description": QUERY_DOC}},
                        "required": ["query"],
                    }
                },
                "application/sparql-query": {"schema": {"type": "string", "description": QUERY_DOC}},
            },
        }
    },
)
async def sparql_post(
    request: Request,
    pool: Annotated[WorkerPool, Depends(get_public_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """Answer a query POSTed as a form field (``query=``) or as the whole ``application/sparql-query`` body."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/sparql-update":
        raise ProblemError(403, "SPARQL Update refused", "this endpoint is read-only", "update-refused")
    if media not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        raise ProblemError(
            415,
            "Unsupported Media Type",
            "POST a query as application/x-www-form-urlencoded (query=…) or application/sparql-query",
        )
    body = await _read(request, settings.max_request_bytes)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProblemError(400, "Bad Request", "the request body is not UTF-8", "sparql-protocol") from None
    _refuse_dataset(request.query_params.multi_items())
    if media == "application/sparql-query":
        return await _answer(request, pool, settings, text)
    fields = parse_qsl(text, keep_blank_values=True)
    if any(k == "update" for k, _ in fields):
        raise ProblemError(403, "SPARQL Update refused", "this endpoint is read-only", "update-refused")
    _refuse_dataset(fields)
    query = _one_query([v for k, v in fields if k == "query"])
    if not query.strip():
        raise ProblemError(400, "Bad Request", "the 'query' parameter is empty", "sparql-protocol")
    return await _answer(request, pool, settings, query)


async def _read(request: Request, limit: int) -> bytes:
    """The request body, or 413 as soon as it grows past ``limit`` bytes (chunked bodies have no length)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProblemError(413, "Content Too Large", f"requests are limited to {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)

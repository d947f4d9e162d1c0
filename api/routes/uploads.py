"""Writing documents: POST /documents (add), PUT /documents/{doc} (replace), DELETE /documents/{doc} (remove).

Protected by a bearer token from configuration (``ORGKG_WRITE_TOKEN``); with none configured the write
endpoints answer 403. Uploads are size-limited and type-checked by content (PDF, DOCX, HTML, text), then read
in a child process within ``ORGKG_CONVERT_SECONDS`` and ``ORGKG_CONVERT_MEMORY_BYTES`` (``orgkg.isolate``; 422
past either) before the write lock is taken. The document then goes through the same ``orgkg.corpus.update``
as ``orgkg add``: validated, and written in one atomic store write — or refused, with the store untouched.
One write at a time, across processes (the store's writer lock, shared with ``orgkg add``; 503 "store busy"
after ``ORGKG_WRITE_WAIT``); readers are never blocked (the embedded store swaps generations, and query
workers move to the new one on their next query).
"""

from __future__ import annotations

import re
import secrets
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from pyoxigraph import NamedNode
from starlette.concurrency import run_in_threadpool

from api.deps import get_settings, get_store
from api.problems import ProblemError, responses
from api.settings import Settings
from orgkg.corpus import Cache, Change, CorpusError, stored_documents, update
from orgkg.formats import DOCX, HTML, MARKDOWN, PDF, TEXT, FormatError, bom_encoding, sniff
from orgkg.isolate import extract_isolated
from orgkg.pipeline import BuildResult
from orgkg.records import ExtractedDocument
from orgkg.source import SourceError
from orgkg.stores.base import Store
from orgkg.stores.embedded import EmbeddedStore
from orgkg.stores.lock import StoreBusy
from orgkg.validation.report import to_turtle, write_reports
from orgkg.validation.run import check_write
from orgkg.vocab import ID_NS

router = APIRouter(tags=["documents (write)"])
ACCEPTED = {PDF: ".pdf", DOCX: ".docx", HTML: ".html", TEXT: ".txt", MARKDOWN: ".md"}
_SAFE_NAME = re.compile(r"[^\w.\-]+", re.UNICODE)


def require_writer(
    settings: Annotated[Settings, Depends(get_settings)],
    authorization: Annotated[str | None, Header()] = None,
) -> None:
    """401 without a bearer token, 403 with a wrong one or when writing is disabled."""
    if settings.write_token is None:
        raise ProblemError(403, "Forbidden", "writing is disabled: no ORGKG_WRITE_TOKEN is configured", "read-only")
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ProblemError(401, "Unauthorized", "a bearer token is required (Authorization: Bearer …)", "unauthorized")
    if not secrets.compare_digest(token.encode(), settings.write_token.get_secret_value().encode()):
        raise ProblemError(403, "Forbidden", "the bearer token is not valid", "forbidden")


Writer = Annotated[None, Depends(require_writer)]


async def _body(request: Request, limit: int) -> bytes:
    """The request body, read up to ``limit`` bytes (a chunked upload cannot slip past the limit)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProblemError(413, "Content Too Large", f"uploads are limited to {limit} bytes", "too-large")
        chunks.append(chunk)
    if not size:
        raise ProblemError(400, "Bad Request", "the request body is empty; send the document's bytes", "empty")
    return b"".join(chunks)


def _cache(store: Store, settings: Settings) -> Cache:
    if settings.cache is not None:
        return Cache(settings.cache)
    if isinstance(store, EmbeddedStore):
        return Cache(store.directory / "cache")
    raise ProblemError(503, "Service Unavailable", "no source cache configured (ORGKG_CACHE)", "no-cache")


def _checked_file(raw: bytes, filename: str, folder: Path) -> Path:
    """The upload saved under a safe name, after its content was found to be a supported format."""
    name = _SAFE_NAME.sub("_", Path(filename).name).strip("._") or "upload"
    try:
        media_type = sniff(raw, Path(name).suffix)
    except FormatError as exc:
        raise ProblemError(415, "Unsupported Media Type", f"{filename}: {exc}", "unsupported-media-type") from exc
    binary = media_type in (TEXT, MARKDOWN) and b"\x00" in raw[:4096] and bom_encoding(raw) is None
    if media_type not in ACCEPTED or binary:
        detail = f"{filename}: not a PDF, DOCX, HTML or text document"
        raise ProblemError(415, "Unsupported Media Type", detail, "unsupported-media-type")
    if not name.lower().endswith(ACCEPTED[media_type]) and media_type not in (TEXT, MARKDOWN):
        name += ACCEPTED[media_type]
    path = folder / name
    path.write_bytes(raw)
    return path


def _read(path: Path, settings: Settings) -> dict[Path, ExtractedDocument]:
    """The upload's records, read in a child process within the time and memory limits, before any lock."""
    try:
        return {path: extract_isolated(path, seconds=settings.convert_seconds, memory=settings.convert_memory_bytes)}
    except SourceError as exc:
        raise ProblemError(422, "Unprocessable Content", str(exc), "unusable-document") from exc


def _run(
    store: Store,
    settings: Settings,
    *,
    add: list[Path],
    remove: list[str],
    extracted: dict[Path, ExtractedDocument] | None = None,
) -> Change:
    def check(result: BuildResult, graphs: set[NamedNode]) -> bool | bytes:
        texts = {ctx.iri.value: ctx.doc.source.text for ctx in result.resolution.documents}
        report = check_write(store, result.graphs, graphs, texts)  # the full report of the store as it will be
        if not store.keeps_reports:
            write_reports(report, settings.reports)
        return to_turtle(report) if report.conforms else False

    try:
        return update(store, _cache(store, settings), add=add, remove=remove, check=check, extracted=extracted)
    except StoreBusy as exc:
        raise ProblemError(503, "Store busy", str(exc), "store-busy", {"Retry-After": "10"}) from exc
    except SourceError as exc:
        raise ProblemError(422, "Unprocessable Content", str(exc), "unusable-document") from exc
    except CorpusError as exc:
        status = 422 if "SHACL" in str(exc) else 404 if str(exc).startswith("no document") else 409
        raise ProblemError(status, "Document not written", str(exc), "not-written") from exc


def _answer(change: Change, status: int) -> JSONResponse:
    body: dict[str, Any] = {
        "added": change.added,
        "replaced": change.replaced,
        "removed": change.removed,
        "unchanged": change.unchanged,
        "graphsWritten": change.graphs_written,
        "graphsDropped": change.graphs_dropped,
    }
    return JSONResponse(body, status_code=status)


def _stored_iri(store: Store, doc: str) -> str:
    iri = f"{ID_NS}doc/{doc}"
    if iri not in {d.iri for d in stored_documents(store)}:
        raise ProblemError(404, "Not Found", f"no document {doc!r}", "not-found")
    return iri


@router.post(
    "/documents",
    summary="Add a document (PDF, DOCX, HTML or text; the body is the file's bytes); needs the write token",
    status_code=201,
    responses=responses(400, 401, 403, 413, 415, 422),
)
async def add_document(
    request: Request,
    _writer: Writer,
    filename: Annotated[str, Query(min_length=1, max_length=200, description="the file's name, e.g. plan.pdf")],
    store: Annotated[Store, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    raw = await _body(request, settings.max_upload_bytes)
    with tempfile.TemporaryDirectory() as tmp:
        path = _checked_file(raw, filename, Path(tmp))
        extracted = await run_in_threadpool(_read, path, settings)
        change = await run_in_threadpool(_run, store, settings, add=[path], remove=[], extracted=extracted)
    return _answer(change, 201 if change.added else 200)


@router.put(
    "/documents/{doc}",
    summary="Replace a document with a new version (same 文号 or title); needs the write token",
    responses=responses(400, 401, 403, 404, 409, 413, 415, 422),
)
async def replace_document(
    doc: str,
    request: Request,
    _writer: Writer,
    filename: Annotated[str, Query(min_length=1, max_length=200, description="the file's name, e.g. plan.pdf")],
    store: Annotated[Store, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    iri = _stored_iri(store, doc)
    raw = await _body(request, settings.max_upload_bytes)
    with tempfile.TemporaryDirectory() as tmp:
        path = _checked_file(raw, filename, Path(tmp))
        extracted = await run_in_threadpool(_read, path, settings)
        change = await run_in_threadpool(_run, store, settings, add=[path], remove=[iri], extracted=extracted)
    return _answer(change, 200)


@router.delete(
    "/documents/{doc}",
    summary="Remove a document and exactly its graph; needs the write token",
    status_code=200,
    responses=responses(401, 403, 404, 409),
)
async def delete_document(
    doc: str,
    _writer: Writer,
    store: Annotated[Store, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    iri = _stored_iri(store, doc)
    change = await run_in_threadpool(_run, store, settings, add=[], remove=[iri])
    return _answer(change, 200)

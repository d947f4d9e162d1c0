"""The last SHACL validation report (written by ``orgkg build`` / ``orgkg validate`` as W3C SHACL Turtle)."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from api.deps import get_settings
from api.lookup import Lookup, Paging
from api.models import Page, Validation, ValidationResult
from api.problems import ProblemError
from api.settings import Settings
from orgkg.sparql import negotiate

router = APIRouter(tags=["service"])

Severity = Literal["Violation", "Warning", "Info"]
_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@functools.lru_cache(maxsize=4)
def read_report(path: Path, mtime: float) -> tuple[bool, tuple[ValidationResult, ...]]:
    """(conforms, results) of a SHACL report in Turtle; cached per file version (``mtime``)."""
    from rdflib import Graph, URIRef
    from rdflib import Literal as RdfLiteral
    from rdflib.namespace import RDF, SH

    g = Graph()
    g.parse(path, format="turtle")
    report = next(iter(g.subjects(RDF.type, SH.ValidationReport)), None)
    conforms = bool(report is not None and g.value(report, SH.conforms) == RdfLiteral(True))
    results = []
    for node in g.objects(report, SH.result) if report is not None else ():
        severity = g.value(node, SH.resultSeverity)
        shape = g.value(node, SH.sourceShape)
        messages = {(m.language or ""): str(m) for m in g.objects(node, SH.resultMessage) if isinstance(m, RdfLiteral)}
        values = {
            k: g.value(node, p) for k, p in (("focus", SH.focusNode), ("path", SH.resultPath), ("value", SH.value))
        }
        results.append(
            ValidationResult(
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                rule=str(shape).rsplit("#", 1)[-1] if isinstance(shape, URIRef) else None,
                message=messages.get("zh") or messages.get("en") or next(iter(messages.values()), None),
                messages=messages,
                focusNode=None if values["focus"] is None else str(values["focus"]),
                path=None if values["path"] is None else str(values["path"]),
                value=None if values["value"] is None else str(values["value"]),
            )
        )
    results.sort(key=lambda r: (_ORDER.get(r.severity, 9), r.rule or "", r.focusNode or ""))
    return conforms, tuple(results)


@router.get(
    "/validation",
    summary="The last SHACL validation report: summary and results",
    response_model=Validation,
    responses={200: {"content": {"text/turtle": {}}}},
)
def validation(
    lookup: Annotated[Lookup, Depends()],
    settings: Annotated[Settings, Depends(get_settings)],
    paging: Annotated[Paging, Depends()],
    severity: Annotated[Severity | None, Query(description="only results of this severity")] = None,
    lang: Annotated[Literal["zh", "en"], Query(description="language of `message`")] = "zh",
) -> Response:
    """Whether the graph conforms, counts by severity, and the results (most severe first); Turtle as written."""
    path = settings.reports / "validation.ttl"
    if not path.is_file():
        raise ProblemError(404, "Not Found", "no validation report yet: `orgkg build` or `orgkg validate` writes one")
    mtime = path.stat().st_mtime
    media = negotiate(lookup.request.headers.get("accept"), ("application/json", "text/turtle"))
    if media is None:
        raise ProblemError(406, "Not Acceptable", "the report is available as application/json, text/turtle")
    if media == "text/turtle":
        return Response(path.read_bytes(), media_type="text/turtle", headers={"Vary": "Accept"})
    conforms, results = read_report(path, mtime)
    counts = {s: sum(1 for r in results if r.severity == s) for s in _ORDER}
    chosen = [
        r.model_copy(update={"message": r.messages.get(lang) or r.message})
        for r in results
        if severity is None or r.severity == severity
    ]
    body = Validation(
        conforms=conforms,
        counts=counts,
        generated=dt.datetime.fromtimestamp(mtime, dt.UTC).isoformat(timespec="seconds"),
        results=Page[ValidationResult](**lookup.page(chosen, paging)),
    )
    return JSONResponse(body.model_dump(mode="json"), headers={"Vary": "Accept"})

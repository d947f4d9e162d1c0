"""The SHACL validation report of the data being served (kept with the store generation, as W3C SHACL Turtle)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from api.deps import get_settings, get_store
from api.lookup import Lookup, Paging
from api.models import Page, Validation, ValidationResult
from api.problems import ProblemError
from api.settings import Settings
from orgkg.sparql import negotiate
from orgkg.stores.base import Store
from orgkg.validation.report import read

router = APIRouter(tags=["service"])

Severity = Literal["Violation", "Warning", "Info"]
_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@functools.lru_cache(maxsize=4)
def read_report(turtle: bytes) -> tuple[bool, tuple[ValidationResult, ...], str | None]:
    """(conforms, results, when generated) of a SHACL report in Turtle; cached per report."""
    report = read(turtle)
    results = [
        ValidationResult(
            severity=r.severity,
            rule=r.rule_id or None,
            message=r.message("zh") or None,
            messages={k: v for k, v in (("zh", r.message_zh), ("en", r.message_en)) if v},
            focusNode=str(r.focus_node),
            path=None if r.result_path is None else str(r.result_path),
            value=None if r.value is None else str(r.value),
        )
        for r in report.results
    ]
    generated = None if report.generated is None else report.generated.isoformat(timespec="seconds")
    return report.conforms, tuple(results), generated


def _report(store: Store, settings: Settings) -> tuple[bytes, str | None]:
    """The report of the data being served: kept with the store generation, else the last one written to a folder."""
    if store.keeps_reports:
        kept = store.validation_report()
        if kept is None:
            raise ProblemError(
                404, "Not Found", "the store generation being served has no validation report: run `orgkg build`"
            )
        return kept, None
    path = settings.reports / "validation.ttl"
    if not path.is_file():
        raise ProblemError(404, "Not Found", "no validation report yet: `orgkg build` or `orgkg validate` writes one")
    return path.read_bytes(), dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).isoformat(timespec="seconds")


@router.get(
    "/validation",
    summary="The SHACL validation report of the data served: summary and results",
    response_model=Validation,
    responses={200: {"content": {"text/turtle": {}}}},
)
def validation(
    lookup: Annotated[Lookup, Depends()],
    settings: Annotated[Settings, Depends(get_settings)],
    store: Annotated[Store, Depends(get_store)],
    paging: Annotated[Paging, Depends()],
    severity: Annotated[Severity | None, Query(description="only results of this severity")] = None,
    lang: Annotated[Literal["zh", "en"], Query(description="language of `message`")] = "zh",
) -> Response:
    """Whether the graph being served conforms, counts by severity, and the results (most severe first); Turtle as
    kept."""
    turtle, written = _report(store, settings)
    media = negotiate(lookup.request.headers.get("accept"), ("application/json", "text/turtle"))
    if media is None:
        raise ProblemError(406, "Not Acceptable", "the report is available as application/json, text/turtle")
    if media == "text/turtle":
        return Response(turtle, media_type="text/turtle", headers={"Vary": "Accept"})
    conforms, results, generated = read_report(turtle)
    counts = {s: sum(1 for r in results if r.severity == s) for s in _ORDER}
    chosen = [
        r.model_copy(update={"message": r.messages.get(lang) or r.message})
        for r in results
        if severity is None or r.severity == severity
    ]
    body = Validation(
        conforms=conforms,
        counts=counts,
        generated=generated or written,
        results=Page[ValidationResult](**lookup.page(chosen, paging)),
    )
    return JSONResponse(body.model_dump(mode="json"), headers={"Vary": "Accept"})

"""Units (departments, leading groups) and the tasks they lead, are responsible for or take part in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.lookup import RESPONSIBILITY_ROWS, Lookup, Paging, entity_iri, task_row
from api.models import Page, TaskRow, Unit
from api.problems import ProblemError
from api.routes.organizations import RDF, UNITS, unit

router = APIRouter(tags=["lookup"])
Year = Annotated[int | None, Query(ge=1900, le=2200, description="only plans for this year")]


@router.get("/units/{org}/{unit_id}", summary="One unit", response_model=Unit, responses=RDF)
def get_unit(org: str, unit_id: str, lookup: Annotated[Lookup, Depends()]) -> Response:
    """A unit by id: its organization's id and its name, as in its IRI (国家开放大学/宣传部)."""
    media = lookup.media_type()
    iri = entity_iri("units", org, unit_id)
    rows = [r for r in lookup.rows(UNITS, unit=iri) if r["unit"]]
    if not rows:
        raise ProblemError(404, "Not Found", f"no unit with id {org}/{unit_id!s}")
    return lookup.respond(unit(rows[0]), [iri], media)


@router.get(
    "/units/{org}/{unit_id}/tasks",
    summary="Tasks of a unit, with its role and the source quote",
    response_model=Page[TaskRow],
    responses=RDF,
)
def unit_tasks(
    org: str,
    unit_id: str,
    lookup: Annotated[Lookup, Depends()],
    paging: Annotated[Paging, Depends()],
    year: Year = None,
) -> Response:
    """One row per (task, role) the unit holds, oldest plan first."""
    media = lookup.media_type()
    iri = entity_iri("units", org, unit_id)
    bindings: dict[str, str | int] = {"agent": iri} if year is None else {"agent": iri, "year": year}
    rows, found = lookup.rows_many([(RESPONSIBILITY_ROWS, bindings), ("SELECT ?u WHERE { ?u a okg:Unit }", {"u": iri})])
    if not found:
        raise ProblemError(404, "Not Found", f"no unit with id {org}/{unit_id}")
    page = Page[TaskRow](**lookup.page([task_row(r) for r in rows], paging))
    return lookup.respond(page, [t.iri for t in page.items], media)

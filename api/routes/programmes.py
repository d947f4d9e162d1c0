"""Programmes (工程, 计划, 平台 …), their parts, and the tasks that mention them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from api.lookup import Lookup, Paging, entity_iri, ref, task_row, to_int
from api.models import Page, Programme, ProgrammePart, TaskRow
from api.problems import ProblemError
from api.routes.organizations import RDF

router = APIRouter(tags=["lookup"])

PROGRAMMES = """
SELECT ?programme (SAMPLE(?l) AS ?label) (SAMPLE(?c) AS ?category) (SAMPLE(?b) AS ?broader)
       (SAMPLE(?bl) AS ?broaderLabel) (COUNT(DISTINCT ?part) AS ?parts) (SAMPLE(?d) AS ?definedIn)
       (SAMPLE(?dl) AS ?definedInTitle)
WHERE {
  ?programme a okg:Programme ;
             skos:prefLabel ?l .
  OPTIONAL { ?programme okg:category ?c }
  OPTIONAL { ?programme skos:broader ?b . OPTIONAL { ?b skos:prefLabel ?bl } }
  OPTIONAL { ?part skos:broader ?programme }
  OPTIONAL { ?programme okg:definedIn ?d . OPTIONAL { ?d dcterms:title ?dl } }
}
GROUP BY ?programme
ORDER BY ?label ?programme
"""

PARTS = """
SELECT DISTINCT ?part ?partLabel ?parent ?parentLabel ?category ?quote
WHERE {
  ?part skos:broader+ ?programme ;
        skos:broader ?parent ;
        skos:prefLabel ?partLabel .
  ?parent skos:broader* ?programme ;
          skos:prefLabel ?parentLabel .
  OPTIONAL { ?part okg:category ?category }
  OPTIONAL { ?part prov:wasDerivedFrom/oa:hasSelector/oa:exact ?quote }
}
ORDER BY ?parentLabel ?partLabel ?quote
"""

MENTIONING = """
SELECT DISTINCT ?task ?title ?year ?ordinal ?document ?documentTitle ?mentioned ?mentionedLabel ?quote ?start
WHERE {
  ?mentioned skos:broader* ?programme ;
             skos:prefLabel ?mentionedLabel .
  ?mention okg:mentionedProgramme ?mentioned ;
           dcterms:isPartOf ?task ;
           prov:wasDerivedFrom/oa:hasSelector ?quoteSel, ?posSel .
  ?quoteSel oa:exact ?quote .
  ?posSel oa:start ?start .
  ?task a okg:Task ;
        dcterms:title ?title ;
        okg:planYear ?year ;
        okg:ordinal ?ordinal ;
        okg:inDocument ?document .
  ?document dcterms:title ?documentTitle .
}
ORDER BY ?year ?document ?ordinal ?start
"""

IS_PROGRAMME = "SELECT ?p WHERE { ?p a okg:Programme }"


def programme(r: dict[str, str | None]) -> Programme:
    """A Programme from a row of PROGRAMMES."""
    return Programme(
        **ref(r["programme"] or "", r["label"], "programme").model_dump(),
        category=r["category"],
        broader=ref(r["broader"], r["broaderLabel"], "programme") if r["broader"] else None,
        parts=to_int(r["parts"]) or 0,
        definedIn=ref(r["definedIn"], r["definedInTitle"]) if r["definedIn"] else None,
    )


@router.get("/programmes", summary="Programmes, by name", response_model=Page[Programme], responses=RDF)
def list_programmes(lookup: Annotated[Lookup, Depends()], paging: Annotated[Paging, Depends()]) -> Response:
    """Every programme and part, with its category, the whole it belongs to and the document defining it."""
    media = lookup.media_type()
    items = [programme(r) for r in lookup.rows(PROGRAMMES) if r["programme"]]
    page = Page[Programme](**lookup.page(items, paging))
    return lookup.respond(page, [p.iri for p in page.items], media)


@router.get("/programmes/{name}", summary="One programme", response_model=Programme, responses=RDF)
def get_programme(name: str, lookup: Annotated[Lookup, Depends()]) -> Response:
    """A programme by id (its canonical name as in its IRI, e.g. 1233工程)."""
    media = lookup.media_type()
    iri = entity_iri("programmes", name)
    rows = [r for r in lookup.rows(PROGRAMMES, programme=iri) if r["programme"]]
    if not rows:
        raise ProblemError(404, "Not Found", f"no programme with id {name!r}")
    return lookup.respond(programme(rows[0]), [iri], media)


@router.get(
    "/programmes/{name}/parts",
    summary="The parts of a programme, at any depth",
    response_model=Page[ProgrammePart],
    responses=RDF,
)
def programme_parts(name: str, lookup: Annotated[Lookup, Depends()], paging: Annotated[Paging, Depends()]) -> Response:
    """Each part with the whole it directly belongs to and the source text listing it."""
    media = lookup.media_type()
    iri = entity_iri("programmes", name)
    rows, found = lookup.rows_many([(PARTS, {"programme": iri}), (IS_PROGRAMME, {"p": iri})])
    if not found:
        raise ProblemError(404, "Not Found", f"no programme with id {name!r}")
    parts: dict[tuple[str, str], ProgrammePart] = {}
    for r in rows:
        key = (r["part"] or "", r["parent"] or "")
        if key not in parts:
            parts[key] = ProgrammePart(
                part=ref(key[0], r["partLabel"], "programme"),
                parent=ref(key[1], r["parentLabel"], "programme"),
                category=r["category"],
                quote=r["quote"],
            )
    page = Page[ProgrammePart](**lookup.page(list(parts.values()), paging))
    return lookup.respond(page, [p.part.iri for p in page.items], media)


@router.get(
    "/programmes/{name}/tasks",
    summary="Tasks that mention a programme or any of its parts",
    response_model=Page[TaskRow],
    responses=RDF,
)
def programme_tasks(name: str, lookup: Annotated[Lookup, Depends()], paging: Annotated[Paging, Depends()]) -> Response:
    """One row per (task, programme or part mentioned), with the sentence that names it."""
    media = lookup.media_type()
    iri = entity_iri("programmes", name)
    rows, found = lookup.rows_many([(MENTIONING, {"programme": iri}), (IS_PROGRAMME, {"p": iri})])
    if not found:
        raise ProblemError(404, "Not Found", f"no programme with id {name!r}")
    page = Page[TaskRow](**lookup.page([task_row(r, "programme") for r in rows], paging))
    return lookup.respond(page, [t.iri for t in page.items], media)

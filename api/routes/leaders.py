"""Leaders (persons the documents name), their posts, and the tasks they supervise."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from api import pinyin
from api.lookup import RESPONSIBILITY_ROWS, SEP, Lookup, Paging, entity_iri, ref, task_row, to_int
from api.models import Leader, Page, Post, TaskRow
from api.problems import ProblemError
from api.routes.organizations import RDF
from api.routes.units import Year
from orgkg.vocab import OKG_NS

router = APIRouter(tags=["lookup"])

PERSONS = f"""
SELECT ?person (SAMPLE(?l) AS ?label) (SAMPLE(?o) AS ?org) (SAMPLE(?ol) AS ?orgLabel)
       (COUNT(DISTINCT ?task) AS ?tasks) (GROUP_CONCAT(DISTINCT STR(?y); separator="{SEP}") AS ?years)
WHERE {{
  ?person a foaf:Person ;
          skos:prefLabel ?l .
  BIND(IRI(REPLACE(STR(?person), "/person/[^/]+$", "")) AS ?o)
  OPTIONAL {{ ?o skos:prefLabel ?ol }}
  OPTIONAL {{ ?task okg:supervisedBy ?person ; okg:planYear ?y }}
}}
GROUP BY ?person
ORDER BY ?orgLabel ?label ?person
"""

POSTS = """
SELECT ?person ?role ?org ?orgLabel ?doc ?docTitle ?date
WHERE {
  ?m org:member ?person ;
     org:role/skos:prefLabel ?role .
  OPTIONAL { ?m org:organization ?org . OPTIONAL { ?org skos:prefLabel ?orgLabel } }
  OPTIONAL { ?m okg:attestedBy ?doc . OPTIONAL { ?doc dcterms:title ?docTitle } }
  OPTIONAL { ?m okg:attestedOn ?date }
}
ORDER BY ?person ?date ?role
"""


def leaders(person_rows: list[dict[str, str | None]], post_rows: list[dict[str, str | None]]) -> list[Leader]:
    """Leaders from rows of PERSONS and POSTS."""
    posts: dict[str, list[Post]] = defaultdict(list)
    for r in post_rows:
        posts[r["person"] or ""].append(
            Post(
                role=r["role"] or "",
                organization=ref(r["org"], r["orgLabel"]) if r["org"] else None,
                document=ref(r["doc"], r["docTitle"]) if r["doc"] else None,
                date=r["date"],
            )
        )
    out = []
    for r in person_rows:
        if not r["person"]:
            continue
        name = r["label"] or ""
        years = sorted({y for y in (to_int(v) for v in (r["years"] or "").split(SEP)) if y is not None})
        out.append(
            Leader(
                **ref(r["person"], name, "person").model_dump(),
                pinyin=pinyin.display(name),
                organization=ref(r["org"], r["orgLabel"]) if r["org"] and r["orgLabel"] else None,
                posts=posts.get(r["person"], []),
                tasks=to_int(r["tasks"]) or 0,
                years=years,
            )
        )
    return out


@router.get(
    "/leaders",
    summary="Persons the documents name, with posts and supervised tasks",
    response_model=Page[Leader],
    responses=RDF,
)
def list_leaders(lookup: Annotated[Lookup, Depends()], paging: Annotated[Paging, Depends()]) -> Response:
    """Every person, by organization and name, with pinyin, posts and the years they supervise tasks in."""
    media = lookup.media_type()
    persons, posts = lookup.rows_many([(PERSONS, {}), (POSTS, {})])
    page = Page[Leader](**lookup.page(leaders(persons, posts), paging))
    return lookup.respond(page, [p.iri for p in page.items], media)


@router.get("/leaders/{org}/{name}", summary="One person", response_model=Leader, responses=RDF)
def get_leader(org: str, name: str, lookup: Annotated[Lookup, Depends()]) -> Response:
    """A person by id: the organization's id and the name, as in the IRI (国家开放大学/曹国永)."""
    media = lookup.media_type()
    iri = entity_iri("leaders", org, name)
    persons, posts = lookup.rows_many([(PERSONS, {"person": iri}), (POSTS, {"person": iri})])
    found = leaders(persons, posts)
    if not found:
        raise ProblemError(404, "Not Found", f"no person with id {org}/{name}")
    return lookup.respond(found[0], [iri], media)


@router.get(
    "/leaders/{org}/{name}/tasks",
    summary="Tasks a person supervises, with the source quote",
    response_model=Page[TaskRow],
    responses=RDF,
)
def leader_tasks(
    org: str,
    name: str,
    lookup: Annotated[Lookup, Depends()],
    paging: Annotated[Paging, Depends()],
    year: Year = None,
) -> Response:
    """One row per supervised task (optionally of one plan year), oldest plan first."""
    media = lookup.media_type()
    iri = entity_iri("leaders", org, name)
    bindings: dict[str, str | int] = {"agent": iri, "roleIri": OKG_NS + "SupervisingLeader"}
    if year is not None:
        bindings["year"] = year
    rows, found = lookup.rows_many(
        [(RESPONSIBILITY_ROWS, bindings), ("SELECT ?p WHERE { ?p a foaf:Person }", {"p": iri})]
    )
    if not found:
        raise ProblemError(404, "Not Found", f"no person with id {org}/{name}")
    page = Page[TaskRow](**lookup.page([task_row(r) for r in rows], paging))
    return lookup.respond(page, [t.iri for t in page.items], media)

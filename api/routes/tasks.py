"""One task: what it says, who is responsible in which role, and the source quote of each fact."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from api.lookup import Lookup, entity_iri, ref, to_int
from api.models import Quote, Ref, Responsibility, Task
from api.problems import ProblemError
from api.routes.organizations import RDF

router = APIRouter(tags=["lookup"])

TASK = """
SELECT ?title ?text ?year ?ordinal ?numberLabel ?document ?documentTitle ?sectionTitle ?org ?orgLabel
       ?quote ?start ?end
WHERE {
  ?task a okg:Task ;
        dcterms:title ?title ;
        okg:inDocument ?document .
  OPTIONAL { ?document dcterms:title ?documentTitle }
  OPTIONAL { ?task okg:text ?text }
  OPTIONAL { ?task okg:planYear ?year }
  OPTIONAL { ?task okg:ordinal ?ordinal }
  OPTIONAL { ?task okg:numberLabel ?numberLabel }
  OPTIONAL { ?task okg:inSection/dcterms:title ?sectionTitle }
  OPTIONAL { ?task okg:forOrganization ?org . OPTIONAL { ?org skos:prefLabel ?orgLabel } }
  OPTIONAL {
    ?task prov:wasDerivedFrom ?excerpt .
    ?excerpt oa:hasSelector ?quoteSel, ?posSel .
    ?quoteSel oa:exact ?quote .
    ?posSel oa:start ?start ; oa:end ?end .
  }
}
LIMIT 1
"""

RESPONSIBILITIES = """
SELECT ?resp ?role ?agent ?agentLabel ?scope ?quote ?start ?end
WHERE {
  ?task okg:qualifiedResponsibility ?resp .
  ?resp okg:role ?roleIri ;
        prov:agent ?agent .
  ?roleIri rdfs:label ?role .
  FILTER(LANG(?role) = "en")
  OPTIONAL { ?agent skos:prefLabel ?agentLabel }
  OPTIONAL { ?resp okg:scope ?scope }
  OPTIONAL {
    ?resp prov:wasDerivedFrom ?excerpt .
    ?excerpt oa:hasSelector ?quoteSel, ?posSel .
    ?quoteSel oa:exact ?quote .
    ?posSel oa:start ?start ; oa:end ?end .
  }
}
ORDER BY ?start ?role ?agentLabel
"""

LINKS = """
SELECT DISTINCT ?rel ?target ?label
WHERE {
  { ?task dcterms:references ?target . BIND("policies" AS ?rel) OPTIONAL { ?target dcterms:title ?label } }
  UNION
  { ?mention okg:mentionedProgramme ?target ; dcterms:isPartOf ?task . BIND("programmes" AS ?rel)
    OPTIONAL { ?target skos:prefLabel ?label } }
  UNION
  { ?task okg:mentionsProgramme ?target . BIND("programmes" AS ?rel) OPTIONAL { ?target skos:prefLabel ?label } }
  UNION
  { ?task okg:continues ?target . BIND("continues" AS ?rel) OPTIONAL { ?target dcterms:title ?label } }
  UNION
  { ?target okg:continues ?task . BIND("continuedBy" AS ?rel) OPTIONAL { ?target dcterms:title ?label } }
}
ORDER BY ?rel ?label ?target
"""


@router.get(
    "/tasks/{doc}/{number}",
    summary="One task with its responsibilities and source quotes",
    response_model=Task,
    responses=RDF,
)
def get_task(doc: str, number: str, lookup: Annotated[Lookup, Depends()]) -> Response:
    """A task by id: its document's id and its sequence number in the document (国开发-2022-1号/1)."""
    media = lookup.media_type()
    if not number.isdigit():
        raise ProblemError(404, "Not Found", f"no task with id {doc}/{number}")
    iri = entity_iri("tasks", doc, number)
    core, resps, links = lookup.rows_many(
        [(TASK, {"task": iri}), (RESPONSIBILITIES, {"task": iri}), (LINKS, {"task": iri})]
    )
    if not core:
        raise ProblemError(404, "Not Found", f"no task with id {doc}/{number}")
    r = core[0]
    related: dict[str, list[Ref]] = {"policies": [], "programmes": [], "continues": [], "continuedBy": []}
    for link in links:
        kind = {"policies": "policy", "programmes": "programme"}.get(link["rel"] or "")
        related[link["rel"] or ""].append(ref(link["target"] or "", link["label"], kind))
    document = ref(r["document"] or "", r["documentTitle"])
    task = Task(
        **ref(iri, r["title"]).model_dump(),
        title=r["title"] or "",
        text=r["text"],
        year=to_int(r["year"]),
        ordinal=to_int(r["ordinal"]),
        numberLabel=r["numberLabel"],
        document=document,
        section=r["sectionTitle"],
        organization=ref(r["org"], r["orgLabel"]) if r["org"] else None,
        responsibilities=[
            Responsibility(
                iri=x["resp"] or "",
                role=x["role"] or "",
                agent=ref(x["agent"] or "", x["agentLabel"]),
                scope=x["scope"],
                source=_quote(x["quote"], x["start"], x["end"], document),
            )
            for x in resps
        ],
        source=_quote(r["quote"], r["start"], r["end"], document),
        policies=related["policies"],
        programmes=related["programmes"],
        continues=related["continues"],
        continuedBy=related["continuedBy"],
    )
    return lookup.respond(task, [iri], media)


def _quote(quote: str | None, start: str | None, end: str | None, document: Ref) -> Quote | None:
    begin = to_int(start)
    if quote is None or begin is None:
        return None
    return Quote(quote=quote, start=begin, end=to_int(end), document=document)

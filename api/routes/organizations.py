"""Organizations (universities, government bodies) and their units."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from api.lookup import SEP, Lookup, Paging, entity_iri, ref, split, to_int
from api.models import Organization, Page, Unit
from api.problems import ProblemError

router = APIRouter(tags=["lookup"])
RDF: dict[int | str, dict[str, Any]] = {200: {"content": {"application/ld+json": {}, "text/turtle": {}}}}

ORGANIZATIONS = f"""
SELECT ?org (SAMPLE(?l) AS ?label) (GROUP_CONCAT(DISTINCT ?alias; separator="{SEP}") AS ?aliases)
       (COUNT(DISTINCT ?unit) AS ?units) (COUNT(DISTINCT ?doc) AS ?documents)
WHERE {{
  ?org a org:FormalOrganization ;
       skos:prefLabel ?l .
  OPTIONAL {{ ?org skos:altLabel ?alias }}
  OPTIONAL {{ ?unit org:unitOf ?org }}
  OPTIONAL {{ ?doc okg:forOrganization ?org ; a okg:SourceDocument }}
}}
GROUP BY ?org
ORDER BY ?label ?org
"""

UNITS = f"""
SELECT ?unit (SAMPLE(?l) AS ?label) (GROUP_CONCAT(DISTINCT ?alias; separator="{SEP}") AS ?aliases)
       (SAMPLE(?k) AS ?kind) ?org (SAMPLE(?ol) AS ?orgLabel) (COUNT(DISTINCT ?task) AS ?tasks)
WHERE {{
  ?unit org:unitOf ?org ;
        a okg:Unit ;
        skos:prefLabel ?l .
  OPTIONAL {{ ?org skos:prefLabel ?ol }}
  BIND(IF(EXISTS {{ ?unit a okg:LeadingGroup }}, "leading group", "unit") AS ?k)
  OPTIONAL {{ ?unit skos:altLabel ?alias }}
  OPTIONAL {{ ?task okg:qualifiedResponsibility/prov:agent ?unit }}
}}
GROUP BY ?unit ?org
ORDER BY ?label ?unit
"""

IS_ORGANIZATION = "SELECT ?x WHERE { ?x a org:FormalOrganization }"


def organization(r: dict[str, str | None]) -> Organization:
    """An Organization from a row of ORGANIZATIONS."""
    base = ref(r["org"] or "", r["label"], "organization")
    return Organization(
        **base.model_dump(),
        aliases=split(r["aliases"]),
        units=to_int(r["units"]) or 0,
        documents=to_int(r["documents"]) or 0,
    )


def unit(r: dict[str, str | None]) -> Unit:
    """A Unit from a row of UNITS."""
    return Unit(
        **ref(r["unit"] or "", r["label"], "unit").model_dump(),
        aliases=split(r["aliases"]),
        kind=r["kind"] or "unit",
        organization=ref(r["org"], r["orgLabel"]) if r["org"] else None,
        tasks=to_int(r["tasks"]) or 0,
    )


@router.get("/organizations", summary="Organizations, by name", response_model=Page[Organization], responses=RDF)
def list_organizations(lookup: Annotated[Lookup, Depends()], paging: Annotated[Paging, Depends()]) -> Response:
    """Every organization with its aliases and the number of its units and plans."""
    media = lookup.media_type()
    items = [organization(r) for r in lookup.rows(ORGANIZATIONS)]
    page = Page[Organization](**lookup.page(items, paging))
    return lookup.respond(page, [o.iri for o in page.items], media)


@router.get("/organizations/{org}", summary="One organization", response_model=Organization, responses=RDF)
def get_organization(org: str, lookup: Annotated[Lookup, Depends()]) -> Response:
    """An organization by id (its name as in its IRI)."""
    media = lookup.media_type()
    iri = entity_iri("organizations", org)
    rows = lookup.rows(ORGANIZATIONS, org=iri)
    if not rows or rows[0]["org"] is None:
        raise ProblemError(404, "Not Found", f"no organization with id {org!r}")
    return lookup.respond(organization(rows[0]), [iri], media)


@router.get(
    "/organizations/{org}/units", summary="The units of an organization", response_model=Page[Unit], responses=RDF
)
def organization_units(
    org: str, lookup: Annotated[Lookup, Depends()], paging: Annotated[Paging, Depends()]
) -> Response:
    """Its units and leading groups, with aliases and how many tasks name each."""
    media = lookup.media_type()
    iri = entity_iri("organizations", org)
    units, found = lookup.rows_many([(UNITS, {"org": iri}), (IS_ORGANIZATION, {"x": iri})])
    if not found:
        raise ProblemError(404, "Not Found", f"no organization with id {org!r}")
    items = [unit(r) for r in units if r["unit"]]
    page = Page[Unit](**lookup.page(items, paging))
    return lookup.respond(page, [u.iri for u in page.items], media)

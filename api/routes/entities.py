"""Resource IRIs dereference: ``GET /id/{path}`` describes ``https://w3id.org/orgkg/id/{path}``.

JSON (statements grouped by property, labels and API links for the entities named), or by ``Accept`` the
entity's description as JSON-LD or Turtle (its own statements plus its responsibilities, sources and
memberships). An HTML page for browsers is for later; browsers get JSON meanwhile.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pyoxigraph import NamedNode

from api.lookup import Lookup, classify
from api.models import Entity, Value
from api.problems import ProblemError
from api.routes.organizations import RDF
from orgkg.vocab import ID_NS, PREFIXES

router = APIRouter(tags=["lookup"])

OUTGOING = """
SELECT ?p ?o (SAMPLE(?l) AS ?label) (DATATYPE(?o) AS ?datatype) (LANG(?o) AS ?lang) (ISBLANK(?o) AS ?blank)
WHERE {
  ?s ?p ?o .
  OPTIONAL { ?o skos:prefLabel|dcterms:title ?l }
}
GROUP BY ?p ?o
ORDER BY ?p ?o
"""

INCOMING = """
SELECT ?x ?p (SAMPLE(?l) AS ?label)
WHERE {
  ?x ?p ?s .
  OPTIONAL { ?x skos:prefLabel|dcterms:title ?l }
}
GROUP BY ?x ?p
ORDER BY ?p ?x
LIMIT 200
"""

_CURIES = sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda pair: -len(pair[0]))
_RDF_TYPE = PREFIXES["rdf"] + "type"
_XSD_STRING = PREFIXES["xsd"] + "string"
_LANG_STRING = PREFIXES["rdf"] + "langString"


def curie(iri: str) -> str:
    """The IRI as a CURIE with the project's prefixes, when one fits.

    >>> curie("http://purl.org/dc/terms/title")
    'dcterms:title'
    """
    for ns, prefix in _CURIES:
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _iri_value(iri: str, label: str | None) -> Value:
    kind, _, path = classify(iri)
    return Value(value=iri, type="uri", label=label, href=None if kind == "external" else path)


@router.get(
    "/id/{path:path}",
    summary="Dereference an entity IRI (https://w3id.org/orgkg/id/…)",
    response_model=Entity,
    responses=RDF,
)
def describe(path: str, lookup: Annotated[Lookup, Depends()]) -> Response:
    """What the graph says about the entity, and which entities point at it."""
    media = lookup.media_type()
    iri = ID_NS + path
    try:
        NamedNode(iri)
    except ValueError:
        raise ProblemError(404, "Not Found", f"{iri} is not an IRI this service mints") from None
    outgoing, incoming = lookup.rows_many([(OUTGOING, {"s": iri}), (INCOMING, {"s": iri})])
    if not outgoing and not incoming:
        raise ProblemError(404, "Not Found", f"the graph says nothing about {iri}")
    properties: dict[str, list[Value]] = defaultdict(list)
    types, label = [], None
    for r in outgoing:
        p, o = r["p"] or "", r["o"] or ""
        if p == _RDF_TYPE:
            types.append(curie(o))
        if p in (PREFIXES["skos"] + "prefLabel", "http://purl.org/dc/terms/title") and label is None:
            label = o
        if r["blank"] == "true":
            properties[curie(p)].append(Value(value=o, type="bnode"))
        elif r["datatype"] is None:
            properties[curie(p)].append(_iri_value(o, r["label"]))
        else:
            datatype = None if r["datatype"] in (_XSD_STRING, _LANG_STRING) else r["datatype"]
            properties[curie(p)].append(Value(value=o, type="literal", datatype=datatype, lang=r["lang"] or None))
    referenced: dict[str, list[Value]] = defaultdict(list)
    for r in incoming:
        referenced[curie(r["p"] or "")].append(_iri_value(r["x"] or "", r["label"]))
    _, _, api_path = classify(iri)
    entity = Entity(
        iri=iri,
        href=api_path if not api_path.startswith("/id/") else None,
        label=label,
        types=types,
        properties=dict(properties),
        referencedBy=dict(referenced),
    )
    return lookup.respond(entity, [iri], media)

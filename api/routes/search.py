"""Search across names, aliases and titles (Chinese), and person names in pinyin."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pyoxigraph import Literal as RdfLiteral

from api import pinyin
from api.lookup import Lookup, Paging, ref
from api.models import Page, SearchHit
from api.routes.organizations import RDF
from orgkg.textnorm import name_key
from orgkg.vocab import PREFIXES

router = APIRouter(tags=["lookup"])

Kind = Literal["organization", "unit", "person", "collective", "document", "task", "policy", "programme"]
_CLASSES: dict[str, str] = {
    "organization": "org:FormalOrganization",
    "unit": "okg:Unit",
    "person": "foaf:Person",
    "collective": "okg:CollectiveReference",
    "document": "okg:SourceDocument",
    "task": "okg:Task",
    "policy": "okg:Policy",
    "programme": "okg:Programme",
}
_VIA_RANK = {"name": 0, "alias": 1, "title": 2, "key": 3, "pinyin": 4}
_KIND_RANK = {k: i for i, k in enumerate(_CLASSES)}

MATCHES = """
SELECT DISTINCT ?s ?class ?label ?matched ?via
WHERE {
  { ?s skos:prefLabel ?matched . BIND("name" AS ?via) }
  UNION { ?s skos:altLabel ?matched . BIND("alias" AS ?via) }
  UNION { ?s dcterms:title ?matched . BIND("title" AS ?via) }
  UNION { ?s okg:nameKey ?matched . BIND("key" AS ?via) }
  FILTER(CONTAINS(LCASE(STR(?matched)), ?text) || CONTAINS(STR(?matched), ?key))
  ?s a ?class .
  VALUES ?class { CLASSES }
  OPTIONAL { ?s skos:prefLabel|dcterms:title ?label }
}
"""

PERSONS = "SELECT ?s ?label WHERE { ?s a foaf:Person ; skos:prefLabel ?label }"


_KIND_OF_CLASS = {PREFIXES[c.split(":")[0]] + c.split(":")[1]: kind for kind, c in _CLASSES.items()}


@router.get(
    "/search",
    summary="Find entities by name, alias, title or pinyin",
    response_model=Page[SearchHit],
    responses=RDF,
)
def search(
    q: Annotated[
        str, Query(min_length=1, max_length=200, description="a name, alias, title or pinyin (曹国永, caoguoyong)")
    ],
    lookup: Annotated[Lookup, Depends()],
    paging: Annotated[Paging, Depends()],
    type: Annotated[Kind | None, Query(description="only entities of this kind")] = None,
) -> Response:
    """Exact names first, then prefixes, then names containing the text; pinyin matches person names."""
    media = lookup.media_type()
    text = q.strip()
    key = name_key(text) if text else ""
    if not text or not key:
        return lookup.respond(Page[SearchHit](**lookup.page([], paging)), [], media)
    classes = " ".join(_CLASSES[k] for k in ([type] if type else list(_CLASSES)))
    bindings = {"text": RdfLiteral(text.lower()), "key": RdfLiteral(key)}
    hits_rows, persons = lookup.rows_many([(MATCHES.replace("CLASSES", classes), bindings), (PERSONS, {})])
    best: dict[str, tuple[tuple[int, int, int, str], SearchHit]] = {}

    def offer(iri: str, label: str | None, kind: str, matched: str, via: str) -> None:
        exact = (
            0
            if matched.lower() == text.lower() or matched == key
            else 1
            if matched.lower().startswith(text.lower())
            else 2
        )
        rank = (exact, _VIA_RANK.get(via, 9), _KIND_RANK.get(kind, 9), label or matched)
        if iri not in best or rank < best[iri][0]:
            hit = SearchHit(**ref(iri, label, kind).model_dump(exclude={"type"}), type=kind, matched=matched, via=via)
            best[iri] = (rank, hit)

    for r in hits_rows:
        if r["s"] and r["matched"]:
            offer(
                r["s"], r["label"], _KIND_OF_CLASS.get(r["class"] or "", "resource"), r["matched"], r["via"] or "name"
            )
    if pinyin.is_pinyin_query(text) and type in (None, "person"):
        for r in persons:
            if r["s"] and r["label"] and pinyin.matches(r["label"], text):
                offer(r["s"], r["label"], "person", pinyin.display(r["label"]), "pinyin")
    hits = [hit for _, hit in sorted(best.values(), key=lambda pair: pair[0])]
    page = Page[SearchHit](**lookup.page(hits, paging))
    return lookup.respond(page, [h.iri for h in page.items], media)

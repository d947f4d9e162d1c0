"""Policies cited as 《…》, and the documents and tasks that cite them."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from api.lookup import SEP, Lookup, Paging, ref, split, task_row, to_int
from api.models import Document, Page, Policy, Ref, TaskRow
from api.problems import ProblemError
from api.routes.documents import DOCUMENTS, document
from api.routes.organizations import RDF
from orgkg.vocab import ID_NS

router = APIRouter(tags=["lookup"])

POLICIES = f"""
SELECT ?policy (SAMPLE(?t) AS ?title) (GROUP_CONCAT(DISTINCT ?alias; separator="{SEP}") AS ?aliases)
       (COUNT(DISTINCT ?citation) AS ?citations)
WHERE {{
  ?policy a okg:Policy ;
          dcterms:title ?t .
  OPTIONAL {{ ?policy skos:altLabel ?alias }}
  OPTIONAL {{ ?citation okg:citedWork ?policy }}
}}
GROUP BY ?policy
ORDER BY ?title ?policy
"""

CREATORS = """
SELECT ?policy ?creator ?label
WHERE {
  ?policy a okg:Policy ;
          dcterms:creator ?creator .
  OPTIONAL { ?creator skos:prefLabel ?label }
}
ORDER BY ?label
"""

CITING_DOCUMENTS = DOCUMENTS.replace(
    "  ?doc a okg:SourceDocument ;",
    "  FILTER EXISTS { ?c okg:citedWork ?policy ; dcterms:isPartOf ?part . ?part okg:inDocument? ?doc }\n"
    "  ?doc a okg:SourceDocument ;",
)

CITING_TASKS = """
SELECT DISTINCT ?task ?title ?year ?ordinal ?document ?documentTitle ?mentioned ?mentionedLabel ?quote ?start
WHERE {
  ?citation okg:citedWork ?policy ;
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
  BIND(?policy AS ?mentioned)
  OPTIONAL { ?policy dcterms:title ?mentionedLabel }
}
ORDER BY ?year ?document ?ordinal ?start
"""

FIND = f'SELECT ?policy WHERE {{ ?policy a okg:Policy }} ORDER BY DESC(STRSTARTS(STR(?policy), "{ID_NS}policy/"))'


def policies(rows: list[dict[str, str | None]], creator_rows: list[dict[str, str | None]]) -> list[Policy]:
    """Policies from rows of POLICIES and CREATORS."""
    creators: dict[str, list[Ref]] = defaultdict(list)
    for c in creator_rows:
        creators[c["policy"] or ""].append(ref(c["creator"] or "", c["label"]))
    return [
        Policy(
            **ref(r["policy"], r["title"], "policy").model_dump(),
            title=r["title"] or "",
            aliases=split(r["aliases"]),
            creators=creators.get(r["policy"], []),
            citations=to_int(r["citations"]) or 0,
        )
        for r in rows
        if r["policy"]
    ]


def _find(lookup: Lookup, ident: str) -> str:
    """The IRI of the policy ``ident``: id/policy/{ident}, or the source document id/doc/{ident} typed as a policy."""
    from pyoxigraph import NamedNode

    candidates = []
    for path in (f"policy/{ident}", f"doc/{ident}"):
        try:
            candidates.append(NamedNode(ID_NS + path))
        except ValueError:
            pass
    if "/" in ident or not candidates:
        raise ProblemError(404, "Not Found", f"no policy with id {ident!r}")
    values = " ".join(str(c) for c in candidates)
    rows = lookup.rows(FIND.replace("WHERE {", "WHERE { VALUES ?policy { " + values + " }", 1))
    if not rows:
        raise ProblemError(404, "Not Found", f"no policy with id {ident!r}")
    return rows[0]["policy"] or ""


@router.get(
    "/policies", summary="Policies cited in the documents, by title", response_model=Page[Policy], responses=RDF
)
def list_policies(lookup: Annotated[Lookup, Depends()], paging: Annotated[Paging, Depends()]) -> Response:
    """Every cited policy with its title variants, issuers and number of citations."""
    media = lookup.media_type()
    rows, creator_rows = lookup.rows_many([(POLICIES, {}), (CREATORS, {})])
    page = Page[Policy](**lookup.page(policies(rows, creator_rows), paging))
    return lookup.respond(page, [p.iri for p in page.items], media)


@router.get("/policies/{policy}", summary="One policy", response_model=Policy, responses=RDF)
def get_policy(policy: str, lookup: Annotated[Lookup, Depends()]) -> Response:
    """A policy by id (its canonical title as in its IRI, e.g. 国家开放大学综合改革方案)."""
    media = lookup.media_type()
    iri = _find(lookup, policy)
    rows, creator_rows = lookup.rows_many([(POLICIES, {"policy": iri}), (CREATORS, {"policy": iri})])
    found = policies(rows, creator_rows)
    if not found:
        raise ProblemError(404, "Not Found", f"no policy with id {policy!r}")
    return lookup.respond(found[0], [iri], media)


@router.get(
    "/policies/{policy}/documents", summary="Documents citing a policy", response_model=Page[Document], responses=RDF
)
def policy_documents(
    policy: str, lookup: Annotated[Lookup, Depends()], paging: Annotated[Paging, Depends()]
) -> Response:
    """The source documents that cite the policy (in a task or elsewhere), oldest plan first."""
    media = lookup.media_type()
    iri = _find(lookup, policy)
    items = [document(r) for r in lookup.rows(CITING_DOCUMENTS, policy=iri) if r["doc"]]
    page = Page[Document](**lookup.page(items, paging))
    return lookup.respond(page, [d.iri for d in page.items], media)


@router.get(
    "/policies/{policy}/tasks",
    summary="Tasks citing a policy, with the sentence citing it",
    response_model=Page[TaskRow],
    responses=RDF,
)
def policy_tasks(policy: str, lookup: Annotated[Lookup, Depends()], paging: Annotated[Paging, Depends()]) -> Response:
    """One row per citation inside a task."""
    media = lookup.media_type()
    iri = _find(lookup, policy)
    rows = lookup.rows(CITING_TASKS, policy=iri)
    page = Page[TaskRow](**lookup.page([task_row(r, "policy") for r in rows], paging))
    return lookup.respond(page, [t.iri for t in page.items], media)

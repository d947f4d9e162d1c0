"""Source documents (work plans, implementation plans, strategic plans, divisions of tasks …) and their tasks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from api.lookup import SEP, Lookup, Paging, entity_iri, ref, split, task_row, to_int
from api.models import Document, DocumentDetail, Page, Ref, Section, TaskRow
from api.problems import ProblemError
from api.routes.organizations import RDF
from orgkg.map import KIND_CLASS

router = APIRouter(tags=["lookup"])

# The kinds of documents, as the mapping writes them (one class per DocumentKind).
KINDS = ", ".join(f"<{c.value}>" for c in dict.fromkeys(KIND_CLASS.values()))

DOCUMENTS = f"""
SELECT ?doc (SAMPLE(?t) AS ?title) (SAMPLE(?id) AS ?identifier) (SAMPLE(?iss) AS ?issued) (SAMPLE(?y) AS ?year)
       (GROUP_CONCAT(DISTINCT ?kind; separator="{SEP}") AS ?kinds) (SAMPLE(?o) AS ?org) (SAMPLE(?ol) AS ?orgLabel)
       (COUNT(DISTINCT ?task) AS ?tasks)
WHERE {{
  ?doc a okg:SourceDocument ;
       dcterms:title ?t .
  OPTIONAL {{ ?doc dcterms:identifier ?id }}
  OPTIONAL {{ ?doc dcterms:issued ?iss }}
  OPTIONAL {{ ?doc okg:planYear ?y }}
  OPTIONAL {{
    ?doc a ?k .
    FILTER(?k IN ({KINDS}))
    BIND(STRAFTER(STR(?k), "#") AS ?kind)
  }}
  OPTIONAL {{ ?doc okg:forOrganization ?o . OPTIONAL {{ ?o skos:prefLabel ?ol }} }}
  OPTIONAL {{ ?task okg:inDocument ?doc ; a okg:Task }}
}}
GROUP BY ?doc
ORDER BY ?year ?title ?doc
"""

DETAILS = """
SELECT ?rel ?target ?label ?file ?sha ?length ?ordinal ?numberLabel
WHERE {
  { ?doc dcterms:creator ?target . BIND("creator" AS ?rel) OPTIONAL { ?target skos:prefLabel ?label } }
  UNION
  { ?doc dcterms:references ?target . BIND("policy" AS ?rel) OPTIONAL { ?target dcterms:title ?label } }
  UNION
  { ?section dcterms:isPartOf ?doc ; a okg:Section . BIND("section" AS ?rel)
    OPTIONAL { ?section dcterms:title ?label } OPTIONAL { ?section okg:ordinal ?ordinal }
    OPTIONAL { ?section okg:numberLabel ?numberLabel }
    OPTIONAL { ?section prov:wasDerivedFrom/oa:hasSelector/oa:start ?s } }
  UNION
  { BIND("file" AS ?rel) OPTIONAL { ?doc okg:sourceFile ?file } OPTIONAL { ?doc okg:sha256 ?sha }
    OPTIONAL { ?doc okg:textLength ?length } }
}
ORDER BY ?rel ?s ?ordinal ?label
"""

TASKS = """
SELECT ?task ?title ?year ?ordinal ?document ?documentTitle
WHERE {
  ?task okg:inDocument ?document ;
        a okg:Task ;
        dcterms:title ?title ;
        okg:ordinal ?ordinal .
  OPTIONAL { ?task okg:planYear ?year }
  ?document dcterms:title ?documentTitle .
}
ORDER BY ?ordinal ?task
"""

IS_DOCUMENT = "SELECT ?d WHERE { ?d a okg:SourceDocument }"


def document(r: dict[str, str | None]) -> Document:
    """A Document from a row of DOCUMENTS."""
    return Document(
        **ref(r["doc"] or "", r["title"], "document").model_dump(),
        title=r["title"] or "",
        identifier=r["identifier"],
        issued=r["issued"],
        year=to_int(r["year"]),
        kinds=split(r["kinds"]),
        organization=ref(r["org"], r["orgLabel"]) if r["org"] else None,
        tasks=to_int(r["tasks"]) or 0,
    )


@router.get("/documents", summary="Source documents, oldest plan first", response_model=Page[Document], responses=RDF)
def list_documents(lookup: Annotated[Lookup, Depends()], paging: Annotated[Paging, Depends()]) -> Response:
    """Every source document with its 文号, dates, kind, organization and number of tasks."""
    media = lookup.media_type()
    items = [document(r) for r in lookup.rows(DOCUMENTS) if r["doc"]]
    page = Page[Document](**lookup.page(items, paging))
    return lookup.respond(page, [d.iri for d in page.items], media)


@router.get("/documents/{doc}", summary="One source document", response_model=DocumentDetail, responses=RDF)
def get_document(doc: str, lookup: Annotated[Lookup, Depends()]) -> Response:
    """A document by id (its 文号 or title as in its IRI, e.g. 国开发-2022-1号), with sections and cited policies."""
    media = lookup.media_type()
    iri = entity_iri("documents", doc)
    rows, details = lookup.rows_many([(DOCUMENTS, {"doc": iri}), (DETAILS, {"doc": iri})])
    if not rows or not rows[0]["doc"]:
        raise ProblemError(404, "Not Found", f"no document with id {doc!r}")
    base = document(rows[0])
    creators: list[Ref] = []
    policies: list[Ref] = []
    sections: list[Section] = []
    files: dict[str, str | None] = {"sourceFile": None, "sha256": None, "textLength": None}
    for d in details:
        rel = d["rel"]
        if rel == "creator" and d["target"]:
            creators.append(ref(d["target"], d["label"]))
        elif rel == "policy" and d["target"]:
            policies.append(ref(d["target"], d["label"], "policy"))
        elif rel == "section":
            sections.append(Section(ordinal=to_int(d["ordinal"]), numberLabel=d["numberLabel"], title=d["label"]))
        elif rel == "file":
            files = {"sourceFile": d["file"], "sha256": d["sha"], "textLength": d["length"]}
    detail = DocumentDetail(
        **base.model_dump(),
        creators=creators,
        policies=policies,
        sections=sections,
        sourceFile=files["sourceFile"],
        sha256=files["sha256"],
        textLength=to_int(files["textLength"]),
    )
    return lookup.respond(detail, [iri], media)


@router.get(
    "/documents/{doc}/tasks", summary="The tasks of a document, in order", response_model=Page[TaskRow], responses=RDF
)
def document_tasks(doc: str, lookup: Annotated[Lookup, Depends()], paging: Annotated[Paging, Depends()]) -> Response:
    """The document's tasks by number."""
    media = lookup.media_type()
    iri = entity_iri("documents", doc)
    rows, found = lookup.rows_many([(TASKS, {"document": iri}), (IS_DOCUMENT, {"d": iri})])
    if not found:
        raise ProblemError(404, "Not Found", f"no document with id {doc!r}")
    page = Page[TaskRow](**lookup.page([task_row(r) for r in rows], paging))
    return lookup.respond(page, [t.iri for t in page.items], media)

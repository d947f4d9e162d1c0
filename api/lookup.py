"""What the lookup resources share: ids and IRIs, links, queries in the worker pool, pages, content negotiation.

Ids. An entity's API id is the part of its IRI (docs/model.md) after the kind, so ids and IRIs convert both
ways without a table:

==============================================  ===========================  ==============================
IRI (under ``https://w3id.org/orgkg/id/``)      API resource                 id
==============================================  ===========================  ==============================
``org/{org}``                                   ``/organizations/{org}``     ``国家开放大学``
``org/{org}/unit/{unit}``                       ``/units/{org}/{unit}``      ``国家开放大学/宣传部``
``org/{org}/person/{name}``                     ``/leaders/{org}/{name}``    ``国家开放大学/曹国永``
``doc/{doc}``                                   ``/documents/{doc}``         ``国开发-2022-1号``
``doc/{doc}/task/{n}``                          ``/tasks/{doc}/{n}``         ``国开发-2022-1号/1``
``programme/{name}``                            ``/programmes/{name}``       ``1233工程``
``policy/{title}``                              ``/policies/{title}``        ``国家开放大学章程``
anything else                                   ``/id/{path}``               the whole path
==============================================  ===========================  ==============================

and every IRI ``https://w3id.org/orgkg/id/{path}`` dereferences at ``/id/{path}``. A cited title that is a
source document's title is that document (docs/model.md): as a policy its id is the document's id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from pyoxigraph import Literal, NamedNode

from api.deps import get_pool, get_settings
from api.models import Page, Ref
from api.pool import WorkerPool
from api.problems import ProblemError
from api.settings import Settings
from orgkg.sparql import JSON_LD, TURTLE, negotiate
from orgkg.stores.base import SelectResult, Term, with_values
from orgkg.vocab import ID_NS, PREFIXES, XSD

JSON = "application/json"
LOOKUP_MEDIA_TYPES = (JSON, JSON_LD, TURTLE)
SPARQL_PREFIXES = "\n".join(f"PREFIX {k}: <{v}>" for k, v in PREFIXES.items()) + "\n"
DEFAULT_PAGE, MAX_PAGE = 50, 500
SEP = "\x1f"  # GROUP_CONCAT separator: a character no label contains

# (pattern of the IRI path, kind, API collection); the groups are the id's segments
_KINDS: list[tuple[re.Pattern[str], str, str | None]] = [
    (re.compile(r"org/([^/]+)/unit/([^/]+)"), "unit", "units"),
    (re.compile(r"org/([^/]+)/person/([^/]+)"), "person", "leaders"),
    (re.compile(r"org/([^/]+)/collective/([^/]+)"), "collective", None),
    (re.compile(r"org/([^/]+)"), "organization", "organizations"),
    (re.compile(r"doc/([^/]+)/task/(\d+)"), "task", "tasks"),
    (re.compile(r"doc/([^/]+)"), "document", "documents"),
    (re.compile(r"programme/([^/]+)"), "programme", "programmes"),
    (re.compile(r"policy/([^/]+)"), "policy", "policies"),
    (re.compile(r"role/([^/]+)"), "role", None),
]
_TEMPLATES = {
    "organizations": "org/{0}",
    "units": "org/{0}/unit/{1}",
    "leaders": "org/{0}/person/{1}",
    "documents": "doc/{0}",
    "tasks": "doc/{0}/task/{1}",
    "programmes": "programme/{0}",
    "policies": "policy/{0}",
}


def href(path: str) -> str:
    """A path percent-encoded for links (the ids themselves stay readable)."""
    return quote(path, safe="/")


def classify(iri: str) -> tuple[str, str, str]:
    """(kind, id, API path) of an entity IRI.

    >>> classify("https://w3id.org/orgkg/id/org/国家开放大学/unit/宣传部")[:2]
    ('unit', '国家开放大学/宣传部')
    """
    if not iri.startswith(ID_NS):
        return "external", iri, iri
    path = iri[len(ID_NS) :]
    for pattern, kind, collection in _KINDS:
        m = pattern.fullmatch(path)
        if m:
            ident = "/".join(m.groups())
            return kind, ident, href(f"/{collection}/{ident}" if collection else f"/id/{path}")
    return "resource", path, href(f"/id/{path}")


def ref(iri: str, label: str | None = None, kind: str | None = None) -> Ref:
    """A link to the entity ``iri``."""
    k, ident, path = classify(iri)
    if kind == "policy" and k == "document":  # a policy that is itself a source document
        path = href(f"/policies/{ident}")
    return Ref(id=ident, iri=iri, href=path, label=label, type=kind or k)


def entity_iri(collection: str, *segments: str) -> str:
    """The IRI of ``/{collection}/{segments}``; 404 when the segments cannot form one."""
    if any(not s or "/" in s for s in segments):
        raise ProblemError(404, "Not Found", f"no {collection[:-1]} with id {'/'.join(segments)!r}")
    iri = ID_NS + _TEMPLATES[collection].format(*segments)
    try:
        NamedNode(iri)
    except ValueError:
        raise ProblemError(404, "Not Found", f"no {collection[:-1]} with id {'/'.join(segments)!r}") from None
    return iri


def to_int(value: str | None) -> int | None:
    """An integer column value (None when unbound or not a number)."""
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def split(value: str | None) -> list[str]:
    """A GROUP_CONCAT column (joined with :data:`SEP`) as a sorted list."""
    return sorted({v for v in (value or "").split(SEP) if v})


class Paging:
    """The ``limit`` and ``offset`` of a list request."""

    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="items per page")] = DEFAULT_PAGE,
        offset: Annotated[int, Query(ge=0, le=10**9, description="items to skip")] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset


class Lookup:
    """Runs lookup queries for one request and shapes the response (a FastAPI dependency)."""

    def __init__(
        self,
        request: Request,
        pool: Annotated[WorkerPool, Depends(get_pool)],
        settings: Annotated[Settings, Depends(get_settings)],
    ) -> None:
        self.request = request
        self.pool = pool
        self.settings = settings
        self.truncated = False

    def media_type(self) -> str:
        """The negotiated media type of the response, or 406."""
        media = negotiate(self.request.headers.get("accept"), LOOKUP_MEDIA_TYPES)
        if media is None:
            raise ProblemError(
                406,
                "Not Acceptable",
                f"this resource is available as {', '.join(LOOKUP_MEDIA_TYPES)}",
                "not-acceptable",
            )
        return media

    def rows(self, query: str, **bindings: str | int | Term) -> list[dict[str, str | None]]:
        """Rows of a SELECT (prefixes added) with variables bound: ``str`` IRIs, ``int`` integers, terms as given."""
        return self.rows_many([(query, bindings)])[0]

    def rows_many(
        self, queries: Sequence[tuple[str, Mapping[str, str | int | Term]]]
    ) -> list[list[dict[str, str | None]]]:
        """Rows of several SELECTs, run together in one worker round trip."""
        texts = [with_values(SPARQL_PREFIXES + q, {k: _term(v) for k, v in b.items()}) for q, b in queries]
        results: list[SelectResult] = self.pool.run(("selects", texts))
        out = []
        for result in results:
            rows = list(result.values())
            if len(rows) > self.settings.row_limit:
                rows, self.truncated = rows[: self.settings.row_limit], True
            out.append(rows)
        return out

    def page(self, items: Sequence[Any], paging: Paging) -> dict[str, Any]:
        """The fields of a Page holding ``items[offset:offset+limit]``, with links to the neighbours."""
        total, limit, offset = len(items), paging.limit, paging.offset
        nxt = self._link(limit, offset + limit) if offset + limit < total else None
        prev = self._link(limit, max(0, offset - limit)) if offset > 0 else None
        page = list(items[offset : offset + limit])
        return {"items": page, "total": total, "limit": limit, "offset": offset, "next": nxt, "prev": prev}

    def _link(self, limit: int, offset: int) -> str:
        params = [(k, v) for k, v in self.request.query_params.multi_items() if k not in ("limit", "offset")]
        params += [("limit", str(limit)), ("offset", str(offset))]
        return f"{href(self.request.url.path)}?{urlencode(params)}"

    def respond(self, model: BaseModel, roots: Iterable[str], media_type: str | None = None) -> Response:
        """The model as JSON, or the description of ``roots`` (the entities shown) as JSON-LD or Turtle."""
        media = media_type or self.media_type()
        headers: dict[str, str] = {"Vary": "Accept"}
        if isinstance(model, Page):
            links = [f'<{u}>; rel="{r}"' for u, r in ((model.next, "next"), (model.prev, "prev")) if u]
            if links:
                headers["Link"] = ", ".join(links)
        if media == JSON:
            response: Response = JSONResponse(model.model_dump(mode="json"), headers=headers)
        else:
            answer = self.pool.run(
                ("sparql", describe_query(roots), media, self.settings.row_limit, False, self.settings.max_answer_bytes)
            )
            self.truncated = self.truncated or answer.truncated
            response = Response(answer.body, media_type=media, headers=headers)
        if self.truncated:
            response.headers["Orgkg-Truncated"] = str(self.settings.row_limit)
        return response


def _term(value: str | int | Term) -> Term:
    if isinstance(value, bool):
        raise TypeError("booleans are not bound here")
    if isinstance(value, int):
        return Literal(str(value), datatype=XSD.integer)
    if isinstance(value, str):
        return NamedNode(value)
    return value


def describe_query(roots: Iterable[str]) -> str:
    """A CONSTRUCT of what the graph says about ``roots``, with their responsibilities, sources and memberships."""
    nodes = " ".join(str(NamedNode(r)) for r in dict.fromkeys(roots))
    if not nodes:
        return "CONSTRUCT WHERE { ?s ?p ?o FILTER(false) }"
    # VALUES in every branch: a UNION branch is evaluated on its own, so it cannot see bindings from outside
    branches = [
        f"{{ VALUES ?s {{ {nodes} }} }}",
        f"{{ VALUES ?root {{ {nodes} }} ?root okg:qualifiedResponsibility ?s }}",
        f"{{ VALUES ?root {{ {nodes} }} ?root okg:qualifiedResponsibility?/prov:wasDerivedFrom ?s }}",
        f"{{ VALUES ?root {{ {nodes} }} ?root okg:qualifiedResponsibility?/prov:wasDerivedFrom/oa:hasSelector ?s }}",
        f"{{ VALUES ?root {{ {nodes} }} ?s org:member ?root }}",
    ]
    return SPARQL_PREFIXES + "CONSTRUCT { ?s ?p ?o } WHERE {\n  " + "\n  UNION ".join(branches) + "\n  ?s ?p ?o\n}"


# Tasks in lists: one row per (task, role, agent), with the quote stating it. Bind ?agent and optionally ?year.
RESPONSIBILITY_ROWS = """
SELECT DISTINCT ?task ?title ?year ?ordinal ?document ?documentTitle ?role ?agent ?agentLabel ?quote ?start
WHERE {
  ?resp prov:agent ?agent ;
        okg:role ?roleIri ;
        prov:wasDerivedFrom ?excerpt .
  ?excerpt oa:hasSelector ?quoteSel, ?posSel .
  ?quoteSel oa:exact ?quote .
  ?posSel oa:start ?start .
  ?task okg:qualifiedResponsibility ?resp ;
        dcterms:title ?title ;
        okg:planYear ?year ;
        okg:ordinal ?ordinal ;
        okg:inDocument ?document .
  ?document dcterms:title ?documentTitle .
  ?roleIri rdfs:label ?role .
  FILTER(LANG(?role) = "en")
  OPTIONAL { ?agent skos:prefLabel ?agentLabel }
}
ORDER BY ?year ?document ?ordinal ?role ?start
"""


def task_row(r: Mapping[str, str | None], mentioned_kind: str | None = None) -> Any:
    """A TaskRow from a row with task, title, year, ordinal, document, documentTitle and optional columns."""
    from api.models import TaskRow

    task = r["task"] or ""
    return TaskRow(
        **ref(task, r["title"]).model_dump(),
        title=r["title"] or "",
        year=to_int(r.get("year")),
        ordinal=to_int(r.get("ordinal")),
        document=_maybe_ref(r.get("document"), r.get("documentTitle")),
        role=r.get("role"),
        agent=_maybe_ref(r.get("agent"), r.get("agentLabel")),
        mentioned=_maybe_ref(r.get("mentioned"), r.get("mentionedLabel"), mentioned_kind),
        quote=r.get("quote"),
        start=to_int(r.get("start")),
    )


def _maybe_ref(iri: str | None, label: str | None, kind: str | None = None) -> Ref | None:
    return None if iri is None else ref(iri, label, kind)

"""The web pages (``/`` and ``/ui/…``): each reads the JSON API in process and renders a Jinja2 template."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api.deps import get_settings, get_store
from api.lookup import Lookup, classify, entity_iri
from api.settings import Settings
from api.web.text import LANGS, Span, role_label, segments, translate
from orgkg.corpus import Cache, read_source_named
from orgkg.queries import QueryError, load_queries
from orgkg.source import SourceError, read_source
from orgkg.stores.base import Store
from orgkg.vocab import PREFIXES

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
VENDOR = STATIC / "vendor"  # YASGUI, vendored from npm by `make web-assets` (git-ignored); absent → plain form
EDITOR_ASSETS = ("yasgui.min.js", "yasgui.min.css")
DATA = HERE.parent.parent / "data"  # the seed documents, where a store built from data/ finds its texts
COOKIE = "orgkg_lang"
SPARQL_JSON = "application/sparql-results+json"
EXAMPLE_SPARQL = """PREFIX okg: <https://w3id.org/orgkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?document ?title ?year WHERE {
  ?document a okg:Document ; dcterms:title ?title .
  OPTIONAL { ?document okg:planYear ?year }
} ORDER BY ?year LIMIT 50"""

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=HERE / "templates")


@dataclass(frozen=True)
class Link:
    """A piece of a table cell: text, optionally a link."""

    text: str
    href: str | None = None


@dataclass
class Table:
    """A table of links; each cell holds one or more links (or plain texts)."""

    title: str
    headers: list[str]
    rows: list[list[list[Link]]] = field(default_factory=list)
    quote_column: int | None = None  # the column holding source quotes, styled as such


def ui(api_href: str | None) -> str | None:
    """The page of an entity from its API path (``/tasks/…`` → ``/ui/tasks/…``); other paths stay JSON.

    >>> ui("/tasks/%E5%9B%BD/1"), ui("/id/role/x"), ui(None)
    ('/ui/tasks/%E5%9B%BD/1', '/id/role/x', None)
    """
    if api_href is None:
        return None
    kinds = ("/organizations/", "/units/", "/leaders/", "/tasks/", "/documents/", "/programmes/", "/policies/")
    return "/ui" + api_href if api_href.startswith(kinds) else api_href


_WEB_IRI = re.compile(r"https?://[^\s]", re.IGNORECASE)


def iri_link(iri: str, label: str | None = None) -> Link:
    """A link to the page of the entity ``iri``; an IRI of another site is linked only if it is http(s).

    Query results hold any IRI a caller writes (``BIND(IRI("javascript:alert(1)") AS ?x)``): a link made of it
    would run in this site's pages. So other schemes are shown as text.

    >>> iri_link("javascript:alert(1)"), iri_link("HTTPS://example.org/x").href
    (Link(text='javascript:alert(1)', href=None), 'HTTPS://example.org/x')
    """
    kind, ident, path = classify(iri)
    if kind != "external":
        return Link(label or ident, ui(path))
    return Link(label or ident, iri if _WEB_IRI.match(iri) else None)


def ref_link(ref: Mapping[str, Any] | None) -> list[Link]:
    """A cell linking to an API ``Ref`` (empty when there is none)."""
    if not ref:
        return []
    return [Link(str(ref.get("label") or ref.get("id") or ""), ui(ref.get("href")))]


def lang_of(request: Request) -> str:
    """The page language: ``?lang=`` first, then the cookie, else Chinese."""
    lang = request.query_params.get("lang") or request.cookies.get(COOKIE) or "zh"
    return lang if lang in LANGS else "zh"


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page in the request's language; ``?lang=`` is remembered in a cookie."""
    lang = lang_of(request)
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    here = quote(request.url.path)
    switch = {code: f"{here}?{urlencode([*params, ('lang', code)])}" for code in LANGS}
    response = templates.TemplateResponse(
        request,
        template,
        {"lang": lang, "t": lambda key: translate(key, lang), "role": lambda r: role_label(r, lang), **context}
        | {"switch": switch},
        status_code=status,
    )
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


class ApiError(Exception):
    """The JSON API answered an error; the page shows its problem document."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


async def api(
    request: Request,
    path: str,
    params: Iterable[tuple[str, str]] | Mapping[str, str] = (),
    *,
    accept: str = "application/json",
    form: Mapping[str, str] | None = None,
) -> httpx.Response:
    """A response of this app's JSON API (in process); errors raise ApiError."""
    transport = httpx.ASGITransport(app=request.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://orgkg.internal") as client:
        if form is None:
            r = await client.get(
                path, params=list(params.items() if isinstance(params, Mapping) else params), headers={"accept": accept}
            )
        else:
            r = await client.post(path, data=dict(form), headers={"accept": accept})
    if r.status_code >= 400:
        try:
            detail = str(r.json().get("detail") or r.text)
        except ValueError:
            detail = r.text
        raise ApiError(r.status_code, detail)
    return r


async def api_json(request: Request, path: str, **params: str | int) -> Any:
    """The JSON body of an API resource."""
    return (await api(request, path, {k: str(v) for k, v in params.items()})).json()


def _path(*segments: str) -> str:
    return "/" + "/".join(quote(s, safe="") for s in segments)


def error_page(request: Request, exc: ApiError) -> HTMLResponse:
    return render(
        request, "error.html", status=exc.status, heading=translate("error", lang_of(request)), detail=exc.detail
    )


# ---------------------------------------------------------------------------------------------------- home


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> Response:
    """Search box, the named-query gallery with a form per query, a SPARQL form, and what there is to browse."""
    try:
        gallery = list(load_queries(settings.queries).values())
    except QueryError:
        gallery = []
    try:
        orgs = (await api_json(request, "/organizations", limit=500))["items"]
        docs = (await api_json(request, "/documents", limit=500))["items"]
        programmes = (await api_json(request, "/programmes", limit=500))["items"]
    except ApiError as exc:
        return error_page(request, exc)
    return render(
        request,
        "home.html",
        gallery=gallery,
        sparql=EXAMPLE_SPARQL,
        organizations=[ref_link(o)[0] for o in orgs],
        plans={ref_link(o)[0].text: o.get("documents", 0) for o in orgs},
        documents=[ref_link(d)[0] for d in docs],
        programmes=[ref_link(p)[0] for p in programmes if not p.get("broader")],
    )


@router.get("/ui", response_class=HTMLResponse)
async def ui_root() -> Response:
    return RedirectResponse("/")


@router.get("/ui/search", response_class=HTMLResponse)
async def search(request: Request) -> Response:
    """Hits of ``/search`` as links to their pages."""
    q = request.query_params.get("q", "").strip()
    hits: list[dict[str, Any]] = []
    if q:
        try:
            hits = (await api_json(request, "/search", q=q, limit=200))["items"]
        except ApiError as exc:
            return error_page(request, exc)
    table = Table(translate("results", lang_of(request)), ["", "", ""])
    for h in hits:
        table.rows.append([ref_link(h), [Link(h.get("type", ""))], [Link(f"{h.get('matched')} ({h.get('via')})")]])
    return render(request, "search.html", q=q, table=table, total=len(hits))


# ------------------------------------------------------------------------------------------------- queries


def _cells(row: Mapping[str, Mapping[str, str]], columns: list[str]) -> list[list[Link]]:
    """A result row's cells; an IRI shows its label column if there is one (``documentTitle``, ``title`` …)."""
    out: list[list[Link]] = []
    for i, c in enumerate(columns):
        term = row.get(c)
        if term is None:
            out.append([])
        elif term.get("type") == "uri":
            names = [f"{c}Label", f"{c}Title", *(("title", "label") if i == 0 else ())]
            label = next((row[n]["value"] for n in names if n in row), None)
            out.append([iri_link(term["value"], label)])
        else:
            out.append([Link(term.get("value", ""))])
    return out


def results_table(title: str, body: Mapping[str, Any]) -> Table:
    """SPARQL JSON results as a table (IRIs link to their pages)."""
    columns = list(body.get("head", {}).get("vars", []))
    table = Table(title, columns)
    table.rows = [_cells(b, columns) for b in body.get("results", {}).get("bindings", [])]
    if "quote" in columns:
        table.quote_column = columns.index("quote")
    return table


@router.get("/ui/queries/{name}", response_class=HTMLResponse)
async def run_query(name: str, request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> Response:
    """A named query run with the parameters in the query string: a table, a CSV link; the URL is shareable."""
    gallery = load_queries(settings.queries)
    q = gallery.get(name)
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang" and v.strip()]
    if q is None:
        return error_page(request, ApiError(404, f"no named query {name!r}"))
    try:
        body = (await api(request, f"/queries/{quote(name)}", params)).json()
    except ApiError as exc:
        return error_page(request, exc)
    table = results_table(q.summary, body)
    csv = f"/ui/queries/{quote(name)}/csv" + (f"?{urlencode(params)}" if params else "")
    return render(
        request,
        "results.html",
        query=q,
        values=dict(params),
        table=table,
        csv=csv,
        json=f"/queries/{quote(name)}" + (f"?{urlencode(params)}" if params else ""),
    )


@router.get("/ui/queries/{name}/csv")
async def query_csv(name: str, request: Request) -> Response:
    """The same results as CSV, as a download (a link cannot set ``Accept: text/csv``)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang" and v.strip()]
    try:
        r = await api(request, f"/queries/{quote(name)}", params, accept="text/csv")
    except ApiError as exc:
        return Response(exc.detail, status_code=exc.status, media_type="text/plain; charset=utf-8")
    return Response(
        r.content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def editor_available() -> bool:
    """Whether ``make web-assets`` vendored the SPARQL editor (YASGUI) into ``static/vendor/``."""
    return all((VENDOR / name).is_file() for name in EDITOR_ASSETS)


def sparql_gallery(settings: Settings) -> list[dict[str, Any]]:
    """The named queries for the SPARQL page: summary, description, parameters, and the query text."""
    try:
        queries = load_queries(settings.queries).values()
    except QueryError:
        return []
    return [
        {
            "name": q.name,
            "summary": q.summary,
            "description": q.description,
            "parameters": [
                {"name": p.name, "variable": p.variable, "required": p.required, "description": p.description}
                for p in q.parameters
            ],
            "text": q.text,
            "href": f"/ui/sparql?{urlencode({'query': q.text})}",
        }
        for q in queries
    ]


@router.get("/ui/sparql", response_class=HTMLResponse)
async def sparql(request: Request, settings: Annotated[Settings, Depends(get_settings)]) -> Response:
    """Any SELECT or ASK, shown as a table; the query travels in the URL, so the page can be shared.

    With the vendored YASGUI the same page becomes an editor (highlighting, prefix completion, results table
    with CSV download) over ``/sparql``; without JavaScript or the vendored files it stays a plain form.
    """
    text = request.query_params.get("query", "").strip() or EXAMPLE_SPARQL
    page: dict[str, Any] = {
        "gallery": sparql_gallery(settings),
        "editor": editor_available(),
        "editor_config": {"endpoint": "/sparql", "prefixes": PREFIXES, "query": text},
    }
    table: Table | None = None
    answer: str | None = None
    if request.query_params.get("query"):
        try:
            r = await api(request, "/sparql", {"query": text}, accept=f"{SPARQL_JSON}, text/turtle;q=0.5")
        except ApiError as exc:
            return render(
                request,
                "sparql.html",
                status=exc.status,
                text=text,
                table=None,
                answer=None,
                error=exc.detail,
                **page,
            )
        if r.headers.get("content-type", "").startswith(SPARQL_JSON):
            body = r.json()
            if "boolean" in body:
                answer = str(body["boolean"]).lower()
            else:
                table = results_table(translate("results", lang_of(request)), body)
        else:
            answer = r.text
    return render(request, "sparql.html", text=text, table=table, answer=answer, error=None, **page)


# ---------------------------------------------------------------------------------------------- task pages

DOC_TASK_SPANS = """
SELECT ?task ?title ?start ?end WHERE {
  ?task a okg:Task ; okg:inDocument ?document ; dcterms:title ?title ;
        prov:wasDerivedFrom/oa:hasSelector ?sel .
  ?sel oa:start ?start ; oa:end ?end .
} ORDER BY ?start
"""

TASK_UNITS = """
SELECT ?task ?role ?agent ?agentLabel WHERE {
  ?task okg:qualifiedResponsibility ?resp .
  ?resp okg:role/rdfs:label ?role ; prov:agent ?agent .
  FILTER(LANG(?role) = "en")
  OPTIONAL { ?agent skos:prefLabel ?agentLabel }
} ORDER BY ?role ?agentLabel
"""


def document_text(store: Store, settings: Settings, doc: Mapping[str, Any]) -> str | None:
    """The text a document's offsets index: from the source cache (by hash), else the seed file of that name."""
    sha, name = doc.get("sha256"), doc.get("sourceFile")
    if not sha or not name:
        return None
    folders = [settings.cache] if settings.cache else []
    directory = getattr(store, "directory", None)
    if isinstance(directory, Path):
        folders.append(directory / "cache")
    try:
        for folder in folders:
            cached = Cache(folder).folder / f"{sha}.src"
            if cached.is_file():
                return read_source_named(cached, name).text
        seed = DATA / Path(name).name
        if seed.is_file() and hashlib.sha256(seed.read_bytes()).hexdigest() == sha:
            return read_source(seed).text
    except (OSError, SourceError):
        return None
    return None


@router.get("/ui/tasks/{doc}/{number}", response_class=HTMLResponse)
async def task_page(
    doc: str,
    number: str,
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """A task: its responsibilities with their quotes, and the task highlighted in its document's text."""
    try:
        task = await api_json(request, _path("tasks", doc, number))
        document = await api_json(request, _path("documents", doc))
    except ApiError as exc:
        return error_page(request, exc)
    text = document_text(store, settings, document)
    lang = lang_of(request)
    source = task.get("source") or {}
    spans = []
    if source.get("end") is not None:
        spans.append(Span(source["start"], source["end"], "task", anchor="hl"))
    table = Table(
        translate("responsibilities", lang), [translate(k, lang) for k in ("role", "agent", "scope", "quote")]
    )
    table.quote_column = 3
    for r in task.get("responsibilities", []):
        src = r.get("source") or {}
        if src.get("end") is not None:
            spans.append(Span(src["start"], src["end"], "quote"))
        table.rows.append(
            [
                [Link(role_label(r["role"], lang))],
                ref_link(r["agent"]),
                [Link(r.get("scope") or "")],
                [Link(src.get("quote") or "")],
            ]
        )
    excerpt = None
    if text is not None and spans:
        lo = max(0, min(s.start for s in spans) - 400)
        hi = min(len(text), max(s.end for s in spans) + 400)
        shifted = [Span(s.start - lo, s.end - lo, s.kind, anchor=s.anchor) for s in spans]
        excerpt = {"before": lo > 0, "after": hi < len(text), "segments": segments(text[lo:hi], shifted)}
    related = {
        k: [ref_link(x)[0] for x in task.get(k, [])] for k in ("policies", "programmes", "continues", "continuedBy")
    }
    return render(
        request,
        "task.html",
        task=task,
        document=document,
        table=table,
        excerpt=excerpt,
        related=related,
        doc_link=ref_link(task["document"])[0],
        org_link=next(iter(ref_link(task.get("organization"))), None),
    )


@router.get("/ui/documents/{doc}", response_class=HTMLResponse)
async def document_page(
    doc: str,
    request: Request,
    lookup: Annotated[Lookup, Depends()],
    store: Annotated[Store, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """A document: its facts, its tasks, and its text with every extracted task marked and linked."""
    try:
        document = await api_json(request, _path("documents", doc))
        tasks = (await api_json(request, _path("documents", doc, "tasks"), limit=500))["items"]
    except ApiError as exc:
        return error_page(request, exc)
    lang = lang_of(request)
    iri = entity_iri("documents", doc)
    spans = [
        Span(int(r["start"] or 0), int(r["end"] or 0), "task", href=iri_link(r["task"] or "").href)
        for r in lookup.rows(DOC_TASK_SPANS, document=iri)
    ]
    text = document_text(store, settings, document)
    table = Table(translate("tasks", lang), ["#", translate("tasks", lang)])
    table.rows = [[[Link(str(t.get("ordinal") or ""))], ref_link(t)] for t in tasks]
    facts = [
        (translate("organization", lang), ref_link(document.get("organization"))),
        (translate("year", lang), [Link(str(document.get("year") or ""))]),
        ("文号" if lang == "zh" else "Number", [Link(document.get("identifier") or "")]),
        ("发布日期" if lang == "zh" else "Issued", [Link(document.get("issued") or "")]),
        (translate("source", lang), [Link(document.get("sourceFile") or "")]),
        (translate("policies", lang), [ref_link(p)[0] for p in document.get("policies", [])]),
    ]
    return render(
        request,
        "document.html",
        heading=document["title"],
        document=document,
        facts=facts,
        tables=[table],
        text_segments=None if text is None else segments(text, spans),
        json=document["href"],
    )


# ------------------------------------------------------------------------------------------- other pages


def picture_links(picture: str, lang: str, *, years: list[int] | None = None, **params: str) -> list[Link]:
    """A link to a picture of the entity (``/ui/pictures/…``); a comparison needs two years."""
    names = {"network": ("职责网络图", "Responsibility network"), "programme": ("结构图", "Tree")}
    if picture == "compare":
        if years is None or len(set(years)) < 2:
            return []
        params |= {"from": str(min(years)), "to": str(max(years))}
        names["compare"] = (f"{min(years)}–{max(years)} 分管对比图", f"Leaders {min(years)}–{max(years)}")
    text = names[picture][0 if lang == "zh" else 1]
    return [Link(text, f"/ui/pictures/{picture}?{urlencode(params)}")]


def task_rows_by_year(
    items: list[dict[str, Any]], lang: str, units: Mapping[str, list[Link]] | None = None
) -> list[Table]:
    """Task rows (TaskRow) as one table per year, newest first."""
    by_year: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for t in items:
        by_year[t.get("year") or 0].append(t)
    headers = [translate(k, lang) for k in ("tasks", "role", "document", "quote")]
    if units is not None:
        headers.insert(2, translate("units", lang))
    tables = []
    for year in sorted(by_year, reverse=True):
        table = Table(f"{year or '?'}", headers, quote_column=len(headers) - 1)
        for t in by_year[year]:
            row = [
                ref_link(t),
                [Link(role_label(t.get("role"), lang))],
                ref_link(t.get("document")),
                [Link(t.get("quote") or "")],
            ]
            if units is not None:
                row.insert(2, units.get(t["iri"], []))
            table.rows.append(row)
        tables.append(table)
    return tables


@router.get("/ui/leaders/{org}/{name}", response_class=HTMLResponse)
async def leader_page(org: str, name: str, request: Request, lookup: Annotated[Lookup, Depends()]) -> Response:
    """A leader: posts, and the tasks supervised by year with the units that lead or carry them out."""
    try:
        leader = await api_json(request, _path("leaders", org, name))
        tasks = (await api_json(request, _path("leaders", org, name, "tasks"), limit=500))["items"]
    except ApiError as exc:
        return error_page(request, exc)
    lang = lang_of(request)
    units: dict[str, list[Link]] = {}
    if tasks:
        results = lookup.rows_many([(TASK_UNITS, {"task": t["iri"]}) for t in tasks])
        for t, rows in zip(tasks, results, strict=True):
            units[t["iri"]] = [
                Link(f"{r['agentLabel'] or ''}（{role_label(r['role'], lang)}）", iri_link(r["agent"] or "").href)
                for r in rows
                if r["role"] != "supervising leader"
            ]
    facts = [
        (translate("organization", lang), ref_link(leader.get("organization"))),
        ("拼音" if lang == "zh" else "Pinyin", [Link(leader.get("pinyin") or "")]),
        (translate("posts", lang), [Link(p["role"]) for p in leader.get("posts", [])]),
        (translate("year", lang), [Link(str(y)) for y in leader.get("years", [])]),
    ]
    return render(
        request,
        "entity.html",
        heading=leader["label"],
        facts=facts,
        tables=task_rows_by_year(tasks, lang, units),
        json=leader["href"],
        pictures=picture_links("compare", lang, organization=org, years=leader.get("years") or []),
    )


@router.get("/ui/units/{org}/{unit}", response_class=HTMLResponse)
async def unit_page(org: str, unit: str, request: Request) -> Response:
    """A unit: what it leads, is responsible for and takes part in, by year, with the quotes."""
    try:
        found = await api_json(request, _path("units", org, unit))
        tasks = (await api_json(request, _path("units", org, unit, "tasks"), limit=500))["items"]
    except ApiError as exc:
        return error_page(request, exc)
    lang = lang_of(request)
    facts = [
        (translate("organization", lang), ref_link(found.get("organization"))),
        (translate("aliases", lang), [Link(a) for a in found.get("aliases", [])]),
        (translate("kind", lang), [Link(found.get("kind") or "")]),
    ]
    return render(
        request,
        "entity.html",
        heading=found["label"],
        facts=facts,
        tables=task_rows_by_year(tasks, lang),
        json=found["href"],
    )


@router.get("/ui/organizations/{org}", response_class=HTMLResponse)
async def organization_page(org: str, request: Request) -> Response:
    """An organization: its units."""
    try:
        found = await api_json(request, _path("organizations", org))
        units = (await api_json(request, _path("organizations", org, "units"), limit=500))["items"]
    except ApiError as exc:
        return error_page(request, exc)
    lang = lang_of(request)
    table = Table(
        translate("units", lang), [translate("units", lang), translate("kind", lang), translate("tasks", lang)]
    )
    table.rows = [[ref_link(u), [Link(u.get("kind") or "")], [Link(str(u.get("tasks", 0)))]] for u in units]
    facts = [(translate("aliases", lang), [Link(a) for a in found.get("aliases", [])])]
    return render(
        request,
        "entity.html",
        heading=found["label"],
        facts=facts,
        tables=[table],
        json=found["href"],
        pictures=picture_links("network", lang, organization=org),
    )


@router.get("/ui/programmes/{name}", response_class=HTMLResponse)
async def programme_page(name: str, request: Request) -> Response:
    """A programme: its parts as a tree (at any depth) and the tasks that mention it or its parts."""
    try:
        found = await api_json(request, _path("programmes", name))
        parts = (await api_json(request, _path("programmes", name, "parts"), limit=500))["items"]
        tasks = (await api_json(request, _path("programmes", name, "tasks"), limit=500))["items"]
    except ApiError as exc:
        return error_page(request, exc)
    lang = lang_of(request)
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in parts:
        children[p["parent"]["iri"]].append(p["part"])

    def tree(iri: str, label: str, href: str | None, depth: int = 0) -> dict[str, Any]:
        kids = [] if depth > 8 else children.get(iri, [])
        return {
            "link": Link(label, href),
            "children": [tree(k["iri"], k["label"] or k["id"], ui(k["href"]), depth + 1) for k in kids],
        }

    facts = [
        ("类别" if lang == "zh" else "Category", [Link(found.get("category") or "")]),
        ("上级" if lang == "zh" else "Part of", ref_link(found.get("broader"))),
        ("定义于" if lang == "zh" else "Defined in", ref_link(found.get("definedIn"))),
    ]
    table = Table(
        translate("tasks", lang), [translate(k, lang) for k in ("tasks", "year", "document", "quote")], quote_column=3
    )
    table.rows = [
        [ref_link(t), [Link(str(t.get("year") or ""))], ref_link(t.get("document")), [Link(t.get("quote") or "")]]
        for t in tasks
    ]
    return render(
        request,
        "entity.html",
        heading=found["label"],
        facts=facts,
        tables=[table],
        json=found["href"],
        tree=tree(found["iri"], found["label"], None),
        pictures=picture_links("programme", lang, programme=name),
    )


@router.get("/ui/policies/{title}", response_class=HTMLResponse)
async def policy_page(title: str, request: Request) -> Response:
    """A cited policy: where it is cited, with the quotes."""
    try:
        found = await api_json(request, _path("policies", title))
        cites = (await api_json(request, _path("policies", title, "tasks"), limit=500))["items"]
    except ApiError as exc:
        return error_page(request, exc)
    lang = lang_of(request)
    facts = [
        (translate("aliases", lang), [Link(a) for a in found.get("aliases", [])]),
        ("发布者" if lang == "zh" else "Issued by", [ref_link(c)[0] for c in found.get("creators", [])]),
    ]
    table = Table(
        translate("citations", lang),
        [translate(k, lang) for k in ("tasks", "year", "document", "quote")],
        quote_column=3,
    )
    table.rows = [
        [
            ref_link(c.get("task") or c),
            [Link(str(c.get("year") or ""))],
            ref_link(c.get("document")),
            [Link(c.get("quote") or "")],
        ]
        for c in cites
    ]
    return render(request, "entity.html", heading=found["title"], facts=facts, tables=[table], json=found["href"])


@router.get("/ui/validation", response_class=HTMLResponse)
async def validation_page(request: Request) -> Response:
    """The SHACL report: each result linked to the page of its focus node (where its source quote is)."""
    lang = lang_of(request)
    try:
        report = await api_json(request, "/validation", limit=500, lang=lang)
    except ApiError as exc:
        if exc.status == 404:
            return render(request, "validation.html", report=None, table=None)
        return error_page(request, exc)
    table = Table(
        translate("validation", lang), [translate(k, lang) for k in ("severity", "rule", "focus", "message", "value")]
    )
    for r in report["results"]["items"]:
        focus = r.get("focusNode")
        table.rows.append(
            [
                [Link(r["severity"])],
                [Link(r.get("rule") or "")],
                [iri_link(focus)] if focus else [],
                [Link(r.get("message") or "")],
                [Link(r.get("value") or "")],
            ]
        )
    return render(request, "validation.html", report=report, table=table)

"""Pictures (``/ui/pictures/…``): SVG drawn in Python with a fixed layout, inline in a page (no JavaScript).

* ``network?organization=&year=``: leaders (left) → tasks (middle) → units (right) for one plan year;
* ``compare?organization=&from=&to=``: tasks supervised per leader in two plans, as paired bars, and the
  tasks whose supervising leader changed (the named query ``portfolio-changes``);
* ``programme?programme=``: a programme, its parts at any depth, and the tasks mentioning each.

The same layout always comes out of the same graph: every list is sorted before it is placed. ``format=svg``
answers the picture alone (``image/svg+xml``).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from api.deps import get_pool, get_settings
from api.lookup import Lookup, to_int
from api.pool import WorkerPool
from api.settings import Settings
from api.web.pages import ApiError, Link, _path, api_json, error_page, iri_link, lang_of, render, ui
from orgkg.queries import QueryError, get_query
from orgkg.stores.base import SelectResult, with_values

router = APIRouter(include_in_schema=False)

FONT = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
LEADER, TASK, UNIT, PROGRAMME = "#2f6f9f", "#555", "#b5522b", "#4b7f3a"
YEAR_COLOURS = ("#9db8d3", "#2f6f9f")

ORG_YEARS = """
SELECT DISTINCT ?year WHERE { ?task a okg:Task ; okg:forOrganization ?org ; okg:planYear ?year }
ORDER BY ?year
"""

NETWORK = """
SELECT ?task ?title ?ordinal ?role ?agent ?agentLabel WHERE {
  ?task a okg:Task ; okg:forOrganization ?org ; okg:planYear ?year ; dcterms:title ?title ;
        okg:qualifiedResponsibility ?resp .
  ?resp okg:role ?role ; prov:agent ?agent .
  OPTIONAL { ?task okg:ordinal ?ordinal }
  OPTIONAL { ?agent skos:prefLabel ?agentLabel }
}
"""

SUPERVISED = """
SELECT ?leader (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?task) AS ?tasks) WHERE {
  ?task a okg:Task ; okg:forOrganization ?org ; okg:planYear ?year ; okg:qualifiedResponsibility ?resp .
  ?resp okg:role okg:SupervisingLeader ; prov:agent ?leader .
  OPTIONAL { ?leader skos:prefLabel ?l }
}
GROUP BY ?leader
"""

OKG = "https://w3id.org/orgkg/ontology#"


# ------------------------------------------------------------------------------------------------ drawing


def text_width(text: str, size: float) -> float:
    """The width of ``text`` at ``size`` px, estimated: a CJK character is square, others about half."""
    return sum(size if ord(c) > 0x2E80 else size * 0.58 for c in text)


def clip(text: str, width: float, size: float) -> str:
    """``text`` cut (with …) to fit ``width`` px at ``size`` px.

    >>> clip("学习宣传党的创新理论", 60, 12), clip("abc", 60, 12)
    ('学习宣传…', 'abc')
    """
    if text_width(text, size) <= width:
        return text
    out = ""
    for c in text:
        if text_width(out + c + "…", size) > width:
            break
        out += c
    return out + "…"


@dataclass
class Svg:
    """An SVG document being drawn; ``str()`` gives the markup (every text escaped)."""

    width: float
    height: float
    parts: list[str] = field(default_factory=list)

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float = 13,
        anchor: str = "start",
        fill: str = "#222",
        bold: bool = False,
    ) -> None:
        weight = ' font-weight="bold"' if bold else ""
        self.add(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}"'
            f' dominant-baseline="middle"{weight}>{escape(text)}</text>'
        )

    def node(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        label: str,
        href: str | None,
        *,
        colour: str,
        title: str | None = None,
        size: float = 13,
        css: str = "node",
    ) -> None:
        """A labelled box centred vertically on ``y``, linked to ``href``; the full name shows on hover."""
        shown = clip(label, w - 12, size)
        inner = (
            f"<title>{escape(title or label)}</title>"
            f'<rect x="{x:.1f}" y="{y - h / 2:.1f}" width="{w:.1f}" height="{h:.1f}" rx="4"'
            f' fill="#fff" stroke="{colour}" stroke-width="1.2"/>'
            f'<text x="{x + 6:.1f}" y="{y:.1f}" font-size="{size}" fill="{colour}"'
            f' dominant-baseline="middle">{escape(shown)}</text>'
        )
        if href:
            self.add(f'<a class="{css}" href="{escape(href)}">{inner}</a>')
        else:
            self.add(f'<g class="{css}">{inner}</g>')

    def edge(self, x1: float, y1: float, x2: float, y2: float, *, colour: str, width: float, dash: str = "") -> None:
        """A curve from (x1, y1) to (x2, y2), horizontal at both ends."""
        mid = (x1 + x2) / 2
        dashing = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(
            f'<path d="M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}" fill="none"'
            f' stroke="{colour}" stroke-width="{width}" stroke-opacity="0.7"{dashing}/>'
        )

    def __str__(self) -> str:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="picture" role="img" width="{self.width:.0f}"'
            f' height="{self.height:.0f}" viewBox="0 0 {self.width:.0f} {self.height:.0f}"'
            f' style="max-width:100%;height:auto" font-family="{escape(FONT)}">'
            f'<rect width="100%" height="100%" fill="#fff"/>' + "".join(self.parts) + "</svg>"
        )


def spread(count: int, top: float, height: float) -> list[float]:
    """``count`` centres spaced evenly over ``height`` from ``top``."""
    return [top + (i + 0.5) * height / count for i in range(count)] if count else []


def answer(request: Request, svg: Svg, template: str, **context: Any) -> Response:
    """The picture in its page, or alone with ``format=svg``."""
    if request.query_params.get("format") == "svg":
        return Response('<?xml version="1.0" encoding="utf-8"?>\n' + str(svg), media_type="image/svg+xml")
    return render(request, template, svg=Markup(str(svg)), **context)  # every text in it is escaped


def zh(request: Request, chinese: str, english: str) -> str:
    return chinese if lang_of(request) == "zh" else english


async def organization_of(request: Request) -> dict[str, Any]:
    """The organization named by ``?organization=`` (ApiError 400 or 404 when missing or unknown)."""
    name = request.query_params.get("organization", "").strip()
    if not name:
        raise ApiError(400, "parameter 'organization' is required")
    found: dict[str, Any] = await api_json(request, _path("organizations", name))
    return found


def year_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    value = to_int(raw) if raw.lstrip("-").isdigit() else None
    if value is None:
        raise ApiError(400, f"parameter {name!r}: expected a year, got {raw!r}")
    return value


# ------------------------------------------------------------------------------------------------ network


@dataclass
class Net:
    """The nodes and edges of one organization's plan for one year."""

    tasks: dict[str, tuple[int, str]] = field(default_factory=dict)  # iri → (ordinal, title)
    labels: dict[str, str] = field(default_factory=dict)
    leads: set[tuple[str, str]] = field(default_factory=set)  # (leader, task)
    units: dict[tuple[str, str], bool] = field(default_factory=dict)  # (task, unit) → is a lead unit


def network_of(rows: Iterable[Mapping[str, str | None]]) -> Net:
    net = Net()
    for r in rows:
        task, agent, role = r["task"] or "", r["agent"] or "", r["role"] or ""
        net.tasks[task] = (to_int(r["ordinal"]) or 0, r["title"] or "")
        net.labels[agent] = r["agentLabel"] or agent.rsplit("/", 1)[-1]
        if role == OKG + "SupervisingLeader":
            net.leads.add((agent, task))
        elif role in (OKG + "LeadUnit", OKG + "ResponsibleUnit"):
            lead = role == OKG + "LeadUnit"
            net.units[(task, agent)] = net.units.get((task, agent), False) or lead
    return net


def draw_network(net: Net, lang: str) -> Svg:
    """Leaders left, tasks in the middle (grouped by leader), units right; lead-unit edges drawn stronger."""
    task_key = {t: (o, t) for t, (o, _) in net.tasks.items()}
    leaders = sorted(
        {lead for lead, _ in net.leads}, key=lambda x: (min(task_key[t] for y, t in net.leads if y == x), x)
    )
    rank = {x: i for i, x in enumerate(leaders)}
    first_leader = {t: min((rank[x] for x, y in net.leads if y == t), default=len(leaders)) for t in net.tasks}
    tasks = sorted(net.tasks, key=lambda t: (first_leader[t], task_key[t]))
    row = {t: i for i, t in enumerate(tasks)}
    unit_rows: dict[str, list[int]] = defaultdict(list)
    for t, u in net.units:
        unit_rows[u].append(row[t])
    units = sorted(unit_rows, key=lambda u: (sum(unit_rows[u]) / len(unit_rows[u]), net.labels[u], u))

    step, top = 24, 70
    height = top + max(len(tasks), 1) * step + 20
    width, box_h = 1360, 20
    lx, lw, tx, tw, ux, uw = 20, 150, 420, 500, 1160, 180
    svg = Svg(width, height)
    for col_x, text in (
        (lx, "分管领导" if lang == "zh" else "Leaders"),
        (tx, "任务" if lang == "zh" else "Tasks"),
        (ux, "部门" if lang == "zh" else "Units"),
    ):
        svg.text(col_x, 20, text, size=15, bold=True)
    legend = (
        ("分管", "supervises", LEADER, 1.4, ""),
        ("牵头", "leads", UNIT, 2.6, ""),
        ("负责", "responsible", "#6f8199", 1.2, "4 3"),
    )
    for i, (zh_text, en_text, colour, w, dash) in enumerate(legend):
        key_x = 560 + i * 150
        svg.edge(key_x, 20, key_x + 40, 20, colour=colour, width=w, dash=dash)
        svg.text(key_x + 48, 20, zh_text if lang == "zh" else en_text, size=12, fill="#444")

    ty = {t: top + (row[t] + 0.5) * step for t in tasks}
    # a leader sits at the middle of their tasks, pushed down when that would crowd the one above
    ly: dict[str, float] = {}
    for x in leaders:
        mine = [ty[t] for y, t in net.leads if y == x]
        ly[x] = (min(mine) + max(mine)) / 2
    for a, b in itertools.pairwise(leaders):
        if ly[b] - ly[a] < step:
            ly[b] = ly[a] + step
    uy = dict(zip(units, spread(len(units), top, len(tasks) * step), strict=True))

    for x, t in sorted(net.leads):
        svg.edge(lx + lw, ly[x], tx, ty[t], colour=LEADER, width=1.4)
    for (t, u), lead in sorted(net.units.items()):
        if lead:
            svg.edge(tx + tw, ty[t], ux, uy[u], colour=UNIT, width=2.6)
        else:
            svg.edge(tx + tw, ty[t], ux, uy[u], colour="#6f8199", width=1.2, dash="4 3")
    for x in leaders:
        svg.node(lx, ly[x], lw, box_h, net.labels[x], iri_link(x).href, colour=LEADER, css="leader")
    for t in tasks:
        ordinal, title = net.tasks[t]
        svg.node(tx, ty[t], tw, box_h, f"{ordinal}. {title}", iri_link(t).href, colour=TASK, size=12, css="task")
    for u in units:
        svg.node(ux, uy[u], uw, box_h, net.labels[u], iri_link(u).href, colour=UNIT, css="unit")
    if not tasks:
        svg.text(width / 2, top + 10, "（无任务）" if lang == "zh" else "(no tasks)", anchor="middle")
    return svg


@router.get("/ui/pictures/network", response_class=HTMLResponse)
async def network(request: Request, lookup: Annotated[Lookup, Depends()]) -> Response:
    """Who supervises which task and which units carry it out, for one organization's plan of one year."""
    try:
        org = await organization_of(request)
        year = year_param(request, "year")
        years = [to_int(r["year"]) or 0 for r in lookup.rows(ORG_YEARS, org=org["iri"])]
        if year is None and years:
            year = years[-1]
        if year not in years:
            raise ApiError(404, f"no plan of {org['label']} for {year}")
    except ApiError as exc:
        return error_page(request, exc)
    net = network_of(lookup.rows(NETWORK, org=org["iri"], year=year))
    lang = lang_of(request)
    name = org["label"]
    other_years = [Link(str(y), _here("network", organization=name, year=y)) for y in years]
    return answer(
        request,
        draw_network(net, lang),
        "picture_network.html",
        heading=f"{name} {year} · " + zh(request, "职责网络", "responsibilities"),
        org_link=Link(name, ui(org["href"])),
        years=other_years,
        year=year,
        compare=_here("compare", organization=name) if len(years) > 1 else None,
        svg_href=_here("network", organization=name, year=year, format="svg"),
        counts=(len({x for x, _ in net.leads}), len(net.tasks), len({u for _, u in net.units})),
    )


def _here(picture: str, **params: str | int) -> str:
    return f"/ui/pictures/{picture}?{urlencode({k: str(v) for k, v in params.items()})}"


# ------------------------------------------------------------------------------------------------ compare


def draw_compare(counts: Mapping[str, tuple[int, int]], labels: Mapping[str, str], years: tuple[int, int]) -> Svg:
    """Paired horizontal bars per leader: tasks supervised in the earlier and in the later plan."""
    leaders = sorted(counts, key=lambda x: (-sum(counts[x]), labels[x], x))
    most = max((max(c) for c in counts.values()), default=1) or 1
    left, bar_w, bar_h, gap, top = 170, 820, 14, 14, 50
    pair = 2 * bar_h + gap
    svg = Svg(left + bar_w + 120, top + max(len(leaders), 1) * pair + 20)
    for i, (year, colour) in enumerate(zip(years, YEAR_COLOURS, strict=True)):
        svg.add(f'<rect x="{left + i * 110}" y="14" width="16" height="12" fill="{colour}"/>')
        svg.text(left + i * 110 + 22, 20, str(year), size=13)
    for i, x in enumerate(leaders):
        y = top + i * pair
        name = labels[x]
        href = iri_link(x).href
        svg.add(f'<a class="leader" href="{escape(href or "")}">')
        svg.text(left - 10, y + bar_h, name, anchor="end", size=14, fill=LEADER)
        svg.add("</a>")
        for j, (year, colour) in enumerate(zip(years, YEAR_COLOURS, strict=True)):
            n = counts[x][j]
            w = bar_w * n / most
            by = y + j * bar_h
            svg.add(
                f'<g class="bar" data-leader="{escape(name)}" data-year="{year}" data-tasks="{n}">'
                f"<title>{escape(name)} {year}: {n}</title>"
                f'<rect x="{left}" y="{by:.1f}" width="{max(w, 1.5):.1f}" height="{bar_h - 1}" fill="{colour}"/></g>'
            )
            svg.text(left + w + 6, by + bar_h / 2, f"{n}", size=11, fill="#444")
    return svg


@router.get("/ui/pictures/compare", response_class=HTMLResponse)
async def compare(
    request: Request,
    lookup: Annotated[Lookup, Depends()],
    pool: Annotated[WorkerPool, Depends(get_pool)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Response:
    """Tasks supervised per leader in two plans, and the continued tasks whose supervising leader changed."""
    try:
        org = await organization_of(request)
        years = [to_int(r["year"]) or 0 for r in lookup.rows(ORG_YEARS, org=org["iri"])]
        earlier = year_param(request, "from") or (years[0] if years else None)
        later = year_param(request, "to") or (years[-1] if years else None)
        if earlier is None or later is None or earlier not in years or later not in years:
            raise ApiError(404, f"no plans of {org['label']} for {earlier} and {later}")
        if earlier == later:
            raise ApiError(400, f"two different plan years are needed; {org['label']} has {years}")
        q = get_query("portfolio-changes", settings.queries)
        text = with_values(q.text, q.bindings({"from": str(earlier), "to": str(later), "organization": org["label"]}))
    except QueryError as exc:
        return error_page(request, ApiError(500, str(exc)))
    except ApiError as exc:
        return error_page(request, exc)
    first, second = lookup.rows_many(
        [(SUPERVISED, {"org": org["iri"], "year": earlier}), (SUPERVISED, {"org": org["iri"], "year": later})]
    )
    labels: dict[str, str] = {}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for j, rows in enumerate((first, second)):
        for r in rows:
            leader = r["leader"] or ""
            labels[leader] = r["label"] or leader.rsplit("/", 1)[-1]
            counts[leader][j] = to_int(r["tasks"]) or 0
    result: SelectResult = pool.run(("select", text))
    changes = [
        {
            "earlier": iri_link(r["earlier"] or "", r["earlierTitle"]),
            "later": iri_link(r["later"] or "", r["laterTitle"]),
            "before": r["before"] or "—",
            "after": r["after"] or "—",
        }
        for r in result.values()
        if r["aspect"] == "supervising leader"
    ]
    name = org["label"]
    return answer(
        request,
        draw_compare({k: (v[0], v[1]) for k, v in counts.items()}, labels, (earlier, later)),
        "picture_compare.html",
        heading=f"{name} {earlier} → {later} · " + zh(request, "分管任务对比", "tasks supervised"),
        org_link=Link(name, ui(org["href"])),
        earlier=earlier,
        later=later,
        changes=changes,
        query_href="/ui/queries/portfolio-changes?" + urlencode({"from": earlier, "to": later, "organization": name}),
        svg_href=_here("compare", organization=name, **{"from": earlier, "to": later}, format="svg"),
        networks=[Link(str(y), _here("network", organization=name, year=y)) for y in (earlier, later)],
    )


# ---------------------------------------------------------------------------------------------- programme


@dataclass
class TreeNode:
    iri: str
    label: str
    href: str | None
    kind: str  # programme / part / task
    children: list[TreeNode] = field(default_factory=list)
    title: str | None = None


def programme_tree(
    root: Mapping[str, Any], parts: Sequence[Mapping[str, Any]], tasks: Sequence[Mapping[str, Any]]
) -> TreeNode:
    """The programme, its parts (any depth, sorted by name) and under each the tasks that mention it."""
    children: dict[str, dict[str, Mapping[str, Any]]] = defaultdict(dict)
    for p in parts:
        children[p["parent"]["iri"]][p["part"]["iri"]] = p["part"]
    mentions: dict[str, dict[str, Mapping[str, Any]]] = defaultdict(dict)
    for t in tasks:
        if t.get("mentioned"):
            mentions[t["mentioned"]["iri"]][t["iri"]] = t

    def build(ref: Mapping[str, Any], kind: str, seen: frozenset[str]) -> TreeNode:
        iri = ref["iri"]
        node = TreeNode(iri, ref.get("label") or ref.get("id") or iri, ui(ref.get("href")), kind)
        if iri in seen:  # a cycle in skos:broader: stop
            return node
        kids = sorted(children.get(iri, {}).values(), key=lambda r: (r.get("label") or "", r["iri"]))
        node.children = [build(k, "part", seen | {iri}) for k in kids]
        for t in sorted(
            mentions.get(iri, {}).values(), key=lambda t: (t.get("year") or 0, t.get("ordinal") or 0, t["iri"])
        ):
            doc = (t.get("document") or {}).get("label") or ""
            label = f"{t.get('year') or '?'} · {t.get('ordinal') or ''}. {t.get('title') or t.get('label') or ''}"
            node.children.append(TreeNode(t["iri"], label, ui(t.get("href")), "task", title=f"{label}（{doc}）"))
        return node

    return build(root, "programme", frozenset())


def draw_tree(root: TreeNode) -> Svg:
    """Left to right: the programme, its parts by depth, each task right after what it mentions; a row per leaf.

    A node's tasks come after its parts' rows, in the next column, so no edge passes behind a box.
    """
    step, top, col, part_w, task_w = 26, 20, 200, 180, 520
    places: dict[int, tuple[float, float]] = {}  # id(node) → (x, y)
    rows = 0

    def place(n: TreeNode, level: int) -> float:
        nonlocal rows
        x = 20 + level * col
        if not n.children:
            y = top + (rows + 0.5) * step
            rows += 1
        else:
            ys = [place(c, level + 1) for c in n.children]
            y = (ys[0] + ys[-1]) / 2
        places[id(n)] = (x, y)
        return y

    place(root, 0)
    right = max(x + (task_w if n.kind == "task" else part_w) for n, (x, _) in _walk(root, places))
    svg = Svg(right + 20, top + rows * step + 20)

    def draw(n: TreeNode) -> None:
        x, y = places[id(n)]
        width = task_w if n.kind == "task" else part_w
        for c in n.children:
            cx, cy = places[id(c)]
            colour = TASK if c.kind == "task" else PROGRAMME
            svg.edge(x + width, y, cx, cy, colour=colour, width=1.2 if c.kind == "task" else 1.8)
        colour = TASK if n.kind == "task" else PROGRAMME
        size = 12 if n.kind == "task" else 14 if n.kind == "programme" else 13
        svg.node(x, y, width, 20, n.label, n.href, colour=colour, title=n.title, size=size, css=n.kind)
        for c in n.children:
            draw(c)

    draw(root)
    return svg


def _walk(n: TreeNode, places: Mapping[int, tuple[float, float]]) -> Iterable[tuple[TreeNode, tuple[float, float]]]:
    yield n, places[id(n)]
    for c in n.children:
        yield from _walk(c, places)


@router.get("/ui/pictures/programme", response_class=HTMLResponse)
async def programme(request: Request) -> Response:
    """A programme as a tree: its parts (skos:narrower, any depth), and the tasks that mention each."""
    name = request.query_params.get("programme", "").strip()
    try:
        if not name:
            raise ApiError(400, "parameter 'programme' is required")
        found = await api_json(request, _path("programmes", name))
        parts = (await api_json(request, _path("programmes", name, "parts"), limit=500))["items"]
        tasks = (await api_json(request, _path("programmes", name, "tasks"), limit=500))["items"]
    except ApiError as exc:
        return error_page(request, exc)
    root = programme_tree(found, parts, tasks)
    return answer(
        request,
        draw_tree(root),
        "picture_programme.html",
        heading=f"{found['label']} · " + zh(request, "结构与任务", "parts and tasks"),
        programme_link=Link(found["label"], ui(found["href"])),
        svg_href=_here("programme", programme=name, format="svg"),
        counts=(len(parts), len({t["iri"] for t in tasks})),
    )

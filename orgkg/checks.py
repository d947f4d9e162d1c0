"""Quality checks of a built graph: SHACL shapes plus the quote check, with reports written to a folder.

Used by ``orgkg build`` (which refuses to replace the store with a graph that has violations) and by
``orgkg validate``. Reports are built output: ``build/reports/validation.txt`` and ``validation.ttl``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import rdflib
from rdflib.namespace import DCTERMS, FOAF, RDFS, SKOS
from rdflib.term import Node

from orgkg.sparql_constraints import Plan, oxigraph_store, plan
from orgkg.validate import (
    DEFAULT_SHAPES_DIR,
    ValidationReport,
    ValidationResult,
    format_text,
    load_shapes,
    quote_results,
    validate_store,
)
from orgkg.vocab import PREFIXES


def validate_dataset(
    data: rdflib.Dataset, texts: Mapping[str, str] | None = None, *, only: set[str] | None = None
) -> ValidationReport:
    """SHACL validation of every named graph but the ontology, taken together, plus quote checks where texts are known.

    Without ``only`` every node is a focus node: the graphs go once into an in-memory Oxigraph store and every
    constraint runs once on it (orgkg.validate.validate_store), so the findings are those of validating the union
    of the graphs as one graph. ``only`` names the graphs whose nodes are checked, the rest being context: of a
    document graph, the nodes minted under the document's IRI (its tasks, responsibilities, excerpts …); of a
    shared graph (entities, derived links), its subjects. When only document graphs are named the context is their
    neighbourhood — every triple, in any graph, whose subject or object is one of those nodes, and the triples of
    every node these reach (a value's class, an earlier plan's year, a document's length: what the shapes look
    at) — so checking an added document costs that document, not the whole graph (SHACL 1.0 §2.1 focus nodes).
    Shared entities are checked when their graph is named (``orgkg add`` names the graphs it changes), with the
    whole graph as context.
    """
    shapes, checks = current_shapes()
    named = {_name(g.identifier): g for g in data.graphs() if len(g)}
    skipped = {name for name in named if name.endswith(ONTOLOGY_SUFFIX)}
    view = DataView(data, skipped)

    def everything() -> Iterator[tuple[Node, Node, Node]]:
        return (t for name, g in named.items() if name not in skipped for t in g)

    focus: set[Node] | None = None
    if only is None:
        store = oxigraph_store(everything())
    else:
        documents = [g for name, g in named.items() if name in only and DOCUMENT_GRAPH in name]
        shared = [g for name, g in named.items() if name in only and DOCUMENT_GRAPH not in name and name not in skipped]
        focus = set()
        for doc in documents:
            focus |= _document_nodes(doc)
        for g in shared:
            focus |= set(g.subjects())
        store = oxigraph_store(everything() if shared else _neighbourhood(view, documents, focus))

    def data_graph() -> rdflib.Graph:  # only asked for when shapes are left for pySHACL
        graph = rdflib.Graph()
        for triple in everything():
            graph.add(triple)
        return graph

    report = validate_store(
        store, shapes, focus_nodes=focus, values=view.values, data_graph=data_graph, checks=checks, scan=view.scan
    )
    report = ValidationReport(report.conforms, tuple(describe(report.results, view)), report.report_graph)
    if texts:
        excerpts = None if focus is None else {n.n3() for n in focus}
        report = report.with_results(describe(quote_results(store, texts, excerpts), view))
    return report


def current_shapes() -> tuple[rdflib.Graph, Plan]:
    """The shapes of ``shapes/`` and how they run (orgkg.sparql_constraints.plan), read again when a file changes."""
    files = sorted(DEFAULT_SHAPES_DIR.glob("*.ttl"))
    return _shapes(tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files))


@functools.lru_cache(maxsize=2)
def _shapes(_files: tuple[tuple[str, int, int], ...]) -> tuple[rdflib.Graph, Plan]:
    shapes = load_shapes()
    return shapes, plan(shapes)


class DataView:
    """Lookups in every named graph of a dataset but the ``skipped`` ones, without copying them."""

    def __init__(self, data: rdflib.Dataset, skipped: set[str]) -> None:
        self.data = data
        self.skipped = skipped

    def triples(self, s: Node | None, p: Node | None, o: Node | None) -> Iterator[tuple[Node, Node, Node]]:
        for s2, p2, o2, g in self.data.quads((s, p, o, None)):
            if _name(g) not in self.skipped:
                yield s2, p2, o2

    def values(self, node: Node, path: Node, inverse: bool) -> Iterator[Node]:
        """Value nodes of ``node`` for the path (its inverse if ``inverse``), for orgkg.sparql_constraints."""
        if inverse:
            return (s for s, _p, _o in self.triples(None, path, node))
        return (o for _s, _p, o in self.triples(node, path, None))

    def scan(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        """Every (subject, object) of ``predicate``, for orgkg.sparql_constraints (a pair may come once per graph)."""
        return ((s, o) for s, _p, o in self.triples(None, predicate, None))

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return next((o for _s, _p, o in self.triples(subject, predicate, None)), None)

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        return (o for _s, _p, o in self.triples(subject, predicate, None))

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        return (s for s, _p, _o in self.triples(None, predicate, obj))


def _name(graph: object) -> str:
    return str(graph.identifier) if isinstance(graph, rdflib.Graph) else str(graph)


def _document_nodes(doc: rdflib.Graph) -> set[Node]:
    """Nodes minted under a document's IRI (its tasks, responsibilities, excerpts …) and the document itself."""
    roots = [str(d) for d in doc.subjects(_OKG.sha256, None)]
    prefixes = tuple(r + "/" for r in roots)
    return {
        n
        for n in set(doc.subjects())
        if isinstance(n, rdflib.URIRef) and (str(n) in roots or str(n).startswith(prefixes))
    }


def _neighbourhood(
    view: DataView, documents: list[rdflib.Graph], nodes: set[Node]
) -> Iterator[tuple[Node, Node, Node]]:
    """The document graphs, the triples (in any graph) from and to ``nodes``, and those of the nodes they reach."""
    seen: set[tuple[Node, Node, Node]] = set()
    for doc in documents:
        seen.update(doc)
    for node in nodes:  # what other graphs say of the document's nodes (derived links, entities defined in it …)
        seen.update(view.triples(node, None, None))
        seen.update(view.triples(None, None, node))
    reached = {t for triple in seen for t in (triple[0], triple[2]) if isinstance(t, rdflib.term.IdentifiedNode)}
    for node in reached - nodes:
        seen.update(view.triples(node, None, None))
    return iter(seen)


ONTOLOGY_SUFFIX = "/graph/ontology"
DOCUMENT_GRAPH = "/graph/doc/"
_LABELS = (SKOS.prefLabel, DCTERMS.title, RDFS.label, FOAF.name)
_OA = rdflib.Namespace(PREFIXES["oa"])
_PROV = rdflib.Namespace(PREFIXES["prov"])
_OKG = rdflib.Namespace(PREFIXES["okg"])


def describe(results: Iterable[ValidationResult], data: rdflib.Graph | DataView) -> list[ValidationResult]:
    """Results with the focus node's name and the source quote of the fact, so a person can find it."""
    return [replace(r, label=_label(data, r.focus_node), quote=_quote(data, r.focus_node)) for r in results]


def _label(data: rdflib.Graph | DataView, node: Node) -> str | None:
    for prop in _LABELS:
        value = data.value(node, prop)
        if value is not None:
            return str(value)
    return None


def _quote(data: rdflib.Graph | DataView, node: Node) -> str | None:
    """The verbatim source text behind a node: its own excerpt, or the excerpt of a fact that names it."""
    exact = data.value(node, _OA.exact)
    if exact is not None:  # a quote selector
        return str(exact)
    candidates = [node]
    if data.value(node, _OA.start) is not None:  # a position selector: its excerpt is the IRI without fragment
        candidates.append(rdflib.URIRef(str(node).split("#")[0]))
    candidates += list(data.subjects(_PROV.agent, node))[:1]  # an agent: the first responsibility naming it
    for c in candidates:
        for excerpt in [c, *data.objects(c, _PROV.wasDerivedFrom)]:
            for selector in data.objects(excerpt, _OA.hasSelector):
                exact = data.value(selector, _OA.exact)
                if exact is not None:
                    return str(exact)
    return None


def write_reports(report: ValidationReport, folder: Path, lang: str = "zh") -> list[Path]:
    """The report as text and as W3C SHACL Turtle under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    text, ttl = folder / "validation.txt", folder / "validation.ttl"
    text.write_text(format_text(report, lang="en" if lang == "en" else "zh"), encoding="utf-8")
    report.report_graph.serialize(destination=ttl, format="turtle")
    return [text, ttl]


def summary_line(report: ValidationReport) -> str:
    """'SHACL: conforms; 0 violations, 3 warnings, 0 infos'."""
    verdict = "conforms" if report.conforms else "does NOT conform"
    return (
        f"SHACL: {verdict}; {report.count('Violation')} violations, {report.count('Warning')} warnings, "
        f"{report.count('Info')} infos"
    )


def to_json(report: ValidationReport, lang: str = "zh") -> str:
    """Counts and results as JSON."""
    results: list[dict[str, Any]] = [
        {
            "severity": r.severity,
            "rule": r.rule_id,
            "message": r.message(lang),
            "focusNode": str(r.focus_node),
            "path": None if r.result_path is None else str(r.result_path),
            "value": None if r.value is None else str(r.value),
            "label": r.label,
            "quote": r.quote,
        }
        for r in report.results
    ]
    counts = {s: report.count(s) for s in ("Violation", "Warning", "Info")}
    return json.dumps({"conforms": report.conforms, "counts": counts, "results": results}, ensure_ascii=False, indent=2)


def to_junit(report: ValidationReport, lang: str = "zh") -> str:
    """JUnit XML: one test case per rule that fired (failure for violations), one passing case if none did."""
    by_rule: dict[str, list[str]] = {}
    failing: set[str] = set()
    for r in report.results:
        by_rule.setdefault(r.rule_id, []).append(f"{r.severity}: {r.message(lang)} — {r.focus_node}")
        if r.severity == "Violation":
            failing.add(r.rule_id)
    cases = []
    for rule, lines in sorted(by_rule.items()):
        body = escape("\n".join(lines))
        if rule in failing:
            cases.append(f'  <testcase classname="shacl" name="{escape(rule)}"><failure>{body}</failure></testcase>')
        else:
            cases.append(
                f'  <testcase classname="shacl" name="{escape(rule)}"><system-out>{body}</system-out></testcase>'
            )
    if not cases:
        cases.append('  <testcase classname="shacl" name="conforms"/>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuite name="orgkg-shacl" tests="{len(cases)}" failures="{len(failing)}">\n'
        + "\n".join(cases)
        + "\n</testsuite>\n"
    )

"""Quality checks of a built graph: SHACL shapes plus the quote check, with reports written to a folder.

Used by ``orgkg build`` (which refuses to replace the store with a graph that has violations) and by
``orgkg validate``. Reports are built output: ``build/reports/validation.txt`` and ``validation.ttl``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import rdflib
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from orgkg.validate import ValidationReport, ValidationResult, check_quotes, format_text, load_shapes, validate
from orgkg.vocab import PREFIXES


def validate_dataset(
    data: rdflib.Dataset, texts: Mapping[str, str] | None = None, *, only: set[str] | None = None
) -> ValidationReport:
    """SHACL validation, one document graph at a time, plus quote checks where document texts are known.

    Each document graph is validated with the shared graphs (entities, derived links) as context but only its
    own subjects as focus nodes; the shared graphs are then validated once with their own subjects as focus.
    Validating a changed document therefore costs that document, not the whole graph (SHACL 1.0 §2.1 focus
    nodes; pySHACL ``focus_nodes``). ``only`` names the document graphs to check (the others are context):
    adding one document to a large store validates that document and the shared entities.
    """
    shapes = load_shapes()
    documents: list[rdflib.Graph] = []
    shared = rdflib.Graph()
    for graph in data.graphs():
        name = str(graph.identifier)
        if name.endswith(ONTOLOGY_SUFFIX) or not len(graph):
            continue
        if DOCUMENT_GRAPH in name:
            documents.append(graph)
        else:
            for t in graph:
                shared.add(t)
    # What cross-document shapes consult about other documents' nodes (okg:continues points into another plan)
    skeleton = rdflib.Graph()
    for doc in documents:
        for p in _SKELETON:
            for t in doc.triples((None, p, None)):
                skeleton.add(t)
    results: list[ValidationResult] = []
    report_graphs: list[rdflib.Graph] = []
    local: set[Node] = set()
    for doc in documents:
        if only is not None and str(doc.identifier) not in only:
            local |= {n for n in doc.subjects() if _is_document_local(n, doc)}
            continue
        context = _union(doc, shared, skeleton)
        focus = {n for n in doc.subjects() if _is_document_local(n, doc)}
        local |= focus
        report = validate(context, shapes, focus_nodes=focus)
        results.extend(describe(report.results, context))
        report_graphs.append(report.report_graph)
    # Entities (organizations, units, persons, policies, programmes) are shared by documents: checked once,
    # with every graph as context.
    everything = _union(shared, *documents)
    entities = {n for g in (shared, *documents) for n in g.subjects()} - local
    if entities:
        report = validate(everything, shapes, focus_nodes=entities)
        results.extend(describe(report.results, everything))
        report_graphs.append(report.report_graph)
    merged = _merge_reports(report_graphs)
    combined = ValidationReport(not any(r.severity == "Violation" for r in results), tuple(results), merged)
    if texts:
        combined = combined.with_results(describe(check_quotes(everything, texts), everything))
    return combined


def _is_document_local(node: Node, doc: rdflib.Graph) -> bool:
    """Nodes minted under a document's IRI (its tasks, responsibilities, excerpts …) and the document itself."""
    if not isinstance(node, rdflib.URIRef):
        return False
    return any(str(node) == str(d) or str(node).startswith(str(d) + "/") for d in doc.subjects(_OKG.sha256, None))


ONTOLOGY_SUFFIX = "/graph/ontology"
DOCUMENT_GRAPH = "/graph/doc/"
_LABELS = (SKOS.prefLabel, DCTERMS.title, RDFS.label, FOAF.name)
_OA = rdflib.Namespace(PREFIXES["oa"])
_PROV = rdflib.Namespace(PREFIXES["prov"])
_OKG = rdflib.Namespace(PREFIXES["okg"])
_SKELETON = (RDF.type, _OKG.planYear, _OKG.forOrganization)


def describe(results: Iterable[ValidationResult], data: rdflib.Graph) -> list[ValidationResult]:
    """Results with the focus node's name and the source quote of the fact, so a person can find it."""
    return [replace(r, label=_label(data, r.focus_node), quote=_quote(data, r.focus_node)) for r in results]


def _label(data: rdflib.Graph, node: Node) -> str | None:
    for prop in _LABELS:
        value = data.value(node, prop)
        if value is not None:
            return str(value)
    return None


def _quote(data: rdflib.Graph, node: Node) -> str | None:
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


def _union(*graphs: rdflib.Graph) -> rdflib.Graph:
    out = rdflib.Graph()
    for g in graphs:
        for t in g:
            out.add(t)
    return out


def _merge_reports(graphs: list[rdflib.Graph]) -> rdflib.Graph:
    """One W3C validation report from several: all results under one sh:ValidationReport node."""
    merged = rdflib.Graph()
    report = rdflib.BNode()
    merged.add((report, RDF.type, SH.ValidationReport))
    conforms = True
    for g in graphs:
        for prefix, ns in g.namespaces():
            merged.bind(prefix, ns, override=False)
        for s, p, o in g:
            if p == RDF.type and o == SH.ValidationReport:
                continue
            if p == SH.conforms:
                conforms = conforms and bool(o.toPython()) if isinstance(o, rdflib.Literal) else conforms
                continue
            if p == SH.result:
                merged.add((report, p, o))
                continue
            merged.add((s, p, o))
    merged.add((report, SH.conforms, rdflib.Literal(conforms)))
    return merged


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

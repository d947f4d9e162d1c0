"""SHACL validation at scale (issue 8): pySHACL on the whole graph, orgkg's validation, one added document, pyrudof.

``measure(docs)`` builds the synthetic corpus (``bench.corpus``) of ``docs`` documents with
``orgkg.pipeline.build_graphs`` and converts it to an rdflib Dataset with ``orgkg.graphs.to_rdflib`` (as
``orgkg build`` does), then times, in the same process and the same run:

1. **pySHACL alone on the whole graph** (the baseline: what a user would do without orgkg's engine): the union
   of every named graph but ``graph/ontology`` as one rdflib Graph, the shapes of ``shapes/`` as
   ``orgkg.validation.compile.load_shapes`` reads them, ``graph/ontology`` as ``ont_graph``, ``inference="none"``,
   ``advanced=True``, warnings and infos allowed (as orgkg calls pySHACL), ``meta_shacl=False``; pySHACL copies
   the data graph before mixing the ontology in (``inplace=False``), as a user's call would.
2. **orgkg's full validation** as ``orgkg build`` runs it: :func:`validate_dataset`
   with the documents' texts (so the quote check runs too; the baseline has no equivalent of it).
3. **One added document**: ``validate_dataset(dataset, texts, only={its graph})``, the incremental check of
   ``orgkg add``; the document is the last document graph by name. Also with ``graph/entities`` and ``graph/derived``
   named in ``only`` (what ``orgkg add`` passes when the shared graphs changed too), and the cost of the
   ``to_rdflib`` conversion ``orgkg add`` makes before it.
4. **pyrudof** (the Rust ``rudof`` SHACL engine): which of the shapes' rules it gets right on the shapes' own
   test cases (``tests/shapes``: a valid base graph and one invalid case per rule), its time on the whole
   graph with the core shapes (every shape but the ``sh:sparql`` constraints) and, up to a size cap, with all
   shapes, and its findings against pySHACL's on the corrupted graph (below).
5. **Agreement on injected violations**: :func:`corrupt` changes the built graph in 17 distinct ways (core and
   SPARQL-based shapes, document- and entity-level, one cross-document) with several instances each, spread
   over the documents; pySHACL on the whole corrupted graph and ``validate_dataset`` on it must report the same
   findings, compared as sets of (focus node, result path, rule id = source shape's local name, severity), and
   every injected defect must be among them. Differences are looked for in the data by :func:`explain`. The
   incremental check of the most corrupted document must report exactly orgkg's whole-graph findings on that
   document's nodes (with the shared graphs named: and on their subjects). Where pySHACL on the whole corrupted
   graph is stopped (``baseline_timeout``), it is run again with only a sample of focus nodes (the defects' and
   an even sample of every class) and compared on those.

:func:`shape_cases_agreement` (``--cases``) compares pySHACL and orgkg's engine on every test case of the shapes.

Seconds are wall-clock (``time.perf_counter``) and process CPU (``time.process_time``; the machine may be
shared); ratios use wall-clock. Peak RSS is ``getrusage`` maxrss, a high-water mark per stage.

``python -m bench.shacl --docs 3 --docs 32`` prints one JSON object per size (each size in its own process);
``--markdown`` prints the section for ``docs/benchmarks.md`` instead; ``--no-clean-baseline --baseline-timeout S``
for ≈10^6 triples, where pySHACL takes hours.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "shapes"
GRAPH_NS = "https://w3id.org/orgkg/graph/"
ONTOLOGY_GRAPH = GRAPH_NS + "ontology"
ENTITIES_GRAPH = GRAPH_NS + "entities"
DERIVED_GRAPH = GRAPH_NS + "derived"
DOC_GRAPH = GRAPH_NS + "doc/"
SHAPES_NS = "https://w3id.org/orgkg/shapes#"
QUOTE_RULE = "ExcerptQuoteMatchesSource"  # orgkg's quote check against the texts: not a SHACL shape

GOAL_RATIO = 0.5  # orgkg's full validation in at most half pySHACL's time …
GOAL_ONE_DOC_S = 1.0  # … and one added document in at most a second
REPEAT_CAP_S = 60.0  # a run slower than this is not repeated
RUDOF_FULL_MAX_TRIPLES = 30_000  # pyrudof's SPARQL constraints are slow: all shapes only up to this size
RUDOF_MAX_TRIPLES = 400_000  # pyrudof held ≈0.9 GiB for 10^5 triples: not run above this size

OKG = rdflib.Namespace("https://w3id.org/orgkg/ontology#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
CASE = rdflib.Namespace("https://w3id.org/orgkg/shapes/test#")

Finding = tuple[str, str, str, str]  # (focus node, result path or "", rule id, severity)
T = TypeVar("T")


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


@dataclass
class Timing:
    wall: list[float]
    cpu: list[float]

    def summary(self) -> dict[str, Any]:
        return {
            "median": statistics.median(self.wall),
            "min": min(self.wall),
            "max": max(self.wall),
            "cpu_median": statistics.median(self.cpu),
            "runs": len(self.wall),
        }


def _timed(fn: Callable[[], T], repeats: int = 1) -> tuple[T, Timing]:
    """``fn()`` run ``repeats`` times (once more only while a run stays under REPEAT_CAP_S); the last result."""
    timing = Timing([], [])
    result: T
    while True:
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        timing.wall.append(time.perf_counter() - w0)
        timing.cpu.append(time.process_time() - c0)
        if len(timing.wall) >= repeats or timing.wall[-1] > REPEAT_CAP_S:
            return result, timing


# --- findings, normalized -------------------------------------------------------------------------------------


def _node_key(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    return node.n3()


def _path_key(path: Node | None, graph: rdflib.Graph) -> str:
    """``<p>`` or ``^<p>``: the same path whatever blank node a report gives an inverse path."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return f"<{path}>"
    inverse = graph.value(path, SH.inversePath)
    if isinstance(inverse, URIRef):
        return f"^<{inverse}>"
    return f"?{path}"  # another path expression: kept distinct


def _rule(shape: Node | None) -> str:
    text = "" if shape is None else str(shape)
    return text.removeprefix(SHAPES_NS)


def _severity(node: Node | None) -> str:
    return "Violation" if node is None else str(node).rpartition("#")[2]


def findings_of_report_graph(report: rdflib.Graph) -> set[Finding]:
    """The results of a W3C SHACL report graph (pySHACL's)."""
    out: set[Finding] = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        out.add(
            (
                _node_key(report.value(r, SH.focusNode)),
                _path_key(report.value(r, SH.resultPath), report),
                _rule(report.value(r, SH.sourceShape)),
                _severity(report.value(r, SH.resultSeverity)),
            )
        )
    return out


def findings_of_orgkg(report: Any) -> tuple[set[Finding], set[Finding]]:
    """(SHACL findings, quote-check findings) of an ``orgkg.validation.report.ValidationReport``."""
    shacl: set[Finding] = set()
    quotes: set[Finding] = set()
    for r in report.results:
        key = (_node_key(r.focus_node), _path_key(r.result_path, report.paths), r.rule_id, r.severity)
        (quotes if r.rule_id == QUOTE_RULE else shacl).add(key)
    return shacl, quotes


def validate_dataset(ds: rdflib.Dataset, texts: dict[str, str], only: set[str] | None = None) -> Any:
    """orgkg's check of an rdflib dataset as ``orgkg build`` (all nodes) or ``orgkg add`` (``only`` those graphs'
    nodes) runs it; the dataset goes once into an in-memory store (as a build's graphs do)."""
    from orgkg.validation.data import from_dataset
    from orgkg.validation.run import check_data, document_nodes

    data = from_dataset(ds)
    return check_data(data, texts, focus=None if only is None else document_nodes(data, only))


def _rudof_path(path: str | None) -> str:
    if not path:
        return ""
    if path.startswith("^(") and path.endswith(")"):
        return f"^<{path[2:-1]}>"
    return f"<{path}>"


def findings_of_rudof(report: Iterable[Any]) -> set[Finding]:
    return {
        (str(e.focus_node), _rudof_path(e.path), _rule(e.source_shape), str(e.severity).rpartition("#")[2])
        for e in report
    }


def _quads_value(ds: rdflib.Dataset, s: Node, p: URIRef) -> Node | None:
    return next((o for _s, _p, o, _g in ds.quads((s, p, None, None))), None)


def _compare_in_sparql(left: Node, op: str, right: Node) -> tuple[bool, bool]:
    """``ASK { FILTER (left op right) }`` in rdflib and in Oxigraph."""
    import pyoxigraph as ox

    query = f"ASK {{ FILTER ({left.n3()} {op} {right.n3()}) }}"
    rdflib_says = bool(rdflib.Graph().query(query).askAnswer)
    oxigraph_says = ox.Store().query(query)
    return rdflib_says, bool(oxigraph_says)


def explain(finding: Finding, ds: rdflib.Dataset, engine: str) -> tuple[str, str] | None:
    """(why, the values that show it) where ``engine`` and pySHACL differ on ``finding`` for a reason the data
    shows; None otherwise.

    - TaskContinuesEarlier compares plan years with ``<`` in SPARQL: where a year is not an xsd:integer, rdflib
      and Oxigraph are asked that comparison and must answer differently.
    - PositionSelectorOrder (sh:lessThanOrEquals) where oa:start ≤ oa:end as numbers but their datatypes differ.
    """
    focus = URIRef(finding[0]) if not finding[0].startswith("_:") else BNode(finding[0][2:])
    if finding[2] == "TaskContinuesEarlier":
        year = _quads_value(ds, focus, OKG.planYear)
        for _s, _p, earlier_task, _g in ds.quads((focus, OKG.continues, None, None)):
            earlier = _quads_value(ds, earlier_task, OKG.planYear)
            if year is None or earlier is None:
                continue
            by_rdflib, by_oxigraph = _compare_in_sparql(earlier, "<", year)
            if by_rdflib != by_oxigraph:
                return (
                    f"TaskContinuesEarlier: its FILTER (?earlier < ?year) with a year written as a string is "
                    f"{str(by_rdflib).lower()} in rdflib (pySHACL) and {str(by_oxigraph).lower()} in Oxigraph "
                    f"({engine}); SPARQL 1.1 (§17.3) defines no `<` between a number and a string: a type error, so "
                    "the FILTER is false and no earlier task is found",
                    f"{_short(earlier)} < {_short(year)}",
                )
    if finding[2] == "PositionSelectorOrder":
        start, end = _quads_value(ds, focus, OA.start), _quads_value(ds, focus, OA.end)
        if isinstance(start, Literal) and isinstance(end, Literal) and start.datatype != end.datatype:
            if start.value is not None and end.value is not None and start.value <= end.value:
                return (
                    f"PositionSelectorOrder (sh:lessThanOrEquals): {engine} does not compare "
                    f"{_local(start.datatype)} with {_local(end.datatype)}, which pySHACL (and SPARQL) compare as "
                    "numbers",
                    f"oa:start {_short(start)} ≤ oa:end {_short(end)}",
                )
    return None


def _short(term: Node) -> str:
    """A literal as short as it reads: 2020 for an xsd:integer, "2021" for a string."""
    if isinstance(term, Literal) and term.datatype in (None, XSD.string) and not term.language:
        return f'"{term}"'
    if isinstance(term, Literal) and term.datatype == XSD.integer:
        return str(term)
    if isinstance(term, Literal) and term.datatype is not None:
        return f'"{term}"^^{_local(term.datatype)}'
    return term.n3()


def _local(iri: Node | None) -> str:
    return "" if iri is None else "xsd:" + str(iri).rpartition("#")[2]


def _explained(diff: set[Finding], ds: rdflib.Dataset | None, engine: str) -> list[dict[str, Any]]:
    out = []
    for f in sorted(diff):
        found = None if ds is None else explain(f, ds, engine)
        out.append({"finding": list(f), "why": None if found is None else found[0], "shown_by": found and found[1]})
    return out


def _reasons(differences: list[dict[str, Any]]) -> list[str]:
    """One line per reason: how many findings it explains and the values of the first."""
    grouped: dict[str, list[str]] = {}
    for d in differences:
        if d["why"]:
            grouped.setdefault(d["why"], []).append(d["shown_by"])
    return [f"{why} ({len(shown)} findings; e.g. {shown[0]})" for why, shown in sorted(grouped.items())]


def _by_rule(findings: Iterable[Finding]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f[2]] = counts.get(f[2], 0) + 1
    return dict(sorted(counts.items()))


def _compare(
    a: set[Finding], b: set[Finding], names: tuple[str, str], ds: rdflib.Dataset | None = None, shown: int = 10
) -> dict[str, Any]:
    differences = _explained(a - b, ds, names[1]) + _explained(b - a, ds, names[1])
    return {
        "same": a == b,
        "differences_explained": all(d["why"] for d in differences),
        "explanations": _reasons(differences),
        "reasons": sorted({d["why"] for d in differences if d["why"]}),
        f"only_{names[0]}": len(a - b),
        f"only_{names[1]}": len(b - a),
        f"only_{names[0]}_examples": [list(f) for f in sorted(a - b)[:shown]],
        f"only_{names[1]}_examples": [list(f) for f in sorted(b - a)[:shown]],
        f"only_{names[0]}_by_rule": _by_rule(a - b),
        f"only_{names[1]}_by_rule": _by_rule(b - a),
    }


# --- the graphs -----------------------------------------------------------------------------------------------


def baseline_graphs(ds: rdflib.Dataset) -> tuple[rdflib.Graph, rdflib.Graph]:
    """(data, ontology): every named graph but graph/ontology as one Graph, and graph/ontology."""
    data, ontology = rdflib.Graph(), rdflib.Graph()
    for prefix, ns in ds.namespaces():
        data.bind(prefix, ns, override=False)
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = str(g.identifier) if isinstance(g, rdflib.Graph) else str(g)
        (ontology if name == ONTOLOGY_GRAPH else data).add((s, p, o))
    return data, ontology


def run_pyshacl(ds: rdflib.Dataset, focus_nodes: list[URIRef] | None = None) -> rdflib.Graph:
    """pySHACL on the whole graph, as a user would call it (only ``focus_nodes`` if given); the report graph."""
    import pyshacl

    from orgkg.validation.compile import load_shapes

    data, ontology = baseline_graphs(ds)
    _conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=load_shapes(),
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        meta_shacl=False,
        focus_nodes=focus_nodes,  # type: ignore[arg-type]
    )
    assert isinstance(report, rdflib.Graph)
    return report


def copy_dataset(ds: rdflib.Dataset) -> rdflib.Dataset:
    out = rdflib.Dataset()
    for prefix, ns in ds.namespaces():
        out.bind(prefix, ns, override=False)
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, rdflib.Graph) else g
        out.graph(URIRef(str(name))).add((s, p, o))
    return out


def document_graphs(ds: rdflib.Dataset) -> list[str]:
    return sorted(str(g.identifier) for g in ds.graphs() if str(g.identifier).startswith(DOC_GRAPH) and len(g))


# --- injected violations --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Injection:
    kind: str
    graph: str  # the named graph changed
    focus: str  # the node the expected findings are on
    rules: tuple[str, ...]  # rule ids that must fire on ``focus``
    shapes: str  # "core" or "sparql": the kind of shape the rule is
    instance: int  # which instance of the kind (one defect may be expected to fire on two nodes)


INSTANCES = 3  # of each kind, in different documents where the kind is per document


def _sorted(nodes: Iterable[Node]) -> list[Node]:
    return sorted(set(nodes), key=str)


def _document_of(graph: rdflib.Graph) -> URIRef:
    doc = next(iter(_sorted(graph.subjects(OKG.sha256, None))), None)
    if not isinstance(doc, URIRef):
        raise ValueError(f"{graph.identifier} holds no document node")
    return doc


def _value(g: rdflib.Graph, s: Node, p: URIRef) -> Node:
    found = g.value(s, p)
    if found is None:
        raise ValueError(f"{s} has no {p}")
    return found


def _selectors(g: rdflib.Graph, excerpt: Node) -> tuple[Node, Node]:
    position = quote = None
    for s in g.objects(excerpt, OA.hasSelector):
        if (s, RDF.type, OA.TextPositionSelector) in g:
            position = s
        if (s, RDF.type, OA.TextQuoteSelector) in g:
            quote = s
    if position is None or quote is None:
        raise ValueError(f"excerpt {excerpt} lacks a selector")
    return position, quote


def corrupt(ds: rdflib.Dataset) -> list[Injection]:
    """Change ``ds`` in place in 17 distinct ways, INSTANCES times each; what was changed and must be found.

    Deterministic: documents are taken in graph-name order, instance ``i`` of kind ``k`` goes to document
    ``(k + i * stride) % n``, and nodes within a document are picked in IRI order.
    """
    docs = document_graphs(ds)
    entities = ds.graph(URIRef(ENTITIES_GRAPH))
    derived = ds.graph(URIRef(DERIVED_GRAPH))
    stride = max(1, len(docs) // INSTANCES)
    done: list[Injection] = []

    def doc_graph(kind: int, i: int) -> rdflib.Graph:
        return ds.graph(URIRef(docs[(kind + i * stride) % len(docs)]))

    def tasks(g: rdflib.Graph) -> list[Node]:
        return sorted(g.subjects(RDF.type, OKG.Task), key=lambda t: int(str(t).rpartition("/")[2]))

    def responsibilities(g: rdflib.Graph, role: URIRef | None = None) -> list[Node]:
        found = _sorted(g.subjects(RDF.type, OKG.Responsibility))
        return [r for r in found if role is None or (r, OKG.role, role) in g]

    def add(kind: str, g: rdflib.Graph, focus: Node, rules: tuple[str, ...], shapes: str) -> None:
        done.append(Injection(kind, str(g.identifier), str(focus), rules, shapes, i))

    for i in range(INSTANCES):
        # 1. a task without a title (sh:minCount)
        g = doc_graph(0, i)
        t = tasks(g)[i]
        g.remove((t, DCT.title, None))
        add("task without a title", g, t, ("TaskTitle",), "core")
        # 2. a task's plan year as a string (sh:datatype)
        g = doc_graph(1, i)
        t = tasks(g)[i + 3]
        year = _value(g, t, OKG.planYear)
        g.set((t, OKG.planYear, Literal(str(year))))
        add("task year as xsd:string", g, t, ("TaskPlanYear",), "core")
        # 3. a selector start as xsd:nonNegativeInteger (sh:datatype; Oxigraph would store it as xsd:integer)
        g = doc_graph(2, i)
        r = responsibilities(g)[i]
        position, _quote = _selectors(g, _value(g, r, PROV.wasDerivedFrom))
        start = _value(g, position, OA.start)
        g.set((position, OA.start, Literal(str(start), datatype=XSD.nonNegativeInteger)))
        add("selector start as xsd:nonNegativeInteger", g, position, ("PositionSelectorStart",), "core")
        # 4. a selector ending before it starts (sh:lessThanOrEquals; the quote length no longer fits: SPARQL)
        g = doc_graph(3, i)
        r = responsibilities(g)[i + 5]
        excerpt = _value(g, r, PROV.wasDerivedFrom)
        position, _quote = _selectors(g, excerpt)
        start = _value(g, position, OA.start)
        assert isinstance(start, Literal)
        g.set((position, OA.end, Literal(int(start.toPython()) - 1)))
        add("selector ends before it starts", g, position, ("PositionSelectorOrder",), "core")
        add("selector ends before it starts", g, excerpt, ("ExcerptQuoteLength",), "sparql")
        # 5. an excerpt ending after its document's text (SPARQL: across the excerpt and the document)
        g = doc_graph(4, i)
        t = tasks(g)[i + 1]
        excerpt = _value(g, t, PROV.wasDerivedFrom)
        position, _quote = _selectors(g, excerpt)
        length = _value(g, _document_of(g), OKG.textLength)
        assert isinstance(length, Literal)
        g.set((position, OA.end, Literal(int(length.toPython()) + 100)))
        add("excerpt beyond its document", g, excerpt, ("ExcerptWithinSource", "ExcerptQuoteLength"), "sparql")
        # 6. a shortcut okg:ledBy without a LeadUnit responsibility behind it (SPARQL)
        g = doc_graph(5, i)
        t = tasks(g)[i + 2]
        units = _sorted(entities.subjects(ORG.unitOf, _value(g, t, OKG.forOrganization)))
        led = set(g.objects(t, OKG.ledBy))
        extra = next(u for u in units if u not in led)
        g.add((t, OKG.ledBy, extra))
        add("okg:ledBy without its responsibility", g, t, ("TaskLedByBacked",), "sparql")
        # 7. a responsibility whose role is not a role (sh:in)
        g = doc_graph(6, i)
        r = responsibilities(g)[i + 7]
        g.set((r, OKG.role, OKG.Task))
        add("responsibility role outside the list", g, r, ("ResponsibilityRole",), "core")
        # 8. a section title tagged @en (sh:languageIn)
        g = doc_graph(7, i)
        sections = _sorted(g.subjects(RDF.type, OKG.Section))
        if sections:
            sec = sections[i % len(sections)]
            title = _value(g, sec, DCT.title)
            g.set((sec, DCT.title, Literal(str(title), lang="en")))
            add("section title tagged @en", g, sec, ("SectionTitle",), "core")
        # 9. a responsibility shared by two tasks (sh:maxCount on an inverse path)
        g = doc_graph(8, i)
        ts = tasks(g)
        r = next(iter(_sorted(g.objects(ts[i], OKG.qualifiedResponsibility))))
        g.add((ts[i + 10], OKG.qualifiedResponsibility, r))
        add("responsibility of two tasks", g, r, ("ResponsibilityOfTask",), "core")
        # 10. a source document whose checksum is upper case (sh:pattern)
        g = doc_graph(9, i)
        doc = _document_of(g)
        sha = _value(g, doc, OKG.sha256)
        g.set((doc, OKG.sha256, Literal(str(sha).upper())))
        add("checksum in upper case", g, doc, ("SourceDocumentSha256",), "core")
        # 11. a section numbered 0 (sh:minInclusive)
        g = doc_graph(10, i)
        sections = _sorted(g.subjects(RDF.type, OKG.Section))
        if sections:
            sec = sections[(i + 1) % len(sections)]
            g.set((sec, OKG.ordinal, Literal(0)))
            add("section numbered 0", g, sec, ("SectionOrdinal",), "core")
        # 12. an excerpt whose source is an organization, not a document (sh:class)
        g = doc_graph(11, i)
        t = tasks(g)[i + 4]
        excerpt = _value(g, t, PROV.wasDerivedFrom)
        g.set((excerpt, OA.hasSource, _value(g, t, OKG.forOrganization)))
        add("excerpt from an organization", g, excerpt, ("ExcerptSource",), "core")
        add("excerpt from an organization", g, t, ("TaskExcerptInDocument",), "sparql")
        # 13. a citation placed in a unit (SPARQL: the class of what it is part of)
        g = doc_graph(12, i)
        citations = _sorted(g.subjects(RDF.type, OKG.Citation))
        if citations:
            c = citations[i % len(citations)]
            unit = _sorted(entities.subjects(RDF.type, OKG.Unit))[i]
            g.set((c, DCT.isPartOf, unit))
            add("citation part of a unit", g, c, ("CitationContextClass",), "sparql")
        # 14. an empty source file name (sh:minLength)
        g = doc_graph(13, i)
        doc = _document_of(g)
        g.set((doc, OKG.sourceFile, Literal("")))
        add("empty source file name", g, doc, ("SourceDocumentSourceFile",), "core")
        # 15. a unit also typed foaf:Person (SPARQL: disjoint kinds; entity level, graph/entities)
        unit = _sorted(entities.subjects(RDF.type, OKG.Unit))[-1 - i]
        entities.add((unit, RDF.type, FOAF.Person))
        add("unit typed foaf:Person", entities, unit, ("DisjointKinds", "PersonName"), "sparql")
        # 16. a programme broader than itself (sh:disjoint on a node shape; entity level)
        programmes = _sorted(entities.subjects(RDF.type, OKG.Programme))
        if programmes:
            p = programmes[i % len(programmes)]
            entities.add((p, SKOS.broader, p))
            add("programme broader than itself", entities, p, ("ProgrammeBroaderNotSelf",), "core")
        # 17. a task continuing a task of a later plan (SPARQL across documents; graph/derived)
        later = [(s, o) for s, o in derived.subject_objects(OKG.continues)]
        if later:
            s, o = sorted(later, key=lambda so: (str(so[0]), str(so[1])))[(i * 7) % len(later)]
            derived.add((o, OKG.continues, s))  # the earlier task now continues the later one
            add("task continues a later plan's task", derived, o, ("TaskContinuesEarlier",), "sparql")
    return done


def injected_found(injections: list[Injection], findings: set[Finding]) -> dict[str, Any]:
    fired = {(f[0], f[2]) for f in findings}
    missing = [
        {"kind": inj.kind, "focus": inj.focus, "rule": rule}
        for inj in injections
        for rule in inj.rules
        if (inj.focus, rule) not in fired
    ]
    expected = sum(len(inj.rules) for inj in injections)
    return {"expected": expected, "found": expected - len(missing), "missing": missing[:20]}


# --- pyrudof --------------------------------------------------------------------------------------------------


def _case_graph(path: Path) -> rdflib.Graph:
    """As tests/test_shapes.py: the base graph with a case's changes (``s p case:unset`` drops ``s p *``)."""
    base = CASES / "valid" / "base.ttl"
    graph = rdflib.Graph().parse(base)
    if path == base:
        return graph
    change = rdflib.Graph().parse(path)
    for s, p, _o in change.triples((None, None, CASE.unset)):
        graph.remove((s, p, None))
    for triple in change:
        if triple[2] != CASE.unset:
            graph.add(triple)
    return graph


def _rudof(data_nt: str, shapes_ttl: str) -> Any:
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(data_nt, format=pyrudof.RDFFormat.NTriples)
    rudof.read_shacl(shapes_ttl, format=pyrudof.ShaclFormat.Turtle)
    return rudof.validate_shacl()


def rudof_capabilities() -> dict[str, Any]:
    """pyrudof on the shapes' test cases: each invalid case must fire its rule and nothing else."""
    from orgkg.validation.compile import load_shapes, split_checks

    shapes = load_shapes()
    sparql_rules = {_rule(c.shape) for c in split_checks(shapes)[0]}
    shapes_ttl = shapes.serialize(format="turtle")
    right: dict[str, list[str]] = {"core": [], "sparql": []}
    wrong: list[dict[str, Any]] = []
    invalid_cases = sorted((CASES / "invalid").glob("*.ttl"))
    cases = sorted((CASES / "valid").glob("*.ttl")) + invalid_cases
    for path in cases:
        invalid = path.parent.name == "invalid"
        want = {path.stem} if invalid else set()
        try:
            got = {f[2] for f in findings_of_rudof(_rudof(_case_graph(path).serialize(format="nt"), shapes_ttl))}
        except Exception as exc:  # an engine error is a finding about the engine
            wrong.append({"case": f"{path.parent.name}/{path.stem}", "error": repr(exc)[:200]})
            continue
        if got == want:
            if invalid:
                right["sparql" if path.stem in sparql_rules else "core"].append(path.stem)
        else:
            wrong.append({"case": f"{path.parent.name}/{path.stem}", "expected": sorted(want), "got": sorted(got)})
    return {
        "version": _rudof_version(),
        "cases": len(cases),
        "rules_right": {k: len(v) for k, v in right.items()},
        "rules_total": {"core": len(invalid_cases) - len(sparql_rules), "sparql": len(sparql_rules)},
        "wrong": wrong,
    }


def shape_cases_agreement() -> dict[str, Any]:
    """pySHACL and orgkg's engine (orgkg.validation.run.validate) on every test case of the shapes, with and without the
    ontology: the same findings, compared as (focus node, result path, rule id, severity)?"""
    import pyshacl

    from orgkg.validation.compile import load_shapes
    from orgkg.validation.run import validate

    shapes = load_shapes()
    ontology = rdflib.Graph()
    for f in sorted((ROOT / "ontology").glob("*.ttl")):
        ontology.parse(f)
    differing: list[dict[str, Any]] = []
    compared = 0
    for path in sorted((CASES / "valid").glob("*.ttl")) + sorted((CASES / "invalid").glob("*.ttl")):
        graph = _case_graph(path)
        for label, ont in (("without ontology", None), ("with ontology", ontology)):
            _c, report, _t = pyshacl.validate(
                graph,
                shacl_graph=load_shapes(),
                ont_graph=ont,
                inference="none",
                advanced=True,
                allow_warnings=True,
                allow_infos=True,
            )
            assert isinstance(report, rdflib.Graph)
            theirs = findings_of_report_graph(report)
            ours, _quotes = findings_of_orgkg(validate(graph, shapes, ontology=ont))
            compared += 1
            if theirs != ours:
                differing.append(
                    {"case": f"{path.parent.name}/{path.stem} {label}", **_compare(theirs, ours, ("pyshacl", "orgkg"))}
                )
    return {"compared": compared, "differing": differing}


def _rudof_version() -> str:
    try:
        import pyrudof

        return str(pyrudof.Rudof(pyrudof.RudofConfig()).get_version())
    except Exception as exc:
        return f"unavailable: {exc!r}"


def _core_shapes_ttl() -> tuple[str, str, set[str]]:
    """(core shapes as Turtle, all shapes as Turtle, ids of the rules with sh:sparql constraints)."""
    from orgkg.validation.compile import load_shapes, split_checks

    shapes = load_shapes()
    checks, core = split_checks(shapes)
    return core.serialize(format="turtle"), shapes.serialize(format="turtle"), {_rule(c.shape) for c in checks}


# --- the measurement ------------------------------------------------------------------------------------------


def measure(
    docs: int,
    seed: int = 0,
    *,
    repeats: int = 1,
    rudof: bool = True,
    clean_baseline: bool = True,
    baseline_timeout: float | None = None,
) -> dict[str, Any]:
    """Everything above for a corpus of ``docs`` documents; JSON-serializable.

    ``clean_baseline=False`` runs pySHACL on the corrupted graph only (it takes hours at ≈10^6 triples): the
    ratio is then orgkg's time on that graph over pySHACL's. ``baseline_timeout`` (seconds) stops that pySHACL run:
    its time is then a lower bound (the ratio an upper bound) and there are no findings to compare.
    """
    from bench.corpus import write_corpus
    from orgkg.graphs import to_rdflib
    from orgkg.pipeline import build_graphs

    rss: dict[str, float] = {"start": _maxrss_mib()}
    tmp = Path(tempfile.mkdtemp(prefix="orgkg-bench-shacl-"))
    try:
        write_corpus(tmp / "corpus", seed, docs)
        result = build_graphs([tmp / "corpus"])
        summary = result.summary()
        texts = {ctx.iri.value: ctx.doc.source.text for ctx in result.resolution.documents}
        rss["build"] = _maxrss_mib()
        ds, to_rdflib_t = _timed(lambda: to_rdflib(result.graphs))
        triples = summary["triples"]
        if len(ds) != triples:
            raise SystemExit(f"rdflib holds {len(ds)} quads, orgkg built {triples}")
        added = document_graphs(ds)[-1]
        out: dict[str, Any] = {
            "documents": docs,
            "seed": seed,
            "triples": triples,
            "tasks": summary["tasks"],
            "to_rdflib": to_rdflib_t.summary(),
        }

        # 1. pySHACL on the whole graph (skipped at sizes where it is timed on the corrupted graph only)
        baseline: set[Finding] | None = None
        if clean_baseline:
            baseline_report, baseline_t = _timed(lambda: run_pyshacl(ds))
            baseline = findings_of_report_graph(baseline_report)
            del baseline_report
            rss["pyshacl"] = _maxrss_mib()
        # 2. orgkg's full validation, with the texts, as `orgkg build`
        report, orgkg_t = _timed(lambda: validate_dataset(ds, texts), repeats)
        orgkg, quotes = findings_of_orgkg(report)
        del report
        rss["orgkg"] = _maxrss_mib()
        # 3. one added document
        _one, one_t = _timed(lambda: validate_dataset(ds, texts, only={added}), max(repeats, 3))
        _shared, shared_t = _timed(
            lambda: validate_dataset(ds, texts, only={added, ENTITIES_GRAPH, DERIVED_GRAPH}), max(repeats, 3)
        )
        rss["one_document"] = _maxrss_mib()
        out.update(
            {
                "orgkg": {
                    **orgkg_t.summary(),
                    "texts": True,
                    "findings": len(orgkg),
                    "quote_findings": len(quotes),
                    "by_rule": _by_rule(orgkg),
                },
                "one_document": {"graph": added, **one_t.summary()},
                "one_document_with_shared": shared_t.summary(),
            }
        )
        if baseline is not None:
            out["pyshacl"] = {**baseline_t.summary(), "findings": len(baseline), "by_rule": _by_rule(baseline)}
            out["clean_agreement"] = _compare(baseline, orgkg, ("pyshacl", "orgkg"), ds)

        # 5. injected violations: the same corrupted graph for both engines
        bad = copy_dataset(ds)
        injections = corrupt(bad)
        bad_report, bad_baseline_t = _timed(lambda: _within(baseline_timeout, lambda: run_pyshacl(bad)))
        bad_baseline = None if bad_report is None else findings_of_report_graph(bad_report)
        del bad_report
        bad_orgkg_report, bad_orgkg_t = _timed(lambda: validate_dataset(bad, texts), repeats)
        bad_orgkg, bad_quotes = findings_of_orgkg(bad_orgkg_report)
        out["injected"] = {
            "kinds": len({i.kind for i in injections}),
            "instances": len({(i.kind, i.instance) for i in injections}),
            "documents": len({i.graph for i in injections if i.graph.startswith(DOC_GRAPH)}),
            "by_kind": _kinds(injections),
            "pyshacl": {
                **bad_baseline_t.summary(),
                "timed_out": bad_baseline is None,
                "findings": None if bad_baseline is None else len(bad_baseline),
            },
            "orgkg": {**bad_orgkg_t.summary(), "findings": len(bad_orgkg), "quote_findings": len(bad_quotes)},
            "found_by_pyshacl": None if bad_baseline is None else injected_found(injections, bad_baseline),
            "found_by_orgkg": injected_found(injections, bad_orgkg),
            "agreement": None if bad_baseline is None else _compare(bad_baseline, bad_orgkg, ("pyshacl", "orgkg"), bad),
            "one_document": _one_document_consistency(bad, texts, injections, bad_orgkg),
        }
        if bad_baseline is None:  # pySHACL was stopped: compare on a sample of focus nodes instead
            out["injected"]["sampled"] = _sampled_agreement(bad, injections, bad_orgkg)
        rss["injected"] = _maxrss_mib()
        # the ratio: both engines on the clean graph, else both on the corrupted one
        pair = (
            (out["pyshacl"], out["orgkg"])
            if baseline is not None
            else (out["injected"]["pyshacl"], out["injected"]["orgkg"])
        )
        out["ratio_graph"] = "clean" if baseline is not None else "corrupted"
        out["ratio_is_upper_bound"] = baseline is None and bad_baseline is None  # pySHACL stopped unfinished
        out["ratio_orgkg_to_pyshacl"] = pair[1]["median"] / pair[0]["median"]
        out["ratio_cpu"] = pair[1]["cpu_median"] / pair[0]["cpu_median"]

        # 4. pyrudof
        if rudof and triples > RUDOF_MAX_TRIPLES:
            out["pyrudof"] = {"available": False, "skipped": f"more than {RUDOF_MAX_TRIPLES:,} triples (memory)"}
        elif rudof:
            out["pyrudof"] = _measure_rudof(ds, bad, bad_baseline, triples)
            rss["pyrudof"] = _maxrss_mib()
        out["goal"] = goal(out)
        out["peak_rss_mib"] = rss
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


SAMPLE_NODES = 300  # focus nodes of the sampled comparison, beside the injected defects' nodes


def _sample(ds: rdflib.Dataset, injections: list[Injection]) -> list[URIRef]:
    """The injected defects' nodes and, for every class, instances spread evenly over its members in IRI order."""
    nodes: set[URIRef] = {URIRef(i.focus) for i in injections}
    members: dict[str, set[URIRef]] = {}
    for s, _p, o, g in ds.quads((None, RDF.type, None, None)):
        name = str(g.identifier) if isinstance(g, rdflib.Graph) else str(g)
        if name != ONTOLOGY_GRAPH and isinstance(s, URIRef):
            members.setdefault(str(o), set()).add(s)
    per_class = max(1, SAMPLE_NODES // max(1, len(members)))
    for _cls, found in sorted(members.items()):
        ordered = sorted(found, key=str)
        nodes.update(ordered[:: max(1, len(ordered) // per_class)][:per_class])
    return sorted(nodes, key=str)


def _sampled_agreement(bad: rdflib.Dataset, injections: list[Injection], orgkg: set[Finding]) -> dict[str, Any]:
    """pySHACL on the whole corrupted graph with only a sample of focus nodes, against orgkg's findings on them."""
    nodes = _sample(bad, injections)
    report, timing = _timed(lambda: run_pyshacl(bad, nodes))
    theirs = findings_of_report_graph(report)
    keys = {str(n) for n in nodes}
    ours = {f for f in orgkg if f[0] in keys}
    return {
        "nodes": len(nodes),
        "pyshacl": {**timing.summary(), "findings": len(theirs)},
        "found_by_pyshacl": injected_found(injections, theirs),
        "agreement": _compare(theirs, ours, ("pyshacl", "orgkg"), bad),
    }


class _Stopped(Exception):
    pass


def _within(seconds: float | None, fn: Callable[[], T]) -> T | None:
    """``fn()``, or None when it runs longer than ``seconds`` (SIGALRM: the main thread, pure-Python work)."""
    if seconds is None:
        return fn()

    def stop(_signum: int, _frame: object) -> None:
        raise _Stopped

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    except _Stopped:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _kinds(injections: list[Injection]) -> list[dict[str, Any]]:
    kinds: dict[str, dict[str, Any]] = {}
    for inj in injections:
        k = kinds.setdefault(inj.kind, {"kind": inj.kind, "instances": set(), "rules": set(), "shapes": set()})
        k["instances"].add(inj.instance)
        k["rules"] |= set(inj.rules)
        k["shapes"].add(inj.shapes)
    return [
        {**k, "instances": len(k["instances"]), "rules": sorted(k["rules"]), "shapes": sorted(k["shapes"])}
        for k in kinds.values()
    ]


def _one_document_consistency(
    ds: rdflib.Dataset, texts: dict[str, str], injections: list[Injection], full: set[Finding]
) -> dict[str, Any]:
    """orgkg's incremental checks of the most corrupted document against its whole-graph findings.

    ``only={document}`` must report exactly the whole-graph findings on the nodes minted under the document;
    ``only={document, entities, derived}`` exactly those and the findings on the subjects of the shared graphs.
    """

    counts: dict[str, int] = {}
    for inj in injections:
        if inj.graph.startswith(DOC_GRAPH):
            counts[inj.graph] = counts.get(inj.graph, 0) + 1
    graph = max(sorted(counts), key=lambda g: counts[g])
    g = ds.graph(URIRef(graph))
    doc = str(_document_of(g))
    shared = {_node_key(s) for name in (ENTITIES_GRAPH, DERIVED_GRAPH) for s in ds.graph(URIRef(name)).subjects()}

    def local(f: Finding) -> bool:
        return f[0] == doc or f[0].startswith((doc + "/", doc + "#"))

    def local_or_shared(f: Finding) -> bool:
        return local(f) or f[0] in shared

    out: dict[str, Any] = {"graph": graph}
    for label, only, scope in (
        ("document", {graph}, local),
        ("document_and_shared", {graph, ENTITIES_GRAPH, DERIVED_GRAPH}, local_or_shared),
    ):
        report, timing = _timed(lambda only=only: validate_dataset(ds, texts, only=only))  # type: ignore[misc]
        found, _quotes = findings_of_orgkg(report)
        expected = {f for f in full if scope(f)}
        out[label] = {
            **timing.summary(),
            "findings": len(found),
            "whole_graph_findings_in_scope": len(expected),
            "missed": [list(f) for f in sorted(expected - found)[:10]],
            "extra": [list(f) for f in sorted(found - expected)[:10]],
            "same": found == expected,
        }
    referenced = {_node_key(o) for o in g.objects() if isinstance(o, URIRef)}
    out["whole_graph_findings_on_referenced_entities"] = len({f for f in full if f[0] in referenced and not local(f)})
    out["consistent"] = out["document"]["same"] and out["document_and_shared"]["same"]
    return out


def _measure_rudof(
    ds: rdflib.Dataset, bad: rdflib.Dataset, bad_baseline: set[Finding] | None, triples: int
) -> dict[str, Any]:
    try:
        import pyrudof  # noqa: F401
    except ImportError:
        return {"available": False}
    core_ttl, all_ttl, sparql_rules = _core_shapes_ttl()
    out: dict[str, Any] = {"available": True, "capabilities": rudof_capabilities()}

    def nt(d: rdflib.Dataset) -> str:
        data, ontology = baseline_graphs(d)
        for t in ontology:  # pyrudof has no ont_graph: the ontology goes with the data, as pySHACL mixes it in
            data.add(t)
        return data.serialize(format="nt")

    clean_nt, bad_nt = nt(ds), nt(bad)
    report, core_t = _timed(lambda: _rudof(clean_nt, core_ttl))
    out["core_shapes"] = {**core_t.summary(), "findings": len(findings_of_rudof(report))}
    bad_core = findings_of_rudof(_rudof(bad_nt, core_ttl))
    if bad_baseline is not None:
        core_baseline = {f for f in bad_baseline if f[2] not in sparql_rules}
        out["core_shapes"]["injected_agreement"] = _compare(core_baseline, bad_core, ("pyshacl", "pyrudof"), bad)
    if triples <= RUDOF_FULL_MAX_TRIPLES:
        report, all_t = _timed(lambda: _rudof(clean_nt, all_ttl))
        out["all_shapes"] = {**all_t.summary(), "findings": len(findings_of_rudof(report))}
        bad_all = findings_of_rudof(_rudof(bad_nt, all_ttl))
        if bad_baseline is not None:
            out["all_shapes"]["injected_agreement"] = _compare(bad_baseline, bad_all, ("pyshacl", "pyrudof"), bad)
    else:
        out["all_shapes"] = {"skipped": f"more than {RUDOF_FULL_MAX_TRIPLES:,} triples (SPARQL constraints slow)"}
    return out


def goal(r: dict[str, Any]) -> dict[str, Any]:
    """The issue's goal at this size, from the figures measured."""
    ratio_ok = r["ratio_orgkg_to_pyshacl"] <= GOAL_RATIO
    agreements = [r.get("clean_agreement"), r["injected"]["agreement"]]
    compared = [a for a in agreements if a is not None]
    # without pySHACL's findings on the corrupted graph (it was stopped) the findings are not shown to agree
    same = r["injected"]["agreement"] is not None and all(a["same"] for a in compared)
    explained = r["injected"]["agreement"] is not None and all(
        a["same"] or a["differences_explained"] for a in compared
    )
    found = all(
        r["injected"][k] is not None and r["injected"][k]["found"] == r["injected"][k]["expected"]
        for k in ("found_by_pyshacl", "found_by_orgkg")
    )
    one_doc_ok = r["one_document"]["median"] <= GOAL_ONE_DOC_S
    return {
        "half_the_time": ratio_ok,
        "same_findings": same,
        "differences_explained": explained,
        "injected_all_found": found,
        "one_document_within_1s": one_doc_ok,
        "met": ratio_ok and same and found and one_doc_ok,
        "met_but_for_explained_differences": ratio_ok and explained and found and one_doc_ok,
    }


# --- the report -----------------------------------------------------------------------------------------------


def _fmt(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def markdown(results: list[dict[str, Any]]) -> list[str]:
    """A Markdown section (lines) for docs/benchmarks.md."""
    if not results:
        return []
    lines = [
        "## SHACL validation: orgkg vs pySHACL on the whole graph",
        "",
        "`bench/shacl.py`. **pySHACL** is the baseline a user would run without orgkg's engine: every named graph "
        "but `graph/ontology` as one rdflib Graph, the shapes of `shapes/`, `graph/ontology` as `ont_graph`, "
        "`inference=none`, `advanced=True`, warnings and infos allowed. **orgkg** is "
        "`orgkg.validation.run.check_data` as `orgkg build` calls it, with the document texts (so its quote check "
        "runs too). **one doc** is the incremental check of `orgkg add`: `validate_dataset(…, only={one document's "
        "graph})`; *+ shared* also names `graph/entities` and `graph/derived` (what `orgkg add` passes "
        "when they changed too). Wall-clock seconds, measured in the same process and run; CPU seconds in "
        "brackets (the machine may be shared). Ratio = orgkg / pySHACL on the same graph (goal ≤ 0.5): the clean "
        "graph, or, marked †, the corrupted one where pySHACL was run on that graph only (> and <: pySHACL was "
        "stopped unfinished after that time). Findings: clean graph, "
        "pySHACL / orgkg (quote check apart); injected: the defects of `bench.shacl.corrupt` found by each.",
        "",
        "| triples | docs | pySHACL | orgkg | ratio | one doc | one doc + shared | to_rdflib | findings "
        "| injected found (pySHACL / orgkg) | same findings | goal met |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|",
    ]
    for r in results:
        inj = r["injected"]
        fp, fo = inj["found_by_pyshacl"], inj["found_by_orgkg"]
        clean = r.get("pyshacl")
        base, mine = (clean, r["orgkg"]) if clean else (inj["pyshacl"], inj["orgkg"])
        mark = "" if clean else " †"
        stopped = bool(base.get("timed_out"))
        agreements = [a for a in (r.get("clean_agreement"), inj["agreement"]) if a is not None]
        differ = sum(a["only_pyshacl"] + a["only_orgkg"] for a in agreements)
        if inj["agreement"] is None:
            same = "not known (pySHACL stopped)"
        elif not differ:
            same = "yes"
        else:
            explained = all(a["differences_explained"] for a in agreements)
            same = f"no: {differ} differ" + (", all explained" if explained else "")
        found_p = "–" if fp is None else f"{fp['found']}/{fp['expected']}"
        lines.append(
            f"| {r['triples']:,} | {r['documents']} "
            f"| {'> ' if stopped else ''}{_fmt(base['median'])} ({_fmt(base['cpu_median'])}){mark} "
            f"| {_fmt(mine['median'])} ({_fmt(mine['cpu_median'])}){mark} "
            f"| {'< ' if stopped else ''}{r['ratio_orgkg_to_pyshacl']:.3f}{mark} "
            f"| {_fmt(r['one_document']['median'])} | {_fmt(r['one_document_with_shared']['median'])} "
            f"| {_fmt(r['to_rdflib']['median'])} "
            f"| {clean['findings'] if clean else '–'} / {r['orgkg']['findings']} "
            f"| {found_p} / {fo['found']}/{fo['expected']} | {same} | {'yes' if r['goal']['met'] else 'no'} |"
        )
    last = results[-1]
    inj = last["injected"]
    lines += [
        "",
        f"Injected violations (`bench.shacl.corrupt`): {inj['kinds']} kinds, {inj['instances']} instances over "
        f"{inj['documents']} documents plus `graph/entities` and `graph/derived`: "
        + "; ".join(f"{k['kind']} ×{k['instances']} ({', '.join(k['rules'])})" for k in inj["by_kind"])
        + ". Findings are compared as sets of (focus node, result path, rule id, severity); orgkg's quote check "
        "(`ExcerptQuoteMatchesSource`, against the texts) is not a SHACL shape and is counted apart "
        f"({inj['orgkg']['quote_findings']} at {last['triples']:,} triples).",
        "",
    ]
    for r in results:
        agreements = [("clean graph", r.get("clean_agreement")), ("corrupted graph", r["injected"]["agreement"])]
        for label, agreement in agreements:
            if agreement is not None and not agreement["same"]:
                lines.append(
                    f"- {r['triples']:,} triples, {label}: pySHACL and orgkg differ ({_by_rule_text(agreement)}); "
                    + (
                        "explained: " + "; ".join(agreement["explanations"])
                        if agreement["differences_explained"]
                        else "NOT all explained"
                    )
                    + "."
                )
    for r in results:
        sampled = r["injected"].get("sampled")
        if sampled:
            a, fp = sampled["agreement"], sampled["found_by_pyshacl"]
            lines.append(
                f"- {r['triples']:,} triples: pySHACL on the whole corrupted graph was stopped unfinished after "
                f"{_fmt(r['injected']['pyshacl']['median'])}; asked for {sampled['nodes']} focus nodes only (the "
                "injected defects' and an even sample of every class, the whole graph as context) it took "
                f"{_fmt(sampled['pyshacl']['median'])}, found {fp['found']}/{fp['expected']} injected defects, and "
                + (
                    "reported the same findings on them as orgkg"
                    if a["same"]
                    else f"differed from orgkg ({_by_rule_text(a)}"
                    + (
                        "; explained: " + "; ".join(a["explanations"])
                        if a["differences_explained"]
                        else "; NOT all explained"
                    )
                    + ")"
                )
                + "."
            )
    for r in results:
        one = r["injected"]["one_document"]
        d, ds_ = one["document"], one["document_and_shared"]
        lines.append(
            f"- {r['triples']:,} triples, incremental check of the most corrupted document against orgkg's "
            f"whole-graph findings: `only={{document}}` {d['findings']} findings, "
            f"{'the same as' if d['same'] else 'NOT the same as'} the {d['whole_graph_findings_in_scope']} on its "
            f"nodes; `+ shared` {ds_['findings']}, {'the same as' if ds_['same'] else 'NOT the same as'} the "
            f"{ds_['whole_graph_findings_in_scope']} on its nodes and the shared graphs' subjects "
            f"({one['whole_graph_findings_on_referenced_entities']} findings on entities the document refers to are "
            "checked only when their graph is named)."
        )
    rudof = [r for r in results if r.get("pyrudof", {}).get("available")]
    if rudof:
        cap = rudof[0]["pyrudof"]["capabilities"]
        lines += [
            "",
            f"### pyrudof {cap['version']}",
            "",
            f"On the shapes' own test cases (`tests/shapes`, {cap['cases']} cases: each invalid case must fire its "
            f"rule and nothing else) pyrudof gets {cap['rules_right']['core']} core rules and "
            f"{cap['rules_right']['sparql']} of {cap['rules_total']['sparql']} SPARQL-based rules right"
            + (
                "; wrong: " + "; ".join(f"{w['case']} {w.get('got', w.get('error'))}" for w in cap["wrong"])
                if cap["wrong"]
                else "; none wrong"
            )
            + ".",
            "",
            "Timed on the whole graph (the ontology mixed into the data, as pySHACL does with `ont_graph`) with the "
            "core shapes (every shape without its `sh:sparql` constraints) and, up to "
            f"{RUDOF_FULL_MAX_TRIPLES:,} triples, all shapes; findings compared with pySHACL's on the corrupted "
            "graph (core: pySHACL's findings of the rules without SPARQL constraints).",
            "",
            "| triples | core shapes | all shapes | findings differing from pySHACL (core / all) |",
            "|---:|---:|---:|---|",
        ]

        def differ(agreement: dict[str, Any] | None) -> str:
            if agreement is None:
                return "not run"
            n = agreement["only_pyshacl"] + agreement["only_pyrudof"]
            return "none" if not n else f"{n} ({_by_rule_text(agreement)})"

        why: set[str] = set()
        for r in rudof:
            p = r["pyrudof"]
            core, full = p["core_shapes"], p["all_shapes"]
            for a in (core.get("injected_agreement"), full.get("injected_agreement")):
                why |= set(a.get("reasons", [])) if a else set()
            lines.append(
                f"| {r['triples']:,} | {_fmt(core['median'])} ({_fmt(core['cpu_median'])}) | "
                + (f"{_fmt(full['median'])} ({_fmt(full['cpu_median'])})" if "median" in full else "not run")
                + f" | {differ(core.get('injected_agreement'))} / {differ(full.get('injected_agreement'))} |"
            )
        if why:
            lines += [
                "",
                "Differences, as `bench.shacl.explain` finds them in the data: " + "; ".join(sorted(why)) + ".",
            ]
    lines += ["", *goal_lines(results), ""]
    return lines


def _by_rule_text(agreement: dict[str, Any]) -> str:
    parts = []
    for side in ("pyshacl", "orgkg", "pyrudof"):
        counts = agreement.get(f"only_{side}_by_rule") or {}
        if counts:
            parts.append(f"only {side}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return "; ".join(parts)


def goal_lines(results: list[dict[str, Any]]) -> list[str]:
    """The goal of the issue, met or not, from the sizes measured."""
    text = (
        "**Goal** (full validation in at most half pySHACL's time on the whole graph with the same shapes, "
        "measured in the same run, with the same findings; one added document ≤ 1 s at any size): "
    )
    largest = max(r["triples"] for r in results)
    scale = (
        f"measured up to {largest:,} triples"
        if largest >= 900_000
        else f"measured up to {largest:,} triples only, ≈10^6 not measured"
    )
    if all(r["goal"]["met"] for r in results):
        return [text + ("**met**" if largest >= 900_000 else "met so far, **not shown at ≈10^6**") + f" ({scale})."]

    def failing(r: dict[str, Any]) -> str:
        names = [
            k
            for k in ("half_the_time", "same_findings", "injected_all_found", "one_document_within_1s")
            if not r["goal"][k]
        ]
        if r["injected"]["agreement"] is None:
            stopped = r["injected"]["pyshacl"]["median"]
            names = [n for n in names if n not in ("same_findings", "injected_all_found")]
            names.append(f"findings not compared: pySHACL stopped unfinished after {_fmt(stopped)}")
        return ", ".join(names)

    failed = "; ".join(f"{r['triples']:,} triples: {failing(r)}" for r in results if not r["goal"]["met"])
    lines = [text + f"**not met** ({scale}; failing: {failed})."]
    if all(r["goal"]["met_but_for_explained_differences"] for r in results):
        why = sorted({w for r in results for w in r["injected"]["agreement"].get("reasons", [])})
        lines += [
            "",
            "Every other part holds; the findings differ only where pySHACL's SPARQL engine (rdflib) departs from "
            "SPARQL 1.1 and orgkg's (Oxigraph) does not, each difference checked against the data by "
            "`bench.shacl.explain`: " + "; ".join(why) + ".",
        ]
    return lines


# --- command line ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, action="append", help="corpus size in documents (repeatable)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--no-rudof", action="store_true", help="skip pyrudof")
    ap.add_argument(
        "--no-clean-baseline", action="store_true", help="run pySHACL on the corrupted graph only (large sizes)"
    )
    ap.add_argument("--markdown", action="store_true", help="print the Markdown section instead of JSON")
    ap.add_argument("--baseline-timeout", type=float, help="stop pySHACL on the corrupted graph after this many s")
    ap.add_argument("--cases", action="store_true", help="compare pySHACL and orgkg on the shapes' test cases only")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    sizes = args.docs or [3]
    if args.cases:
        print(json.dumps(shape_cases_agreement(), ensure_ascii=False, indent=1))
        return 0
    if args.worker:
        result = measure(
            sizes[0],
            args.seed,
            repeats=args.repeats,
            rudof=not args.no_rudof,
            clean_baseline=not args.no_clean_baseline,
        )
        print(json.dumps(result))
        return 0
    results = []
    for docs in sizes:  # each size in its own process: peak RSS and caches start afresh
        cmd = [sys.executable, "-m", "bench.shacl", "--worker", "--docs", str(docs), "--seed", str(args.seed)]
        cmd += ["--repeats", str(args.repeats)] + (["--no-rudof"] if args.no_rudof else [])
        cmd += ["--no-clean-baseline"] if args.no_clean_baseline else []
        cmd += ["--baseline-timeout", str(args.baseline_timeout)] if args.baseline_timeout else []
        done = subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
        results.append(json.loads(done.stdout.splitlines()[-1]))
        if not args.markdown:
            print(json.dumps(results[-1], ensure_ascii=False, indent=1), flush=True)
    if args.markdown:
        print("\n".join(markdown(results)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = [
    "Injection",
    "corrupt",
    "explain",
    "goal",
    "markdown",
    "measure",
    "rudof_capabilities",
    "shape_cases_agreement",
]

"""Validate the graph: SHACL shapes, plus the quote check the graph alone cannot make.

The shapes live in ``shapes/*.ttl``; each shape's IRI is ``https://w3id.org/orgkg/shapes#<RuleId>`` and its
local name is the stable rule id reports carry. ``conforms`` means no ``sh:Violation``: warnings (incomplete
facts) and infos (hints) are reported but do not fail a build.

The data goes once into an in-memory Oxigraph store, where every SPARQL-based constraint and every core
constraint of the shapes runs as one query for all focus nodes (orgkg.sparql_constraints); pySHACL validates
only what that module does not translate (nothing in ``shapes/`` today). bench/shacl.py compares the findings
with pySHACL's on the whole graph.

Inference: none, with the ontology mixed in as pySHACL's ``ont_graph`` would be. SHACL itself follows
``rdfs:subClassOf`` triples of the data graph for ``sh:class`` and ``sh:targetClass`` (SHACL 1.0, §1.5 "SHACL
instance"), which is all the shapes need: an ``okg:WorkPlan`` then counts as an ``okg:SourceDocument``. RDFS
inference would also type every object of a property by its ``rdfs:range``, so a task pointing at a unit with
``okg:inDocument`` would become a "document" and the shape meant to catch it could never fire.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Dataset, Graph, Namespace, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result
from rdflib.term import Identifier, Node

from orgkg.sparql_constraints import (
    DatatypeCheck,
    FocusNodes,
    Plan,
    PredicateScan,
    SparqlCheck,
    ValueNodes,
    oxigraph_copy,
    oxigraph_store,
    plan,
    run,
    run_datatypes,
    to_rdflib,
)
from orgkg.vocab import OKG_NS, PREFIXES

__all__ = [
    "DEFAULT_SHAPES_DIR",
    "QUOTE_RULE_ID",
    "SHAPES_NS",
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "check_quotes",
    "format_text",
    "load_shapes",
    "quote_results",
    "validate",
    "validate_store",
]

DEFAULT_SHAPES_DIR = Path(__file__).resolve().parent.parent / "shapes"
SHAPES_NS = Namespace("https://w3id.org/orgkg/shapes#")
QUOTE_RULE_ID = "ExcerptQuoteMatchesSource"

OKG = Namespace(OKG_NS)
OA = Namespace(PREFIXES["oa"])

Severity = Literal["Violation", "Warning", "Info"]
_SEVERITIES: tuple[Severity, ...] = ("Violation", "Warning", "Info")
_SEVERITY_LABELS: dict[str, dict[Severity, str]] = {
    "zh": {"Violation": "违规", "Warning": "警告", "Info": "提示"},
    "en": {"Violation": "Violation", "Warning": "Warning", "Info": "Info"},
}


@dataclass(frozen=True)
class ValidationResult:
    """One finding: which rule fired, on which node, and what it says in Chinese and English."""

    severity: Severity
    rule_id: str
    focus_node: Node
    result_path: Node | None
    value: Node | None
    message_zh: str
    message_en: str
    label: str | None = None  # the focus node's name or title, filled in by orgkg.checks.describe
    quote: str | None = None  # the source text of the offending fact, verbatim

    def message(self, lang: str = "zh") -> str:
        """The message in ``lang`` ("zh" or "en"), falling back to the other language."""
        first, second = (self.message_en, self.message_zh) if lang == "en" else (self.message_zh, self.message_en)
        return first or second


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: ``conforms`` is true when no result is a Violation."""

    conforms: bool
    results: tuple[ValidationResult, ...]
    report_graph: Graph = field(compare=False, repr=False)

    def count(self, severity: Severity) -> int:
        """How many results have this severity."""
        return sum(1 for r in self.results if r.severity == severity)

    def with_results(self, extra: Iterable[ValidationResult]) -> ValidationReport:
        """This report plus ``extra`` results (e.g. from :func:`check_quotes`), in the W3C report graph too."""
        added = tuple(extra)
        graph = _copy(self.report_graph)
        results = tuple(sorted((*self.results, *added), key=_sort_key))
        conforms = not any(r.severity == "Violation" for r in results)
        for report in graph.subjects(RDF.type, SH.ValidationReport):
            graph.set((report, SH.conforms, RDFLiteral(conforms)))
            for result in added:
                _add_result_triples(graph, report, result)
        return ValidationReport(conforms, results, graph)


def load_shapes(path: Path = DEFAULT_SHAPES_DIR) -> Graph:
    """All shapes in ``path``: every ``*.ttl`` of a folder, or one Turtle file."""
    files = sorted(path.glob("*.ttl")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise FileNotFoundError(f"no SHACL shapes (*.ttl) at {path}")
    shapes = Graph()
    for f in files:
        shapes.parse(f, format="turtle")
    return shapes


def validate(
    data: Graph | Dataset,
    shapes: Graph,
    *,
    ontology: Graph | None = None,
    focus_nodes: Iterable[Node] | None = None,
) -> ValidationReport:
    """Validate ``data`` (a graph, or every named graph of a dataset taken together) against ``shapes``.

    ``ontology`` supplies the ``rdfs:subClassOf`` axioms the shapes follow; leave it out when ``data`` already
    holds them (a store's ``graph/ontology``). ``focus_nodes`` restricts validation to those nodes (the rest
    of ``data`` is context), which is how one document is validated without revalidating the whole graph.
    """
    # The union of all named graphs (units, people and the ontology are shared across the per-document graphs)
    # and the ontology, as pySHACL mixes ont_graph in: its rdfs:subClassOf axioms count for targets and sh:class.
    triples = list(_triples(data))
    if ontology is not None:
        triples += list(ontology)
    sources: list[Graph] = [data] if ontology is None else [data, ontology]

    def values(node: Node, path: URIRef, inverse: bool) -> Iterable[Node]:
        for source in sources:
            if inverse:
                yield from (s for s, _p, _o in _triples(source, (None, path, node)))
            else:
                yield from (o for _s, _p, o in _triples(source, (node, path, None)))

    return validate_store(
        oxigraph_store(triples),
        shapes,
        focus_nodes=focus_nodes,
        values=values,
        data_graph=lambda: _union_copy(data),
        ontology=ontology,
    )


def validate_store(
    store: ox.Store,
    shapes: Graph,
    *,
    focus_nodes: Iterable[Node] | None,
    values: ValueNodes,
    data_graph: Callable[[], Graph],
    ontology: Graph | None = None,
    checks: Plan | None = None,
    scan: PredicateScan | None = None,
) -> ValidationReport:
    """Validate the data held in ``store`` (its default graph) against ``shapes``.

    SPARQL-based constraints and the core components orgkg.sparql_constraints translates run once each on
    ``store``; ``values(focus, path, inverse)`` gives value nodes from the data as given, for sh:datatype;
    ``data_graph()`` (an rdflib copy of the data) is asked for only when shapes are left for pySHACL. ``scan``
    (every (subject, object) of a predicate) lets sh:datatype read the data once per path when every node is a
    focus node.
    """
    checks = checks or plan(shapes)
    focus = None if focus_nodes is None else list(focus_nodes)
    wanted = None if focus is None else {n.n3() for n in focus}
    report_graph = Graph()
    found: list[ValidationResult] = []
    if checks.pyshacl_needed():
        _conforms, pyshacl_report, _text = pyshacl.validate(
            data_graph(),
            shacl_graph=_copy(checks.remaining),  # pySHACL adds RDFS axioms to the shapes graph it is given
            ont_graph=ontology,
            inference="none",
            # SHACL-AF (SPARQL targets, rules) for shapes to come; the sh:sparql constraints are SHACL 1.0 and
            # run either way. Rules may add triples: harmless here, they land in the private copy.
            advanced=True,
            allow_warnings=True,
            allow_infos=True,
            inplace=True,
            meta_shacl=False,  # checked once in the tests, not on every build
            focus_nodes=None if focus is None else [cast(URIRef, n) for n in focus],
        )
        report_graph = cast(Graph, pyshacl_report)
        found = list(_read_results(report_graph, shapes))
    else:
        report_graph.bind("sh", SH)
        report_graph.add((BNode(), RDF.type, SH.ValidationReport))
    report = next(iter(report_graph.subjects(RDF.type, SH.ValidationReport)))
    scope = FocusNodes(store, wanted)
    ran: list[tuple[SparqlCheck | DatatypeCheck, Node, Node | None]] = []
    ran += run(checks.checks, store, wanted, focus=scope)
    ran += run_datatypes(checks.datatypes, store, wanted, values, focus=scope, scan=scan)
    inverse_paths: dict[URIRef, BNode] = {}
    for check, node, value in ran:
        path: Node | None = check.path
        if check.path is not None and check.inverse:
            path = inverse_paths.get(check.path)
            if path is None:
                path = inverse_paths[check.path] = BNode()
                report_graph.add((path, SH.inversePath, check.path))
        templates = _shape_messages(shapes, check.constraint) or _shape_messages(shapes, check.shape)
        if not templates:
            templates = {"en": f"{_rule_id(check.component)} not satisfied"}
        result = ValidationResult(
            severity=_severity(check.severity),
            rule_id=_rule_id(check.shape),
            focus_node=node,
            result_path=path,
            value=value,
            message_zh=_fill(templates.get("zh", ""), node, check.path, value),
            message_en=_fill(templates.get("en", ""), node, check.path, value),
        )
        found.append(result)
        _add_result_triples(report_graph, report, result, check.component)
    conforms = not any(r.severity == "Violation" for r in found)
    report_graph.set((report, SH.conforms, RDFLiteral(conforms)))
    return ValidationReport(conforms=conforms, results=tuple(sorted(found, key=_sort_key)), report_graph=report_graph)


def check_quotes(dataset: Graph | Dataset, texts: Mapping[str, str]) -> list[ValidationResult]:
    """Check every excerpt's ``oa:exact`` against ``texts[source IRI][start:end]``.

    A mismatch is a Violation; an excerpt whose source text is not in ``texts`` is a Warning (not checked).
    Excerpts missing a selector part are left to the shapes, which report them.
    """
    return quote_results(oxigraph_copy(dataset), texts)


_QUOTE_SOURCES = (
    "PREFIX oa: <http://www.w3.org/ns/oa#> SELECT DISTINCT ?excerpt ?source WHERE { ?excerpt oa:hasSource ?source }"
)
_QUOTE_SELECTORS = """PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?excerpt ?selector ?type ?start ?end ?exact WHERE {
    ?excerpt oa:hasSelector ?selector . ?selector a ?type .
    FILTER (?type IN (oa:TextPositionSelector, oa:TextQuoteSelector))
    OPTIONAL { ?selector oa:start ?start } OPTIONAL { ?selector oa:end ?end } OPTIONAL { ?selector oa:exact ?exact }
}"""


def quote_results(
    store: ox.Store, texts: Mapping[str, str], excerpts: set[str] | None = None
) -> list[ValidationResult]:
    """:func:`check_quotes` on the data in ``store``; ``excerpts`` (N-Triples strings) limits the excerpts."""
    sources: dict[str, list[Node]] = {}
    rows = store.query(_QUOTE_SOURCES)
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        key = str(row["excerpt"])
        if excerpts is None or key in excerpts:
            sources.setdefault(key, []).append(to_rdflib(row["source"]))
    # Per excerpt, per selector (first row of each): (is position, start, end, exact), as _selectors reads them.
    parts: dict[str, dict[tuple[str, str], tuple[int | None, int | None, str | None]]] = {}
    rows = store.query(_QUOTE_SELECTORS)
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        key = str(row["excerpt"])
        if key not in sources:
            continue
        selector = (str(row["selector"]), str(row["type"]))
        if selector in parts.setdefault(key, {}):
            continue
        position = row["type"] == _POSITION
        exact = row["exact"]
        parts[key][selector] = (
            _offset(row["start"]) if position else None,
            _offset(row["end"]) if position else None,
            exact.value if isinstance(exact, ox.Literal) else None,
        )
    results: list[ValidationResult] = []
    for key in sorted(sources):
        start = end = None
        exact = None
        for (_selector, kind), (s, e, x) in sorted(parts.get(key, {}).items()):
            if kind == str(_POSITION):
                start, end = s, e
            else:
                exact = x
        if start is None or end is None or exact is None:
            continue
        excerpt = _from_key(key)
        for source in sources[key]:
            results += _quote_check(excerpt, source, start, end, exact, texts)
    return sorted(results, key=_sort_key)


_POSITION = ox.NamedNode(str(OA.TextPositionSelector))


_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _offset(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> int | None:
    """An oa:start or oa:end as :func:`_int` reads it from the rdflib term, without making one for plain digits."""
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype == _XSD_INTEGER and term.value.isascii() and term.value.isdigit():
        return int(term.value)
    return _int(to_rdflib(term))


def _from_key(key: str) -> Node:
    return BNode(key[2:]) if key.startswith("_:") else URIRef(key[1:-1])


def _quote_check(
    excerpt: Node, source: Node, start: int, end: int, exact: str, texts: Mapping[str, str]
) -> list[ValidationResult]:
    text = texts.get(str(source))
    if text is None:
        return [
            ValidationResult(
                "Warning",
                QUOTE_RULE_ID,
                excerpt,
                OA.hasSource,
                source,
                "无法核对引文：未提供该源文件的文本。",
                "The quote cannot be checked: the text of its source document was not given.",
            )
        ]
    found = text[start:end]
    if found == exact:
        return []
    shown = found if len(found) <= 60 else found[:57] + "…"
    return [
        ValidationResult(
            "Violation",
            QUOTE_RULE_ID,
            excerpt,
            OA.hasSelector,
            RDFLiteral(found),
            f"引文（oa:exact）与源文件 [{start}, {end}) 处的文本不符，源文本为「{shown}」。",
            f"The quote (oa:exact) differs from the source text at [{start}, {end}), which reads “{shown}”.",
        )
    ]


def format_text(report: ValidationReport, lang: Literal["zh", "en"] = "zh") -> str:
    """The report as text: counts per severity, then one line per result.

    >>> from rdflib import URIRef
    >>> r = ValidationResult("Warning", "TaskHasResponsibility", URIRef("urn:t1"), None, None, "无", "none")
    >>> print(format_text(ValidationReport(True, (r,), Graph()), lang="en"))
    Conforms: yes — 0 violations, 1 warnings, 0 infos
    Warning TaskHasResponsibility: none | focus <urn:t1>
    """
    labels = _SEVERITY_LABELS[lang]
    counts = {s: report.count(s) for s in _SEVERITIES}
    if lang == "zh":
        head = (
            f"是否符合：{'是' if report.conforms else '否'} —— "
            f"违规 {counts['Violation']}，警告 {counts['Warning']}，提示 {counts['Info']}"
        )
    else:
        head = (
            f"Conforms: {'yes' if report.conforms else 'no'} — {counts['Violation']} violations, "
            f"{counts['Warning']} warnings, {counts['Info']} infos"
        )
    lines = [head]
    for r in report.results:
        line = f"{labels[r.severity]} {r.rule_id}: {r.message(lang)} | focus {_show(r.focus_node)}"
        if r.label:
            line += f" ({r.label})"
        if r.value is not None:
            line += f" | value {_show(r.value)}"
        if r.quote:
            line += f" | {'原文' if lang == 'zh' else 'source'}: {' '.join(r.quote.split())}"
        lines.append(line)
    return "\n".join(lines)


# --- reading pySHACL's report ---------------------------------------------------------------------------------


def _read_results(report: Graph, shapes: Graph) -> Iterable[ValidationResult]:
    for node in list(report.subjects(RDF.type, SH.ValidationResult)):  # the loop edits the graph
        shape = report.value(node, SH.sourceShape)
        focus = report.value(node, SH.focusNode)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        severity = _severity(report.value(node, SH.resultSeverity))
        tagged, untagged = _result_messages(report, node)
        templates = _shape_messages(shapes, shape)
        filled = {lang: _fill(t, focus, path, value) for lang, t in templates.items()}
        # pySHACL drops the language tag of messages it formats (SPARQL constraints); restore it in the
        # report graph where the text is that of a tagged shape message, so the W3C report stays bilingual.
        for message in untagged:
            for lang, text in filled.items():
                if str(message) == text:
                    report.remove((node, SH.resultMessage, message))
                    report.add((node, SH.resultMessage, RDFLiteral(text, lang=lang)))
                    tagged.setdefault(lang, text)
        fallback = str(untagged[0]) if untagged else ""
        yield ValidationResult(
            severity=severity,
            rule_id=_rule_id(shape),
            focus_node=focus if focus is not None else BNode(),
            result_path=path,
            value=value,
            message_zh=tagged.get("zh") or filled.get("zh") or fallback,
            message_en=tagged.get("en") or filled.get("en") or fallback,
        )


def _result_messages(report: Graph, node: Node) -> tuple[dict[str, str], list[RDFLiteral]]:
    tagged: dict[str, str] = {}
    untagged: list[RDFLiteral] = []
    for m in report.objects(node, SH.resultMessage):
        if not isinstance(m, RDFLiteral):
            continue
        if m.language:
            tagged.setdefault(m.language.lower(), str(m))
        else:
            untagged.append(m)
    return tagged, untagged


def _shape_messages(shapes: Graph, shape: Node | None) -> dict[str, str]:
    messages: dict[str, str] = {}
    if shape is None:
        return messages
    for m in shapes.objects(shape, SH.message):
        if isinstance(m, RDFLiteral) and m.language:
            messages.setdefault(m.language.lower(), str(m))
    return messages


def _fill(template: str, focus: Node | None, path: Node | None, value: Node | None) -> str:
    """Substitute SHACL's message placeholders ``{$this}``, ``{$path}``, ``{?value}`` as pySHACL does."""
    for name, node in (("this", focus), ("path", path), ("value", value)):
        if node is not None:
            for sigil in "$?":
                template = template.replace("{" + sigil + name + "}", str(node))
    return template


def _severity(node: Node | None) -> Severity:
    local = str(node).rpartition("#")[2] if node is not None else "Violation"
    # A custom severity IRI (allowed by SHACL) is treated as the strictest one.
    return local if local in _SEVERITIES else "Violation"


def _rule_id(shape: Node | None) -> str:
    if isinstance(shape, URIRef):
        text = str(shape)
        return text.rpartition("#")[2] if "#" in text else text.rstrip("/").rpartition("/")[2]
    return "" if shape is None else str(shape)


def _sort_key(r: ValidationResult) -> tuple[int, str, str, str]:
    return (_SEVERITIES.index(r.severity), r.rule_id, str(r.focus_node), "" if r.value is None else str(r.value))


def _show(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, RDFLiteral):
        return node.n3()
    return str(node)


def _add_result_triples(graph: Graph, report: Node, result: ValidationResult, component: URIRef | None = None) -> None:
    node = BNode()
    graph.add((report, SH.result, node))
    graph.add((node, RDF.type, SH.ValidationResult))
    graph.add((node, SH.resultSeverity, SH[result.severity]))
    graph.add((node, SH.sourceShape, SHAPES_NS[result.rule_id]))
    # Checked in Python rather than by a SHACL constraint component: an IRI of its own names that check.
    graph.add((node, SH.sourceConstraintComponent, component or SHAPES_NS[result.rule_id + "Component"]))
    graph.add((node, SH.focusNode, result.focus_node))
    if result.result_path is not None:
        graph.add((node, SH.resultPath, result.result_path))
    if result.value is not None:
        graph.add((node, SH.value, result.value))
    graph.add((node, SH.resultMessage, RDFLiteral(result.message_zh, lang="zh")))
    graph.add((node, SH.resultMessage, RDFLiteral(result.message_en, lang="en")))


# --- quotes -------------------------------------------------------------------------------------------------


def _int(node: Node | None) -> int | None:
    value = node.toPython() if isinstance(node, RDFLiteral) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# --- the data graph pySHACL sees ------------------------------------------------------------------------------


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL query once.

    pySHACL hands rdflib the text of a SPARQL-based constraint once per focus node, and rdflib parses it every
    time (about 20 ms per parse, most of a validation's time). Prepared queries are reusable with different
    ``initBindings`` (rdflib's ``prepareQuery``), so the parse is cached by query text and prefixes.
    """

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Mapping[str, Any] | None = None,  # rdflib's parameter names
        initBindings: Mapping[str, Identifier] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str) and processor == "sparql":
            # Same prefixes as rdflib would use: the caller's, else the graph's bindings.
            namespaces = tuple(sorted((str(p), str(n)) for p, n in (initNs or dict(self.namespaces())).items()))
            query_object = _prepared(query_object, namespaces)
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


@functools.lru_cache(maxsize=1024)
def _prepared(query: str, namespaces: tuple[tuple[str, str], ...]) -> Any:
    return prepareQuery(query, initNs=dict(namespaces))


def _copy(source: Graph) -> Graph:
    graph = Graph()
    for prefix, ns in source.namespaces():
        graph.bind(prefix, ns, override=False)
    for triple in source:
        graph.add(triple)
    return graph


def _triples(
    data: Graph, pattern: tuple[Node | None, Node | None, Node | None] = (None, None, None)
) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of a graph, or of every named graph of a dataset (a triple may come once per graph)."""
    if isinstance(data, Dataset) or data.context_aware:
        for s, p, o, _g in data.quads((*pattern, None)):  # type: ignore[attr-defined]
            yield s, p, o
    else:
        yield from data.triples(pattern)


def _union_copy(data: Graph | Dataset) -> _PreparedQueryGraph:
    graph = _PreparedQueryGraph()
    for prefix, ns in data.namespaces():
        graph.bind(prefix, ns, override=False)
    if isinstance(data, Dataset) or data.context_aware:
        for s, p, o, _g in data.quads((None, None, None, None)):  # type: ignore[union-attr]
            graph.add((s, p, o))
    else:
        for triple in data:
            graph.add(triple)
    return graph

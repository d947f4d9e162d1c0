"""Validate the graph: SHACL shapes through pySHACL, plus the quote check the graph alone cannot make.

The shapes live in ``shapes/*.ttl``; each shape's IRI is ``https://w3id.org/orgkg/shapes#<RuleId>`` and its
local name is the stable rule id reports carry. ``conforms`` means no ``sh:Violation``: warnings (incomplete
facts) and infos (hints) are reported but do not fail a build.

Inference: ``inference="none"`` with the ontology mixed in as pySHACL's ``ont_graph``. SHACL itself follows
``rdfs:subClassOf`` triples of the data graph for ``sh:class`` and ``sh:targetClass`` (SHACL 1.0, §1.5 "SHACL
instance"), which is all the shapes need: an ``okg:WorkPlan`` then counts as an ``okg:SourceDocument``. RDFS
inference would also type every object of a property by its ``rdfs:range``, so a task pointing at a unit with
``okg:inDocument`` would become a "document" and the shape meant to catch it could never fire.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import pyshacl
from rdflib import BNode, Dataset, Graph, Namespace, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result
from rdflib.term import Identifier, Node

from orgkg.sparql_constraints import oxigraph_copy, run, split_checks
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
    "validate",
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
    # One private copy: the union of all named graphs (units, people and the ontology are shared across the
    # per-document graphs), which pySHACL may then modify in place (mixing the ontology in) without cloning.
    graph = _union_copy(data)
    # SPARQL-based constraints run once each on Oxigraph (orgkg.sparql_constraints); pySHACL runs the rest.
    checks, core_shapes = split_checks(shapes)
    store = oxigraph_copy(graph)
    if ontology is not None:  # as pySHACL mixes ont_graph in: its rdfs:subClassOf axioms count for the targets
        store.extend(oxigraph_copy(ontology))
    sparql_results = run(checks, store, None if focus_nodes is None else {n.n3() for n in focus_nodes})
    _conforms, report_graph, _text = pyshacl.validate(
        graph,
        shacl_graph=core_shapes,  # a copy: pySHACL adds RDFS axioms to the shapes graph it is given
        ont_graph=ontology,
        inference="none",
        # SHACL-AF (SPARQL targets, rules) for shapes to come; the sh:sparql constraints are SHACL 1.0 and run
        # either way. Rules may add triples: harmless here, they land in the private copy.
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        inplace=True,
        meta_shacl=False,  # checked once in the tests, not on every build
        focus_nodes=None if focus_nodes is None else [cast(URIRef, n) for n in focus_nodes],
    )
    report_graph = cast(Graph, report_graph)
    found = list(_read_results(report_graph, shapes))
    report = next(iter(report_graph.subjects(RDF.type, SH.ValidationReport)), None)
    for check, focus, value in sparql_results:
        templates = _shape_messages(shapes, check.constraint) or _shape_messages(shapes, check.shape)
        result = ValidationResult(
            severity=_severity(check.severity),
            rule_id=_rule_id(check.shape),
            focus_node=focus,
            result_path=check.path,
            value=value,
            message_zh=_fill(templates.get("zh", ""), focus, check.path, value),
            message_en=_fill(templates.get("en", ""), focus, check.path, value),
        )
        found.append(result)
        if report is not None:
            _add_result_triples(report_graph, report, result, SH.SPARQLConstraintComponent)
    if report is not None:
        report_graph.set((report, SH.conforms, RDFLiteral(not any(r.severity == "Violation" for r in found))))
    results = tuple(sorted(found, key=_sort_key))
    return ValidationReport(
        conforms=not any(r.severity == "Violation" for r in results),
        results=results,
        report_graph=report_graph,
    )


def check_quotes(dataset: Graph | Dataset, texts: Mapping[str, str]) -> list[ValidationResult]:
    """Check every excerpt's ``oa:exact`` against ``texts[source IRI][start:end]``.

    A mismatch is a Violation; an excerpt whose source text is not in ``texts`` is a Warning (not checked).
    Excerpts missing a selector part are left to the shapes, which report them.
    """
    graph = _union_copy(dataset)
    results: list[ValidationResult] = []
    for excerpt in set(graph.subjects(OA.hasSource, None)):
        start, end, exact = _selectors(graph, excerpt)
        if start is None or end is None or exact is None:
            continue
        for source in graph.objects(excerpt, OA.hasSource):
            text = texts.get(str(source))
            if text is None:
                results.append(
                    ValidationResult(
                        "Warning",
                        QUOTE_RULE_ID,
                        excerpt,
                        OA.hasSource,
                        source,
                        "无法核对引文：未提供该源文件的文本。",
                        "The quote cannot be checked: the text of its source document was not given.",
                    )
                )
                continue
            found = text[start:end]
            if found != exact:
                shown = found if len(found) <= 60 else found[:57] + "…"
                results.append(
                    ValidationResult(
                        "Violation",
                        QUOTE_RULE_ID,
                        excerpt,
                        OA.hasSelector,
                        RDFLiteral(found),
                        f"引文（oa:exact）与源文件 [{start}, {end}) 处的文本不符，源文本为「{shown}」。",
                        f"The quote (oa:exact) differs from the source text at [{start}, {end}), "
                        f"which reads “{shown}”.",
                    )
                )
    return sorted(results, key=_sort_key)


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


def _selectors(graph: Graph, excerpt: Node) -> tuple[int | None, int | None, str | None]:
    start = end = None
    exact = None
    for selector in graph.objects(excerpt, OA.hasSelector):
        if (selector, RDF.type, OA.TextPositionSelector) in graph:
            start = _int(graph.value(selector, OA.start))
            end = _int(graph.value(selector, OA.end))
        if (selector, RDF.type, OA.TextQuoteSelector) in graph:
            found = graph.value(selector, OA.exact)
            exact = str(found) if isinstance(found, RDFLiteral) else None
    return start, end, exact


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

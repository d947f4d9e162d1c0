"""The validation report: one model, written as W3C SHACL Turtle, text (zh/en), JSON and JUnit, and read back.

A report is a :class:`ValidationReport` of :class:`ValidationResult` s. Its W3C form (SHACL 1.0 §3.6,
``sh:ValidationReport``) is what is kept with a store generation and what ``/validation`` serves; :func:`read`
is the one reader of that form in orgkg (CLI, API and bench all go through it). Two triples per result go beyond
SHACL and are read back too: the focus node's name (``okgsh:focusLabel``) and the source text of the fact
(``okgsh:sourceQuote``), so a person can find what a finding is about.

``conforms`` means no ``sh:Violation``: warnings (incomplete facts) and infos (hints) are reported but do not fail
a build. An incremental check (``orgkg add``, uploads) re-checks some focus nodes; :func:`merged` puts its results
into the full report of the generation before, so the report kept stays a report of the whole graph.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import DCTERMS, RDF, SH
from rdflib.term import Node

from orgkg.validation.compile import SHAPES_NS

__all__ = [
    "QUOTE_RULE_ID",
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "format_text",
    "merged",
    "read",
    "summary_line",
    "to_json",
    "to_junit",
    "to_turtle",
    "write_reports",
]

Severity = Literal["Violation", "Warning", "Info"]
SEVERITIES: tuple[Severity, ...] = ("Violation", "Warning", "Info")
QUOTE_RULE_ID = "ExcerptQuoteMatchesSource"
_SEVERITY_LABELS: dict[str, dict[Severity, str]] = {
    "zh": {"Violation": "违规", "Warning": "警告", "Info": "提示"},
    "en": {"Violation": "Violation", "Warning": "Warning", "Info": "Info"},
}
FOCUS_LABEL = SHAPES_NS.focusLabel
SOURCE_QUOTE = SHAPES_NS.sourceQuote


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
    label: str | None = None  # the focus node's name or title
    quote: str | None = None  # the source text of the offending fact, verbatim
    source_shape: Node | None = None  # the shape (default: okgsh:<rule_id>)
    component: URIRef | None = None  # the constraint component (default: okgsh:<rule_id>Component)

    def message(self, lang: str = "zh") -> str:
        """The message in ``lang`` ("zh" or "en"), falling back to the other language."""
        first, second = (self.message_en, self.message_zh) if lang == "en" else (self.message_zh, self.message_en)
        return first or second

    @property
    def shape(self) -> Node:
        return self.source_shape if self.source_shape is not None else SHAPES_NS[self.rule_id]

    def key(self) -> tuple[str, ...]:
        """What makes two results the same finding (messages and names aside)."""
        return (
            self.severity,
            str(self.shape),
            str(self.component),
            _n3(self.focus_node),
            _n3(self.result_path),
            _n3(self.value),
        )


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: ``conforms`` is true when no result is a Violation.

    ``paths`` holds the triples of blank-node result paths (SHACL property paths), as the W3C form needs them.
    """

    conforms: bool
    results: tuple[ValidationResult, ...]
    paths: Graph = field(default_factory=Graph, compare=False, repr=False)
    generated: dt.datetime | None = None  # when the data was checked (the latest check, for a merged report)

    @classmethod
    def of(cls, results: Iterable[ValidationResult], paths: Graph | None = None) -> ValidationReport:
        """A report of ``results`` (sorted, duplicates dropped), conforming when none is a Violation."""
        ordered = tuple(sorted(results, key=sort_key))
        return cls(
            not any(r.severity == "Violation" for r in ordered), ordered, paths if paths is not None else Graph()
        )

    def count(self, severity: Severity) -> int:
        """How many results have this severity."""
        return sum(1 for r in self.results if r.severity == severity)

    def with_results(self, extra: Iterable[ValidationResult]) -> ValidationReport:
        """This report plus ``extra`` results (e.g. from the quote check)."""
        return ValidationReport.of((*self.results, *extra), self.paths)

    @property
    def report_graph(self) -> Graph:
        """The report in the W3C SHACL form (SHACL 1.0 §3.6)."""
        return to_graph(self)


def sort_key(r: ValidationResult) -> tuple[int, str, str, str]:
    return (SEVERITIES.index(r.severity), r.rule_id, str(r.focus_node), "" if r.value is None else str(r.value))


def merged(previous: ValidationReport, rechecked: Callable[[Node], bool], update: ValidationReport) -> ValidationReport:
    """``previous`` with the results on re-checked focus nodes replaced by those of ``update``.

    >>> from rdflib import URIRef
    >>> old = ValidationReport.of([ValidationResult("Warning", "A", URIRef("urn:a"), None, None, "", "a"),
    ...                            ValidationResult("Violation", "B", URIRef("urn:b"), None, None, "", "b")])
    >>> new = ValidationReport.of([])
    >>> [r.rule_id for r in merged(old, lambda n: str(n) == "urn:b", new).results]
    ['A']
    """
    kept = [r for r in previous.results if not rechecked(r.focus_node)]
    paths = Graph()
    for t in (*previous.paths, *update.paths):
        paths.add(t)
    return ValidationReport.of((*kept, *update.results), paths)


# --- the W3C form -----------------------------------------------------------------------------------------------


def to_graph(report: ValidationReport) -> Graph:
    """The report as a W3C SHACL validation report graph (``sh:ValidationReport``)."""
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("okgsh", SHAPES_NS)
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    # SHACL 1.0 §3.6.1: the data conforms when there is no result at all; orgkg's gate (``conforms``) lets warnings
    # and infos pass, and is read back from the results.
    graph.add((node, SH.conforms, RDFLiteral(not report.results)))
    if report.generated is not None:
        graph.add((node, DCTERMS.created, RDFLiteral(report.generated)))
    for t in report.paths:
        graph.add(t)
    for r in report.results:
        result = BNode()
        graph.add((node, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.resultSeverity, SH[r.severity]))
        graph.add((result, SH.sourceShape, r.shape))
        # Checked in Python rather than by a SHACL constraint component: an IRI of its own names that check.
        graph.add((result, SH.sourceConstraintComponent, r.component or SHAPES_NS[r.rule_id + "Component"]))
        graph.add((result, SH.focusNode, r.focus_node))
        if r.result_path is not None:
            graph.add((result, SH.resultPath, r.result_path))
        if r.value is not None:
            graph.add((result, SH.value, r.value))
        for text, lang in ((r.message_zh, "zh"), (r.message_en, "en")):
            if text:
                graph.add((result, SH.resultMessage, RDFLiteral(text, lang=lang)))
        if r.label is not None:
            graph.add((result, FOCUS_LABEL, RDFLiteral(r.label)))
        if r.quote is not None:
            graph.add((result, SOURCE_QUOTE, RDFLiteral(r.quote)))
    return graph


def to_turtle(report: ValidationReport) -> bytes:
    """The W3C form as Turtle (UTF-8)."""
    return to_graph(report).serialize(format="turtle", encoding="utf-8")


def messages_by_language(graph: Graph, node: Node, predicate: URIRef) -> dict[str, str]:
    """A node's messages by language ("zh", "en", …); an untagged one stands for zh and en where they are missing."""
    messages: dict[str, str] = {}
    untagged = None
    for m in graph.objects(node, predicate):
        if isinstance(m, RDFLiteral):
            if m.language:
                messages.setdefault(m.language.lower(), str(m))
            else:
                untagged = untagged or str(m)
    if untagged is not None:
        for lang in ("zh", "en"):
            messages.setdefault(lang, untagged)
    return messages


def read(source: Graph | bytes | str | Path) -> ValidationReport:
    """A W3C SHACL validation report (a graph, Turtle bytes or text, or a Turtle file) as the report model.

    Messages without a language tag count as both languages; a severity other than the three SHACL names counts
    as a Violation (SHACL allows custom severities; the strictest reading is the safe one).
    """
    if isinstance(source, Graph):
        graph = source
    else:
        graph = Graph()
        if isinstance(source, Path):
            graph.parse(source, format="turtle")
        else:
            graph.parse(data=source, format="turtle")
    results: list[ValidationResult] = []
    paths = Graph()
    generated = None
    for report in graph.subjects(RDF.type, SH.ValidationReport):
        created = graph.value(report, DCTERMS.created)
        if isinstance(created, RDFLiteral) and isinstance(created.value, dt.datetime):
            generated = created.value
        for node in graph.objects(report, SH.result):
            shape = graph.value(node, SH.sourceShape)
            path = graph.value(node, SH.resultPath)
            if isinstance(path, BNode):
                for t in graph.cbd(path):
                    paths.add(t)
            messages = messages_by_language(graph, node, SH.resultMessage)
            component = graph.value(node, SH.sourceConstraintComponent)
            label, quote = graph.value(node, FOCUS_LABEL), graph.value(node, SOURCE_QUOTE)
            results.append(
                ValidationResult(
                    severity=severity_of(graph.value(node, SH.resultSeverity)),
                    rule_id=rule_id(shape),
                    focus_node=graph.value(node, SH.focusNode) or BNode(),
                    result_path=path,
                    value=graph.value(node, SH.value),
                    message_zh=messages.get("zh", ""),
                    message_en=messages.get("en", ""),
                    label=None if label is None else str(label),
                    quote=None if quote is None else str(quote),
                    source_shape=shape,
                    component=component if isinstance(component, URIRef) else None,
                )
            )
    return replace(ValidationReport.of(results, paths), generated=generated)


def severity_of(node: Node | None) -> Severity:
    """``sh:Warning`` → "Warning"; anything but the three SHACL severities is a Violation."""
    local = str(node).rpartition("#")[2] if node is not None else "Violation"
    for s in SEVERITIES:
        if local == s:
            return s
    return "Violation"


def rule_id(shape: Node | None) -> str:
    """The rule id a shape stands for: the local name of its IRI (okgsh:TaskDocument → "TaskDocument")."""
    if isinstance(shape, URIRef):
        text = str(shape)
        return text.rpartition("#")[2] if "#" in text else text.rstrip("/").rpartition("/")[2]
    return "" if shape is None else str(shape)


def _n3(node: Node | None) -> str:
    return "" if node is None else node.n3()


# --- text, JSON, JUnit -------------------------------------------------------------------------------------------


def format_text(report: ValidationReport, lang: Literal["zh", "en"] = "zh") -> str:
    """The report as text: counts per severity, then one line per result.

    >>> from rdflib import URIRef
    >>> r = ValidationResult("Warning", "TaskHasResponsibility", URIRef("urn:t1"), None, None, "无", "none")
    >>> print(format_text(ValidationReport.of([r]), lang="en"))
    Conforms: yes — 0 violations, 1 warnings, 0 infos
    Warning TaskHasResponsibility: none | focus <urn:t1>
    """
    labels = _SEVERITY_LABELS[lang]
    counts = {s: report.count(s) for s in SEVERITIES}
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


def _show(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, RDFLiteral):
        return node.n3()
    return str(node)


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
            "messages": {k: v for k, v in (("zh", r.message_zh), ("en", r.message_en)) if v},
            "focusNode": str(r.focus_node),
            "path": None if r.result_path is None else str(r.result_path),
            "value": None if r.value is None else str(r.value),
            "label": r.label,
            "quote": r.quote,
        }
        for r in report.results
    ]
    counts = {s: report.count(s) for s in SEVERITIES}
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


def write_reports(report: ValidationReport, folder: Path, lang: str = "zh") -> list[Path]:
    """The report as text and W3C SHACL Turtle under ``folder`` (a copy for people and CI; stores keep their own)."""
    folder.mkdir(parents=True, exist_ok=True)
    text, ttl = folder / "validation.txt", folder / "validation.ttl"
    text.write_text(format_text(report, lang="en" if lang == "en" else "zh"), encoding="utf-8")
    ttl.write_bytes(to_turtle(report))
    return [text, ttl]

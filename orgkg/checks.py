"""Quality checks of a built graph: SHACL shapes plus the quote check, with reports written to a folder.

Used by ``orgkg build`` (which refuses to replace the store with a graph that has violations) and by
``orgkg validate``. Reports are built output: ``build/reports/validation.txt`` and ``validation.ttl``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import rdflib

from orgkg.validate import ValidationReport, check_quotes, format_text, load_shapes, validate


def validate_dataset(data: rdflib.Dataset, texts: Mapping[str, str] | None = None) -> ValidationReport:
    """SHACL validation of every named graph together, plus quote checks where document texts are known."""
    union = rdflib.Graph()
    for s, p, o, g in data.quads((None, None, None, None)):
        if g is not None and str(g).endswith("/graph/ontology"):
            continue  # the ontology is the schema, not data
        union.add((s, p, o))
    report = validate(union, load_shapes())
    if texts:
        report = report.with_results(check_quotes(union, texts))
    return report


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

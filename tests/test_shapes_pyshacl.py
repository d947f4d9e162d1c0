"""pySHACL as the cross-check of orgkg's engine: every case of ``tests/shapes`` gives the same findings by both.

orgkg compiles the shapes to SPARQL (:mod:`orgkg.validation.compile`); pySHACL interprets them. On each valid and
invalid example the two must report the same (focus node, result path, rule, severity). pySHACL takes about 0.4 s
per case on a graph that parses each SPARQL constraint once (about 45 s for the 105 cases), so all run every time.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH
from rdflib.term import BNode, Node, URIRef

from orgkg.validation.compile import load_shapes
from orgkg.validation.report import ValidationReport, read
from orgkg.validation.run import _union_copy, validate
from tests.test_shapes import INVALID, VALID, case_graph

CHOSEN = VALID + INVALID

Finding = tuple[str, str, str, str]


def _path(node: Node | None, graph: Graph) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        inverse = graph.value(node, SH.inversePath)
        return f"^<{inverse}>" if inverse is not None else f"?{node}"
    return f"<{node}>"


def findings(report: ValidationReport) -> set[Finding]:
    return {(r.focus_node.n3(), _path(r.result_path, report.paths), r.rule_id, r.severity) for r in report.results}


def test_every_case_is_cross_checked() -> None:
    assert len(CHOSEN) == 108  # every case of tests/shapes: 4 valid, 104 invalid (one per rule)


@pytest.mark.parametrize("path", CHOSEN, ids=[f"{p.parent.name}/{p.stem}" for p in CHOSEN])
def test_orgkg_agrees_with_pyshacl(path: Path) -> None:
    graph = case_graph(path)
    shapes = load_shapes()
    _conforms, theirs, _text = pyshacl.validate(
        _union_copy(graph),  # each SPARQL constraint parsed once (the same answers, faster)
        shacl_graph=load_shapes(),
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        inplace=True,
    )
    assert isinstance(theirs, Graph) and (None, RDF.type, SH.ValidationReport) in theirs
    expected = findings(read(theirs))
    assert expected == findings(validate(graph, shapes))
    if path.parent.name == "invalid":
        assert {rule for _f, _p, rule, _s in expected} == {path.stem}, "the case fires its rule for pySHACL too"
    assert all(isinstance(s, URIRef) for s in shapes.subjects(SH.severity, None))

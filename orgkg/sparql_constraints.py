"""SHACL-SPARQL constraints (``sh:sparql`` / ``sh:select``) run once per constraint on pyoxigraph.

pySHACL evaluates a SPARQL-based constraint once per focus node with rdflib (``$this`` pre-bound): on the seed
graph that was about 85 % of validation time (cProfile). SHACL 1.0 §5.3.1 defines the result of such a
constraint as the solutions of its SELECT with ``$this`` pre-bound to each focus node; for SELECTs whose first
pattern binds ``$this`` (every constraint in ``shapes/`` is written that way, see the shapes file's header),
that equals evaluating the SELECT once with ``$this`` free and keeping the solutions whose ``$this`` is a focus
node of the shape. This module runs each SELECT once on an in-memory Oxigraph copy of the data, with the focus
nodes bound by a ``VALUES ?this { … }`` block opening its WHERE group — the pre-binding of §5.3.1 for all
focus nodes at once, so ``$this`` is bound even where it appears only inside FILTER NOT EXISTS.

Constraints it cannot run that way (a non-IRI ``sh:path``, ``$shapesGraph``/``$currentShape``, deactivated
ones) stay with pySHACL. The shapes' own test suite (a valid base and one invalid example per rule) checks
that both routes report the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import SH
from rdflib.term import Node

from orgkg.stores.base import _first_where


@dataclass(frozen=True)
class SparqlCheck:
    """One SPARQL-based constraint of one shape, ready to run with ``?this`` free."""

    shape: URIRef
    constraint: Node
    query: str
    path: URIRef | None
    severity: URIRef
    targets: tuple[tuple[URIRef, Node], ...]  # (sh:targetClass | sh:targetSubjectsOf | …, value)


_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)


def split_checks(shapes: Graph) -> tuple[list[SparqlCheck], Graph]:
    """The SPARQL checks that can run once each, and a copy of the shapes graph without them (for pySHACL)."""
    checks: list[SparqlCheck] = []
    remaining = Graph()
    for prefix, ns in shapes.namespaces():
        remaining.bind(prefix, ns, override=False)
    for t in shapes:
        remaining.add(t)
    for shape, constraint in list(shapes.subject_objects(SH.sparql)):
        check = _check(shapes, shape, constraint)
        if check is not None:
            checks.append(check)
            remaining.remove((shape, SH.sparql, constraint))
    return checks, remaining


def _check(shapes: Graph, shape: Node, constraint: Node) -> SparqlCheck | None:
    if not isinstance(shape, URIRef):
        return None
    select = shapes.value(constraint, SH.select)
    if select is None or _true(shapes.value(constraint, SH.deactivated)) or _true(shapes.value(shape, SH.deactivated)):
        return None
    text = str(select)
    if "$shapesGraph" in text or "$currentShape" in text:
        return None
    path = shapes.value(shape, SH.path)
    if "$PATH" in text:
        if not isinstance(path, URIRef):
            return None
        text = text.replace("$PATH", f"<{path}>")
    targets = _targets(shapes, shape)
    if not targets:
        return None
    prefixes = "".join(
        f"PREFIX {p}: <{ns}>\n" for p, ns in _declared_prefixes(shapes, shapes.objects(constraint, SH.prefixes))
    )
    severity = shapes.value(constraint, SH.severity) or shapes.value(shape, SH.severity) or SH.Violation
    return SparqlCheck(
        shape=shape,
        constraint=constraint,
        query=prefixes + text.replace("$this", "?this"),
        path=path if isinstance(path, URIRef) else None,
        severity=severity if isinstance(severity, URIRef) else SH.Violation,
        targets=targets,
    )


def _true(node: Node | None) -> bool:
    return isinstance(node, RDFLiteral) and node.toPython() is True


def _targets(shapes: Graph, shape: Node) -> tuple[tuple[URIRef, Node], ...]:
    """The shape's own targets, else those of the node shapes that use it as a property shape."""
    own = tuple((p, o) for p in _TARGETS for o in shapes.objects(shape, p))
    if own:
        return own
    inherited = [
        (p, o) for parent in shapes.subjects(SH.property, shape) for p in _TARGETS for o in shapes.objects(parent, p)
    ]
    return tuple(inherited)


def _declared_prefixes(shapes: Graph, owners: Iterable[Node]) -> list[tuple[str, str]]:
    found = []
    for owner in owners:
        for decl in shapes.objects(owner, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                found.append((str(prefix), str(ns)))
    return found


def oxigraph_copy(data: Graph) -> ox.Store:
    """The data in an in-memory Oxigraph store (via N-Triples, which both libraries read losslessly)."""
    store = ox.Store()
    payload = data.serialize(format="nt", encoding="utf-8")
    if payload:
        store.load(payload, format=ox.RdfFormat.N_TRIPLES)
    return store


def focus_of(store: ox.Store, targets: tuple[tuple[URIRef, Node], ...]) -> set[str]:
    """Focus nodes of targets (SHACL instances: rdf:type/rdfs:subClassOf*), as N-Triples strings."""
    patterns = []
    for kind, value in targets:
        term = f"<{value}>" if isinstance(value, URIRef) else None
        if term is None:
            continue
        if kind == SH.targetClass:
            patterns.append(f"{{ ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {term} }}")
        elif kind == SH.targetSubjectsOf:
            patterns.append(f"{{ ?this {term} ?o }}")
        elif kind == SH.targetObjectsOf:
            patterns.append(f"{{ ?s {term} ?this }}")
        elif kind == SH.targetNode:
            patterns.append(f"{{ BIND({term} AS ?this) }}")
    if not patterns:
        return set()
    rows = store.query(f"SELECT DISTINCT ?this WHERE {{ {' UNION '.join(patterns)} }}")
    assert isinstance(rows, ox.QuerySolutions)
    return {str(r["this"]) for r in rows}


def run(
    checks: Iterable[SparqlCheck], store: ox.Store, focus_nodes: set[str] | None
) -> list[tuple[SparqlCheck, Node, Node | None]]:
    """(check, focus node, value) for every solution on a focus node of the check's shape."""
    out: list[tuple[SparqlCheck, Node, Node | None]] = []
    for check in checks:
        focus = focus_of(store, check.targets)
        if focus_nodes is not None:
            focus &= focus_nodes
        if not focus:
            continue
        seen: set[tuple[str, str]] = set()
        where = _first_where(check.query)
        values = "VALUES ?this { " + " ".join(sorted(focus)) + " }\n"
        solutions = store.query(check.query[:where] + " " + values + check.query[where:])
        if not isinstance(solutions, ox.QuerySolutions):
            continue
        has_value = "value" in {v.value for v in solutions.variables}
        for row in solutions:
            this = row["this"]
            if this is None:
                continue
            value = row["value"] if has_value else None
            key = (str(this), str(value))
            if key in seen:
                continue
            seen.add(key)
            out.append((check, to_rdflib(this), None if value is None else to_rdflib(value)))
    return out


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RDFLiteral(term.value, lang=term.language)
        return RDFLiteral(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


__all__ = ["SparqlCheck", "focus_of", "oxigraph_copy", "run", "split_checks", "to_rdflib"]

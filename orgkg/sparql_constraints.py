"""SHACL constraints run once per constraint on pyoxigraph, for all focus nodes at once.

pySHACL evaluates every constraint once per focus node in Python: a SPARQL-based constraint is an rdflib query
per focus node, a property shape is a Python call per focus node and value. On the seed graph SPARQL-based
constraints were about 85 % of validation time (cProfile); with those on Oxigraph, the core constraints left to
pySHACL still cost about 3 ms per focus node on the synthetic benchmark corpus (bench/shacl.py), 2 s for one
document of 3,000 triples.

**SPARQL-based constraints** (``sh:sparql`` / ``sh:select``). SHACL 1.0 §5.3.1 defines the result of such a
constraint as the solutions of its SELECT with ``$this`` pre-bound to each focus node; for SELECTs whose first
pattern binds ``$this`` (every constraint in ``shapes/`` is written that way, see the shapes file's header), that
equals evaluating the SELECT once with the focus nodes bound by a block opening its WHERE group — a
``VALUES ?this { … }`` of the focus nodes asked for, or a sub-select of the shape's targets when every focus node
is — so ``$this`` is bound even where it appears only inside FILTER NOT EXISTS.

**Core constraint components** the shapes use are translated to one SELECT each, with the same focus block, by
their definitions in SHACL 1.0 §4 (value nodes = the objects of the path, or its subjects for an inverse path, or
the focus node itself in a node shape): ``sh:minCount``/``sh:maxCount`` (distinct value nodes), ``sh:class``
(``rdf:type/rdfs:subClassOf*``), ``sh:languageIn``, ``sh:minLength``/``sh:maxLength``, ``sh:pattern``,
``sh:min/maxInclusive``/``Exclusive``, ``sh:in`` and ``sh:hasValue`` (IRIs), ``sh:lessThan(OrEquals)`` and
``sh:disjoint``; where the definitions leave room (string forms, comparisons of unlike values) they follow
pySHACL, which the benchmark compares against. ``sh:datatype`` is checked in Python on the data as given
(:class:`DatatypeCheck`): Oxigraph stores derived integer types as ``xsd:integer`` and re-writes numeric lexical
forms, so a datatype judged on its copy could differ from the data's.

Queries are run as written but for one rewrite, :func:`not_exists_as_minus`: Oxigraph evaluates ``FILTER NOT
EXISTS`` once per solution with a join order fixed before the outer variables are bound, which made checks grow
with the square of the graph; the equivalent MINUS is evaluated once.

Anything else — other components, paths other than an IRI or ``[ sh:inversePath IRI ]``, shapes reached through
``sh:node``/``sh:and``/``sh:or``/``sh:xone``/``sh:not``/qualified shapes, SHACL-AF targets and rules,
``$shapesGraph``/``$currentShape`` — stays in the shapes graph :func:`plan` leaves for pySHACL. The shapes' own
test suite (a valid base and one invalid example per rule) and bench/shacl.py (pySHACL on the whole graph vs
orgkg on injected violations) check that both routes report the same.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from orgkg.stores.base import _first_where

Targets = tuple[tuple[URIRef, Node], ...]  # (sh:targetClass | sh:targetSubjectsOf | …, value)


@dataclass(frozen=True)
class SparqlCheck:
    """One constraint of one shape as a SELECT of ``?this`` (and ``?value``), focus nodes bound by ``run``."""

    shape: URIRef
    constraint: Node  # the sh:sparql node; the shape itself for a core component
    query: str
    path: URIRef | None
    severity: URIRef
    targets: Targets
    component: URIRef = SH.SPARQLConstraintComponent
    inverse: bool = False  # the path is [ sh:inversePath path ]


@dataclass(frozen=True)
class DatatypeCheck:
    """``sh:datatype`` of one shape, checked in Python on the data's own terms (see the module docstring)."""

    shape: URIRef
    path: URIRef | None  # None: a node shape, the focus node is the value node
    inverse: bool
    datatype: URIRef
    severity: URIRef
    targets: Targets
    component: URIRef = SH.DatatypeConstraintComponent

    @property
    def constraint(self) -> Node:
        return self.shape


@dataclass
class Plan:
    """What runs where: SPARQL checks and datatype checks here, ``remaining`` shapes with pySHACL."""

    sparql: list[SparqlCheck] = field(default_factory=list)
    core: list[SparqlCheck] = field(default_factory=list)
    datatypes: list[DatatypeCheck] = field(default_factory=list)
    remaining: Graph = field(default_factory=Graph)

    @property
    def checks(self) -> list[SparqlCheck]:
        return self.sparql + self.core

    def pyshacl_needed(self) -> bool:
        """Whether any shape left for pySHACL still constrains anything (sh:property alone only groups)."""
        return any(p in _CONSTRAINT_PARAMETERS and p != SH.property for p in set(self.remaining.predicates()))


_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
# Parameters whose presence anywhere means shapes are reached in ways the translation does not follow.
_NESTING = {
    SH.node,
    SH["and"],
    SH["or"],
    SH.xone,
    SH["not"],
    SH.qualifiedValueShape,
    SH.closed,
    SH.target,
    SH.rule,
    SH.expression,
    SH.js,
    SH.condition,
}
_CONSTRAINT_PARAMETERS = _NESTING | {
    SH.sparql,
    SH.property,
    SH.minCount,
    SH.maxCount,
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.languageIn,
    SH.uniqueLang,
    SH.minLength,
    SH.maxLength,
    SH.pattern,
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH["in"],
    SH.hasValue,
    SH.equals,
    SH.disjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
}
_TRANSLATED = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH.minLength: SH.MinLengthConstraintComponent,
    SH.maxLength: SH.MaxLengthConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
    SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.hasValue: SH.HasValueConstraintComponent,
    SH.lessThan: SH.LessThanConstraintComponent,
    SH.lessThanOrEquals: SH.LessThanOrEqualsConstraintComponent,
    SH.disjoint: SH.DisjointConstraintComponent,
}
_PROPERTY_ONLY = {SH.minCount, SH.maxCount, SH.lessThan, SH.lessThanOrEquals}
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_PREFIXES = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)


def split_checks(shapes: Graph) -> tuple[list[SparqlCheck], Graph]:
    """The SPARQL checks that can run once each, and a copy of the shapes graph without them (for pySHACL)."""
    checks: list[SparqlCheck] = []
    remaining = _copy(shapes)
    for shape, constraint in list(shapes.subject_objects(SH.sparql)):
        check = _check(shapes, shape, constraint)
        if check is not None:
            checks.append(check)
            remaining.remove((shape, SH.sparql, constraint))
    return checks, remaining


def plan(shapes: Graph) -> Plan:
    """SPARQL-based constraints and translated core components; the shapes left for pySHACL."""
    sparql, remaining = split_checks(shapes)
    result = Plan(sparql=sparql, remaining=remaining)
    if any(p in _NESTING for p in set(shapes.predicates())) or _has_nested_property_shapes(shapes):
        return result  # shapes are reached through other shapes: pySHACL evaluates all core constraints
    for shape in sorted({s for s, p in shapes.subject_predicates() if p in _TRANSLATED}, key=str):
        _translate(shapes, shape, result)
    return result


def _has_nested_property_shapes(shapes: Graph) -> bool:
    """Property shapes of property shapes, or shapes that are classes (implicit class targets)."""
    if any(shapes.value(owner, SH.path) is not None for owner in shapes.subjects(SH.property, None)):
        return True
    nodes = set(shapes.subjects(SH.path, None)) | set(shapes.objects(None, SH.property))
    nodes |= set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    return any((n, RDF.type, c) in shapes for n in nodes for c in (RDFS.Class, OWL.Class))


def _translate(shapes: Graph, shape: Node, out: Plan) -> None:
    """Move ``shape``'s translatable parameters from ``out.remaining`` into checks; leave it whole otherwise."""
    if not isinstance(shape, URIRef):
        return
    parameters = [
        (p, o)
        for p, o in shapes.predicate_objects(shape)
        if isinstance(p, URIRef) and (p in _TRANSLATED or p == SH.flags)
    ]
    if _deactivated(shapes, shape):
        for p, o in parameters:
            out.remaining.remove((shape, p, o))
        return
    path_node = shapes.value(shape, SH.path)
    path, inverse = _path(shapes, path_node)
    if path_node is not None and path is None:
        return  # a path expression the translation does not follow
    targets = _all_targets(shapes, shape)
    if targets is None:
        return
    severity = shapes.value(shape, SH.severity) or SH.Violation
    if not isinstance(severity, URIRef):
        return
    made: list[SparqlCheck | DatatypeCheck] = []
    for p, o in parameters:
        if p == SH.flags:
            continue
        if path is None and p in _PROPERTY_ONLY:
            return
        check = _core_check(shapes, shape, p, o, path, inverse, severity, targets)
        if check is None:
            return
        made.append(check)
    if len(set(shapes.objects(shape, SH.datatype))) > 1:
        return  # pySHACL's error to report
    for check in made:
        if isinstance(check, DatatypeCheck):
            out.datatypes.append(check)
        else:
            out.core.append(check)
    for p, o in parameters:
        out.remaining.remove((shape, p, o))


def _path(shapes: Graph, node: Node | None) -> tuple[URIRef | None, bool]:
    if isinstance(node, URIRef):
        return node, False
    if isinstance(node, BNode):
        inverse = shapes.value(node, SH.inversePath)
        if isinstance(inverse, URIRef) and len(set(shapes.predicate_objects(node))) == 1:
            return inverse, True
    return None, False


def _all_targets(shapes: Graph, shape: Node) -> Targets | None:
    """The shape's own targets and those of the active node shapes that use it as a property shape.

    None when a target is not an IRI (left to pySHACL).
    """
    owners = [shape] + [p for p in shapes.subjects(SH.property, shape) if not _deactivated(shapes, p)]
    found: list[tuple[URIRef, Node]] = []
    for owner in owners:
        for kind in _TARGETS:
            for value in shapes.objects(owner, kind):
                if not isinstance(value, URIRef):
                    return None
                if (kind, value) not in found:
                    found.append((kind, value))
    return tuple(found)


def _deactivated(shapes: Graph, shape: Node) -> bool:
    return _true(shapes.value(shape, SH.deactivated))


def _core_check(
    shapes: Graph,
    shape: URIRef,
    parameter: URIRef,
    value: Node,
    path: URIRef | None,
    inverse: bool,
    severity: URIRef,
    targets: Targets,
) -> SparqlCheck | DatatypeCheck | None:
    """One SELECT of the focus nodes (and value nodes) that violate ``parameter value``; None if not translatable."""
    if parameter == SH.datatype:
        if not isinstance(value, URIRef):
            return None
        return DatatypeCheck(shape, path, inverse, value, severity, targets)
    if path is None:
        values = "BIND(?this AS ?value)"
    elif inverse:
        values = f"?value <{path}> ?this ."
    else:
        values = f"?this <{path}> ?value ."
    select = "SELECT DISTINCT ?this ?value WHERE {"
    where: str | None = None
    if parameter in (SH.minCount, SH.maxCount):
        n = _whole(value)
        if n is None:
            return None
        if parameter == SH.minCount:
            if n == 0:
                return _noop(shape, path, inverse, severity, targets)
            select = "SELECT ?this WHERE {"
            where = (
                f"FILTER NOT EXISTS {{ {values} }} }}"
                if n == 1
                else f"OPTIONAL {{ {values} }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})"
            )
        else:
            select = "SELECT ?this WHERE {"
            where = f"{values} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})"
    elif parameter == SH["class"]:
        if not isinstance(value, URIRef):
            return None
        where = f"{values} FILTER NOT EXISTS {{ ?value rdf:type/rdfs:subClassOf* <{value}> }} }}"
    elif parameter == SH.languageIn:
        ranges = _string_list(shapes, value)
        if ranges is None:
            return None
        lowered = {r.lower() for r in ranges}
        if "*" in lowered:
            ok = 'LANG(?value) != ""'
        else:
            listed = ", ".join(_string(r) for r in sorted(lowered)) or '""'
            ok = (
                f'(LCASE(LANG(?value)) IN ({listed}) || LCASE(STRBEFORE(CONCAT(LANG(?value), "-"), "-")) IN ({listed}))'
                if lowered
                else "false"
            )
        where = f"{values} FILTER (!(isLiteral(?value) && {ok})) }}"
    elif parameter in (SH.minLength, SH.maxLength):
        n = _whole(value)
        if n is None:
            return None
        op = "<" if parameter == SH.minLength else ">"
        where = f"{values} FILTER (isBlank(?value) || STRLEN(STR(?value)) {op} {n}) }}"
    elif parameter == SH.pattern:
        if not isinstance(value, RDFLiteral) or not _portable_regex(str(value)):
            return None
        flags = shapes.value(shape, SH.flags)
        flag_text = "".join(c for c in str(flags or "").lower() if c in "im")
        where = (
            f"{values} FILTER (isBlank(?value) || !REGEX(STR(?value), {_string(str(value))}, {_string(flag_text)})) }}"
        )
    elif parameter in _COMPARISONS:
        if not isinstance(value, RDFLiteral):
            return None
        where = f"{values} FILTER (!COALESCE(?value {_COMPARISONS[parameter]} {value.n3()}, false)) }}"
    elif parameter == SH["in"]:
        members = _list(shapes, value)
        if members is None or not all(isinstance(m, URIRef) for m in members):
            return None
        same = " || ".join(f"sameTerm(?value, <{m}>)" for m in members) or "false"
        where = f"{values} FILTER (!({same})) }}"
    elif parameter == SH.hasValue:
        if not isinstance(value, URIRef):
            return None
        select = "SELECT ?this WHERE {"
        if path is None:
            where = f"FILTER (!sameTerm(?this, <{value}>)) }}"
        elif inverse:
            where = f"FILTER NOT EXISTS {{ <{value}> <{path}> ?this }} }}"
        else:
            where = f"FILTER NOT EXISTS {{ ?this <{path}> <{value}> }} }}"
    elif parameter in (SH.lessThan, SH.lessThanOrEquals):
        if not isinstance(value, URIRef):
            return None
        op = "<" if parameter == SH.lessThan else "<="
        # pySHACL compares IRIs by their text; unlike values (a number and a string) fail
        where = (
            f"{values} ?this <{value}> ?other . "
            f"FILTER (!COALESCE(IF(isIRI(?value), STR(?value), ?value) {op} IF(isIRI(?other), STR(?other), ?other), "
            "false)) }"
        )
    elif parameter == SH.disjoint:
        if not isinstance(value, URIRef):
            return None
        where = f"{values} ?this <{value}> ?value . }}"
    if where is None:
        return None
    return SparqlCheck(
        shape=shape,
        constraint=shape,
        query=not_exists_as_minus(_PREFIXES + select + " " + where),
        path=path,
        severity=severity,
        targets=targets,
        component=_TRANSLATED[parameter],
        inverse=inverse,
    )


def _noop(shape: URIRef, path: URIRef | None, inverse: bool, severity: URIRef, targets: Targets) -> SparqlCheck:
    """``sh:minCount 0``: never violated."""
    return SparqlCheck(shape, shape, "SELECT ?this WHERE { FILTER (false) }", path, severity, targets, inverse=inverse)


def _whole(node: Node) -> int | None:
    value = node.toPython() if isinstance(node, RDFLiteral) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _list(shapes: Graph, head: Node) -> list[Node] | None:
    if head != RDF.nil and shapes.value(head, RDF.first) is None:
        return None
    return list(Collection(shapes, head))


def _string_list(shapes: Graph, head: Node) -> list[str] | None:
    members = _list(shapes, head)
    if members is None or not all(isinstance(m, RDFLiteral) and isinstance(m.value, str) for m in members):
        return None
    return [str(m) for m in members]


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _portable_regex(pattern: str) -> bool:
    """Patterns Python (pySHACL) and Rust (Oxigraph) regexes read alike: no look-around or back-references."""
    return not re.search(r"\(\?[=!<]|\\[1-9]|\(\?P", pattern)


def _check(shapes: Graph, shape: Node, constraint: Node) -> SparqlCheck | None:
    if not isinstance(shape, URIRef):
        return None
    select = shapes.value(constraint, SH.select)
    if select is None or _true(shapes.value(constraint, SH.deactivated)) or _true(shapes.value(shape, SH.deactivated)):
        return None
    text = str(select)
    if "$shapesGraph" in text or "$currentShape" in text:
        return None
    path_node = shapes.value(shape, SH.path)
    path, inverse = _path(shapes, path_node)
    if "$PATH" in text:
        if path is None:
            return None
        text = text.replace("$PATH", f"^<{path}>" if inverse else f"<{path}>")
    targets = _all_targets(shapes, shape)
    if not targets:
        return None
    prefixes = "".join(
        f"PREFIX {p}: <{ns}>\n" for p, ns in _declared_prefixes(shapes, shapes.objects(constraint, SH.prefixes))
    )
    severity = shapes.value(constraint, SH.severity) or shapes.value(shape, SH.severity) or SH.Violation
    return SparqlCheck(
        shape=shape,
        constraint=constraint,
        query=prefixes + not_exists_as_minus(text.replace("$this", "?this")),
        path=path,
        severity=severity if isinstance(severity, URIRef) else SH.Violation,
        targets=targets,
        inverse=inverse,
    )


# --- FILTER NOT EXISTS as MINUS -----------------------------------------------------------------------------------

_KEYWORD = re.compile(r"(?i)\b(FILTER|BIND|VALUES|OPTIONAL|MINUS|UNION|GRAPH|SERVICE|SELECT)\b")
_NOT_EXISTS = re.compile(r"(?i)\bFILTER\s+NOT\s+EXISTS\s*\{")
_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_]+)")


def not_exists_as_minus(query: str) -> str:
    """``FILTER NOT EXISTS { P }`` of the outermost WHERE group as ``MINUS { P }`` at its end, where equivalent.

    Oxigraph 0.5 evaluates a FILTER NOT EXISTS pattern once per solution with a join order chosen before the
    outer variables are bound: ``{ ?this oa:hasSelector ?any } ?any a oa:TextQuoteSelector`` then scans every
    quote selector for every excerpt, and a zero-or-more path (``rdf:type/rdfs:subClassOf*``) every node of the
    graph — 1.7 s and 217 s at 10^5 triples, growing with the square of the graph. MINUS evaluates ``P`` once.
    The two agree (SPARQL 1.1 §8.3) when every variable ``P`` shares with the rest of the query is bound by a
    required triple pattern of ``P`` (not only in its FILTERs, BINDs, OPTIONALs or UNION branches) and one of them
    is bound in every solution of the group (``?this`` is, or a variable of its required patterns); ``P`` then
    meets each solution only through those variables, and MINUS, placed at the group's end, sees the whole group
    as the FILTER did. Anything else (sub-queries, GRAPH, SERVICE, unbalanced text) is left as written.
    """
    code = _mask(query)
    where = re.search(r"(?i)\bWHERE\s*\{", code)
    if where is None:
        return query
    start = where.end() - 1
    end = _closing(code, start)
    if end is None:
        return query
    cuts: list[tuple[int, int]] = []
    depth = 0
    i = start + 1
    while i < end:
        c = code[i]
        if c in "{(":
            depth += 1
        elif c in "})":
            depth -= 1
        elif depth == 0:
            m = _NOT_EXISTS.match(code, i)
            if m is not None:
                close = _closing(code, m.end() - 1)
                if close is None:
                    return query
                cuts.append((i, close))
                i = close + 1
                continue
        i += 1
    if not cuts:
        return query
    kept: list[tuple[int, int]] = []
    for cut in cuts:
        inner = code[code.index("{", cut[0]) + 1 : cut[1]]
        rest = code[:start] + " " + code[start + 1 : cut[0]] + " " * (cut[1] + 1 - cut[0]) + code[cut[1] + 1 :]
        outer = code[start + 1 : end]
        for other in cuts:  # the group without any of its FILTER NOT EXISTS
            outer = outer[: other[0] - start - 1] + " " * (other[1] + 1 - other[0]) + outer[other[1] - start :]
        required = _required_variables(inner)
        bound = _required_variables(outer)
        if required is None or bound is None:
            continue
        shared = set(_VARIABLE.findall(inner)) & set(_VARIABLE.findall(rest))
        if shared and shared <= required and shared & (bound | {"this"}):
            kept.append(cut)
    if not kept:
        return query
    out, last, moved = [], start + 1, []
    for a, b in kept:
        out.append(query[last:a])
        moved.append("MINUS " + query[query.index("{", a) : b + 1])
        last = b + 1
    out.append(query[last:end])
    return query[: start + 1] + "".join(out) + "\n" + "\n".join(moved) + "\n" + query[end:]


def _mask(query: str) -> str:
    """The query with comments, strings and IRIs blanked (same length), so braces and keywords are code."""
    pattern = r"#[^\n]*|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|<[^<>\s\"{}|^`\\]*>"
    return re.sub(pattern, lambda m: "x" * len(m.group(0)) if m.group(0)[0] == "<" else " " * len(m.group(0)), query)


def _closing(code: str, open_at: int) -> int | None:
    """Index of the bracket closing the one at ``open_at``."""
    pairs = {"{": "}", "(": ")"}
    stack = []
    for i in range(open_at, len(code)):
        c = code[i]
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")}":
            if not stack or stack.pop() != c:
                return None
            if not stack:
                return i
    return None


def _required_variables(text: str) -> set[str] | None:
    """Variables bound in every solution of a group: those of its triple patterns and plain sub-groups.

    FILTER, BIND and VALUES expressions, OPTIONAL and MINUS groups and UNION branches do not count; None for
    what this reading does not follow (sub-queries, GRAPH, SERVICE, unbalanced brackets).
    """
    found: set[str] = set()
    plain: list[str] = []
    i = 0
    while i < len(text):
        m = _KEYWORD.match(text, i) if (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_?$:")) else None
        if m is not None:
            word = m.group(1).upper()
            if word in ("GRAPH", "SERVICE", "SELECT"):
                return None
            j = m.end()
            while j < len(text) and text[j].isspace():
                j += 1
            if word == "UNION":
                i = j
                continue
            if word in ("OPTIONAL", "MINUS"):
                if j >= len(text) or text[j] != "{":
                    return None
                close = _closing(text, j)
            elif word == "VALUES":
                brace = text.find("{", j)
                close = None if brace < 0 else _closing(text, brace)
            else:  # FILTER or BIND: an expression, a call, or (NOT) EXISTS { … }
                k = j
                while k < len(text) and text[k] not in "({":
                    k += 1
                close = _closing(text, k) if k < len(text) else None
            if close is None:
                return None
            i = close + 1
            continue
        if text[i] == "{":
            close = _closing(text, i)
            if close is None:
                return None
            before = text[:i].rstrip()
            after = text[close + 1 :].lstrip()
            if not (before.upper().endswith("UNION") or after.upper().startswith("UNION")):
                inner = _required_variables(text[i + 1 : close])
                if inner is None:
                    return None
                found |= inner
            i = close + 1
            continue
        plain.append(text[i])
        i += 1
    return found | set(_VARIABLE.findall("".join(plain)))


def _true(node: Node | None) -> bool:
    return isinstance(node, RDFLiteral) and node.toPython() is True


def _declared_prefixes(shapes: Graph, owners: Iterable[Node]) -> list[tuple[str, str]]:
    found = []
    for owner in owners:
        for decl in shapes.objects(owner, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                found.append((str(prefix), str(ns)))
    return found


def _copy(source: Graph) -> Graph:
    graph = Graph()
    for prefix, ns in source.namespaces():
        graph.bind(prefix, ns, override=False)
    for t in source:
        graph.add(t)
    return graph


# --- the data ---------------------------------------------------------------------------------------------------


class Terms:
    """rdflib terms as pyoxigraph terms, each distinct term converted once."""

    def __init__(self) -> None:
        self._memo: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def __call__(self, term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = self._memo.get(term)
        if found is None:
            if isinstance(term, URIRef):
                found = ox.NamedNode(str(term))
            elif isinstance(term, BNode):
                found = ox.BlankNode(str(term))
            elif isinstance(term, RDFLiteral):
                if term.language:
                    found = ox.Literal(str(term), language=term.language)
                elif term.datatype is not None:
                    found = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
                else:
                    found = ox.Literal(str(term))
            else:
                raise TypeError(f"unsupported term {term!r}")
            self._memo[term] = found
        return found

    def quads(self, triples: Iterable[tuple[Node, Node, Node]]) -> list[ox.Quad]:
        return [ox.Quad(self(s), self(p), self(o)) for s, p, o in triples]  # type: ignore[arg-type]


def oxigraph_store(triples: Iterable[tuple[Node, Node, Node]]) -> ox.Store:
    """The triples (rdflib terms) in an in-memory Oxigraph store, in its default graph."""
    store = ox.Store()
    store.bulk_extend(Terms().quads(triples))
    return store


def oxigraph_copy(data: Graph) -> ox.Store:
    """The data in an in-memory Oxigraph store (every named graph of a dataset in the default graph)."""
    quads = getattr(data, "quads", None) if data.context_aware else None
    if quads is not None:
        return oxigraph_store((s, p, o) for s, p, o, _g in quads((None, None, None, None)))
    return oxigraph_store(data)


# --- running the checks -----------------------------------------------------------------------------------------


def _target_pattern(targets: Targets) -> str | None:
    patterns = []
    for kind, value in targets:
        if not isinstance(value, URIRef):
            continue
        term = f"<{value}>"
        if kind == SH.targetClass:
            patterns.append(f"{{ ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {term} }}")
        elif kind == SH.targetSubjectsOf:
            patterns.append(f"{{ ?this {term} ?o }}")
        elif kind == SH.targetObjectsOf:
            patterns.append(f"{{ ?s {term} ?this }}")
        elif kind == SH.targetNode:
            patterns.append(f"{{ BIND({term} AS ?this) }}")
    return " UNION ".join(patterns) if patterns else None


def focus_terms(store: ox.Store, targets: Targets) -> dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]:
    """Focus nodes of targets (SHACL instances: rdf:type/rdfs:subClassOf*), by their N-Triples form."""
    pattern = _target_pattern(targets)
    if pattern is None:
        return {}
    rows = store.query(f"SELECT DISTINCT ?this WHERE {{ {pattern} }}")
    assert isinstance(rows, ox.QuerySolutions)
    return {str(r["this"]): r["this"] for r in rows}


def focus_of(store: ox.Store, targets: Targets) -> set[str]:
    """Focus nodes of targets, as N-Triples strings."""
    return set(focus_terms(store, targets))


class FocusNodes:
    """Focus nodes per distinct targets, computed once per run."""

    def __init__(self, store: ox.Store, only: set[str] | None) -> None:
        self.store = store
        self.only = only
        self._cache: dict[Targets, dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]] = {}

    def terms(self, targets: Targets) -> dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]:
        found = self._cache.get(targets)
        if found is None:
            found = focus_terms(self.store, targets)
            if self.only is not None:
                found = {k: v for k, v in found.items() if k in self.only}
            self._cache[targets] = found
        return found

    def block(self, targets: Targets) -> str | None:
        """What binds ``?this`` at the start of a WHERE group; None when there is no focus node.

        The shape's targets as a sub-select when every focus node is validated, else a VALUES block of the
        focus nodes asked for (blank nodes cannot be written in VALUES: then the targets, and ``run`` keeps
        the rows of the focus nodes asked for).
        """
        pattern = _target_pattern(targets)
        if pattern is None:
            return None
        if self.only is not None:
            focus = self.terms(targets)
            if not focus:
                return None
            if not any(key.startswith("_:") for key in focus):
                return "VALUES ?this { " + " ".join(sorted(focus)) + " }\n"
        return f"{{ SELECT DISTINCT ?this WHERE {{ {pattern} }} }}\n"


def run(
    checks: Iterable[SparqlCheck], store: ox.Store, focus_nodes: set[str] | None, *, focus: FocusNodes | None = None
) -> list[tuple[SparqlCheck, Node, Node | None]]:
    """(check, focus node, value) for every solution on a focus node of the check's shape.

    ``focus_nodes`` (N-Triples strings) restricts the focus nodes; None validates every focus node.
    """
    focus = focus or FocusNodes(store, focus_nodes)
    out: list[tuple[SparqlCheck, Node, Node | None]] = []
    for check in checks:
        block = focus.block(check.targets)
        if block is None:
            continue
        allowed = None if focus.only is None else focus.terms(check.targets)
        seen: set[tuple[str, str]] = set()
        where = _first_where(check.query)
        solutions = store.query(check.query[:where] + " " + block + check.query[where:])
        if not isinstance(solutions, ox.QuerySolutions):
            continue
        has_value = "value" in {v.value for v in solutions.variables}
        for row in solutions:
            this = row["this"]
            if this is None or (allowed is not None and str(this) not in allowed):
                continue
            value = row["value"] if has_value else None
            key = (str(this), str(value))
            if key in seen:
                continue
            seen.add(key)
            out.append((check, to_rdflib(this), None if value is None else to_rdflib(value)))
    return out


ValueNodes = Callable[[Node, URIRef, bool], Iterable[Node]]


def run_datatypes(
    checks: Iterable[DatatypeCheck],
    store: ox.Store,
    focus_nodes: set[str] | None,
    values: ValueNodes,
    *,
    focus: FocusNodes | None = None,
    scan: PredicateScan | None = None,
) -> list[tuple[DatatypeCheck, Node, Node | None]]:
    """(check, focus node, value) for every value node that is not a literal of the shape's datatype.

    ``values(focus, path, inverse)`` gives the value nodes of a focus node from the data as given (rdflib terms).
    When every focus node is validated and ``scan(path)`` is given (all (subject, object) pairs of a predicate),
    the data is read once per path instead: cheaper than a lookup per focus node when they are most of a graph.
    """
    focus = focus or FocusNodes(store, focus_nodes)
    out: list[tuple[DatatypeCheck, Node, Node | None]] = []
    checks = list(checks)
    by_path: dict[tuple[URIRef, bool], list[DatatypeCheck]] = {}
    for check in checks:
        if check.path is None or scan is None or focus_nodes is not None:
            for term in focus.terms(check.targets).values():
                node = to_rdflib(term)
                found = [node] if check.path is None else values(node, check.path, check.inverse)
                for value in dict.fromkeys(found):
                    if not datatype_matches(value, check.datatype):
                        out.append((check, node, value))
        else:
            by_path.setdefault((check.path, check.inverse), []).append(check)
    for (path, inverse), group in by_path.items():
        assert scan is not None
        wanted = [(check, set(focus.terms(check.targets))) for check in group]
        seen: set[tuple[Node, Node]] = set()
        for subject, obj in scan(path):
            node, value = (obj, subject) if inverse else (subject, obj)
            if (node, value) in seen:
                continue
            seen.add((node, value))
            key = None
            for check, keys in wanted:
                if datatype_matches(value, check.datatype):
                    continue
                key = key or node.n3()
                if key in keys:
                    out.append((check, node, value))
    return out


PredicateScan = Callable[[URIRef], Iterable[tuple[Node, Node]]]


_NATIVE: Mapping[URIRef, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: dt.date,
    XSD.time: dt.time,
    XSD.dateTime: dt.datetime,
}


def datatype_matches(value: Node, datatype: URIRef) -> bool:
    """sh:datatype (SHACL 1.0 §4.1.2) for one value node, as pySHACL decides it on rdflib terms."""
    if not isinstance(value, RDFLiteral):
        return False
    if value.datatype == datatype:
        return getattr(value, "ill_typed", None) is not True and _native(value, datatype)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype:
        return value.datatype is not None
    if value.datatype is None and value.language is None and datatype == XSD.string:
        return _native(value, datatype)
    if datatype == RDF.langString and value.language:
        return _native(value, datatype)
    return False


def _native(value: RDFLiteral, datatype: URIRef) -> bool:
    kind = _NATIVE.get(datatype)
    return True if kind is None else isinstance(value.value, kind)


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


__all__ = [
    "DatatypeCheck",
    "FocusNodes",
    "Plan",
    "PredicateScan",
    "SparqlCheck",
    "Terms",
    "ValueNodes",
    "datatype_matches",
    "focus_of",
    "focus_terms",
    "oxigraph_copy",
    "oxigraph_store",
    "plan",
    "run",
    "run_datatypes",
    "split_checks",
    "to_rdflib",
]

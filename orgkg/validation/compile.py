"""Shapes → plan: each SHACL constraint compiled to one SPARQL SELECT for all focus nodes at once (pure).

pySHACL evaluates every constraint once per focus node in Python: a SPARQL-based constraint is an rdflib query
per focus node, a property shape is a Python call per focus node and value. Here each constraint becomes one
SELECT of its violations (``?this``, and ``?value`` where there is a value node), run by
:mod:`orgkg.validation.run` on the store with the focus nodes bound by a block opening the WHERE group.

**SPARQL-based constraints** (``sh:sparql`` / ``sh:select``). SHACL 1.0 §5.3.1 defines the result of such a
constraint as the solutions of its SELECT with ``$this`` pre-bound to each focus node; for SELECTs whose first
pattern binds ``$this`` (every constraint in ``shapes/`` is written that way, see the shapes file's header), that
equals evaluating the SELECT once with the focus nodes bound by a block opening its WHERE group — a
``VALUES ?this { … }`` of the focus nodes asked for, or a sub-select of the shape's targets when every focus node
is — so ``$this`` is bound even where it appears only inside FILTER NOT EXISTS.

**Core constraint components** (:data:`COMPILED`) are translated to one SELECT each, with the same focus block, by
their definitions in SHACL 1.0 §4 (value nodes = the objects of the path, or its subjects for an inverse path, or
the focus node itself in a node shape): ``sh:minCount``/``sh:maxCount`` (distinct value nodes), ``sh:class``
(``rdf:type/rdfs:subClassOf*``), ``sh:languageIn``, ``sh:minLength``/``sh:maxLength``, ``sh:pattern``,
``sh:min/maxInclusive``/``Exclusive``, ``sh:in`` and ``sh:hasValue`` (IRIs), ``sh:lessThan(OrEquals)`` and
``sh:disjoint``; where the definitions leave room (string forms, comparisons of unlike values) they follow
pySHACL, which the tests compare against. ``sh:datatype`` (:class:`DatatypeCheck`) is decided in Python by
:func:`datatype_matches` (as pySHACL decides it on rdflib terms), on the rows a SELECT leaves as candidates.

Queries are run as written but for one rewrite, :func:`not_exists_as_minus`: Oxigraph evaluates ``FILTER NOT
EXISTS`` once per solution with a join order fixed before the outer variables are bound, which made checks grow
with the square of the graph; the equivalent MINUS is evaluated once.

**Fallback, per shape.** A shape validated on its own (one with targets: a *unit*) is compiled with its property
shapes, or not at all: when it or one of its property shapes uses anything the translation does not follow —
other components, paths other than an IRI or ``[ sh:inversePath IRI ]``, shapes reached through
``sh:node``/``sh:and``/``sh:or``/``sh:xone``/``sh:not``/qualified shapes, property shapes of property shapes,
SHACL-AF targets and rules, ``$shapesGraph``/``$currentShape`` — the unit is left to pySHACL, logged with its
name and the reason (:attr:`Plan.fallbacks`). The other units are compiled as before; only their targets are
taken out of the shapes graph pySHACL gets (:attr:`Plan.remaining`), so shapes they reach stay whole for it.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

LOG = logging.getLogger("orgkg.validation")

DEFAULT_SHAPES_DIR = Path(__file__).resolve().parent.parent.parent / "shapes"
SHAPES_NS = Namespace("https://w3id.org/orgkg/shapes#")

Targets = tuple[tuple[URIRef, Node], ...]  # (sh:targetClass | sh:targetSubjectsOf | …, value)


def load_shapes(path: Path = DEFAULT_SHAPES_DIR) -> Graph:
    """All shapes in ``path``: every ``*.ttl`` of a folder, or one Turtle file."""
    files = sorted(path.glob("*.ttl")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise FileNotFoundError(f"no SHACL shapes (*.ttl) at {path}")
    shapes = Graph()
    for f in files:
        shapes.parse(f, format="turtle")
    return shapes


def current_shapes() -> tuple[Graph, Plan]:
    """The shapes of ``shapes/`` and their plan, read again when a file changes."""
    files = sorted(DEFAULT_SHAPES_DIR.glob("*.ttl"))
    return _shapes(tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files))


@functools.lru_cache(maxsize=2)
def _shapes(_files: tuple[tuple[str, int, int], ...]) -> tuple[Graph, Plan]:
    shapes = load_shapes()
    return shapes, plan(shapes)


@dataclass(frozen=True)
class SparqlCheck:
    """One constraint of one shape as a SELECT of ``?this`` (and ``?value``), focus nodes bound by the runner."""

    shape: Node
    constraint: Node  # the sh:sparql node; the shape itself for a core component
    query: str
    path: URIRef | None
    severity: URIRef
    targets: Targets
    component: URIRef = SH.SPARQLConstraintComponent
    inverse: bool = False  # the path is [ sh:inversePath path ]


@dataclass(frozen=True)
class DatatypeCheck:
    """``sh:datatype`` of one shape: ``query`` selects candidates, :func:`datatype_matches` decides each one.

    The SELECT leaves out only value nodes SPARQL can tell are well-formed literals of the datatype (Oxigraph's
    ``isNumeric``, ``YEAR``), so what comes back is a superset of the violations, decided as pySHACL would.
    """

    shape: Node
    path: URIRef | None  # None: a node shape, the focus node is the value node
    inverse: bool
    datatype: URIRef
    severity: URIRef
    targets: Targets
    query: str = ""
    component: URIRef = SH.DatatypeConstraintComponent

    @property
    def constraint(self) -> Node:
        return self.shape


@dataclass
class Plan:
    """What runs where: SPARQL and datatype checks on the store, the ``fallbacks`` units with pySHACL."""

    sparql: list[SparqlCheck] = field(default_factory=list)
    core: list[SparqlCheck] = field(default_factory=list)
    datatypes: list[DatatypeCheck] = field(default_factory=list)
    remaining: Graph = field(default_factory=Graph)  # the shapes graph for pySHACL: compiled units untargeted
    fallbacks: dict[Node, str] = field(default_factory=dict)  # unit → why it is not compiled

    @property
    def checks(self) -> list[SparqlCheck]:
        return self.sparql + self.core

    def pyshacl_needed(self) -> bool:
        """Whether any unit is left for pySHACL."""
        return bool(self.fallbacks)


_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
# Parameters the translation does not follow: a unit using any of them (itself or in a property shape) falls back.
_NESTING = {
    SH.node,
    SH["and"],
    SH["or"],
    SH.xone,
    SH["not"],
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.closed,
    SH.target,
    SH.rule,
    SH.expression,
    SH.js,
    SH.condition,
    SH.nodeKind,
    SH.uniqueLang,
    SH.equals,
}
COMPILED = {
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
    SH.sparql: SH.SPARQLConstraintComponent,
}
"""The constraint parameters the compiler claims, with their components (the W3C suite runs for each)."""
_PROPERTY_ONLY = {SH.minCount, SH.maxCount, SH.lessThan, SH.lessThanOrEquals}
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
_PREFIXES = (
    "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)


def plan(shapes: Graph) -> Plan:
    """Every unit (shape with targets) compiled with its property shapes, or left to pySHACL with the reason."""
    result = Plan(remaining=copy_graph(shapes))
    owners: dict[Node, list[Targets]] = {}  # shape with constraints → targets of the compiled units using it
    for unit in sorted(_units(shapes), key=_order):
        targets = _all_targets(shapes, unit)
        members = [unit, *_property_shapes(shapes, unit)]
        reason = _unsupported(shapes, unit, members, targets)
        if reason is not None:
            result.fallbacks[unit] = reason
            LOG.info("SHACL shape %s is validated by pySHACL: %s", _name(unit), reason)
            continue
        assert targets is not None
        for member in members:
            owners.setdefault(member, []).append(targets)
        for kind in _TARGETS:
            result.remaining.remove((unit, kind, None))
        for cls in (RDFS.Class, OWL.Class):
            result.remaining.remove((unit, RDF.type, cls))
    for shape in sorted(owners, key=_order):
        merged: list[tuple[URIRef, Node]] = []
        for targets in owners[shape]:
            merged += [t for t in targets if t not in merged]
        checks = _compile_shape(shapes, shape, tuple(merged))
        assert checks is not None  # _unsupported compiled it once already
        for check in checks:
            if isinstance(check, DatatypeCheck):
                result.datatypes.append(check)
            elif check.component == SH.SPARQLConstraintComponent:
                result.sparql.append(check)
            else:
                result.core.append(check)
    return result


def _order(node: Node) -> tuple[int, str]:
    return (isinstance(node, BNode), str(node))


def _name(node: Node) -> str:
    return f"<{node}>" if isinstance(node, URIRef) else f"_:{node}"


def _units(shapes: Graph) -> set[Node]:
    """Shapes validated on their own (SHACL 1.0 §2.1.3): with a target, or implicit class targets."""
    found: set[Node] = set()
    for kind in (*_TARGETS, SH.target):
        found.update(shapes.subjects(kind, None))
    typed = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    found.update(s for s in typed if _implicit_class(shapes, s))
    return {s for s in found if not _deactivated(shapes, s)}


def _implicit_class(shapes: Graph, shape: Node) -> bool:
    return isinstance(shape, URIRef) and any((shape, RDF.type, c) in shapes for c in (RDFS.Class, OWL.Class))


def _property_shapes(shapes: Graph, shape: Node) -> list[Node]:
    return sorted((p for p in shapes.objects(shape, SH.property) if not _deactivated(shapes, p)), key=_order)


def _unsupported(shapes: Graph, unit: Node, members: list[Node], targets: Targets | None) -> str | None:
    """Why ``unit`` cannot be compiled, or None."""
    if targets is None:
        return "a target that is not an IRI, or a SHACL-AF target"
    custom = _custom_parameters(shapes)
    for member in members:
        nested = sorted(str(p) for p in set(shapes.predicates(member, None)) if p in _NESTING or p in custom)
        if nested:
            return f"{_name(member)} uses {', '.join(_short(p) for p in nested)}"
        if member != unit and shapes.value(member, SH.property) is not None:
            return f"{_name(member)} is a property shape with property shapes"
        if member == unit and shapes.value(unit, SH.path) is not None and shapes.value(unit, SH.property) is not None:
            return f"{_name(member)} is a property shape with property shapes"
        if _compile_shape(shapes, member, targets) is None:
            return (
                f"{_name(member)} has a constraint or path the compiler does not translate (a path other than an"
                " IRI or its inverse, or a SPARQL constraint using $shapesGraph / $currentShape or filtering on $this"
                " in a nested group)"
            )
    return None


def _custom_parameters(shapes: Graph) -> set[Node]:
    """Parameters of constraint components the shapes graph declares (SHACL 1.0 §6): left to pySHACL."""
    found: set[Node] = set()
    for parameter in shapes.objects(None, SH.parameter):  # components may be typed by a subclass
        found.update(shapes.objects(parameter, SH.path))
    return found - set(COMPILED)


def _short(iri: str) -> str:
    return "sh:" + iri.removeprefix(str(SH)) if iri.startswith(str(SH)) else f"<{iri}>"


def _compile_shape(shapes: Graph, shape: Node, targets: Targets) -> list[SparqlCheck | DatatypeCheck] | None:
    """The checks of ``shape``'s own constraints for ``targets``; None when one is not translatable."""
    path_node = shapes.value(shape, SH.path)
    path, inverse = _path(shapes, path_node)
    if path_node is not None and path is None:
        return None
    severity = shapes.value(shape, SH.severity) or SH.Violation
    if not isinstance(severity, URIRef):
        return None
    if len(set(shapes.objects(shape, SH.datatype))) > 1:
        return None  # pySHACL's error to report
    made: list[SparqlCheck | DatatypeCheck] = []
    check: SparqlCheck | DatatypeCheck | None
    for p, o in sorted(shapes.predicate_objects(shape), key=lambda po: (str(po[0]), str(po[1]))):
        if p == SH.sparql:
            if _true(shapes.value(o, SH.deactivated)):
                continue
            check = _check(shapes, shape, o, targets)
        elif p in COMPILED:
            if path is None and p in _PROPERTY_ONLY:
                return None
            check = _core_check(shapes, shape, p, o, path, inverse, severity, targets)  # type: ignore[arg-type]
        else:
            continue
        if check is None:
            return None
        made.append(check)
    return made


def split_checks(shapes: Graph) -> tuple[list[SparqlCheck], Graph]:
    """The compiled SPARQL-based constraints, and a copy of the shapes graph without them (for comparisons)."""
    checks = plan(shapes).sparql
    remaining = copy_graph(shapes)
    for check in checks:
        remaining.remove((check.shape, SH.sparql, check.constraint))
    return checks, remaining


def _path(shapes: Graph, node: Node | None) -> tuple[URIRef | None, bool]:
    if isinstance(node, URIRef):
        return node, False
    if isinstance(node, BNode):
        inverse = shapes.value(node, SH.inversePath)
        if isinstance(inverse, URIRef) and len(set(shapes.predicate_objects(node))) == 1:
            return inverse, True
    return None, False


def _all_targets(shapes: Graph, shape: Node) -> Targets | None:
    """The unit's targets, its implicit class target included; None when one is not an IRI (left to pySHACL)."""
    found: list[tuple[URIRef, Node]] = []
    if shapes.value(shape, SH.target) is not None:
        return None
    for kind in _TARGETS:
        for value in sorted(shapes.objects(shape, kind), key=str):
            if kind == SH.targetNode:
                if isinstance(value, BNode):
                    return None
            elif not isinstance(value, URIRef):
                return None
            if (kind, value) not in found:
                found.append((kind, value))
    if _implicit_class(shapes, shape) and (SH.targetClass, shape) not in found:
        found.append((SH.targetClass, shape))
    return tuple(found)


def _deactivated(shapes: Graph, shape: Node) -> bool:
    return _true(shapes.value(shape, SH.deactivated))


def _core_check(
    shapes: Graph,
    shape: Node,
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
        return DatatypeCheck(shape, path, inverse, value, severity, targets, _datatype_query(value, path, inverse))
    values = _values(path, inverse)
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
        if members is None or not all(isinstance(m, URIRef | RDFLiteral) for m in members):
            return None
        # sameTerm as in SHACL 1.0 §4.6.2 (RDF term equality; in RDF 1.1 "a" and "a"^^xsd:string are one term)
        same = " || ".join(f"sameTerm(?value, {m.n3()})" for m in members) or "false"
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
        select = "SELECT DISTINCT ?this ?value ?other WHERE {"  # one result per pair (SHACL 1.0 §4.5.3)
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
        component=COMPILED[parameter],
        inverse=inverse,
    )


def _values(path: URIRef | None, inverse: bool) -> str:
    """The pattern binding ``?value`` to the value nodes of ``?this`` (SHACL 1.0 §1.5)."""
    if path is None:
        return "BIND(?this AS ?value)"
    return f"?value <{path}> ?this ." if inverse else f"?this <{path}> ?value ."


# What SPARQL can tell of a literal of the datatype already known to be one: well-formed (Oxigraph keeps an
# ill-formed literal as a plain typed string, for which isNumeric is false and YEAR an error).
_NUMERIC = (
    "integer",
    "decimal",
    "float",
    "double",
    "int",
    "long",
    "short",
    "byte",
    "nonNegativeInteger",
    "positiveInteger",
    "nonPositiveInteger",
    "negativeInteger",
    "unsignedInt",
    "unsignedLong",
    "unsignedShort",
    "unsignedByte",
)
_WELL_FORMED: Mapping[URIRef, str] = {
    **{XSD[n]: "isNumeric(?value)" for n in _NUMERIC},
    XSD.string: "true",
    RDF.langString: "true",
    XSD.date: "COALESCE(YEAR(?value) > -1000000000, false)",
    XSD.dateTime: "COALESCE(YEAR(?value) > -1000000000, false)",
    XSD.boolean: "(sameTerm(?value, true) || sameTerm(?value, false))",
}


def _datatype_query(datatype: URIRef, path: URIRef | None, inverse: bool) -> str:
    """Candidates for violations of ``sh:datatype datatype``: every value node not shown well-formed in SPARQL."""
    ok = _WELL_FORMED.get(datatype, "false")
    return (
        f"SELECT DISTINCT ?this ?value WHERE {{ {_values(path, inverse)} "
        f"FILTER (!(isLiteral(?value) && sameTerm(DATATYPE(?value), <{datatype}>) && {ok})) }}"
    )


def _noop(shape: Node, path: URIRef | None, inverse: bool, severity: URIRef, targets: Targets) -> SparqlCheck:
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


def _check(shapes: Graph, shape: Node, constraint: Node, targets: Targets) -> SparqlCheck | None:
    """A SPARQL-based constraint (SHACL 1.0 §5) as a check; None for what the compiled form cannot keep."""
    select = shapes.value(constraint, SH.select)
    if select is None:
        return None
    text = str(select)
    _check_syntax(text, shape)
    if re.search(r"\$(shapesGraph|currentShape)\b", text) or not _this_in_scope(_mask(text)):
        return None  # reason given by _unsupported
    path_node = shapes.value(shape, SH.path)
    path, inverse = _path(shapes, path_node)
    if re.search(r"\$PATH\b", text):
        if path is None:
            return None
        text = re.sub(r"\$PATH\b", f"^<{path}>" if inverse else f"<{path}>", text)
    prefixes = "".join(
        f"PREFIX {p}: <{ns}>\n" for p, ns in _declared_prefixes(shapes, shapes.objects(constraint, SH.prefixes))
    )
    severity = shapes.value(constraint, SH.severity) or shapes.value(shape, SH.severity) or SH.Violation
    return SparqlCheck(
        shape=shape,
        constraint=constraint,
        query=prefixes + not_exists_as_minus(re.sub(r"\$this\b", "?this", text)),
        path=path,
        severity=severity if isinstance(severity, URIRef) else SH.Violation,
        targets=targets,
        inverse=inverse,
    )


class ShapesError(ValueError):
    """The shapes graph is not valid SHACL (the message names the shape and what is wrong)."""


_PROHIBITED = re.compile(r"(?i)\b(MINUS|SERVICE|VALUES)\b|\bAS\s+[?$]this\b")


def _check_syntax(text: str, shape: Node) -> None:
    """SHACL 1.0 §5.2.1: no MINUS, SERVICE, VALUES, ``AS $this``, or sub-query leaving out ``$this``."""
    code = _mask(text)
    m = _PROHIBITED.search(code)
    what = m.group(0) if m is not None else None
    for sub in list(re.finditer(r"(?i)\bSELECT\b([^{]*)\{", code))[1:]:
        if not re.search(r"[?$]this\b", sub.group(1)):
            what = "a sub-query that does not return $this"
    if what is not None:
        raise ShapesError(f"the SPARQL constraint of {_name(shape)} uses {what}, which SHACL 1.0 §5.2.1 prohibits")


def _this_in_scope(code: str) -> bool:
    """Whether binding ``$this`` once at the start of the WHERE group is the same as pre-binding it (§5.2).

    It is where ``$this`` occurs in the WHERE group itself, in (NOT) EXISTS and OPTIONAL groups (whose filters see
    the outer solution), or in nested groups (UNION branches included) that bind it by a required triple pattern,
    so that they join on it. A nested group that only filters on ``$this`` is evaluated on its own in SPARQL,
    where ``$this`` is unbound: such constraints are left to pySHACL.
    """
    start = _where_brace(code)
    if start is None:
        return False
    end = _closing(code, start)
    if end is None:
        return False
    opens = [(m.start(), m.group(0)) for m in re.finditer(r"\{", code)]
    for m in re.finditer(r"[?$]this\b", code[start:end]):
        at = start + m.start()
        for brace, _ in opens:  # every group enclosing the occurrence, but the WHERE group
            if brace <= start or brace > at:
                continue
            close = _closing(code, brace)
            if close is None or close < at:
                continue
            if re.search(r"(?i)(\bEXISTS|\bOPTIONAL)$", code[:brace].rstrip()):
                continue
            required = _required_variables(code[brace + 1 : close])
            if required is None or "this" not in required:
                return False
    return True


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
    start = _where_brace(code)
    if start is None:
        return query
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
        last = b + 1
    out.append(query[last:end])
    outer = "".join(out)
    # The group's own patterns go into each MINUS too when it has only triple patterns and FILTERs: P MINUS { Q }
    # equals P MINUS { P Q } (a solution of Q compatible with one of P extends to one of P Q), and P bounds the
    # work of the MINUS side by the group's solutions, where Q alone may be a cross product (TaskContinuesEarlier:
    # every pair of tasks of an organization). FOCUS marks where the runner binds the focus nodes there too.
    plain = _plain_patterns(_mask(outer))
    for a, b in kept:
        inner = query[query.index("{", a) + 1 : b]
        copy = plain and _plain_patterns(_mask(inner))
        end_mark = _mask(outer).rstrip()
        dot = "" if not end_mark or end_mark.endswith((".", ")")) else " ."  # the last triple, ended
        moved.append("MINUS {" + (f"\n{FOCUS}{outer}{dot}\n" if copy else "") + inner + "}")
    return query[: start + 1] + outer + "\n" + "\n".join(moved) + "\n" + query[end:]


FOCUS = "#focus\n"
"""Where the runner puts the focus block inside a MINUS group the rewrite made (a comment: valid SPARQL as is)."""


def _plain_patterns(code: str) -> bool:
    """Whether a group's text holds only triple patterns and FILTER expressions (no sub-group, OPTIONAL, BIND …)."""
    if "{" in code or "}" in code:
        return False
    return all(m.group(1).upper() == "FILTER" for m in _KEYWORD.finditer(code)) and "EXISTS" not in code.upper()


def where_offset(query: str) -> int:
    """Offset just after the ``{`` opening the query's WHERE group (the keyword WHERE is optional in SPARQL).

    >>> q = "SELECT $this { $this a ?c }"
    >>> q[where_offset(q):]
    ' $this a ?c }'
    """
    brace = _where_brace(_mask(query))
    if brace is None:
        raise ValueError("the query has no WHERE { … } group")
    return brace + 1


def _where_brace(code: str) -> int | None:
    """Index of the ``{`` opening the WHERE group of a masked SELECT: after WHERE, else the first after SELECT."""
    where = re.search(r"(?i)\bWHERE\s*\{", code)
    if where is not None:
        return where.end() - 1
    select = re.search(r"(?i)\bSELECT\b", code)
    if select is None:
        return None
    brace = code.find("{", select.end())
    return None if brace < 0 else brace


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
    """The prefix declarations of ``owners`` and of what they import (``owl:imports``, SHACL 1.0 §5.2.2)."""
    found = []
    todo, seen = list(owners), set()
    while todo:
        owner = todo.pop(0)
        if owner in seen:
            continue
        seen.add(owner)
        todo += list(shapes.objects(owner, OWL.imports))
        for decl in shapes.objects(owner, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                found.append((str(prefix), str(ns)))
    return found


def copy_graph(source: Graph) -> Graph:
    """A copy of an rdflib graph with its prefixes (pySHACL adds to the shapes graph it is given)."""
    graph = Graph()
    for prefix, ns in source.namespaces():
        graph.bind(prefix, ns, override=False)
    for t in source:
        graph.add(t)
    return graph


# --- sh:datatype, decided as pySHACL decides it ---------------------------------------------------------------

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

"""Run a plan (:mod:`orgkg.validation.compile`) on the data, where it is: one query per constraint.

Every compiled check runs once on the store for all its focus nodes, bound by a block opening the WHERE group:
the shape's targets as a sub-select when every node is validated, or a ``VALUES ?this { … }`` of the focus nodes
asked for (an incremental check: the nodes of the documents written, SHACL 1.0 §2.1 focus nodes). Units the
compiler leaves (:attr:`Plan.fallbacks`) go to pySHACL on an rdflib copy of the data, made only then.

Entry points, from the most general:

* :func:`validate_data`: a plan on :class:`~orgkg.validation.data.Data` (a store generation read in place, or
  data loaded once into an in-memory store);
* :func:`validate`: an rdflib graph or dataset against a shapes graph (tests, the W3C suite, the bench);
* :func:`check_data`: what ``orgkg build``, ``orgkg validate`` and ``orgkg add`` run: the shapes of ``shapes/``,
  the quote check when the documents' texts are known, each finding named (:func:`orgkg.validation.quotes.describe`);
* :func:`check_update`: the incremental check of an update, run on the staged store generation, merged into the
  full report of the generation it replaces (:func:`orgkg.validation.report.merged`).

Inference: none. SHACL itself follows ``rdfs:subClassOf`` triples of the data for ``sh:class`` and
``sh:targetClass`` (SHACL 1.0 §1.5 "SHACL instance"), which is all the shapes need: an ``okg:WorkPlan`` then
counts as an ``okg:SourceDocument``. RDFS inference would also type every object of a property by its
``rdfs:range``, so a task pointing at a unit with ``okg:inDocument`` would become a "document" and the shape meant
to catch it could never fire. A store is validated as its queries read it: the union of its named graphs, the
ontology's graph included (as pySHACL mixes in an ``ont_graph``).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any, cast

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result
from rdflib.term import Identifier, Node

from orgkg.stores.base import Store
from orgkg.validation.compile import (
    FOCUS,
    DatatypeCheck,
    Plan,
    SparqlCheck,
    Targets,
    copy_graph,
    current_shapes,
    datatype_matches,
    plan,
    where_offset,
)
from orgkg.validation.data import Data, OxTerm, from_rdflib, sparql_term, to_rdflib
from orgkg.validation.quotes import describe, quote_results
from orgkg.validation.report import (
    ValidationReport,
    ValidationResult,
    merged,
    messages_by_language,
    read,
    rule_id,
    severity_of,
)

__all__ = ["check_data", "check_update", "check_write", "document_nodes", "validate", "validate_data"]

LOG = logging.getLogger("orgkg.validation")
ValueNodes = Callable[[Node, URIRef, bool], Iterable[Node]]
_BATCH = 500  # focus nodes per VALUES block
_DOCUMENT_GRAPH = "/graph/doc/"


# --- focus nodes ------------------------------------------------------------------------------------------------


def _target_pattern(targets: Targets) -> str | None:
    patterns = []
    for kind, value in targets:
        if isinstance(value, BNode):
            continue
        term = sparql_term(value)
        if kind == SH.targetClass:
            patterns.append(f"{{ ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {term} }}")
        elif kind == SH.targetSubjectsOf:
            patterns.append(f"{{ ?this {term} ?o }}")
        elif kind == SH.targetObjectsOf:
            patterns.append(f"{{ ?s {term} ?this }}")
        elif kind == SH.targetNode:
            patterns.append(f"{{ BIND({term} AS ?this) }}")
    return " UNION ".join(patterns) if patterns else None


class FocusNodes:
    """Focus nodes per distinct targets, computed once per run; ``only`` restricts them (None: all)."""

    def __init__(self, data: Data, only: Iterable[Node] | None) -> None:
        self.data = data
        self.only = None if only is None else {n.n3(): n for n in only}
        self._cache: dict[Targets, dict[str, OxTerm]] = {}
        self._blank = self.only is not None and any(isinstance(n, BNode) for n in self.only.values())
        keys = sorted(self.only) if self.only is not None and not self._blank else []
        self._batches = [" ".join(keys[i : i + _BATCH]) for i in range(0, len(keys), _BATCH)]

    def terms(self, targets: Targets) -> dict[str, OxTerm]:
        """The focus nodes of ``targets`` (among ``only``), by their N-Triples form."""
        found = self._cache.get(targets)
        if found is None:
            found = self._terms(targets)
            self._cache[targets] = found
        return found

    def _terms(self, targets: Targets) -> dict[str, OxTerm]:
        pattern = _target_pattern(targets)
        if pattern is None:
            return {}
        if self.only is None or self._blank:
            rows = self.data.select(f"SELECT DISTINCT ?this WHERE {{ {pattern} }}")
            found = {str(r["this"]): r["this"] for r in rows}
            return found if self.only is None else {k: v for k, v in found.items() if k in self.only}
        out: dict[str, OxTerm] = {}
        for block in self._batches:  # the nodes asked for, kept when a target pattern holds for them
            for r in self.data.select(f"SELECT DISTINCT ?this WHERE {{ VALUES ?this {{ {block} }} {pattern} }}"):
                out[str(r["this"])] = r["this"]
        return out

    def blocks(self, targets: Targets) -> Iterator[str]:
        """What binds ``?this`` at the start of a WHERE group: nothing when there is no focus node.

        The shape's targets as a sub-select when every focus node is validated, else VALUES blocks of the focus
        nodes asked for (blank nodes cannot be written in VALUES: then the targets, and the runner keeps the rows
        of the focus nodes asked for).
        """
        pattern = _target_pattern(targets)
        if pattern is None:
            return
        if self.only is not None:
            focus = self.terms(targets)
            if not focus:
                return
            if not any(key.startswith("_:") for key in focus):
                keys = sorted(focus)
                for i in range(0, len(keys), _BATCH):
                    yield "VALUES ?this { " + " ".join(keys[i : i + _BATCH]) + " }\n"
                return
        yield f"{{ SELECT DISTINCT ?this WHERE {{ {pattern} }} }}\n"


# --- running the checks -----------------------------------------------------------------------------------------

Row = tuple[SparqlCheck | DatatypeCheck, Node, Node | None, Mapping[str, Node]]


def run(checks: Iterable[SparqlCheck], focus: FocusNodes) -> list[Row]:
    """(check, focus node, value, other bindings) for every solution on a focus node of the check's shape."""
    out: list[Row] = []
    for check in checks:
        allowed = None if focus.only is None else focus.terms(check.targets)
        seen: set[tuple[str, ...]] = set()
        at = where_offset(check.query)
        for block in focus.blocks(check.targets):
            # Inside a MINUS the rewrite made, VALUES narrows the work to the focus nodes; the targets' sub-select
            # (every focus node) would only repeat the target query.
            inner = block if block.startswith("VALUES") else ""
            query = check.query[:at] + " " + block + check.query[at:].replace(FOCUS, inner)
            solutions = focus.data.select(query)
            names = [v.value for v in solutions.variables]
            for row in solutions:
                this = row["this"]
                if this is None or (allowed is not None and str(this) not in allowed):
                    continue
                value = row["value"] if "value" in names else None
                key = tuple(str(row[n]) for n in names)  # a triple in two named graphs gives the same row twice
                if key in seen:
                    continue
                seen.add(key)
                bindings = {n: to_rdflib(row[n]) for n in names if n not in ("this", "value") and row[n] is not None}
                if value is None and check.path is None and check.component == SH.SPARQLConstraintComponent:
                    value = this  # SHACL 1.0 §5.3.2: in a node shape, the focus node is the value node
                out.append((check, to_rdflib(this), None if value is None else to_rdflib(value), bindings))
    return out


def run_datatypes(checks: Iterable[DatatypeCheck], focus: FocusNodes, values: ValueNodes | None = None) -> list[Row]:
    """(check, focus node, value, {}) for every value node that is not a literal of the shape's datatype.

    With ``values(focus, path, inverse)`` (the value nodes of the data as given, rdflib terms) the literals are
    judged as given; Oxigraph keeps literals in canonical form (``"01"^^xsd:int`` becomes ``"1"^^xsd:integer``),
    so a datatype judged on its copy could differ. Without, the candidates of the check's query are judged.
    """
    out: list[Row] = []
    for check in checks:
        if values is not None:
            for term in focus.terms(check.targets).values():
                node = to_rdflib(term)
                found = [node] if check.path is None else values(node, check.path, check.inverse)
                for value in dict.fromkeys(found):
                    if not datatype_matches(value, check.datatype):
                        out.append((check, node, value, {}))
            continue
        candidates = SparqlCheck(check.shape, check.shape, check.query, check.path, check.severity, check.targets)
        for _c, node, candidate, _b in run([candidates], focus):
            if candidate is not None and not datatype_matches(candidate, check.datatype):
                out.append((check, node, candidate, {}))
    return out


def validate_data(
    data: Data,
    shapes: Graph,
    checks: Plan | None = None,
    *,
    focus_nodes: Iterable[Node] | None = None,
    values: ValueNodes | None = None,
    rdflib_data: Callable[[], Graph] | None = None,
    ontology: Graph | None = None,
) -> ValidationReport:
    """Validate ``data`` against ``shapes`` (``checks``: their plan, made if not given).

    ``focus_nodes`` restricts validation to those nodes (the rest of the data is context); ``values`` gives value
    nodes from the data as given, for sh:datatype (see :func:`run_datatypes`); ``rdflib_data()`` is the data for
    pySHACL, asked for only when a unit is left to it (default: a copy of ``data``).
    """
    checks = checks or plan(shapes)
    focus_list = None if focus_nodes is None else list(focus_nodes)
    found: list[ValidationResult] = []
    paths = Graph()
    if checks.pyshacl_needed():
        started = time.perf_counter()
        report = _pyshacl(rdflib_data() if rdflib_data else _prepared_copy(data), checks, ontology, focus_list)
        found += _with_messages(report.results, shapes)
        paths = report.paths
        LOG.info(
            "pySHACL validated %d shape(s) in %.2f s: %s",
            len(checks.fallbacks),
            time.perf_counter() - started,
            ", ".join(rule_id(s) or str(s) for s in checks.fallbacks),
        )
    focus = FocusNodes(data, focus_list)
    rows = run(checks.checks, focus) + run_datatypes(checks.datatypes, focus, values)
    inverse_paths: dict[URIRef, BNode] = {}
    for check, node, value, bindings in rows:
        path: Node | None = bindings.get("path", check.path)
        if path == check.path and check.path is not None and check.inverse:
            path = inverse_paths.get(check.path)
            if path is None:
                path = inverse_paths[check.path] = BNode()
                paths.add((path, SH.inversePath, check.path))
        templates = _shape_messages(shapes, check.constraint) or _shape_messages(shapes, check.shape)
        if not templates:
            templates = {"en": f"{rule_id(check.component)} not satisfied"}
        filling = {"this": node, "path": check.path, "value": value, **bindings}
        found.append(
            ValidationResult(
                severity=severity_of(check.severity),
                rule_id=rule_id(check.shape),
                focus_node=node,
                result_path=path,
                value=value,
                message_zh=_fill(templates.get("zh", ""), filling),
                message_en=_fill(templates.get("en", ""), filling),
                source_shape=check.shape,
                component=check.component,
            )
        )
    return ValidationReport.of(found, paths)


def _pyshacl(data: Graph, checks: Plan, ontology: Graph | None, focus: list[Node] | None) -> ValidationReport:
    _conforms, report_graph, _text = pyshacl.validate(
        data,
        shacl_graph=copy_graph(checks.remaining),  # pySHACL adds RDFS axioms to the shapes graph it is given
        ont_graph=ontology,
        inference="none",
        # SHACL-AF (SPARQL targets, rules) for shapes to come. Rules may add triples: harmless, they land in the copy.
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        inplace=True,
        meta_shacl=False,  # checked once in the tests, not on every run
        focus_nodes=None if focus is None else [cast(URIRef, n) for n in focus],
    )
    return read(cast(Graph, report_graph))


def _with_messages(results: Iterable[ValidationResult], shapes: Graph) -> list[ValidationResult]:
    """pySHACL's results with the shapes' tagged messages (pySHACL drops the tag of messages it fills in)."""
    out = []
    for r in results:
        templates = _shape_messages(shapes, r.source_shape)
        filling = {"this": r.focus_node, "path": r.result_path, "value": r.value}
        zh, en = (_fill(templates.get(lang, ""), filling) for lang in ("zh", "en"))
        out.append(
            ValidationResult(
                r.severity,
                r.rule_id,
                r.focus_node,
                r.result_path,
                r.value,
                zh or r.message_zh,
                en or r.message_en,
                source_shape=r.source_shape,
                component=r.component,
            )
        )
    return out


def _shape_messages(shapes: Graph, shape: Node | None) -> dict[str, str]:
    """``sh:message`` by language ("zh", "en"); an untagged message stands for both."""
    return {} if shape is None else messages_by_language(shapes, shape, SH.message)


def _fill(template: str, bindings: Mapping[str, Node | None]) -> str:
    """Substitute SHACL's message placeholders ``{$this}``, ``{?value}``, any ``{?var}`` of the SELECT (§5.3.2)."""
    for name, node in bindings.items():
        if node is not None:
            for sigil in "$?":
                template = template.replace("{" + sigil + name + "}", str(node))
    return template


# --- rdflib data ------------------------------------------------------------------------------------------------


def validate(
    data: Graph | Dataset,
    shapes: Graph,
    *,
    ontology: Graph | None = None,
    focus_nodes: Iterable[Node] | None = None,
) -> ValidationReport:
    """Validate ``data`` (a graph, or every named graph of a dataset taken together) against ``shapes``.

    ``ontology`` supplies the ``rdfs:subClassOf`` axioms the shapes follow, mixed in as pySHACL's ``ont_graph``.
    ``focus_nodes`` restricts validation to those nodes (the rest of ``data`` is context).
    """
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

    return validate_data(
        from_rdflib(triples),
        shapes,
        focus_nodes=focus_nodes,
        values=values,
        rdflib_data=lambda: _union_copy(data),
        ontology=ontology,
    )


def _triples(
    data: Graph, pattern: tuple[Node | None, Node | None, Node | None] = (None, None, None)
) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of a graph, or of every named graph of a dataset (a triple may come once per graph)."""
    if isinstance(data, Dataset) or data.context_aware:
        for s, p, o, _g in data.quads((*pattern, None)):  # type: ignore[attr-defined]
            yield s, p, o
    else:
        yield from data.triples(pattern)


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL query once.

    pySHACL hands rdflib the text of a SPARQL-based constraint once per focus node, and rdflib parses it every
    time (about 20 ms per parse). Prepared queries are reusable with different ``initBindings`` (rdflib's
    ``prepareQuery``), so the parse is cached by query text and prefixes.
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
            namespaces = tuple(sorted((str(p), str(n)) for p, n in (initNs or dict(self.namespaces())).items()))
            query_object = _prepared(query_object, namespaces)
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


@functools.lru_cache(maxsize=1024)
def _prepared(query: str, namespaces: tuple[tuple[str, str], ...]) -> Any:
    return prepareQuery(query, initNs=dict(namespaces))


def _union_copy(data: Graph | Dataset) -> _PreparedQueryGraph:
    graph = _PreparedQueryGraph()
    for prefix, ns in data.namespaces():
        graph.bind(prefix, ns, override=False)
    for triple in _triples(data):
        graph.add(triple)
    return graph


def _prepared_copy(data: Data) -> _PreparedQueryGraph:
    LOG.info("copying the data to rdflib for pySHACL")
    graph = _PreparedQueryGraph()
    for s, p, o in data.triples():
        graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return graph


# --- orgkg's checks ---------------------------------------------------------------------------------------------


def check_data(
    data: Data, texts: Mapping[str, str] | None = None, *, focus: set[Node] | None = None
) -> ValidationReport:
    """The shapes of ``shapes/`` on ``data`` (its ``focus`` nodes only, if given), the quote check where texts are
    known, and every finding named (:func:`orgkg.validation.quotes.describe`)."""
    shapes, checks = current_shapes()
    report = validate_data(data, shapes, checks, focus_nodes=focus)
    if texts:
        excerpts = None if focus is None else {n.n3() for n in focus}
        report = report.with_results(quote_results(data, texts, excerpts))
    return replace(ValidationReport.of(describe(report.results, data), report.paths), generated=_now())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


_DOCUMENT_NODES = """PREFIX okg: <https://w3id.org/orgkg/ontology#>
SELECT DISTINCT ?s WHERE {
  GRAPH %s { ?doc okg:sha256 ?sha . ?s ?p ?o }
  FILTER (isIRI(?s) && (?s = ?doc || STRSTARTS(STR(?s), CONCAT(STR(?doc), "/"))))
}"""
_SUBJECTS = "SELECT DISTINCT ?s WHERE { GRAPH %s { ?s ?p ?o } }"


def document_nodes(data: Data, graphs: Iterable[str]) -> set[Node]:
    """The focus nodes of an incremental check of ``graphs`` (IRIs of named graphs).

    Of a document graph, the nodes minted under the document's IRI (its tasks, responsibilities, excerpts …) and
    the document itself; of a shared graph (entities, derived links), its subjects. The rest of the data is
    context: checking an added document costs that document, not the whole graph (SHACL 1.0 §2.1 focus nodes).
    """
    nodes: set[Node] = set()
    for name in graphs:
        query = _DOCUMENT_NODES if _DOCUMENT_GRAPH in name else _SUBJECTS
        nodes.update(to_rdflib(r["s"]) for r in data.select(query % sparql_term(URIRef(name))))
    return nodes


_PRESENT = "SELECT DISTINCT ?n WHERE { VALUES ?n { %s } { ?n ?p ?o } UNION { ?s ?p ?n } }"


def _present(data: Data, nodes: Iterable[Node]) -> set[Node]:
    """Those of ``nodes`` the data still mentions (blank nodes count as present)."""
    named = sorted({n for n in nodes if not isinstance(n, BNode)}, key=str)
    found: set[Node] = {n for n in nodes if isinstance(n, BNode)}
    for i in range(0, len(named), _BATCH):
        block = " ".join(sparql_term(n) for n in named[i : i + _BATCH])
        found.update(to_rdflib(r["n"]) for r in data.select(_PRESENT % block))
    return found


def check_update(
    data: Data,
    changed: Iterable[str],
    previous: ValidationReport | None,
    texts: Mapping[str, str] | None = None,
    *,
    touched: set[Node] | None = None,
) -> ValidationReport:
    """The full report of ``data`` after an update that wrote the ``changed`` graphs.

    With the ``previous`` generation's full report, only the nodes of the changed graphs (:func:`document_nodes`)
    and the ``touched`` nodes are checked and their results replace the earlier ones (results on nodes no longer in
    the data are dropped); without one, all of ``data`` is checked.
    """
    if previous is None:
        LOG.info("no report of the previous store generation: checking the whole graph")
        return check_data(data, texts)
    focus = document_nodes(data, changed) | (touched or set())
    update = check_data(data, texts, focus=focus)
    present = _present(data, (r.focus_node for r in previous.results))
    return replace(merged(previous, lambda n: n in focus or n not in present, update), generated=update.generated)


def check_write(
    store: Store,
    graphs: Mapping[ox.NamedNode, Iterable[ox.Quad]],
    changed: Iterable[ox.NamedNode],
    texts: Mapping[str, str] | None = None,
) -> ValidationReport:
    """The full report of ``store`` once the ``changed`` graphs are written with their quads in ``graphs``.

    Checked on the store as it will be (:meth:`Store.staged`: for an embedded store a hard-link checkpoint of the
    current generation plus the changes), not on a copy of the whole graph; merged into the report kept with the
    current generation (:func:`check_update`). ``graphs`` holds every graph of the new build; a changed graph
    missing from it is dropped.
    """
    names = sorted(changed, key=lambda g: g.value)
    writes = {g: list(graphs.get(g, ())) for g in names}
    kept = store.validation_report()
    previous = None if kept is None else read(kept)
    current = store.generation()
    touched: set[Node] = set()
    whole = [g.value for g in names]
    if current is not None:
        # The nodes of the triples that changed, in any graph: a document's own nodes, and those it points to (a
        # programme it mentions is no longer unattested), or that a shared graph changed. SHACL results depend on
        # a node's neighbourhood, so this is what can change; the rest of the report stands.
        whole = []
        for g in names:
            touched |= _changed_nodes(current.quads_for_pattern(None, None, None, g), writes[g])
    with store.staged(writes) as staged:
        return check_update(Data(staged, union=True), whole, previous, texts, touched=touched)


def _changed_nodes(old: Iterable[ox.Quad], new: Iterable[ox.Quad]) -> set[Node]:
    """IRIs of the subjects and objects of the triples in one version of a graph and not the other."""
    before = {(q.subject, q.predicate, q.object) for q in old}
    after = {(q.subject, q.predicate, q.object) for q in new}
    nodes: set[Node] = set()
    for s, _p, o in before ^ after:
        for term in (s, o):
            if isinstance(term, ox.NamedNode):  # blank nodes: the ontology's axioms, never a focus node here
                nodes.add(to_rdflib(term))
    return nodes

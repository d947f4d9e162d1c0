"""The data validated: an Oxigraph store, read in place, and terms between pyoxigraph and rdflib.

A store generation (``orgkg validate --store``, ``orgkg add``) is read as it is, its default graph the union of
its named graphs, as every query of orgkg reads it (``orgkg.stores``); data that is not in a store yet (a build,
an RDF file, a test graph) goes once into an in-memory store. Nothing is copied to rdflib unless a shape is left
to pySHACL (:meth:`Data.rdflib_graph`).

The union of named graphs is not deduplicated by Oxigraph (a triple stated in two graphs comes twice), so the
compiled checks count distinct value nodes; a SPARQL-based constraint counting solutions without DISTINCT would
see such a triple twice (none of ``shapes/`` does).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class Data:
    """An Oxigraph store and how to read it: the union of its named graphs, or its default graph."""

    store: ox.Store
    union: bool = False

    def select(self, query: str) -> ox.QuerySolutions:
        """The solutions of a SELECT over the data."""
        rows = self.store.query(query, use_default_graph_as_union=self.union)
        if not isinstance(rows, ox.QuerySolutions):
            raise ValueError("not a SELECT query")
        return rows

    def triples(self, skip: Iterable[ox.NamedNode] = ()) -> Iterator[tuple[OxTerm, OxTerm, OxTerm]]:
        """Every triple of the data (once per graph that states it), but those of the ``skip`` graphs."""
        skipped = set(skip)
        quads = self.store.quads_for_pattern(None, None, None, None if self.union else ox.DefaultGraph())
        for q in quads:
            if self.union and (isinstance(q.graph_name, ox.DefaultGraph) or q.graph_name in skipped):
                continue
            yield q.subject, q.predicate, q.object  # type: ignore[misc]

    def rdflib_graph(self, skip: Iterable[ox.NamedNode] = ()) -> Graph:
        """The data as one rdflib graph (but the ``skip`` graphs): for pySHACL and the reasoner only."""
        graph = Graph()
        for s, p, o in self.triples(skip):
            graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
        return graph


def in_memory(quads: Iterable[ox.Quad]) -> Data:
    """Quads (named graphs kept) in an in-memory store, read as the union of the named graphs."""
    store = ox.Store()
    store.bulk_extend(quads)
    return Data(store, union=True)


def from_graphs(graphs: Mapping[ox.NamedNode, Iterable[ox.Quad]]) -> Data:
    """Built graphs (``orgkg.map.Graphs``) in an in-memory store."""
    return in_memory(q for quads in graphs.values() for q in quads)


class Terms:
    """rdflib terms as pyoxigraph terms, each distinct term converted once."""

    def __init__(self) -> None:
        self._memo: dict[Node, OxTerm] = {}

    def __call__(self, term: Node) -> OxTerm:
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


def from_dataset(dataset: Graph) -> Data:
    """An rdflib dataset (or graph) in an in-memory store: named graphs kept, the default graph as one more graph."""
    terms = Terms()
    default = ox.NamedNode("urn:x-orgkg:default-graph")
    quads = []
    contexts = getattr(dataset, "quads", None) if dataset.context_aware else None
    if contexts is None:
        quads = [ox.Quad(terms(s), terms(p), terms(o), default) for s, p, o in dataset]  # type: ignore[arg-type]
    else:
        for s, p, o, g in contexts((None, None, None, None)):
            name = g.identifier if isinstance(g, Graph) else g
            graph = default if name is None or str(name) == str(DATASET_DEFAULT_GRAPH_ID) else terms(name)
            quads.append(ox.Quad(terms(s), terms(p), terms(o), graph))  # type: ignore[arg-type]
    return in_memory(quads)


def from_rdflib(triples: Iterable[tuple[Node, Node, Node]]) -> Data:
    """rdflib triples in an in-memory store's default graph."""
    store = ox.Store()
    store.bulk_extend(Terms().quads(triples))
    return Data(store, union=False)


def to_rdflib(term: OxTerm | ox.Triple) -> Node:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RDFLiteral(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return RDFLiteral(term.value)  # RDF 1.1: a simple literal is an xsd:string; rdflib tells them apart
        return RDFLiteral(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def sparql_term(term: Node) -> str:
    """An rdflib IRI or literal written for a SPARQL query (N-Triples syntax, escaped by pyoxigraph).

    >>> sparql_term(RDFLiteral("a\\"b", lang="zh"))
    '"a\\\\"b"@zh'
    """
    if isinstance(term, BNode):
        raise ValueError("a blank node cannot be written in a query")
    return str(Terms()(term))

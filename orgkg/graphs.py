"""Moving built graphs between pyoxigraph (the store's terms) and rdflib (what pySHACL and owlready2 read)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import rdflib
from pyoxigraph import NamedNode, Quad, RdfFormat, serialize

from orgkg.vocab import PREFIXES


def to_rdflib(graphs: Mapping[NamedNode, Iterable[Quad]]) -> rdflib.Dataset:
    """An rdflib Dataset with the same named graphs (via N-Quads, which both libraries read losslessly)."""
    data = serialize((q for quads in graphs.values() for q in quads), format=RdfFormat.N_QUADS)
    ds = rdflib.Dataset()
    for prefix, iri in PREFIXES.items():
        ds.bind(prefix, iri)
    if data:
        ds.parse(data=data, format="nquads")
    return ds

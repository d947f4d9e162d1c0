"""The ontology and the whole seed graph together are consistent under HermiT (OWL 2 DL reasoning)."""

from __future__ import annotations

import shutil

import pytest

from orgkg.graphs import to_rdflib
from orgkg.iris import ONTOLOGY_GRAPH
from orgkg.pipeline import ONTOLOGY_FILE, BuildResult
from orgkg.validation.reasoner import check_consistency

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs a Java runtime (make install)")


def test_seed_graph_is_consistent_with_the_ontology(seed_build: BuildResult) -> None:
    data = {g: q for g, q in seed_build.graphs.items() if g != ONTOLOGY_GRAPH}
    result = check_consistency(ONTOLOGY_FILE, to_rdflib(data))
    assert result.consistent, result.explanation


def test_a_corrupted_seed_graph_is_not(seed_build: BuildResult) -> None:
    ds = to_rdflib({g: q for g, q in seed_build.graphs.items() if g != ONTOLOGY_GRAPH})
    import rdflib

    person = rdflib.URIRef("https://w3id.org/orgkg/id/org/国家开放大学/person/曹国永")
    ds.graph(rdflib.URIRef("https://w3id.org/orgkg/graph/corruption")).add(
        (person, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/orgkg/ontology#Unit"))
    )
    result = check_consistency(ONTOLOGY_FILE, ds)
    assert not result.consistent

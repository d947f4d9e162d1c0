"""The graph of a short real cut compared, as a graph, with a reviewed golden copy.

Regenerate after an intended change with ``ORGKG_REGENERATE=1 pytest tests/test_golden_graph.py`` and review
the diff of ``tests/golden/*.trig`` before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from orgkg.graphs import to_rdflib
from orgkg.iris import ONTOLOGY_GRAPH
from orgkg.pipeline import build_graphs

HERE = Path(__file__).parent
CUT = HERE / "fixtures" / "golden" / "ouc-2022-cut.md"
GOLDEN = HERE / "golden" / "ouc-2022-cut.trig"


def _built() -> rdflib.Dataset:
    result = build_graphs([CUT])
    return to_rdflib({g: q for g, q in result.graphs.items() if g != ONTOLOGY_GRAPH})


def _graphs(ds: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def test_cut_maps_to_the_golden_graph() -> None:
    built = _built()
    if os.environ.get("ORGKG_REGENERATE"):
        GOLDEN.parent.mkdir(exist_ok=True)
        built.serialize(destination=GOLDEN, format="trig")
    golden = rdflib.Dataset()
    golden.parse(GOLDEN, format="trig")
    got, want = _graphs(built), _graphs(golden)
    assert sorted(got) == sorted(want)
    for name in want:
        if not isomorphic(got[name], want[name]):
            _both, only_got, only_want = graph_diff(to_isomorphic(got[name]), to_isomorphic(want[name]))
            raise AssertionError(
                f"graph {name} differs\nonly built:\n{only_got.serialize(format='nt')}\n"
                f"only golden:\n{only_want.serialize(format='nt')}"
            )

"""The embedded store: generations swap atomically; a failed write leaves the store as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad

from orgkg.stores.base import StoreError
from orgkg.stores.embedded import EmbeddedStore

EX = "http://example.org/"
G1, G2 = NamedNode(EX + "g1"), NamedNode(EX + "g2")


def _quads(graph: NamedNode, n: int) -> list[Quad]:
    return [Quad(NamedNode(f"{EX}s{i}"), NamedNode(EX + "p"), Literal(str(i)), graph) for i in range(n)]


def _count(store: EmbeddedStore, graph: NamedNode) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}")
    return int(rows.bindings[0]["n"]["value"])


def test_replace_one_graph_keeps_the_others(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    store.replace_graphs({G1: _quads(G1, 3), G2: _quads(G2, 5)}, drop_others=True)
    store.replace_graphs({G1: _quads(G1, 2)})
    assert (_count(store, G1), _count(store, G2)) == (2, 5)
    store.replace_graphs({G2: _quads(G2, 1)}, drop_others=True)
    assert store.graph_names() == [G2.value]


def test_failed_write_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    store.replace_graphs({G1: _quads(G1, 3)}, drop_others=True)
    before = (tmp_path / "s" / "current").resolve()

    def exploding() -> Iterator[Quad]:
        yield from _quads(G1, 2)
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        store.replace_graphs({G1: exploding()})
    assert (tmp_path / "s" / "current").resolve() == before
    assert _count(store, G1) == 3
    assert sorted(p.name for p in (tmp_path / "s" / "generations").iterdir()) == [before.name]


def test_readers_follow_the_current_generation(tmp_path: Path) -> None:
    writer = EmbeddedStore(tmp_path / "s")
    writer.replace_graphs({G1: _quads(G1, 1)}, drop_others=True)
    reader = EmbeddedStore(tmp_path / "s")
    assert _count(reader, G1) == 1
    writer.replace_graphs({G1: _quads(G1, 4)}, drop_others=True)
    assert _count(reader, G1) == 4


def test_only_select_is_answered(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    store.replace_graphs({G1: _quads(G1, 1)}, drop_others=True)
    with pytest.raises(StoreError, match="only SELECT"):
        store.select("ASK { ?s ?p ?o }")

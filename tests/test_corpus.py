"""Adding, replacing and removing documents: exactly the changed graphs move, atomically."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orgkg.corpus import Cache, CorpusError, fill_cache, update
from orgkg.pipeline import build_graphs
from orgkg.stores.embedded import EmbeddedStore
from tests.conftest import DATA

A, B, C = "ouchn-2020-work-plan.txt", "hubei-ou-2021-work-plan.txt", "ouchn-2022-work-plan.md"


def _build(folder: Path, names: list[str], store_dir: Path) -> EmbeddedStore:
    src = folder / "src"
    src.mkdir(parents=True, exist_ok=True)
    for n in names:
        shutil.copy(DATA / n, src / n)
    result = build_graphs([src / n for n in names])
    store = EmbeddedStore(store_dir)
    store.replace_graphs(result.graphs, drop_others=True)
    fill_cache(Cache(store_dir / "cache"), result.documents)
    return store


def _content(store: EmbeddedStore) -> set[str]:
    return set(store.dump("nquads").decode("utf-8").splitlines()) - {""}


def test_add_equals_a_full_build_and_writes_only_what_changed(tmp_path: Path) -> None:
    store = _build(tmp_path / "a", [A, B], tmp_path / "store")
    hubei_before = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").bindings
    change = update(store, Cache(tmp_path / "store" / "cache"), add=[DATA / C])
    assert change.added == [C]
    assert change.graphs_written == sorted(
        [
            "https://w3id.org/orgkg/graph/doc/国开发-2022-1号",
            "https://w3id.org/orgkg/graph/entities",
            "https://w3id.org/orgkg/graph/derived",
        ]
    )
    full = _build(tmp_path / "b", [A, B, C], tmp_path / "full")
    assert _content(store) == _content(full)
    assert hubei_before  # the store was readable before and after


def test_unchanged_file_is_skipped(tmp_path: Path) -> None:
    store = _build(tmp_path, [A, B], tmp_path / "store")
    generation = (tmp_path / "store" / "current").resolve()
    change = update(store, Cache(tmp_path / "store" / "cache"), add=[DATA / B])
    assert change.unchanged == [B] and not change.graphs_written
    assert (tmp_path / "store" / "current").resolve() == generation, "nothing written"


def test_a_changed_version_replaces_its_document(tmp_path: Path) -> None:
    store = _build(tmp_path, [A, B], tmp_path / "store")
    edited = tmp_path / "hubei-v2.txt"
    edited.write_text(
        (DATA / B).read_text(encoding="utf-8").replace("(责任部门：宣传部、学工部", "(责任部门：宣传部、网信办"),
        encoding="utf-8",
    )
    change = update(store, Cache(tmp_path / "store" / "cache"), add=[edited])
    assert change.replaced == ["hubei-v2.txt"]
    rows = list(
        store.select(
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX prov: <http://www.w3.org/ns/prov#> "
            'SELECT ?r WHERE { ?r prov:agent ?u . ?u skos:prefLabel "网信办"@zh }'
        ).values()
    )
    assert len(rows) == 1
    files = {
        r["f"] for r in store.select("SELECT ?f WHERE { ?d <https://w3id.org/orgkg/ontology#sourceFile> ?f }").values()
    }
    assert files == {A, "hubei-v2.txt"}


def test_remove_equals_a_build_without_it(tmp_path: Path) -> None:
    store = _build(tmp_path / "a", [A, B, C], tmp_path / "store")
    change = update(
        store, Cache(tmp_path / "store" / "cache"), remove=["湖北开放大学（湖北科技职业学院）2021年工作要点"]
    )
    assert change.removed == [B]
    assert change.graphs_dropped == ["https://w3id.org/orgkg/graph/doc/湖北开放大学-湖北科技职业学院-2021年工作要点"]
    assert _content(store) == _content(_build(tmp_path / "b", [A, C], tmp_path / "full"))
    with pytest.raises(CorpusError, match="no document 'nothing'"):
        update(store, Cache(tmp_path / "store" / "cache"), remove=["nothing"])


def test_bad_file_leaves_the_store(tmp_path: Path) -> None:
    store = _build(tmp_path, [A], tmp_path / "store")
    before = _content(store)
    bad = tmp_path / "notice.txt"
    bad.write_text("关于放假的通知\n各部门：国庆节放假七天。\n", encoding="utf-8")
    with pytest.raises(Exception, match="no tasks found"):
        update(store, Cache(tmp_path / "store" / "cache"), add=[bad])
    assert _content(store) == before


def test_killed_mid_way_the_store_is_old_or_new(tmp_path: Path) -> None:
    """`orgkg add` killed at several moments: the store is always the old or the new state, never a mix."""
    store = _build(tmp_path / "a", [A, B], tmp_path / "store")
    old = _content(store)
    new = _content(_build(tmp_path / "b", [A, B, C], tmp_path / "full"))
    cmd = [
        sys.executable,
        "-m",
        "orgkg.cli",
        "add",
        str(DATA / C),
        "--store",
        str(tmp_path / "store"),
        "--reports",
        str(tmp_path / "reports"),
    ]
    seen = set()
    for delay in (0.3, 0.8, 1.5, 2.5, 3.5):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        state = _content(EmbeddedStore(tmp_path / "store"))
        assert state in (old, new)
        seen.add("new" if state == new else "old")
        if state == new:  # start again from the old state for the next kill
            shutil.rmtree(tmp_path / "store")
            _build(tmp_path / "c", [A, B], tmp_path / "store")
    assert "old" in seen


def test_recorded_fingerprints_are_those_of_the_stored_graphs(tmp_path: Path) -> None:
    from pyoxigraph import NamedNode

    from orgkg import iris
    from orgkg.corpus import graph_fingerprint

    store = _build(tmp_path / "a", [A, B], tmp_path / "store")
    cache = Cache(tmp_path / "store" / "cache")
    update(store, cache, add=[DATA / C])
    generation = (tmp_path / "store" / "current").resolve().name
    assert (tmp_path / "store" / "fingerprints" / f"{generation}.json").is_file(), "the writer recorded them"
    names = [NamedNode(g) for g in store.graph_names() if g != iris.ONTOLOGY_GRAPH.value]
    assert store.graph_fingerprints(names) == {g.value: graph_fingerprint(store, g) for g in names}
    # the next update compares with the record: removing C rewrites the entities, empties the derived links
    # (A and B are plans of different organizations: nothing continues) and drops C's graph, nothing else
    change = update(store, cache, remove=[C])
    assert change.graphs_written == ["https://w3id.org/orgkg/graph/entities"]
    assert change.graphs_dropped == ["https://w3id.org/orgkg/graph/doc/国开发-2022-1号"]
    assert _content(store) == _content(_build(tmp_path / "b", [A, B], tmp_path / "full"))
    left = sorted(p.name for p in (tmp_path / "store" / "fingerprints").iterdir())
    assert left == [f"{(tmp_path / 'store' / 'current').resolve().name}.json"], "older records are pruned"

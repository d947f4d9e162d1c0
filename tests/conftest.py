"""Shared fixtures: the seed graph, built once per test session into a temporary store."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgkg.pipeline import BuildResult, build_graphs
from orgkg.queries import get_query
from orgkg.stores.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def seed_build() -> BuildResult:
    return build_graphs([DATA])


@pytest.fixture(scope="session")
def seed_store(seed_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path_factory.mktemp("seed") / "store")
    store.replace_graphs(seed_build.graphs, drop_others=True)
    return store


def run(store: EmbeddedStore, name: str, **params: str) -> list[dict[str, str | None]]:
    """Rows of a named query as plain strings."""
    q = get_query(name)
    return list(store.select(q.text, q.bindings(params)).values())

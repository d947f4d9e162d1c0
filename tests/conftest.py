"""Shared fixtures: the seed graph, built once per test session into a temporary store."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
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


@pytest.fixture()
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on 127.0.0.1 recording whatever connects to it (an outbound SERVICE request would)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    seen.append(conn.recv(4096) or b"(connected)")
                except OSError:
                    seen.append(b"(connected)")
                conn.sendall(b"HTTP/1.1 500 no\r\ncontent-length: 0\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield sock.getsockname()[1], seen
    stop.set()
    thread.join()
    sock.close()

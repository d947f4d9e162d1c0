"""Cheap denial of service (issue 13, item 2): a flood of public queries cannot starve /health or the lookup lane,
a query needing too much memory ends its worker only (503), and answers are capped in bytes as well as rows."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from orgkg.stores.embedded import EmbeddedStore
from tests.test_api_server import RUNAWAY, serving

HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"  # sorts 10^8 rows: gigabytes within seconds


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


@pytest.mark.slow
def test_fifty_looping_runaway_clients_do_not_starve_health_or_named_queries(
    seed_store: EmbeddedStore, tmp_path: Path
) -> None:
    env = {"ORGKG_QUERY_TIMEOUT": "2", "ORGKG_WORKERS": "2", "ORGKG_ANSWER_CACHE_BYTES": "0"}
    with serving(seed_store, tmp_path / "serve.log", **env) as (base, _pid):
        stop = time.monotonic() + 8
        flood: dict[int, int] = {}
        lock = threading.Lock()

        def runaway() -> None:
            with httpx.Client(base_url=base, timeout=30) as c:
                while time.monotonic() < stop:  # bounded: ends with the test
                    query = HOG if threading.get_ident() % 2 else RUNAWAY
                    status = c.get("/sparql", params={"query": query}).status_code
                    with lock:
                        flood[status] = flood.get(status, 0) + 1

        threads = [threading.Thread(target=runaway, daemon=True) for _ in range(50)]
        for t in threads:
            t.start()
        time.sleep(1.0)  # every public worker is busy now and the queue is full
        health: list[float] = []
        named: list[float] = []
        with httpx.Client(base_url=base, timeout=10) as probe:
            while time.monotonic() < stop:
                started = time.monotonic()
                r = probe.get("/health")
                health.append(time.monotonic() - started)
                assert r.status_code == 200, r.text
                started = time.monotonic()
                r = probe.get("/queries/tasks-by-leader", params={"leader": "曹国永"})
                named.append(time.monotonic() - started)
                assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 8, r.text
        for t in threads:
            t.join(timeout=40)
    print(f"flood answers {flood}; /health p99 {_p99(health):.3f} s, named query p99 {_p99(named):.3f} s")
    assert flood.get(503, 0) > 0 and set(flood) <= {503}  # the flood itself is refused, quickly
    # Not starved: every probe was answered, and well before a queue of runaway queries (8 × 2 s timeouts over two
    # workers) would have let it through. Latency figures belong to the bench; this bound only tells a lane that
    # waits behind the flood (≥ 8 s) from one that does not, on a shared, noisy machine.
    assert len(health) >= 3
    assert max(health) < 5.0 and max(named) < 5.0, (max(health), max(named))


@pytest.mark.slow
def test_a_query_over_its_memory_limit_ends_its_worker_only(seed_store: EmbeddedStore) -> None:
    settings = Settings(worker_memory_bytes=1024**3, query_timeout=60, workers=1)
    with TestClient(create_app(seed_store, settings)) as client:
        started = time.monotonic()
        r = client.get("/sparql", params={"query": HOG})
        elapsed = time.monotonic() - started
        assert r.status_code == 503 and r.json()["type"].endswith("/worker-out-of-memory"), r.text
        assert "1024 MB" in r.json()["detail"] and elapsed < 45
        assert client.get("/health").status_code == 200
        deadline = time.monotonic() + 30  # a fresh worker takes the dead one's place
        while client.get("/health").json()["lanes"]["public"] != 1:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json"),
        ("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+xml"),
        ("SELECT * WHERE { ?s ?p ?o }", "text/csv"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples"),
    ],
)
def test_answers_are_capped_in_bytes_as_well_as_rows(seed_store: EmbeddedStore, query: str, accept: str) -> None:
    with TestClient(create_app(seed_store, Settings(max_answer_bytes=20_000, workers=1))) as client:
        r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    assert 5_000 < len(r.content) <= 20_000  # cut by bytes, well before the 10,000 rows
    assert "orgkg-truncated" in r.headers

"""The HTTP service serves the named queries over the seed store (the full API grows in its own issue)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.main import create_app
from orgkg.stores.embedded import EmbeddedStore


def test_named_queries_over_http(seed_store: EmbeddedStore) -> None:
    client = TestClient(create_app(seed_store))
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["quads"] > 10000
    names = {q["name"] for q in client.get("/queries").json()}
    assert {"tasks-by-leader", "tasks-by-unit", "portfolio-changes"} <= names
    body = client.get("/queries/tasks-by-leader", params={"leader": "曹国永"}).json()
    rows = body["results"]["bindings"]
    assert len(rows) == 8 and {r["year"]["value"] for r in rows} == {"2020", "2022"}
    assert all(r["quote"]["value"] for r in rows)


def test_errors(seed_store: EmbeddedStore) -> None:
    client = TestClient(create_app(seed_store))
    assert client.get("/queries/tasks-by-leader").status_code == 400
    assert client.get("/queries/tasks-by-leader", params={"leader": "x", "bogus": "1"}).status_code == 400
    assert client.get("/queries/no-such-query").status_code == 404

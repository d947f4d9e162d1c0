"""Named queries over HTTP: one typed operation per .rq file, the same answers as the CLI, parameters never spliced."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from orgkg.cli import main as cli
from orgkg.queries import QUERIES_DIR, load_queries
from orgkg.stores.embedded import EmbeddedStore
from orgkg.textnorm import name_key

QUERY_FILES = sorted(QUERIES_DIR.glob("*.rq"))


@pytest.fixture(scope="module")
def client(seed_store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(seed_store)) as c:
        yield c


def test_every_query_file_is_a_typed_documented_operation(client: TestClient) -> None:
    assert len(QUERY_FILES) >= 10
    spec = client.get("/openapi.json").json()
    queries = load_queries()
    assert len(queries) == len(QUERY_FILES)
    for q in queries.values():
        op = spec["paths"][f"/queries/{q.name}"]["get"]
        assert op["summary"] == q.summary
        params = {p["name"]: p for p in op["parameters"]}
        assert set(params) == {p.name for p in q.parameters}, q.name
        for p in q.parameters:
            doc = params[p.name]
            assert doc["required"] is p.required and doc["in"] == "query"
            assert p.description in doc["description"]
            schema = doc["schema"] if p.required else next(s for s in doc["schema"]["anyOf"] if s["type"] != "null")
            assert schema["type"] == ("integer" if p.type == "integer" else "string"), (q.name, p.name)
            if p.example is not None:
                assert str(doc["examples"][0] if "examples" in doc else doc["schema"]["examples"][0]) == p.example
        assert "application/sparql-results+json" in op["responses"]["200"]["content"]
    listed = {q["name"]: q for q in client.get("/queries").json()}
    assert set(listed) == set(queries) and listed["tasks-by-leader"]["parameters"][0]["name"] == "leader"


def _examples(name: str) -> dict[str, str]:
    """Every parameter at its header example (unfiltered portfolio-changes runs past the time limit)."""
    q = load_queries()[name]
    return {p.name: p.example for p in q.parameters if p.example is not None}


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_same_answer_as_the_cli(
    client: TestClient, seed_store: EmbeddedStore, path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    params = _examples(path.stem)
    args = ["query", path.stem, "--store", str(seed_store.directory), "--format", "json"]
    for k, v in params.items():
        args += ["--param", f"{k}={v}"]
    assert cli(args) == 0
    expected = json.loads(capsys.readouterr().out)
    r = client.get(f"/queries/{path.stem}", params=params, headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert r.json() == expected


def test_tasks_of_a_leader_with_quotes(client: TestClient) -> None:
    body = client.get("/queries/tasks-by-leader", params={"leader": "曹国永"}).json()
    rows = body["results"]["bindings"]
    assert {r["year"]["value"] for r in rows} == {"2020", "2022"} and len(rows) == 8
    assert all("曹国永" in r["quote"]["value"] for r in rows)
    only_2022 = client.get("/queries/tasks-by-leader", params={"leader": "曹国永", "year": 2022}).json()
    assert {r["year"]["value"] for r in only_2022["results"]["bindings"]} == {"2022"}


def test_csv_by_accept(client: TestClient) -> None:
    r = client.get("/queries/tasks-by-leader", params={"leader": "曹国永"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 8 and rows[0]["leader"] == "曹国永"


HOSTILE = [
    '曹国永"',
    '曹国永" } UNION { ?person ?p ?leaderKey } #',
    '") } ?person ?p ?o . BIND("曹国永" AS ?leaderKey) #',
    "曹国永'} #",
    "<https://w3id.org/orgkg/id/org/国家开放大学/person/曹国永>",
    "曹国永> } #",
    '\\"曹国永\\"',
    "SELECT * WHERE { ?s ?p ?o }",
    "曹国永\n}\nSELECT * WHERE { ?s ?p ?o",
    '"""曹国永"""',
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameter_values_cannot_change_the_query(client: TestClient, value: str) -> None:
    """Bound as one literal, a value matches the name it normalizes to (quotes and spaces are ignored in names,
    so 曹国永" is 曹国永) or nothing; spliced, it would match everything or fail to parse."""
    r = client.get("/queries/tasks-by-leader", params={"leader": value})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["head"]["vars"][:3] == ["task", "title", "year"]
    rows = body["results"]["bindings"]
    if name_key(value) == "曹国永":
        assert len(rows) == 8 and {b["leader"]["value"] for b in rows} == {"曹国永"}
    else:
        assert rows == []


@pytest.mark.parametrize("value", ["2022 } UNION { ?s ?p ?o }", "2022)", "二〇二二", "1e3", ""])
def test_integer_parameters_are_typed(client: TestClient, value: str) -> None:
    r = client.get("/queries/tasks-by-leader", params={"leader": "曹国永", "year": value})
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    assert "year" in r.json()["detail"]


def test_parameter_errors(client: TestClient) -> None:
    missing = client.get("/queries/tasks-by-leader")
    assert missing.status_code == 400 and "leader" in missing.json()["detail"]
    unknown = client.get("/queries/tasks-by-leader", params={"leader": "曹国永", "bogus": "1"})
    assert unknown.status_code == 400 and "bogus" in unknown.json()["detail"]
    blank = client.get("/queries/tasks-by-leader", params={"leader": "   "})
    assert blank.status_code == 400
    nothing = client.get("/queries/no-such-query")
    assert nothing.status_code == 404 and nothing.headers["content-type"] == "application/problem+json"


def test_iri_parameters_are_checked(seed_store: EmbeddedStore, tmp_path: Path) -> None:
    (tmp_path / "about.rq").write_text(
        "#+ summary: What the graph says about one resource\n"
        "#+ params:\n"
        "#+   - {name: resource, type: iri, required: true, example: 'https://w3id.org/orgkg/id/org/国家开放大学'}\n"
        "SELECT ?p ?o WHERE { ?resource ?p ?o }\n",
        encoding="utf-8",
    )
    with TestClient(create_app(seed_store, Settings(queries=tmp_path, workers=1))) as c:
        ok = c.get("/queries/about", params={"resource": "https://w3id.org/orgkg/id/org/国家开放大学"})
        assert ok.status_code == 200 and ok.json()["results"]["bindings"]
        for value in ["https://x/> } UNION { ?resource ?p ?o", "not an iri", "<https://x/>"]:
            r = c.get("/queries/about", params={"resource": value})
            assert r.status_code == 400, (value, r.text)

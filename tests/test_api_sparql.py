"""The SPARQL 1.1 Protocol endpoint: forms, formats, and the safety rules (read-only, no SERVICE, limits, errors)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import rdflib
from fastapi.testclient import TestClient
from pyoxigraph import Store as OxStore
from rdflib.compare import isomorphic

from api.main import create_app
from api.settings import Settings
from orgkg.sparql import QueryRejected, prepare
from orgkg.stores.base import SelectResult, SparqlAnswer, Term
from orgkg.stores.embedded import EmbeddedStore

LEADER_TASKS = """
PREFIX okg: <https://w3id.org/orgkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?task ?title ?year WHERE {
  ?task okg:supervisedBy ?p ; dcterms:title ?title ; okg:planYear ?year .
  ?p skos:prefLabel "曹国永"@zh .
} ORDER BY ?year ?task
"""
RESULTS_JSON = "application/sparql-results+json"


class RecordingStore:
    """A store that writes every query it is asked to run to a file, then runs it on the wrapped store."""

    network = False

    def __init__(self, inner: EmbeddedStore, log: Path) -> None:
        self.inner = inner
        self.log = log

    def _record(self, query: str) -> None:
        with self.log.open("a", encoding="utf-8") as f:
            f.write(json.dumps(query) + "\n")

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        self._record(query)
        return self.inner.select(query, bindings)

    def sparql(
        self, query: str, accept: str, *, row_limit: int | None = None, byte_limit: int | None = None
    ) -> SparqlAnswer:
        self._record(query)
        return self.inner.sparql(query, accept, row_limit=row_limit, byte_limit=byte_limit)

    def quad_count(self) -> int:
        return self.inner.quad_count()

    def graph_names(self) -> list[str]:
        return self.inner.graph_names()

    def queries(self) -> list[str]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def client(seed_store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(seed_store, Settings(row_limit=1000))) as c:
        yield c


@pytest.fixture(scope="module")
def recorded(seed_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Any]]:
    store = RecordingStore(seed_store, tmp_path_factory.mktemp("log") / "queries.jsonl")
    with TestClient(create_app(store, Settings(workers=1))) as c:  # type: ignore[arg-type]
        yield c, store


def test_three_protocol_forms_give_the_same_answer(client: TestClient) -> None:
    got = client.get("/sparql", params={"query": LEADER_TASKS})
    form = client.post("/sparql", data={"query": LEADER_TASKS})
    direct = client.post("/sparql", content=LEADER_TASKS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert got.status_code == form.status_code == direct.status_code == 200
    assert got.headers["content-type"].startswith(RESULTS_JSON)
    assert got.json() == form.json() == direct.json()
    rows = got.json()["results"]["bindings"]
    assert len(rows) == 8 and {r["year"]["value"] for r in rows} == {"2020", "2022"}


def test_select_results_in_every_format(client: TestClient) -> None:
    def get(accept: str) -> Any:
        r = client.get("/sparql", params={"query": LEADER_TASKS}, headers={"Accept": accept})
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].split(";")[0] == accept
        return r

    titles = {b["title"]["value"] for b in get(RESULTS_JSON).json()["results"]["bindings"]}
    xml = ET.fromstring(get("application/sparql-results+xml").content)
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert {e.text for e in xml.findall(".//r:binding[@name='title']/r:literal", ns)} == titles
    table = list(csv.DictReader(io.StringIO(get("text/csv").text)))
    assert {r["title"] for r in table} == titles and len(table) == 8
    tsv = get("text/tab-separated-values").text.splitlines()
    assert tsv[0] == "?task\t?title\t?year" and len(tsv) == 9 and '"学习宣传党的创新理论"@zh' in "".join(tsv)
    assert get("application/json").json()["head"]["vars"] == ["task", "title", "year"]  # plain JSON too


def test_ask_and_graph_results(client: TestClient) -> None:
    ask = client.get("/sparql", params={"query": "ASK { ?s a <http://xmlns.com/foaf/0.1/Person> }"})
    assert ask.json() == {"head": {}, "boolean": True}
    construct = (
        "CONSTRUCT { ?p <http://example.org/supervises> ?t } "
        "WHERE { ?t <https://w3id.org/orgkg/ontology#supervisedBy> ?p }"
    )
    graphs = {}
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")):
        r = client.post("/sparql", data={"query": construct}, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == accept
        graphs[fmt] = rdflib.Graph().parse(data=r.text, format=fmt)
    assert len(graphs["turtle"]) > 50
    assert isomorphic(graphs["turtle"], graphs["nt"])
    assert isomorphic(graphs["turtle"], graphs["json-ld"])
    describe = client.get(
        "/sparql", params={"query": "DESCRIBE <https://w3id.org/orgkg/id/org/国家开放大学/person/曹国永>"}
    )
    assert (
        describe.status_code == 200
        and "曹国永" in describe.text
        and describe.headers["content-type"].startswith("text/turtle")
    )


def test_unacceptable_format_is_406(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/turtle"})
    assert r.status_code == 406 and r.headers["content-type"] == "application/problem+json"
    assert "ASK" in r.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p }",
        "SELECT ?x WHERE { ?x ?y ?z ",
        "SELEKT * { ?s ?p ?o }",
        "SELECT * {} ; SELECT * {}",
    ],
)
def test_malformed_sparql_is_400_with_the_parsers_message(client: TestClient, query: str) -> None:
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["status"] == 400 and body["type"].endswith("/sparql-syntax")
    assert "line:1" in body["detail"] or "char" in body["detail"], body  # the parser says where


UPDATES = [
    "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "PREFIX ex: <http://example.org/>\n# a comment\n"
    "WITH ex:g DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_and_never_reach_the_store(recorded: tuple[TestClient, Any], update: str) -> None:
    client, store = recorded
    attempts = [
        client.get("/sparql", params={"query": update}),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", data={"update": update}),
        client.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-query"}),
        client.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update"}),
    ]
    assert [r.status_code for r in attempts] == [403] * 5, [r.text for r in attempts]
    assert all(r.json()["type"].endswith("/update-refused") for r in attempts)
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    seen = store.queries()
    assert seen and not any(update in q for q in seen)  # the store saw the ASK, never the update


SERVICES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "select * { service silent <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b ?c FILTER EXISTS { SERVICE <http://127.0.0.1:{port}/> { ?a ?b ?c } } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:{port}/> { ?s ?p ?o } }",
    "PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 1 SERVICE <http://127.0.0.1:{port}/> { ?a ?b ?c } }",
]


# Two parsers reading two queries out of one text: rdflib expands \\u escapes everywhere before parsing (as
# SPARQL 1.1 §19.2 says), pyoxigraph only inside strings and as content, so to pyoxigraph the SERVICE below
# is live and to rdflib it sits inside a string. The endpoint expands first and hands the expanded text to both.
DIFFERENTIAL = (
    'SELECT * WHERE { VALUES ?v { "a\\u005c" } SERVICE <http://127.0.0.1:{port}/> { ?x ?y ?z } VALUES ?w { " } } #" } }'
)


def test_the_parser_differential_is_real_and_closed(client: TestClient, listener: tuple[int, list[bytes]]) -> None:
    port, seen = listener
    query = DIFFERENTIAL.replace("{port}", str(port))
    with pytest.raises(OSError):  # pyoxigraph on the raw text calls the listener (which answers 500)
        list(OxStore().query(query))  # type: ignore[arg-type]
    assert seen, "pyoxigraph did not call the listener: the test cannot show the endpoint prevents it"
    seen.clear()
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 200 and seen == []  # read as the spec reads it: one string, no SERVICE
    assert r.json()["results"]["bindings"][0]["v"]["value"].startswith('a" } SERVICE')


@pytest.mark.parametrize("template", SERVICES)
def test_service_is_refused_and_nothing_goes_out(
    client: TestClient, listener: tuple[int, list[bytes]], template: str
) -> None:
    port, seen = listener
    query = template.replace("{port}", str(port))
    for r in (
        client.get("/sparql", params={"query": query}),
        client.post("/sparql", data={"query": query}),
        client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}),
    ):
        assert r.status_code == 403, r.text
        assert r.json()["type"].endswith("/service-refused")
    assert seen == []


def test_the_word_service_in_strings_comments_and_names_is_fine(client: TestClient) -> None:
    query = 'SELECT ?service WHERE { BIND("SERVICE <http://x/> { }" AS ?service) } # SERVICE <http://x/>'
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 200 and r.json()["results"]["bindings"][0]["service"]["value"].startswith("SERVICE")


def test_prepare_checks_without_a_store() -> None:
    assert prepare("DESCRIBE <http://example.org/x>").form == "DESCRIBE"
    for text, reason in (("DROP ALL", "update"), ("SELECT * { SERVICE ?x { } }", "service"), ("SELECT", "syntax")):
        with pytest.raises(QueryRejected) as info:
            prepare(text)
        assert info.value.reason == reason


def test_rows_are_capped_and_the_cap_is_announced(seed_store: EmbeddedStore) -> None:
    with TestClient(create_app(seed_store, Settings(row_limit=5, workers=1))) as c:
        r = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 5
        assert r.headers["orgkg-truncated"] == "5"
        triples = c.get(
            "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "application/n-triples"}
        )
        assert len(triples.text.strip().splitlines()) == 5 and triples.headers["orgkg-truncated"] == "5"
        small = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
        assert len(small.json()["results"]["bindings"]) == 3 and "orgkg-truncated" not in small.headers


def test_oversized_requests_are_refused(seed_store: EmbeddedStore) -> None:
    with TestClient(create_app(seed_store, Settings(max_request_bytes=4096, workers=1))) as client:
        big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000
        posted = client.post("/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"})
        assert posted.status_code == 413 and posted.headers["content-type"] == "application/problem+json"
        assert client.get("/sparql", params={"query": big}).status_code == 414
        assert client.get("/search", params={"q": "x" * 5000}).status_code == 414
        assert client.post("/sparql", data={"query": "ASK {}"}).status_code == 200

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
            for _ in range(8):
                yield b"#" + b"x" * 999

        chunked = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
        assert chunked.status_code == 413


def test_protocol_misuse_is_a_problem_document(client: TestClient) -> None:
    cases = [
        (client.get("/sparql"), 400),
        (client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D"), 400),
        (client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "http://x/"}), 400),
        (client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"}), 415),
        (client.post("/sparql", content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}), 400),
        (client.put("/sparql", content=b"ASK {}"), 405),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        body = response.json()
        assert response.headers["content-type"] == "application/problem+json"
        assert body["status"] == status and body["title"]


def test_cors_is_off_by_default_and_configurable(seed_store: EmbeddedStore, client: TestClient) -> None:
    headers = {"Origin": "https://yasgui.example"}
    assert "access-control-allow-origin" not in client.get("/health", headers=headers).headers
    with TestClient(create_app(seed_store, Settings(cors_origins=["https://yasgui.example"], workers=1))) as c:
        r = c.get("/health", headers=headers)
        assert r.headers["access-control-allow-origin"] == "https://yasgui.example"
        other = c.get("/health", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORGKG_QUERY_TIMEOUT", "2.5")
    monkeypatch.setenv("ORGKG_ROW_LIMIT", "77")
    monkeypatch.setenv("ORGKG_CORS_ORIGINS", "https://a.example, https://b.example")
    s = Settings()
    assert (s.query_timeout, s.row_limit, s.cors_origins) == (2.5, 77, ["https://a.example", "https://b.example"])


def test_from_names_the_dataset(client: TestClient) -> None:
    """A query's own FROM is honoured (the union of all graphs is only the default when it names none)."""
    count = "SELECT (COUNT(DISTINCT ?t) AS ?n) {} WHERE {{ ?t a <https://w3id.org/orgkg/ontology#Task> }}"
    everything = client.get("/sparql", params={"query": count.format("")}).json()
    only_2022 = client.get(
        "/sparql", params={"query": count.format("FROM <https://w3id.org/orgkg/graph/doc/国开发-2022-1号>")}
    ).json()
    assert everything["results"]["bindings"][0]["n"]["value"] == "98"
    assert only_2022["results"]["bindings"][0]["n"]["value"] == "39"

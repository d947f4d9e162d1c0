"""The remote store against a real SPARQL server: Virtuoso 7 from Debian, started on loopback for this session.

The server is started by ``scripts/virtuoso.sh`` (what ``make virtuoso`` runs) in a fresh folder and stopped by
its PID at the end. The tests skip only when the Debian package cannot be installed; any other failure fails.

Comparing answers with the embedded store. Rows are compared as sets (neither store promises an order beyond
ORDER BY, and ORDER BY ties may differ), after this normalization:

* integers compare as numbers, whatever integer datatype they carry (Oxigraph stores xsd:nonNegativeInteger
  and the other derived types as xsd:integer, Virtuoso keeps the datatype as written);
* a GROUP_CONCAT column compares as the set of its parts: SPARQL 1.1 §18.5.1.7 leaves the order of the parts
  open (the stores differ), and the language tag of the result too (Oxigraph keeps the tag its inputs share,
  Virtuoso answers a simple literal); over no values Oxigraph leaves the column unbound and Virtuoso binds
  "", both read here as no parts;
* everything else, IRIs, language tags and datatypes included, must be equal.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import rdflib
from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode, Quad
from rdflib.compare import isomorphic
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from api.main import create_app
from api.settings import Settings
from orgkg.cli import main
from orgkg.pipeline import BuildResult, ontology_quads
from orgkg.queries import QUERIES_DIR, NamedQuery, load_queries
from orgkg.stores import open_store
from orgkg.stores.base import QuerySyntaxError, SelectResult, StoreError
from orgkg.stores.embedded import EmbeddedStore
from orgkg.stores.remote import (
    RemoteStore,
    StoreAuthError,
    StoreProtocolError,
    StoreTimeout,
    StoreUnreachable,
)
from tests.conftest import DATA, run
from tests.test_ssrf import VARIANTS

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "virtuoso.sh"
XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "unsignedInt")}
NAMED_QUERIES = sorted(load_queries())
EX = "http://example.org/"


# the server -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Virtuoso:
    """A server started by scripts/virtuoso.sh: its folder, endpoints and loader account."""

    folder: Path
    endpoint: str
    update_endpoint: str
    user: str
    password: str

    @property
    def pid(self) -> int:
        return int((self.folder / "virtuoso.pid").read_text())

    def store(self, manifest: str, **options: Any) -> RemoteStore:
        """A loader on this server, keeping its graphs under its own manifest (tests do not see each other's)."""
        return RemoteStore(
            self.endpoint,
            self.update_endpoint,
            user=self.user,
            password=self.password,
            auth="digest",
            manifest=manifest,
            **options,
        )

    def raw_graphs(self, prefix: str) -> dict[str, int]:
        """Graphs on the server whose IRI starts with ``prefix``, with their sizes, seen without any manifest."""
        w = SPARQLWrapper(self.endpoint)
        w.setMethod(POST)
        w.setReturnFormat(JSON)
        w.setQuery(
            f'SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }} '
            "GROUP BY ?g"
        )
        data: Any = w.query().convert()
        return {b["g"]["value"]: int(b["n"]["value"]) for b in data["results"]["bindings"]}


def _script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """Virtuoso on 127.0.0.1 in a fresh folder for this session, stopped by PID afterwards."""
    installed = _script("install")
    if installed.returncode != 0:
        pytest.skip(f"the Debian package virtuoso-opensource-7 cannot be installed here: {installed.stderr.strip()}")
    folder = tmp_path_factory.mktemp("virtuoso")
    started = _script("start", str(folder))
    assert started.returncode == 0, f"scripts/virtuoso.sh start failed:\n{started.stdout}\n{started.stderr}"
    url = started.stdout.strip().splitlines()[-1]
    env = dict(line.split("=", 1) for line in (folder / "credentials.env").read_text().split())
    server = Virtuoso(
        folder,
        url,
        (folder / "update-endpoint").read_text().strip(),
        env["ORGKG_SPARQL_USER"],
        env["ORGKG_SPARQL_PASSWORD"],
    )
    try:
        yield server
    finally:
        pid = server.pid
        stopped = _script("stop", str(folder))
        assert stopped.returncode == 0, stopped.stderr
        assert not Path(f"/proc/{pid}").exists() or "virtuoso" not in Path(f"/proc/{pid}/cmdline").read_text()


@pytest.fixture(scope="session")
def remote_seed(virtuoso: Virtuoso, seed_build: BuildResult) -> RemoteStore:
    """The seed graph loaded into Virtuoso, as the embedded ``seed_store`` holds it."""
    store = virtuoso.store(EX + "manifest/seed")
    store.replace_graphs(seed_build.graphs, drop_others=True)
    return store


def test_the_server_listens_on_loopback_only(virtuoso: Virtuoso) -> None:
    assert urlsplit(virtuoso.endpoint).hostname == "127.0.0.1"
    assert virtuoso.endpoint == (virtuoso.folder / "endpoint").read_text().strip()
    ports = re.findall(r"^ServerPort\s*=\s*(\S+)", (virtuoso.folder / "virtuoso.ini").read_text(), re.MULTILINE)
    assert len(ports) == 2 and all(p.startswith("127.0.0.1:") for p in ports)  # SQL and HTTP
    assert oct((virtuoso.folder / "credentials.env").stat().st_mode & 0o777) == "0o600"


# the same answers ---------------------------------------------------------------------------------------------
def _concat_columns(text: str) -> dict[str, str]:
    """Columns computed by GROUP_CONCAT, with their separators."""
    pattern = r'GROUP_CONCAT\((?:DISTINCT\s+)?[^;]*;\s*separator\s*=\s*"([^"]*)"\)\s+AS\s+\?(\w+)'
    return {m.group(2): m.group(1) for m in re.finditer(pattern, text)}


def _term(term: Mapping[str, str] | None, separator: str | None) -> object:
    if separator is not None:  # see the module docstring
        value = "" if term is None else term["value"]
        return ("parts", frozenset(value.split(separator)) if value else frozenset())
    if term is None:
        return None
    if term["type"] == "literal" and term.get("datatype") in INTEGER_TYPES:
        return ("integer", int(term["value"]))
    return (term["type"], term["value"], term.get("xml:lang"), term.get("datatype"))


def normalized(result: SelectResult, concat: Mapping[str, str]) -> set[frozenset[tuple[str, object]]]:
    """The rows as a set, each row a set of (column, normalized term)."""
    return {frozenset((v, _term(row.get(v), concat.get(v))) for v in result.variables) for row in result.bindings}


def test_every_named_query_is_compared() -> None:
    assert len(NAMED_QUERIES) == len(list(QUERIES_DIR.glob("*.rq"))) == 10


@pytest.mark.parametrize("name", NAMED_QUERIES)
def test_named_query_gives_the_same_rows(
    name: str, seed_store: EmbeddedStore, remote_seed: RemoteStore, seed_build: BuildResult
) -> None:
    query: NamedQuery = load_queries()[name]
    bindings = query.bindings({p.name: str(p.example) for p in query.parameters})
    concat = _concat_columns(query.text)
    embedded = seed_store.select(query.text, bindings)
    remote = remote_seed.select(query.text, bindings)
    assert remote.variables == embedded.variables
    assert embedded.bindings, f"{name} with its documented example returns nothing"
    assert len(remote.bindings) == len(embedded.bindings)
    assert normalized(remote, concat) == normalized(embedded, concat)


def test_group_concat_keeps_its_separator(remote_seed: RemoteStore) -> None:
    """Virtuoso 7.2 turns a non-ASCII separator into '?'; the store restores it (see ascii_separators)."""
    rows = list(remote_seed.select(load_queries()["portfolio-changes"].text, {}).values())
    joined = [r["before"] for r in rows if r["before"] and "、" in r["before"]]
    assert joined and not any("?" in j for j in joined)


def test_the_same_dataset(seed_store: EmbeddedStore, remote_seed: RemoteStore) -> None:
    assert remote_seed.graph_names() == seed_store.graph_names()
    assert remote_seed.quad_count() == seed_store.quad_count()
    ours, theirs = rdflib.Dataset(), rdflib.Dataset()
    ours.parse(data=seed_store.dump("nquads"), format="nquads")
    theirs.parse(data=remote_seed.dump("trig"), format="trig")
    for name in seed_store.graph_names():  # blank nodes (the ontology's) compared up to renaming
        iri = rdflib.URIRef(name)
        assert isomorphic(_integers_as_integer(ours.graph(iri)), _integers_as_integer(theirs.graph(iri))), name


def _integers_as_integer(graph: rdflib.Graph) -> rdflib.Graph:
    """The graph with integer literals typed xsd:integer: Oxigraph stores the ontology's cardinalities, written
    "1"^^xsd:nonNegativeInteger, as xsd:integer; Virtuoso keeps the datatype as written."""
    out = rdflib.Graph()
    for s, p, o in graph:
        if isinstance(o, rdflib.Literal) and str(o.datatype) in INTEGER_TYPES:
            o = rdflib.Literal(int(o), datatype=rdflib.XSD.integer)
        out.add((s, p, o))
    return out


def test_public_sparql_answers_alike(seed_store: EmbeddedStore, remote_seed: RemoteStore) -> None:
    """The HTTP endpoint's contract (Store.sparql): same rows, booleans and triples on both backends."""
    select = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
    answers = [s.sparql(select, "application/sparql-results+json") for s in (seed_store, remote_seed)]
    rows = [{(b["p"]["value"], b["n"]["value"]) for b in json.loads(a.body)["results"]["bindings"]} for a in answers]
    assert rows[0] == rows[1]
    ask = "ASK { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> '曹国永'@zh }"
    assert [s.sparql(ask, "application/sparql-results+json").body for s in (seed_store, remote_seed)] == [
        b'{"head":{},"boolean":true}'
    ] * 2
    construct = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c ; <http://www.w3.org/2004/02/skos/core#prefLabel> '曹国永'@zh }"
    graphs = [
        rdflib.Graph().parse(data=s.sparql(construct, "text/turtle").body, format="turtle")
        for s in (seed_store, remote_seed)
    ]
    assert len(graphs[0]) > 0 and isomorphic(graphs[0], graphs[1])
    capped = remote_seed.sparql(select, "text/csv", row_limit=3)
    assert capped.truncated and capped.body.decode().count("\r\n") == 4


def test_public_queries_reach_only_the_stores_graphs(remote_seed: RemoteStore) -> None:
    """On a shared server a dataset clause could read any graph there: Virtuoso's own, other datasets."""
    for clause in ("FROM <http://www.openlinksw.com/schemas/virtrdf#>", "FROM NAMED v:"):
        query = f"PREFIX v: <http://www.openlinksw.com/schemas/virtrdf#> SELECT * {clause} WHERE {{ ?s ?p ?o }}"
        with pytest.raises(QuerySyntaxError, match="may name only the store's graphs"):
            remote_seed.sparql(query, "application/sparql-results+json")
    own = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/orgkg/graph/ontology> WHERE { ?s ?p ?o }"
    expected = len(ontology_quads())  # the ontology graph alone: FROM as SPARQL 1.1 §13.2 says
    assert remote_seed.sparql(own, "text/csv").body == f"n\r\n{expected}\r\n".encode()
    named = "SELECT ?g WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?g"
    answer = json.loads(remote_seed.sparql(named, "application/sparql-results+json").body)
    assert {b["g"]["value"] for b in answer["results"]["bindings"]} <= set(remote_seed.graph_names())


def test_cli_build_then_query_on_virtuoso(
    virtuoso: Virtuoso,
    seed_store: EmbeddedStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The issue's check: `orgkg build --endpoint …` then `orgkg query tasks-by-leader --endpoint …`."""
    monkeypatch.setenv("ORGKG_SPARQL_USER", virtuoso.user)
    monkeypatch.setenv("ORGKG_SPARQL_PASSWORD", virtuoso.password)
    monkeypatch.setenv("ORGKG_SPARQL_AUTH", "digest")
    remote = ["--endpoint", virtuoso.endpoint, "--update-endpoint", virtuoso.update_endpoint]
    build = ["build", str(DATA), *remote, "--reports", str(tmp_path / "r"), "--quiet"]
    assert main(build) == 0
    err = capsys.readouterr().err
    assert f"built {virtuoso.endpoint}:" in err and virtuoso.password not in err
    assert (
        main(
            [
                "query",
                "tasks-by-leader",
                "--endpoint",
                virtuoso.endpoint,
                "--param",
                "leader=曹国永",
                "--format",
                "json",
            ]
        )
        == 0
    )
    answer = json.loads(capsys.readouterr().out)
    rows = [{k: v["value"] for k, v in b.items()} for b in answer["results"]["bindings"]]
    expected = run(seed_store, "tasks-by-leader", leader="曹国永")
    assert rows == [{k: v for k, v in r.items() if v is not None} for r in expected]  # same order: ORDER BY is total
    assert main(["validate", "--endpoint", virtuoso.endpoint]) == 0
    capsys.readouterr()
    assert main(["export", "--endpoint", virtuoso.endpoint, "--format", "nquads"]) == 0


@pytest.mark.parametrize("template", VARIANTS[:4])
def test_service_never_reaches_the_server(
    virtuoso: Virtuoso,
    remote_seed: RemoteStore,
    listener: tuple[int, list[bytes]],
    capsys: pytest.CaptureFixture[str],
    template: str,
) -> None:
    """Virtuoso evaluates SERVICE itself, so what is sent there is the checked text, through the API and the CLI."""
    port, seen = listener
    query = template.replace("{port}", str(port))
    with TestClient(create_app(remote_seed, Settings(workers=1))) as client:
        assert client.get("/sparql", params={"query": query}).status_code == 403
    assert main(["query", "--endpoint", virtuoso.endpoint, "--sparql", query]) == 2
    assert "SERVICE" in capsys.readouterr().err
    assert seen == []


# replacing graphs ---------------------------------------------------------------------------------------------
def _quads(graph: NamedNode, n: int, tag: str = "") -> list[Quad]:
    return [Quad(NamedNode(f"{EX}s{i}"), NamedNode(EX + "p"), Literal(f"{tag}{i}"), graph) for i in range(n)]


def _sizes(store: RemoteStore) -> dict[str, int]:
    rows = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {b["g"]["value"]: int(b["n"]["value"]) for b in rows.bindings}


def test_reingesting_one_document_replaces_its_graph_only(virtuoso: Virtuoso, seed_build: BuildResult) -> None:
    store = virtuoso.store(EX + "manifest/reingest")
    store.replace_graphs(seed_build.graphs, drop_others=True)
    before = _sizes(store)
    doc = next(g for g in seed_build.graphs if "/graph/doc/" in g.value)
    store.replace_graphs({doc: list(seed_build.graphs[doc])[:10]})
    after = _sizes(store)
    assert after[doc.value] == 10
    assert {g: n for g, n in after.items() if g != doc.value} == {g: n for g, n in before.items() if g != doc.value}
    store.replace_graphs({doc: []})  # a document whose graph is now empty is gone
    assert doc.value not in store.graph_names()
    assert not virtuoso.raw_graphs(EX + "manifest/reingest/staging/")


def test_drop_others_and_isolation(virtuoso: Virtuoso) -> None:
    g1, g2 = NamedNode(EX + "iso/g1"), NamedNode(EX + "iso/g2")
    one, two = virtuoso.store(EX + "manifest/iso-1"), virtuoso.store(EX + "manifest/iso-2")
    one.replace_graphs({g1: _quads(g1, 3), g2: _quads(g2, 5)}, drop_others=True)
    two.replace_graphs({NamedNode(EX + "iso/other"): _quads(NamedNode(EX + "iso/other"), 2)}, drop_others=True)
    assert _sizes(one) == {g1.value: 3, g2.value: 5}  # a store sees its own graphs, nothing else on the server
    one.replace_graphs({g2: _quads(g2, 1, "new")}, drop_others=True)
    assert one.graph_names() == [g2.value]
    assert virtuoso.raw_graphs(EX + "iso/") == {g2.value: 1, EX + "iso/other": 2}


def _interrupted(graph: NamedNode, before_n: int, act: Any) -> Iterator[Quad]:
    """Quads for ``graph`` that call ``act`` (stop or kill the server) once the first chunk has gone."""
    yield from _quads(graph, before_n, "new")
    act()
    yield from _quads(graph, 20, "more")


def test_blocked_server_mid_load_leaves_the_previous_graph(virtuoso: Virtuoso) -> None:
    g = NamedNode(EX + "blocked/g")
    manifest = EX + "manifest/blocked"
    store = virtuoso.store(manifest, timeout=2, chunk_size=5)
    store.replace_graphs({g: _quads(g, 3)}, drop_others=True)
    pid = virtuoso.pid
    started = time.perf_counter()
    try:
        with pytest.raises(StoreTimeout) as caught:
            store.replace_graphs({g: _interrupted(g, 5, lambda: os.kill(pid, signal.SIGSTOP))})
    finally:
        os.kill(pid, signal.SIGCONT)
    message = str(caught.value)
    assert virtuoso.update_endpoint in message and "did not answer the load" in message and "2 s" in message
    assert time.perf_counter() - started < 15  # the timeout, and one for the attempt to clean up
    fresh = virtuoso.store(manifest)
    assert fresh.graph_names() == [g.value]
    assert _sizes(fresh) == {g.value: 3}
    rows = fresh.select("SELECT ?o WHERE { ?s ?p ?o }")
    assert sorted(r["o"] for r in rows.values()) == ["0", "1", "2"]  # the previous graph, not a mix
    fresh.replace_graphs({g: _quads(g, 4)})  # the next load clears what the failed one left
    assert _sizes(fresh) == {g.value: 4}
    assert not virtuoso.raw_graphs(manifest + "/staging/")


def test_killed_server_mid_load_restarts_with_the_previous_graph(virtuoso: Virtuoso) -> None:
    g = NamedNode(EX + "killed/g")
    manifest = EX + "manifest/killed"
    store = virtuoso.store(manifest, timeout=10, chunk_size=5)
    store.replace_graphs({g: _quads(g, 3)}, drop_others=True)
    pid = virtuoso.pid
    with pytest.raises(StoreUnreachable) as caught:
        store.replace_graphs({g: _interrupted(g, 5, lambda: (os.kill(pid, signal.SIGKILL), time.sleep(0.5)))})
    assert virtuoso.update_endpoint in str(caught.value)
    restarted = _script("restart", str(virtuoso.folder))  # same folder and ports: its log replays committed work
    assert restarted.returncode == 0, restarted.stderr
    assert virtuoso.pid != pid
    assert _sizes(store) == {g.value: 3}
    store.replace_graphs({g: _quads(g, 6)})
    assert _sizes(store) == {g.value: 6}
    assert not virtuoso.raw_graphs(manifest + "/staging/")


# clear errors -------------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_unreachable_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{_free_port()}/sparql"
    with pytest.raises(StoreUnreachable, match=rf"{re.escape(url)} is unreachable \(.*refused"):
        RemoteStore(url, timeout=5).select("SELECT * WHERE { ?s ?p ?o }")
    assert main(["query", "leaders", "--endpoint", url]) == 2
    assert f"orgkg query: {url} is unreachable" in capsys.readouterr().err


HTML = b"<!DOCTYPE html><html><head><title>Welcome</title></head><body>It works!</body></html>"
ANSWERS = {
    "html": ("text/html; charset=utf-8", HTML, "text/html; charset=utf-8, not SPARQL JSON results"),
    "bad-json": ("application/sparql-results+json", b'{"head": {"vars": ["g"]}, "results": ', "malformed JSON"),
    "not-results": ("application/sparql-results+json", b'{"head": {}}', "malformed SPARQL JSON results"),
    "not-http": ("", b"SSH-2.0-OpenSSH_9.2\r\n", "did not answer the read of the manifest in HTTP"),
}


@pytest.fixture
def impostor(request: pytest.FixtureRequest) -> Iterator[str]:
    """A tiny server on 127.0.0.1 that answers every request the same wrong way; yields its URL."""
    content_type, body, _ = ANSWERS[request.param]
    if not content_type:  # not HTTP at all
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()

        def serve_raw() -> None:
            while True:
                try:
                    conn, _addr = listener.accept()
                except OSError:
                    return
                with conn:
                    conn.recv(65536)
                    conn.sendall(body)

        threading.Thread(target=serve_raw, daemon=True).start()
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        listener.close()
        return

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("impostor", sorted(ANSWERS), indirect=True)
def test_garbage_answers_are_clear_errors(impostor: str, request: pytest.FixtureRequest) -> None:
    expected = ANSWERS[request.node.callspec.params["impostor"]][2]
    store = RemoteStore(impostor, timeout=5)
    with pytest.raises(StoreProtocolError) as caught:
        store.select("SELECT * WHERE { ?s ?p ?o }")
    assert impostor in str(caught.value) and expected in str(caught.value)
    g = NamedNode(EX + "g")
    with pytest.raises(StoreProtocolError):  # a load stops before writing anything
        store.replace_graphs({g: _quads(g, 2)})


def test_credentials_refused(virtuoso: Virtuoso) -> None:
    g = NamedNode(EX + "auth/g")
    wrong = RemoteStore(
        virtuoso.endpoint, virtuoso.update_endpoint, user=virtuoso.user, password="wrong-secret", auth="digest"
    )
    with pytest.raises(StoreAuthError, match="refused the credentials of user 'orgkg'") as caught:
        wrong.replace_graphs({g: _quads(g, 1)})
    assert virtuoso.update_endpoint in str(caught.value) and "wrong-secret" not in str(caught.value)
    anonymous = RemoteStore(virtuoso.endpoint, virtuoso.update_endpoint)
    with pytest.raises(StoreAuthError, match="asks for credentials"):
        anonymous.replace_graphs({g: _quads(g, 1)})
    read_only = RemoteStore(virtuoso.endpoint)  # the anonymous /sparql endpoint may not update
    with pytest.raises(StoreAuthError, match="does not let this account do the registration"):
        read_only.replace_graphs({g: _quads(g, 1)})
    assert not virtuoso.raw_graphs(EX + "auth/")


def test_only_select_through_select(remote_seed: RemoteStore) -> None:
    with pytest.raises(StoreError, match="only SELECT"):
        remote_seed.select("DROP ALL")


# configuration ------------------------------------------------------------------------------------------------
def test_open_store_takes_credentials_from_the_environment() -> None:
    env = {"ORGKG_SPARQL_USER": "loader", "ORGKG_SPARQL_PASSWORD": "s3cret", "ORGKG_SPARQL_AUTH": "digest"}
    store = open_store(None, "http://127.0.0.1:1/sparql", None, environ=env)
    assert isinstance(store, RemoteStore) and store.update_endpoint == "http://127.0.0.1:1/sparql"
    assert "s3cret" not in repr(store)
    assert isinstance(open_store(Path("somewhere"), None, None, environ=env), EmbeddedStore)
    with pytest.raises(StoreError, match="not in the URL") as caught:
        open_store(None, "http://loader:s3cret@127.0.0.1:1/sparql", None, environ={})
    assert "s3cret" not in str(caught.value)
    with pytest.raises(StoreError, match="ORGKG_SPARQL_PASSWORD is not"):
        open_store(None, "http://127.0.0.1:1/sparql", None, environ={"ORGKG_SPARQL_USER": "loader"})
    with pytest.raises(StoreError, match="ORGKG_SPARQL_TIMEOUT"):
        open_store(None, "http://127.0.0.1:1/sparql", None, environ={"ORGKG_SPARQL_TIMEOUT": "soon"})
    with pytest.raises(StoreError, match="needs --endpoint"):
        open_store(Path("x"), None, "http://127.0.0.1:1/update", environ={})


def test_cli_store_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["query", "leaders", "--store", "x", "--endpoint", "http://127.0.0.1:1/sparql"])
    assert caught.value.code == 2 and "not allowed with argument" in capsys.readouterr().err
    assert main(["query", "leaders", "--update-endpoint", "http://127.0.0.1:1/update"]) == 2
    assert "--update-endpoint needs --endpoint" in capsys.readouterr().err

"""SERVICE cannot make the server (or the CLI) send a request: the check reads the text that is run, and the
query workers of an embedded store cannot open a network socket at all (issue 13, item 1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Store as OxStore

from api.main import create_app
from api.pool import WorkerPool
from api.settings import Settings
from orgkg.cli import main
from orgkg.sandbox import deny_network, network_denied
from orgkg.sparql import QueryRejected, canonical, prepare
from orgkg.stores.base import StoreError
from orgkg.stores.embedded import EmbeddedStore

# Oxigraph ends a comment at \r, rdflib only at \n: to rdflib all after "#x" is one comment, to Oxigraph it is
# FILTER(1<2) SERVICE :sparql { … }, and the old keyword scan read "<2)SERVICE:sparql#>" as an IRI.
PAYLOAD = "PREFIX : <http://127.0.0.1:{port}/> SELECT * WHERE { #x\rFILTER(1<2)SERVICE:sparql#>\n{ ?s ?p ?o } }"
VARIANTS = [
    PAYLOAD,
    PAYLOAD.replace("\r", "\r\n"),
    PAYLOAD.replace("\r", "\\u000d"),  # the line break spelled as an escape
    PAYLOAD.replace("\r", "\\u000D").replace("SERVICE", "sErViCe"),
    PAYLOAD.replace("#x\r", "#x\r#y\r"),
    PAYLOAD.replace("#x\r", ""),  # no comment: SERVICE right behind "<"
    "SELECT * WHERE { #\r SERVICE <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } #\n }",
    "ASK { #\r{ SERVICE SILENT <http://127.0.0.1:{port}/> { ?s ?p ?o } }\n}",
    "SELECT * WHERE { FILTER(?a<?b)SERVICE<http://127.0.0.1:{port}/#>{ ?s ?p ?o } }",
]


@pytest.fixture(scope="module")
def client(seed_store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(seed_store, Settings(workers=1))) as c:
        yield c


def test_the_payload_is_live_without_the_defences(listener: tuple[int, list[bytes]]) -> None:
    port, seen = listener
    with pytest.raises(OSError):  # pyoxigraph in a process with network access calls the listener
        list(OxStore().query(PAYLOAD.replace("{port}", str(port))))  # type: ignore[arg-type]
    assert seen, "pyoxigraph did not call the listener: the tests below could not show it is prevented"


@pytest.mark.parametrize("template", VARIANTS)
def test_comment_and_line_break_variants_are_refused_and_nothing_goes_out(
    client: TestClient, listener: tuple[int, list[bytes]], template: str
) -> None:
    port, seen = listener
    query = template.replace("{port}", str(port))
    for r in (
        client.get("/sparql", params={"query": query}),
        client.post("/sparql", data={"query": query}),
        client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}),
        client.get("/ui/sparql", params={"query": query}),
    ):
        assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    assert seen == []


def test_the_text_run_is_the_text_checked() -> None:
    prepared = prepare("SELECT * WHERE { #x\rBIND(1 AS ?a) # c\n}")
    assert prepared.text == "SELECT * WHERE { \nBIND(1 AS ?a) \n}"  # Oxigraph's reading, comments gone
    assert "#" not in canonical("ASK { #\r?s ?p ?o #\n }")
    assert canonical("ASK { ?s ?p '#not a comment' }") == "ASK { ?s ?p '#not a comment' }"
    with pytest.raises(QueryRejected) as info:
        prepare("SELECT * { ?s ?p <http://example.org/service> }")  # "<" may be "less than": IRIs count
    assert info.value.reason == "service"


def test_a_worker_of_the_embedded_store_cannot_open_a_socket(
    seed_store: EmbeddedStore, listener: tuple[int, list[bytes]]
) -> None:
    """Even a query that skips the check (as named queries do) cannot reach the network from a worker."""
    port, seen = listener
    pool = WorkerPool(seed_store, size=1, timeout=10)
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
        with pytest.raises(StoreError) as info:
            pool.run(("sparql", query, "application/sparql-results+json", 10, False))
        assert "Permission denied" in str(info.value)  # the sandbox, not the listener, stopped it
    finally:
        pool.close()
    assert seen == []


def test_deny_network_holds_in_the_process(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "from orgkg.sandbox import deny_network, network_denied\n"
        "import socket\n"
        "assert not network_denied()\n"
        "deny_network()\n"
        "assert network_denied()\n"
        "a, b = socket.socketpair()  # AF_UNIX stays: the pool's pipes\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout.strip() == "ok", done.stderr
    assert callable(deny_network) and callable(network_denied)


@pytest.mark.parametrize("template", VARIANTS[:4])
def test_cli_sparql_is_checked_before_it_runs(
    seed_store: EmbeddedStore,
    listener: tuple[int, list[bytes]],
    capsys: pytest.CaptureFixture[str],
    template: str,
) -> None:
    port, seen = listener
    code = main(["query", "--store", str(seed_store.directory), "--sparql", template.replace("{port}", str(port))])
    assert code == 2
    assert "SERVICE" in capsys.readouterr().err
    assert seen == []


def test_cli_sparql_runs_the_checked_text(seed_store: EmbeddedStore, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["query", "--store", str(seed_store.directory), "--format", "csv", "--sparql", "SELECT ?a { #\rBIND(1 AS ?a) }"]
    )
    assert code == 0 and capsys.readouterr().out.split() == ["a", "1"]

"""A real `orgkg serve` process on 127.0.0.1: SPARQL clients, and a runaway query that must not hurt anyone else."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from pyoxigraph import Literal
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

from orgkg.queries import get_query
from orgkg.stores.base import with_values
from orgkg.stores.embedded import EmbeddedStore

TIMEOUT = 2.0  # ORGKG_QUERY_TIMEOUT of the server under test
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^12 rows: never ends


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(store: EmbeddedStore, log: Path, **env: str) -> Iterator[tuple[str, int]]:
    """`orgkg serve` on a free 127.0.0.1 port with ``ORGKG_*`` settings, stopped by its PID."""
    port = _free_port()
    cmd = [sys.executable, "-m", "orgkg.cli", "serve", "--store", str(store.directory), "--port", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"orgkg serve did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield base, proc.pid
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def server(seed_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """`orgkg serve` on a free port, stopped by its PID at the end."""
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with serving(seed_store, log, ORGKG_QUERY_TIMEOUT=str(TIMEOUT), ORGKG_WORKERS="2") as running:
        yield running


def _leader_question() -> str:
    """tasks-by-leader for 曹国永 as one SPARQL text (the parameter bound in a VALUES block)."""
    q = get_query("tasks-by-leader")
    return with_values(q.text, {"leaderKey": Literal("曹国永")})


def test_sparqlwrapper_and_rest_give_the_same_tasks_with_quotes(server: tuple[str, int]) -> None:
    base, _ = server
    rest = httpx.get(
        f"{base}/queries/tasks-by-leader", params={"leader": "曹国永"}, headers={"Accept": "application/json"}
    )
    assert rest.status_code == 200 and rest.headers["content-type"].startswith("application/json")
    rows = rest.json()["results"]["bindings"]

    sw = SPARQLWrapper(f"{base}/sparql")
    sw.setQuery(_leader_question())
    sw.setReturnFormat(JSON)
    via_get: Any = sw.query().convert()
    sw.setMethod(POST)
    via_post: Any = sw.query().convert()
    assert via_get == via_post
    assert via_get["results"]["bindings"] == rows
    assert {r["year"]["value"] for r in rows} == {"2020", "2022"}
    assert all("曹国永" in r["quote"]["value"] for r in rows)


def test_sparqlwrapper_construct_as_turtle(server: tuple[str, int]) -> None:
    base, _ = server
    sw = SPARQLWrapper(f"{base}/sparql")
    sw.setQuery("DESCRIBE <https://w3id.org/orgkg/id/org/国家开放大学/person/曹国永>")
    sw.setReturnFormat(TURTLE)
    turtle = sw.query().convert()
    assert isinstance(turtle, bytes) and "曹国永".encode() in turtle


def _tree_cpu_seconds(root: int) -> float:
    """CPU time (user + system) of ``root`` and every live descendant, from /proc."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        ticks[int(entry.name)] = int(fields[11]) + int(fields[12])
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [p for p, pp in parents.items() if pp == pid and p not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(ticks.get(p, 0) for p in tree) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads CPU times from /proc")
def test_a_runaway_query_times_out_while_others_are_served(server: tuple[str, int]) -> None:
    base, pid = server
    outcome: dict[str, Any] = {}

    def runaway() -> None:
        started = time.monotonic()
        r = httpx.get(f"{base}/sparql", params={"query": RUNAWAY}, timeout=30)
        outcome.update(status=r.status_code, body=r.json(), elapsed=time.monotonic() - started)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)  # the runaway has a worker now
    latencies = []
    with httpx.Client(base_url=base, timeout=10) as other:
        while thread.is_alive():
            started = time.monotonic()
            r = other.get("/queries/tasks-by-leader", params={"leader": "曹国永"})
            latencies.append(time.monotonic() - started)
            assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 8
            assert other.get("/health").status_code == 200
    thread.join()
    assert outcome["status"] == 503 and outcome["body"]["type"].endswith("/query-timeout"), outcome
    assert TIMEOUT <= outcome["elapsed"] < TIMEOUT + 1.5
    assert len(latencies) >= 10 and max(latencies) < 0.5, latencies

    # the runaway's worker was killed: nothing in the server's process tree keeps burning CPU …
    before = _tree_cpu_seconds(pid)
    time.sleep(1.0)
    assert _tree_cpu_seconds(pid) - before < 0.3
    # … and a fresh worker took its place
    deadline = time.monotonic() + 10
    while httpx.get(f"{base}/health").json()["lanes"] != {"lookup": 1, "public": 2}:
        assert time.monotonic() < deadline, "the killed worker was not replaced"
        time.sleep(0.1)


def test_request_lines_in_raw_utf8_are_understood(server: tuple[str, int]) -> None:
    """curl sends `?leader=曹国永` unencoded; two requests on one kept-alive connection, then a POST body."""
    base, _ = server
    host, port = base.removeprefix("http://").split(":")
    request = "GET /queries/tasks-by-leader?leader=曹国永 HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n"
    body = 'SELECT ?n WHERE { BIND("曹国永" AS ?n) }'.encode()
    post = (
        "POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request.encode())
        first = _read_response(sock)
        sock.sendall(request.encode())
        second = _read_response(sock)
        sock.sendall(post)
        third = _read_response(sock)
    for response in (first, second):
        assert response.startswith(b"HTTP/1.1 200") and "学习宣传党的创新理论".encode() in response
    assert third.startswith(b"HTTP/1.1 200") and "曹国永".encode() in third


def _read_response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    while len(rest) < length:
        rest += sock.recv(65536)
    return head + b"\r\n\r\n" + rest

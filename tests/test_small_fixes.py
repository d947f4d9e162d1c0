"""The small items of issue 13 (item 10 there): absolute paths in HTTP errors, a large CONSTRUCT template read
as "nested too deeply", a traceback on a closed pipe, HEAD and Allow, UTF-16 called binary."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.main import create_app
from api.settings import Settings
from orgkg.source import read_source
from orgkg.sparql import QueryRejected, prepare
from orgkg.stores.embedded import EmbeddedStore
from tests.conftest import DATA
from tests.test_corpus import A, B, _build


@pytest.fixture(scope="module")
def client(seed_store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(seed_store, Settings(workers=1))) as c:
        yield c


def test_http_errors_do_not_show_absolute_paths(tmp_path: Path) -> None:
    store = _build(tmp_path, [A, B], tmp_path / "store")
    settings = Settings(reports=tmp_path / "reports", write_token=SecretStr("t"), workers=1)
    with TestClient(create_app(store, settings)) as c:
        r = c.post(
            "/documents", params={"filename": "empty.txt"}, content=b"\n\n", headers={"Authorization": "Bearer t"}
        )
        assert 400 <= r.status_code < 500 and "empty.txt" in r.json()["detail"], r.text
        r2 = c.post(
            "/documents", params={"filename": "x.txt"}, content=b"nothing here", headers={"Authorization": "Bearer t"}
        )
        assert r2.status_code == 422, r2.text
    for detail in (r.json()["detail"], r2.json()["detail"]):
        assert "/tmp" not in detail and str(tmp_path) not in detail, detail


@pytest.mark.parametrize("triples", [200, 1000])
def test_a_large_construct_template_is_not_nested_too_deeply(client: TestClient, triples: int) -> None:
    template = " ".join(f"?s <http://example.org/p{i}> ?o ." for i in range(triples))
    query = f"CONSTRUCT {{ {template} }} WHERE {{ ?s a ?o }} LIMIT 1"
    assert prepare(query).form == "CONSTRUCT"
    r = client.post("/sparql", data={"query": query}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.text.count("\n") == triples, r.text[:300]


def test_truly_deep_nesting_is_still_a_clear_400() -> None:
    with pytest.raises(QueryRejected, match="nested too deeply"):
        prepare("SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000)


def test_a_closed_pipe_is_no_traceback(seed_store: EmbeddedStore) -> None:
    """`orgkg query … | head -1`: the reader leaves after one line; the writer ends quietly."""
    cmd = [sys.executable, "-m", "orgkg.cli", "query", "--store", str(seed_store.directory), "--format", "csv"]
    proc = subprocess.Popen(
        [*cmd, "--sparql", "SELECT * WHERE { ?s ?p ?o }"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert sorted(proc.stdout.readline().strip().split(b",")) == [b"o", b"p", b"s"]
    proc.stdout.close()  # far more than a pipe buffer is still to come
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err, err


@pytest.mark.parametrize("path", ["/health", "/", "/organizations", "/sparql?query=ASK%7B%7D", "/ui/sparql"])
def test_head_answers_like_get_without_a_body(client: TestClient, path: str) -> None:
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/sparql", "GET, HEAD, POST"),
        ("PATCH", "/documents", "GET, HEAD, POST"),
        ("DELETE", "/health", "GET, HEAD"),
        ("POST", "/documents/x", "DELETE, GET, HEAD, PUT"),
    ],
)
def test_allow_lists_every_method_of_the_path(client: TestClient, method: str, path: str, allow: str) -> None:
    r = client.request(method, path)
    assert r.status_code == 405 and r.headers["allow"] == allow, (r.headers.get("allow"), r.text)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_utf16_file_is_text(tmp_path: Path, encoding: str) -> None:
    text = (DATA / A).read_text(encoding="utf-8")
    raw = text.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw  # big-endian with its byte-order mark
    path = tmp_path / "plan.txt"
    path.write_bytes(raw)
    assert read_source(path).text == text.replace("\r\n", "\n")

"""A damaged store (issue 13, item 5): every way in says which store is damaged and how to get out of it —
no 500, no traceback — and the way out (a rebuild) works."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from orgkg.cli import main
from orgkg.pipeline import BuildResult
from orgkg.stores.embedded import EmbeddedStore
from tests.conftest import DATA


@pytest.fixture(params=["garbled", "truncated"])
def damaged(request: pytest.FixtureRequest, seed_build: BuildResult, tmp_path: Path) -> Path:
    """A built store whose table files were garbled (every 97th byte) or cut in half."""
    folder = tmp_path / "store"
    EmbeddedStore(folder).replace_graphs(seed_build.graphs, drop_others=True)
    tables = sorted((folder / "current").resolve().glob("*.sst"))
    assert tables
    for table in tables:
        data = bytearray(table.read_bytes())
        if request.param == "garbled":
            for i in range(100, len(data) - 100, 97):
                data[i] ^= 0x5A
        else:
            del data[len(data) // 2 :]
        table.write_bytes(bytes(data))
    return folder


def test_the_cli_names_the_store_and_the_way_out(damaged: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "orgkg.cli", "query", "leaders", "--store", str(damaged)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{damaged}: the store is damaged" in done.stderr and f"orgkg build SOURCES --store {damaged}" in done.stderr


def test_every_endpoint_says_the_store_is_damaged(damaged: Path) -> None:
    with TestClient(create_app(EmbeddedStore(damaged), Settings(workers=1)), raise_server_exceptions=False) as client:
        for path in ("/health", "/organizations", "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "/queries/leaders"):
            r = client.get(path)
            assert r.status_code == 503, (path, r.status_code, r.text)
            problem = r.json()
            assert problem["type"].endswith("/store-damaged") and "orgkg build" in problem["detail"], problem
            assert str(damaged.parent) not in problem["detail"]  # no absolute paths over HTTP
        assert client.get("/").status_code in (200, 503)


def test_a_rebuild_is_the_way_out(damaged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "leaders", "--store", str(damaged)]) == 2
    assert main(["build", str(DATA), "--store", str(damaged), "--reports", str(tmp_path / "r"), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["query", "leaders", "--store", str(damaged), "--format", "csv"]) == 0
    assert "曹国永" in capsys.readouterr().out

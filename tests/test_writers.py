"""Two writers in two processes (issue 13, item 3): they take turns on the store's writer lock, the second
waits (bounded) or is told "store busy", and no update is ever lost."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.main import create_app
from api.settings import Settings
from orgkg.cli import main
from orgkg.corpus import stored_documents
from orgkg.stores.embedded import EmbeddedStore
from orgkg.stores.lock import StoreBusy
from orgkg.stores.remote import RemoteStore
from tests.conftest import DATA
from tests.test_corpus import A, B, C, _build

D = "jinan-ou-reform-implementation-plan-2023.txt"
ADD = [sys.executable, "-m", "orgkg.cli", "add"]
HOLD = """
import sys, time
from pathlib import Path
from orgkg.stores.embedded import EmbeddedStore
with EmbeddedStore(Path(sys.argv[1])).writing():
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold(store: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the store's writer lock for ``seconds``; returns once it holds it."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store), str(seconds)], stdout=subprocess.PIPE, text=True, cwd=Path.cwd()
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def _files(store: EmbeddedStore) -> set[str]:
    return {d.source_file for d in stored_documents(store)}


def test_a_second_writer_waits_then_is_told_the_store_is_busy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _build(tmp_path, [A, B], tmp_path / "store")
    holder = _hold(tmp_path / "store", 30)
    try:
        monkeypatch.setenv("ORGKG_WRITE_WAIT", "1")
        started = time.monotonic()
        assert main(["add", str(DATA / C), "--store", str(tmp_path / "store"), "--reports", str(tmp_path / "r")]) == 2
        assert 1 <= time.monotonic() - started < 10
        err = capsys.readouterr().err
        assert "store busy" in err and f"process {holder.pid}" in err and str(tmp_path / "store") in err
        with pytest.raises(StoreBusy):
            store.replace_graphs({}, drop_others=False)  # a plain write waits for the lock too
    finally:
        holder.kill()
        holder.wait()
    # the holder is gone (killed, not released): the kernel dropped its lock, and the write goes through
    assert main(["add", str(DATA / C), "--store", str(tmp_path / "store"), "--reports", str(tmp_path / "r")]) == 0
    assert _files(store) == {A, B, C}


@pytest.mark.slow
def test_cli_add_and_post_documents_at_once_lose_nothing(tmp_path: Path) -> None:
    store = _build(tmp_path, [A, B], tmp_path / "store")
    settings = Settings(reports=tmp_path / "reports", write_token=SecretStr("t"), workers=1)
    cmd = [sys.executable, "-m", "orgkg.cli", "add", str(DATA / D), "--store", str(tmp_path / "store")]
    with TestClient(create_app(store, settings)) as client:
        cli = subprocess.Popen([*cmd, "--reports", str(tmp_path / "r")], stderr=subprocess.PIPE, text=True)
        r = client.post(
            "/documents", params={"filename": C}, content=(DATA / C).read_bytes(), headers={"Authorization": "Bearer t"}
        )
        _, err = cli.communicate(timeout=300)
        assert r.status_code == 201, r.text
        assert cli.returncode == 0, err
        assert _files(store) == {A, B, C, D}  # each writer started from the other's result
        leaders = client.get("/queries/tasks-by-leader", params={"leader": "曹国永"}).json()["results"]["bindings"]
        assert {b["year"]["value"] for b in leaders} == {"2020", "2022"}
    generations = [p.name for p in (tmp_path / "store" / "generations").iterdir()]
    assert len(generations) == 1 and generations[0].isdigit()  # no staging folder left behind


def test_two_cli_writers_in_two_processes_lose_nothing(tmp_path: Path) -> None:
    store = _build(tmp_path, [A, B], tmp_path / "store")
    procs = [
        subprocess.Popen(
            [*ADD, str(DATA / name), "--store", str(tmp_path / "store"), "--reports", str(tmp_path / f"r-{name}")],
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in (C, D)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    assert _files(store) == {A, B, C, D}


def test_the_remote_store_has_one_writer_per_endpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No SPARQL server is needed to show the lock: two stores on one endpoint share it, another does not."""
    monkeypatch.setenv("ORGKG_LOCK_DIR", str(tmp_path))
    one = RemoteStore("http://127.0.0.1:9/sparql")
    same = RemoteStore("http://127.0.0.1:9/sparql")
    other = RemoteStore("http://127.0.0.1:10/sparql")
    with one.writing():
        with pytest.raises(StoreBusy, match=r"127\.0\.0\.1:9/sparql: store busy"):
            with same.writing(wait=0.2):
                pass
        with other.writing(wait=0.2):
            pass
    with same.writing(wait=0.2):
        assert os.listdir(tmp_path)

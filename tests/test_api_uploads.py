"""Writing documents over HTTP: token-protected, size- and type-checked, atomic, readers undisturbed."""

from __future__ import annotations

import io
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.main import create_app
from api.settings import Settings
from orgkg.corpus import Cache, fill_cache
from orgkg.pipeline import build_graphs
from orgkg.stores.embedded import EmbeddedStore
from tests.conftest import DATA
from tests.makedocs import make_html, make_pdf

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HUBEI = "湖北开放大学-湖北科技职业学院-2021年工作要点"


def _store(folder: Path) -> EmbeddedStore:
    result = build_graphs([DATA / "ouchn-2020-work-plan.txt", DATA / "hubei-ou-2021-work-plan.txt"])
    store = EmbeddedStore(folder / "store")
    store.replace_graphs(result.graphs, drop_others=True)
    fill_cache(Cache(folder / "store" / "cache"), result.documents)
    return store


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(reports=tmp_path / "reports", write_token=SecretStr(TOKEN), max_upload_bytes=2_000_000)
    with TestClient(create_app(_store(tmp_path), settings)) as c:
        yield c


def _leader_years(client: TestClient) -> set[str]:
    r = client.get("/queries/tasks-by-leader", params={"leader": "曹国永"})
    assert r.status_code == 200, r.text
    return {b["year"]["value"] for b in r.json()["results"]["bindings"]}


def test_writing_needs_the_token(client: TestClient, tmp_path: Path) -> None:
    body = (DATA / "ouchn-2022-work-plan.md").read_bytes()
    assert client.post("/documents", params={"filename": "p.md"}, content=body).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert client.post("/documents", params={"filename": "p.md"}, content=body, headers=wrong).status_code == 403
    assert client.delete(f"/documents/{HUBEI}", headers=wrong).status_code == 403
    r = client.delete(f"/documents/{HUBEI}")
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")


def test_no_token_configured_means_read_only(tmp_path: Path) -> None:
    with TestClient(create_app(_store(tmp_path), Settings(reports=tmp_path / "r"))) as c:
        r = c.post("/documents", params={"filename": "p.md"}, content=b"x", headers=AUTH)
        assert r.status_code == 403 and "disabled" in r.json()["detail"]


def test_add_a_pdf_then_replace_and_remove(client: TestClient, tmp_path: Path) -> None:
    assert _leader_years(client) == {"2020"}
    pdf = tmp_path / "plan.pdf"
    make_pdf((DATA / "ouchn-2022-work-plan.md").read_text(encoding="utf-8"), pdf)
    r = client.post("/documents", params={"filename": "plan.pdf"}, content=pdf.read_bytes(), headers=AUTH)
    assert r.status_code == 201, r.text
    assert r.json()["added"] == ["plan.pdf"]
    assert "https://w3id.org/orgkg/graph/doc/国开发-2022-1号" in r.json()["graphsWritten"]
    assert _leader_years(client) == {"2020", "2022"}
    again = client.post("/documents", params={"filename": "plan.pdf"}, content=pdf.read_bytes(), headers=AUTH)
    assert again.status_code == 200 and again.json()["unchanged"] == ["plan.pdf"]
    same = client.put(
        "/documents/国开发-2022-1号", params={"filename": "plan.pdf"}, content=pdf.read_bytes(), headers=AUTH
    )
    assert same.status_code == 200 and same.json()["unchanged"] == ["plan.pdf"] and not same.json()["removed"]
    gone = client.delete("/documents/国开发-2022-1号", headers=AUTH)
    assert gone.status_code == 200 and gone.json()["graphsDropped"] == [
        "https://w3id.org/orgkg/graph/doc/国开发-2022-1号"
    ]
    assert _leader_years(client) == {"2020"}
    assert client.delete("/documents/国开发-2022-1号", headers=AUTH).status_code == 404


def test_refused_uploads_leave_the_store(client: TestClient, tmp_path: Path) -> None:
    before = client.get("/health").json()["quads"]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document>" + " " * (30 * 1024 * 1024) + "</w:document>")
    cases = [
        ("bomb.docx", bomb.getvalue(), 422),
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, 415),
        ("notice.txt", "关于放假的通知\n各部门：国庆节放假。\n".encode(), 422),
        ("big.txt", b"x" * 2_100_000, 413),
        ("empty.txt", b"", 400),
    ]
    for name, body, status in cases:
        r = client.post("/documents", params={"filename": name}, content=body, headers=AUTH)
        assert r.status_code == status, (name, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    assert client.get("/health").json()["quads"] == before


def test_html_scripts_are_not_read(client: TestClient, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    make_html((DATA / "ouchn-2022-work-plan.md").read_text(encoding="utf-8"), page)
    r = client.post("/documents", params={"filename": "page.html"}, content=page.read_bytes(), headers=AUTH)
    assert r.status_code == 201, r.text
    hits = client.get("/search", params={"q": "伪造"}).json()
    assert not hits["items"]


def test_readers_see_no_error_while_a_document_is_added(client: TestClient, tmp_path: Path) -> None:
    shutil.copy(DATA / "ouchn-2022-work-plan.md", tmp_path / "plan.md")
    statuses: list[int] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            statuses.append(client.get("/queries/tasks-by-leader", params={"leader": "曹国永"}).status_code)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        r = client.post(
            "/documents", params={"filename": "plan.md"}, content=(tmp_path / "plan.md").read_bytes(), headers=AUTH
        )
    finally:
        done.set()
        reader.join()
    assert r.status_code == 201
    assert len(statuses) >= 3 and set(statuses) == {200}

"""The web pages over the seed graph: each page renders, links to the others, shows the quotes; zh/en switch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from api.web import pages
from orgkg.stores.embedded import EmbeddedStore


@pytest.fixture(scope="module")
def client(seed_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(create_app(seed_store, Settings(reports=tmp_path_factory.mktemp("reports")))) as c:
        yield c


def page(client: TestClient, path: str, status: int = 200, **params: str) -> str:
    r = client.get(path, params=params)
    assert r.status_code == status, (path, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def test_home_has_search_gallery_and_sparql_form(client: TestClient) -> None:
    html = page(client, "/")
    assert 'action="/ui/search"' in html and 'action="/ui/sparql"' in html
    assert html.count('class="query"') == 10 and 'id="query-tasks-by-leader"' in html
    assert "Tasks a leader supervises" in html and 'name="leader"' in html
    assert "/ui/organizations/" in html and "/ui/programmes/" in html


def test_named_query_results_csv_and_shareable_url(client: TestClient) -> None:
    html = page(client, "/ui/queries/tasks-by-leader", leader="曹国永")
    assert html.count("<tr><td>") == 8 and "8 行" in html
    assert "（校领导：曹国永。宣传部牵头负责）" in html and "/ui/tasks/" in html
    assert "/ui/queries/tasks-by-leader/csv?leader=" in html
    csv = client.get("/ui/queries/tasks-by-leader/csv", params={"leader": "曹国永", "year": "2022"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("task,title,year") and len(csv.text.strip().splitlines()) == 3
    assert "leader" in page(client, "/ui/queries/tasks-by-leader", 400)  # a missing parameter: the API's 400
    page(client, "/ui/queries/no-such-query", 404)


def test_task_page_highlights_the_source_in_the_document(client: TestClient) -> None:
    html = page(client, "/ui/tasks/国开发-2022-1号/1")
    assert '<mark id="hl" class="task ">1. 学习宣传党的创新理论。' in html
    assert "quote" in html and "（校领导：曹国永。宣传部牵头负责）</mark>" in html
    assert "牵头单位" in html and "/ui/units/" in html and "/ui/leaders/" in html
    page(client, "/ui/tasks/国开发-2022-1号/9999", 404)


def test_leader_unit_document_programme_policy_pages(client: TestClient) -> None:
    leader = page(client, "/ui/leaders/国家开放大学/曹国永")
    assert "<h2>2022 " in leader and "<h2>2020 " in leader and "宣传部（牵头单位）" in leader
    unit = page(client, "/ui/units/国家开放大学/宣传部")
    assert "新闻中心" in unit and "牵头单位" in unit and "责任单位" in unit
    doc = page(client, "/ui/documents/国开发-2022-1号")
    assert doc.count('class="mark task') >= 30 and "国开发〔2022〕1号" in doc
    prog = page(client, "/ui/programmes/1233工程")
    assert all(p in prog for p in ("打造一支队伍", "提升两种能力", "建好三个体系", "实施三大战略"))
    assert "宣传部" in page(client, "/ui/organizations/国家开放大学")
    assert "cgy" in page(client, "/ui/search", q="cgy") and "/ui/leaders/" in page(client, "/ui/search", q="cgy")


def test_sparql_page_and_validation_page(client: TestClient) -> None:
    html = page(client, "/ui/sparql", query="SELECT ?s WHERE { ?s a <https://w3id.org/orgkg/ontology#Task> } LIMIT 3")
    assert html.count("<tr><td>") == 3
    assert "error" in page(client, "/ui/sparql", 400, query="SELECT nonsense")
    assert "尚无验证报告" in page(client, "/ui/validation")


def _assets(html: str) -> list[str]:
    return re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", html)


def test_sparql_page_gallery_and_local_assets_only(client: TestClient) -> None:
    html = page(client, "/ui/sparql", query="SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    assert "/ui/static/style.css" in _assets(html)
    assert all(a.startswith("/ui/static/") for a in _assets(html)), _assets(html)  # no CDN, no other host
    assert not re.search(r"\b(?:src|href)=\"(?:https?:)?//", html)
    assert html.count('class="open-query"') == 10 and 'id="sparql-query-tasks-by-leader"' in html
    assert "Tasks a leader supervises" in html and "<code>leader</code> (<code>?leaderKey</code>)" in html
    assert 'href="/ui/sparql?query=%23%2B' in html  # each gallery query opens in the editor by its URL
    assert "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1</textarea>" in html  # the URL's query fills the form/editor


def test_sparql_page_loads_the_vendored_editor(client: TestClient) -> None:
    if not pages.editor_available():
        pytest.skip(f"YASGUI is not vendored in {pages.VENDOR} (run `make web-assets`; it needs the npm registry)")
    html = page(client, "/ui/sparql", query="ASK {}")
    assert 'id="sparql-editor"' in html and 'id="sparql-config"' in html and 'id="sparql-plain"' in html
    assert {"/ui/static/vendor/yasgui.min.js", "/ui/static/vendor/yasgui.min.css", "/ui/static/sparql.js"} <= set(
        _assets(html)
    )
    assert '"query": "ASK {}"' in html and '"okg": "https://w3id.org/orgkg/ontology#"' in html
    for asset in ("vendor/yasgui.min.js", "vendor/yasgui.min.css", "sparql.js", "sparql.css"):
        assert client.get(f"/ui/static/{asset}").status_code == 200, asset


def test_sparql_page_without_the_editor_is_the_plain_form(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "VENDOR", tmp_path)  # as if npm was unreachable at build time
    html = page(client, "/ui/sparql")
    assert 'id="sparql-editor"' not in html and "vendor/" not in html and "sparql.js" not in html
    assert '<textarea name="query"' in html and html.count('class="open-query"') == 10


def test_language_switch_is_remembered(seed_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> None:
    with TestClient(create_app(seed_store, Settings(reports=tmp_path_factory.mktemp("r")))) as c:
        assert "命名查询" in page(c, "/")
        english = c.get("/", params={"lang": "en"})
        assert "Named queries" in english.text and english.cookies.get("orgkg_lang") == "en"
        assert "Named queries" in page(c, "/")  # the cookie keeps English
        assert "supervising leader" in page(c, "/ui/tasks/国开发-2022-1号/1")
        assert "命名查询" in page(c, "/", lang="zh")


def test_json_api_keeps_its_paths(client: TestClient) -> None:
    assert client.get("/tasks/国开发-2022-1号/1").headers["content-type"].startswith("application/json")
    assert "/ui/" not in str(client.get("/openapi.json").json()["paths"])
    assert client.get("/ui/static/style.css").status_code == 200

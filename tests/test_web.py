"""The web pages over the seed graph: each page renders, links to the others, shows the quotes; zh/en switch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
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
    assert html.count('class="query"') == 9 and 'id="query-tasks-by-leader"' in html
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

"""Lookup resources over the seed graph: JSON by default, JSON-LD and Turtle by Accept, pages, ids, search."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from orgkg.pipeline import BuildResult
from orgkg.stores.embedded import EmbeddedStore

ID = "https://w3id.org/orgkg/id/"
PERSON = ID + "org/国家开放大学/person/曹国永"
TASK = ID + "doc/国开发-2022-1号/task/1"


@pytest.fixture(scope="module")
def client(seed_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    reports = tmp_path_factory.mktemp("reports")
    with TestClient(create_app(seed_store, Settings(reports=reports))) as c:
        c.reports = reports  # type: ignore[attr-defined]
        yield c


def get(client: TestClient, path: str, **params: Any) -> Any:
    r = client.get(path, params=params)
    assert r.status_code == 200, (path, r.text)
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def test_organizations_and_their_units(client: TestClient) -> None:
    orgs = get(client, "/organizations")
    assert orgs["total"] == len(orgs["items"]) >= 5
    ouchn = next(o for o in orgs["items"] if o["label"] == "国家开放大学")
    assert ouchn["id"] == "国家开放大学" and ouchn["iri"] == ID + "org/国家开放大学" and ouchn["units"] >= 30
    assert get(client, ouchn["href"]) == ouchn
    units = get(client, "/organizations/国家开放大学/units", limit=500)
    assert units["total"] == ouchn["units"] == len(units["items"])
    xcb = next(u for u in units["items"] if u["label"] == "宣传部")
    assert xcb["id"] == "国家开放大学/宣传部" and "新闻中心" in xcb["aliases"] and xcb["tasks"] > 0
    assert get(client, "/units/国家开放大学/宣传部") == xcb
    tasks = get(client, "/units/国家开放大学/宣传部/tasks", year=2022)
    assert tasks["items"] and all(t["year"] == 2022 and t["quote"] and t["role"] for t in tasks["items"])
    assert {t["agent"]["label"] for t in tasks["items"]} == {"宣传部"}


def test_pages_link_to_each_other(client: TestClient) -> None:
    first = client.get("/organizations/国家开放大学/units", params={"limit": 5})
    body = first.json()
    assert len(body["items"]) == 5 and body["prev"] is None and body["next"]
    assert 'rel="next"' in first.headers["link"]
    seen = [u["iri"] for u in body["items"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        seen += [u["iri"] for u in body["items"]]
    assert len(seen) == len(set(seen)) == body["total"]
    assert client.get("/organizations", params={"limit": 0}).status_code == 400
    assert client.get("/organizations", params={"limit": 10_000}).status_code == 400


def test_leaders_with_pinyin_posts_and_tasks(client: TestClient) -> None:
    leaders = get(client, "/leaders", limit=500)["items"]
    cao = next(p for p in leaders if p["label"] == "曹国永")
    assert cao["id"] == "国家开放大学/曹国永" and cao["pinyin"] == "cao guo yong"
    assert cao["years"] == [2020, 2022] and cao["tasks"] == 8
    assert {p["role"] for p in cao["posts"]} >= {"校领导"}
    assert get(client, "/leaders/国家开放大学/曹国永") == cao
    tasks = get(client, "/leaders/国家开放大学/曹国永/tasks")
    assert tasks["total"] == 8 and {t["year"] for t in tasks["items"]} == {2020, 2022}
    in_2022 = get(client, "/leaders/国家开放大学/曹国永/tasks", year=2022)["items"]
    assert [t["title"] for t in in_2022] == ["学习宣传党的创新理论", "深化思想政治教育改革"]
    assert in_2022[0]["quote"] == "（校领导：曹国永。宣传部牵头负责）" and in_2022[0]["start"] == 855


def test_a_task_with_responsibilities_and_quotes(client: TestClient) -> None:
    task = get(client, "/tasks/国开发-2022-1号/1")
    assert task["iri"] == TASK and task["title"] == "学习宣传党的创新理论" and task["year"] == 2022
    assert task["document"]["id"] == "国开发-2022-1号" and task["organization"]["label"] == "国家开放大学"
    roles = {(r["role"], r["agent"]["label"]) for r in task["responsibilities"]}
    assert roles == {("supervising leader", "曹国永"), ("lead unit", "宣传部")}
    for r in task["responsibilities"]:
        assert r["source"]["quote"] == "（校领导：曹国永。宣传部牵头负责）" and r["source"]["start"] == 855
    assert task["source"]["quote"].startswith("1") and task["source"]["start"] < 855 < task["source"]["end"]
    assert task["continues"] and task["policies"]


def test_documents(client: TestClient) -> None:
    docs = get(client, "/documents")
    assert docs["total"] == 5
    plan = next(d for d in docs["items"] if d["id"] == "国开发-2022-1号")
    assert plan["identifier"] == "国开发〔2022〕1号" and plan["year"] == 2022 and "WorkPlan" in plan["kinds"]
    detail = get(client, plan["href"])
    assert detail["sections"] and detail["sourceFile"] and detail["policies"] and detail["tasks"] == plan["tasks"]
    tasks = get(client, f"{plan['href']}/tasks", limit=500)
    assert tasks["total"] == plan["tasks"] and [t["ordinal"] for t in tasks["items"]] == sorted(
        t["ordinal"] for t in tasks["items"]
    )


def test_programmes_parts_and_tasks(client: TestClient) -> None:
    programmes = get(client, "/programmes", limit=500)
    p1233 = next(p for p in programmes["items"] if p["id"] == "1233工程")
    assert p1233["parts"] == 4 and p1233["category"] == "工程" and p1233["definedIn"]
    assert get(client, "/programmes/1233工程") == p1233
    parts = get(client, "/programmes/1233工程/parts")
    direct = {p["part"]["label"] for p in parts["items"] if p["parent"]["id"] == "1233工程"}
    assert len(direct) == 4
    tasks = get(client, "/programmes/四个平台/tasks")
    assert tasks["items"] and all(t["mentioned"] and t["quote"] for t in tasks["items"])


def test_policies_and_who_cites_them(client: TestClient) -> None:
    policies = get(client, "/policies", limit=500)
    reform = next(p for p in policies["items"] if p["id"] == "国家开放大学综合改革方案")
    assert reform["citations"] > 0 and reform["creators"][0]["label"] == "国家开放大学"
    assert get(client, "/policies/国家开放大学综合改革方案") == reform
    documents = get(client, "/policies/国家开放大学综合改革方案/documents")
    assert documents["total"] >= 1 and all(d["type"] == "document" for d in documents["items"])
    tasks = get(client, "/policies/国家开放大学综合改革方案/tasks")
    assert tasks["items"] and all("综合改革方案" in t["quote"] for t in tasks["items"])


@pytest.mark.parametrize(
    ("q", "label", "via"),
    [
        ("曹国永", "曹国永", "name"),
        ("caoguoyong", "曹国永", "pinyin"),
        ("Cáo Guóyǒng", "曹国永", "pinyin"),
        ("cgy", "曹国永", "pinyin"),
        ("新闻中心", "宣传部", "alias"),
        ("国家开放大学2022年工作要点", "国家开放大学2022年工作要点", "title"),
        ("1233", "1233工程", "name"),
    ],
)
def test_search(client: TestClient, q: str, label: str, via: str) -> None:
    hits = get(client, "/search", q=q)["items"]
    assert hits, q
    assert hits[0]["label"] == label and hits[0]["via"] == via, hits[:3]
    assert client.get(hits[0]["href"]).status_code == 200


def test_search_by_kind_and_nothing_found(client: TestClient) -> None:
    units = get(client, "/search", q="宣传", type="unit")["items"]
    assert units and {h["type"] for h in units} == {"unit"}
    assert get(client, "/search", q="zzzz-nothing")["total"] == 0


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/国家开放大学",
        "/units/国家开放大学/宣传部/tasks",
        "/leaders/国家开放大学/曹国永",
        "/tasks/国开发-2022-1号/1",
        "/documents",
        "/programmes/1233工程/parts",
        "/search?q=曹国永",
        "/id/org/国家开放大学/person/曹国永",
    ],
)
def test_json_ld_and_turtle_by_accept(client: TestClient, path: str) -> None:
    graphs = []
    for accept, fmt in (("application/ld+json", "json-ld"), ("text/turtle", "turtle")):
        r = client.get(path, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == accept
        graphs.append(rdflib.Graph().parse(data=r.text, format=fmt))
    assert len(graphs[0]) == len(graphs[1]) > 0
    iris = {str(s) for s in graphs[1].subjects()}
    items = client.get(path).json()
    shown = [items["iri"]] if "iri" in items else [i.get("iri") or i["part"]["iri"] for i in items["items"]]
    assert set(shown) <= iris
    assert client.get(path, headers={"Accept": "image/png"}).status_code == 406


def test_task_turtle_carries_its_provenance(client: TestClient) -> None:
    g = rdflib.Graph().parse(data=client.get("/tasks/国开发-2022-1号/1", headers={"Accept": "text/turtle"}).text)
    quotes = {str(o) for o in g.objects(None, rdflib.URIRef("http://www.w3.org/ns/oa#exact"))}
    assert "（校领导：曹国永。宣传部牵头负责）" in quotes


def test_entity_iris_dereference(client: TestClient) -> None:
    person = get(client, "/id/org/国家开放大学/person/曹国永")
    assert person["iri"] == PERSON and person["label"] == "曹国永" and person["types"] == ["foaf:Person"]
    assert person["href"].startswith("/leaders/") and "okg:supervisedBy" in person["referencedBy"]
    resp = get(client, "/id/doc/国开发-2022-1号/task/1/supervisor/person-曹国永")
    agent = resp["properties"]["prov:agent"][0]
    assert agent["value"] == PERSON and agent["label"] == "曹国永" and client.get(agent["href"]).status_code == 200
    excerpt = get(client, "/id/doc/国开发-2022-1号/span/855-872")
    assert excerpt["properties"]["oa:hasSource"][0]["href"].startswith("/documents/")


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/不存在",
        "/organizations/不存在/units",
        "/units/国家开放大学/不存在",
        "/units/国家开放大学/不存在/tasks",
        "/leaders/国家开放大学/不存在",
        "/leaders/国家开放大学/不存在/tasks",
        "/tasks/国开发-2022-1号/9999",
        "/tasks/国开发-2022-1号/one",
        "/documents/不存在",
        "/documents/不存在/tasks",
        "/programmes/不存在",
        "/programmes/不存在/parts",
        "/programmes/不存在/tasks",
        "/policies/不存在",
        "/policies/不存在/tasks",
        "/id/org/不存在",
        "/id/a b",
        "/nowhere",
    ],
)
def test_unknown_ids_are_404_problems(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json", r.text
    assert r.json()["status"] == 404 and r.json()["title"] == "Not Found"


def test_every_link_of_a_page_resolves(client: TestClient) -> None:
    hrefs: set[str] = set()
    for path in ("/leaders/国家开放大学/曹国永/tasks", "/tasks/国开发-2022-1号/1", "/documents"):
        text = json.dumps(client.get(path).json())
        hrefs |= {v for v in _values(json.loads(text), "href")}
    assert len(hrefs) > 10
    for h in sorted(hrefs):
        assert client.get(h).status_code == 200, h


def _values(node: Any, key: str) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and isinstance(v, str):
                yield v
            else:
                yield from _values(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from _values(v, key)


REPORT = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix okgsh: <https://w3id.org/orgkg/shapes#> .
[] a sh:ValidationReport ; sh:conforms false ;
  sh:result [ a sh:ValidationResult ; sh:focusNode <https://w3id.org/orgkg/id/doc/x/task/1> ;
      sh:resultSeverity sh:Violation ; sh:sourceShape okgsh:TaskHasTitle ;
      sh:resultMessage "任务没有标题。"@zh, "The task has no title."@en ] ,
    [ a sh:ValidationResult ; sh:focusNode <https://w3id.org/orgkg/id/programme/x> ;
      sh:resultSeverity sh:Warning ; sh:sourceShape okgsh:ProgrammeAttested ;
      sh:resultMessage "工程项目既无定义文件也无任何提及。"@zh ] .
"""


def test_validation_report(
    client: TestClient, seed_build: BuildResult, tmp_path_factory: pytest.TempPathFactory
) -> None:
    missing = client.get("/validation")  # the seed store was written without a report
    assert missing.status_code == 404 and "orgkg build" in missing.json()["detail"]
    # The report served is the one kept with the store generation served, not the last one any build wrote.
    store = EmbeddedStore(tmp_path_factory.mktemp("reported") / "store")
    store.replace_graphs(seed_build.graphs, drop_others=True, report=REPORT.encode("utf-8"))
    reports = tmp_path_factory.mktemp("other-reports")
    (reports / "validation.ttl").write_text("[] a <http://www.w3.org/ns/shacl#ValidationReport> .", encoding="utf-8")
    with TestClient(create_app(store, Settings(reports=reports, workers=1))) as own:
        body = get(own, "/validation")
        assert body["conforms"] is False and body["counts"] == {"Violation": 1, "Warning": 1, "Info": 0}
        first = body["results"]["items"][0]
        assert first["severity"] == "Violation" and first["rule"] == "TaskHasTitle"
        assert first["message"] == "任务没有标题。"
        english = get(own, "/validation", lang="en", severity="Violation")
        assert english["results"]["total"] == 1
        assert english["results"]["items"][0]["message"] == "The task has no title."
        turtle = own.get("/validation", headers={"Accept": "text/turtle"})
        assert turtle.headers["content-type"].startswith("text/turtle") and "sh:ValidationReport" in turtle.text


def test_health_and_docs(client: TestClient) -> None:
    health = get(client, "/health")
    assert health["status"] == "ok" and health["quads"] > 10_000 and health["workers"] == 3
    assert health["lanes"] == {"lookup": 1, "public": 2}
    assert client.get("/docs").status_code == 200 and client.get("/openapi.json").status_code == 200


def test_no_graph_built_yet_is_503(tmp_path: Path) -> None:
    with TestClient(create_app(EmbeddedStore(tmp_path / "store"), Settings(workers=1))) as c:
        for path in ("/health", "/organizations", "/sparql?query=ASK%7B%7D", "/queries/leaders"):
            r = c.get(path)
            assert r.status_code == 503 and r.json()["type"].endswith("/store-unavailable"), (path, r.text)
            assert "orgkg build" in r.json()["detail"]

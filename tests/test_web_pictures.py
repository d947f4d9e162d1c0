"""The pictures (/ui/pictures/…): SVG drawn on the server over the seed graph, labelled and linked."""

from __future__ import annotations

import re
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


def picture(client: TestClient, path: str, status: int = 200, **params: str) -> str:
    r = client.get(path, params=params)
    assert r.status_code == status, (path, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    if status == 200:
        assert r.text.count("<svg ") == 1 and "</svg>" in r.text and "<script" not in r.text
    return r.text


def svg_of(html: str) -> str:
    return html[html.index("<svg ") : html.index("</svg>")]


def test_network_links_leaders_tasks_and_units(client: TestClient) -> None:
    html = picture(client, "/ui/pictures/network", organization="国家开放大学", year="2022")
    svg = svg_of(html)
    assert ">曹国永</text>" in svg and ">宣传部</text>" in svg
    assert 'href="/ui/leaders/' in svg and 'href="/ui/tasks/' in svg and 'href="/ui/units/' in svg
    assert svg.count('class="task"') == 39
    assert 'stroke-width="2.6"' in svg and 'stroke-dasharray="4 3"' in svg  # lead and responsible edges
    assert picture(client, "/ui/pictures/network", organization="国家开放大学", year="2022") == html  # same layout
    assert "<b>2022</b>" in html and "year=2020" in html  # the other year is a link


def test_network_as_svg_defaults_to_the_latest_year_and_errors(client: TestClient) -> None:
    r = client.get("/ui/pictures/network", params={"organization": "国家开放大学", "format": "svg"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in r.text and "曹国永" in r.text
    picture(client, "/ui/pictures/network", 404, organization="没有这个组织", year="2022")
    picture(client, "/ui/pictures/network", 404, organization="国家开放大学", year="1999")
    picture(client, "/ui/pictures/network", 400, organization="国家开放大学", year="soon")
    picture(client, "/ui/pictures/network", 400)


def test_compare_has_paired_bars_and_the_changed_tasks(client: TestClient) -> None:
    html = picture(client, "/ui/pictures/compare", organization="国家开放大学", **{"from": "2020", "to": "2022"})
    svg = svg_of(html)
    bars = dict(re.findall(r'data-leader="曹国永" data-year="(\d+)" data-tasks="(\d+)"', svg))
    assert set(bars) == {"2020", "2022"} and all(int(n) > 0 for n in bars.values())
    assert "<title>曹国永 2020: " in svg and "<title>曹国永 2022: " in svg
    assert 'href="/ui/leaders/' in svg
    changes = html[html.index("<tbody>") : html.index("</tbody>")]
    assert changes.count("<tr>") >= 1 and "/ui/tasks/" in changes
    assert "/ui/queries/portfolio-changes?from=2020&amp;to=2022" in html
    picture(client, "/ui/pictures/compare", 404, organization="没有这个组织")
    picture(client, "/ui/pictures/compare", 400, organization="国家开放大学", **{"from": "2022", "to": "2022"})


def test_programme_tree_shows_parts_and_the_tasks_mentioning_them(client: TestClient) -> None:
    html = picture(client, "/ui/pictures/programme", programme="1233工程")
    svg = svg_of(html)
    assert "打造一支队伍" in svg and 'class="part"' in svg and 'class="programme"' in svg
    assert 'href="/ui/programmes/' in svg
    with_tasks = svg_of(picture(client, "/ui/pictures/programme", programme="四个平台"))  # 1233工程: none mention it
    assert with_tasks.count('class="task" href="/ui/tasks/') == 4  # 8 mentions, of 4 (task, part) pairs
    assert ">2022 · 19. 不断提升科研工作活力</text>" in with_tasks
    picture(client, "/ui/pictures/programme", 404, programme="没有这个工程")


def test_pages_link_to_the_pictures(client: TestClient) -> None:
    home = client.get("/").text
    assert "/ui/pictures/network?organization=%E5%9B%BD%E5%AE%B6%E5%BC%80%E6%94%BE%E5%A4%A7%E5%AD%A6" in home
    assert "/ui/pictures/compare?organization=%E5%9B%BD%E5%AE%B6%E5%BC%80%E6%94%BE%E5%A4%A7%E5%AD%A6" in home
    org = client.get("/ui/organizations/国家开放大学").text
    assert 'class="pictures"' in org and "/ui/pictures/network?organization=" in org
    leader = client.get("/ui/leaders/国家开放大学/曹国永").text
    assert "/ui/pictures/compare?organization=" in leader and "from=2020&amp;to=2022" in leader
    programme = client.get("/ui/programmes/1233工程").text
    assert "/ui/pictures/programme?programme=1233" in programme
    for html in (home, org, leader, programme):  # every picture link answers
        for href in re.findall(r'href="(/ui/pictures/[^"]+)"', html):
            assert client.get(href.replace("&amp;", "&")).status_code == 200, href

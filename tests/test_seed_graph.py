"""The seed documents, end to end: every stated (task, leader) and (task, unit) pair comes back, nothing else.

``tests/expected/seed-responsibilities.tsv`` lists every responsibility the five seed documents state
(document, task sequence, role, agent, kind); it was reviewed against the documents by hand. The leader pairs
are also checked against an independent reading of the raw text with plain regular expressions.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

from orgkg.pipeline import BuildResult, build_graphs
from orgkg.stores.embedded import EmbeddedStore
from tests.conftest import DATA, run

EXPECTED = Path(__file__).parent / "expected" / "seed-responsibilities.tsv"
ROLE_LABEL = {
    "SupervisingLeader": "supervising leader",
    "LeadUnit": "lead unit",
    "ResponsibleUnit": "responsible unit",
    "ParticipatingUnit": "participating unit",
}


def _expected() -> list[dict[str, str]]:
    with EXPECTED.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _sequence(task_iri: str | None) -> str:
    assert task_iri is not None
    return task_iri.rsplit("/", 1)[1]


def test_expected_file_covers_every_seed_document() -> None:
    rows = _expected()
    assert len(rows) == 325
    assert len({r["document"] for r in rows}) == 4  # the slides state programmes, not responsibilities


def test_counts(seed_build: BuildResult) -> None:
    tasks = {ctx.doc.header.title: len(ctx.doc.tasks) for ctx in seed_build.resolution.documents}
    assert tasks == {
        "国家开放大学2020年工作要点": 39,
        "国家开放大学2022年工作要点": 39,
        "济南开放大学综合改革工作实施方案": 8,
        "湖北开放大学（湖北科技职业学院）2021年工作要点": 12,
        "国家开放大学“十四五”事业发展规划与高质量发展（宣讲演示文稿）": 0,
    }


LEADERS = sorted({r["agent"] for r in _expected() if r["kind"] == "Person"})
UNITS = sorted({r["agent"] for r in _expected() if r["kind"] != "Person" and r["agent"] != "校领导"})


@pytest.mark.parametrize("leader", LEADERS)
def test_tasks_by_leader_returns_exactly_the_stated_pairs(seed_store: EmbeddedStore, leader: str) -> None:
    expected = {(r["document"], r["sequence"]) for r in _expected() if r["agent"] == leader}
    rows = run(seed_store, "tasks-by-leader", leader=leader)
    got = [(r["documentTitle"], _sequence(r["task"])) for r in rows]
    assert len(got) == len(set(got)), "one row per (task, role)"
    assert set(got) == expected
    assert all(
        r["role"] == "supervising leader" and r["quote"] and leader in re.sub(r"\s", "", r["quote"]) for r in rows
    )


def test_leaders_parametrization_is_complete() -> None:
    assert len(LEADERS) == 10
    assert len(UNITS) == 83


@pytest.mark.parametrize("unit", UNITS)
def test_tasks_by_unit_returns_exactly_the_stated_pairs(seed_store: EmbeddedStore, unit: str) -> None:
    expected = {(r["document"], r["sequence"], ROLE_LABEL[r["role"]]) for r in _expected() if r["agent"] == unit}
    rows = run(seed_store, "tasks-by-unit", unit=unit)
    got = [(r["documentTitle"], _sequence(r["task"]), r["role"]) for r in rows]
    assert len(got) == len(set(got)), "one row per (task, role)"
    assert set(got) == expected
    assert {r["unitLabel"] for r in rows} == {unit}


def _raw_leaders_2020(text: str) -> list[list[str]]:
    """An independent reading: every 分管领导：…。 field, in order, names split on 、."""
    flat = re.sub(r"\s", "", text)
    return [m.split("、") for m in re.findall(r"分管领导：(.+?)。", flat)]


def _raw_leaders_2022(text: str) -> list[list[str]]:
    flat = re.sub(r"\s", "", text)
    tags = re.findall(r"[（(]校领导(.+?)[）)]\n?", flat)
    return [re.findall(r"校领导：([^。]+)。", "校领导" + t) for t in tags]


@pytest.mark.parametrize(
    ("file", "reader", "title"),
    [
        ("ouchn-2020-work-plan.txt", _raw_leaders_2020, "国家开放大学2020年工作要点"),
        ("ouchn-2022-work-plan.md", _raw_leaders_2022, "国家开放大学2022年工作要点"),
    ],
)
def test_leaders_agree_with_an_independent_reading(file: str, reader: object, title: str) -> None:
    text = (DATA / file).read_text(encoding="utf-8")
    raw = reader(text)  # type: ignore[operator]
    assert len(raw) == 39
    expected = {(str(i), name) for i, names in enumerate(raw, start=1) for name in names}
    got = {(r["sequence"], r["agent"]) for r in _expected() if r["document"] == title and r["kind"] == "Person"}
    assert got == expected


def test_same_unit_across_documents_by_its_second_name(seed_store: EmbeddedStore) -> None:
    rows = run(seed_store, "tasks-by-unit", unit="教育部社区教育研究培训中心", organization="国家开放大学")
    units = {r["unit"] for r in rows}
    assert len(units) == 1 and next(iter(units)).endswith("/unit/社会教育部")
    years = {r["year"] for r in rows}
    assert years == {"2020", "2022"}


def test_units_are_scoped_to_their_organization(seed_store: EmbeddedStore) -> None:
    rows = run(seed_store, "tasks-by-unit", unit="宣传部")
    assert {r["organizationLabel"] for r in rows} == {"国家开放大学", "湖北开放大学"}
    assert len({r["unit"] for r in rows}) == 2
    hubei = run(seed_store, "tasks-by-unit", unit="宣传部", organization="湖北科技职业学院")  # an alias of 湖北开放大学
    assert {r["organizationLabel"] for r in hubei} == {"湖北开放大学"}
    assert {r["ordinal"] for r in hubei} == {"1", "11"}


def test_short_name_of_merged_office(seed_store: EmbeddedStore) -> None:
    rows = run(seed_store, "tasks-by-unit", unit="党办校办")
    assert {r["ordinal"] for r in rows} == {"1", "2", "4", "10", "12"}


def test_external_bodies_are_organizations(seed_store: EmbeddedStore) -> None:
    rows = run(seed_store, "tasks-by-unit", unit="市教育局", organization="济南市教育局")
    assert {r["unitLabel"] for r in rows} == {"济南市教育局"}
    assert len(rows) == 6
    assert not run(seed_store, "tasks-by-unit", unit="市教育局", organization="济南开放大学")


def test_one_person_across_years(seed_store: EmbeddedStore) -> None:
    rows = run(seed_store, "tasks-by-leader", leader="曹国永")
    assert {r["year"] for r in rows} == {"2020", "2022"}
    assert len({r["leader"] for r in rows}) == 1
    only_2022 = run(seed_store, "tasks-by-leader", leader="曹国永", year="2022")
    assert [r["ordinal"] for r in only_2022] == ["1", "6"]


def test_policy_variants_are_one_policy(seed_store: EmbeddedStore) -> None:
    plan = run(seed_store, "documents-citing-policy", policy="国家开放大学“十四五”事业发展规划")
    assert {r["year"] for r in plan} == {"2020", "2022"}
    assert len({r["policy"] for r in plan}) == 1
    cadres = run(seed_store, "documents-citing-policy", policy="《国家开放大学干部队伍建设规划（2019—2023年）》")
    assert len({r["policy"] for r in cadres}) == 1 and len({r["document"] for r in cadres}) == 2
    reform = run(seed_store, "documents-citing-policy", policy="国家开放大学综合改革方案")
    assert len({r["document"] for r in reform}) == 3
    assert all("国家开放大学综合改革方案" in re.sub(r"\s", "", str(r["quote"])) for r in reform)


def test_programmes(seed_store: EmbeddedStore) -> None:
    parts = run(seed_store, "programme-parts", programme="1233工程")
    assert sorted(str(r["partLabel"]) for r in parts) == [
        "实施三大战略",
        "建好三个体系",
        "打造一支队伍",
        "提升两种能力",
    ]
    talent = run(seed_store, "programme-parts", programme="高质量人才培养工程")
    assert {r["partLabel"] for r in talent} == {
        "开放教育专业建设计划",
        "职业本科教育（应用技术学院）建设计划",
        "优质学习资源建设应用计划",
    }
    platforms = run(seed_store, "programme-parts", programme="四个平台")
    assert {r["partLabel"] for r in platforms} == {"终身教育平台", "在线教育平台", "灵活教育平台", "对外合作平台"}
    tasks = run(seed_store, "tasks-by-programme", programme="四大平台")
    assert {r["ordinal"] for r in tasks if r["year"] == "2022"} >= {"14"}


def test_build_is_deterministic() -> None:
    a, b = build_graphs([DATA]), build_graphs([DATA])
    assert a.graphs.keys() == b.graphs.keys()
    for graph in a.graphs:  # the same sources give the same quads, in the same order (blank nodes included)
        assert list(map(str, a.graphs[graph])) == list(map(str, b.graphs[graph]))


def test_every_excerpt_quotes_its_source(seed_build: BuildResult) -> None:
    texts = {ctx.iri.value: ctx.doc.source.text for ctx in seed_build.resolution.documents}
    checked = 0
    for quads in seed_build.graphs.values():
        by_subject: dict[str, dict[str, str]] = defaultdict(dict)
        for q in quads:
            by_subject[q.subject.value][q.predicate.value.rsplit("#", 1)[-1]] = q.object.value  # type: ignore[union-attr]
        for node, props in by_subject.items():
            if "exact" in props:
                excerpt = node.split("#")[0]
                source = by_subject[excerpt]["hasSource"]
                pos = by_subject[excerpt.split("#")[0] + "#position"]
                assert texts[source][int(pos["start"]) : int(pos["end"])] == props["exact"]
                checked += 1
    assert checked > 400


def test_posts_with_the_document_that_attests_them(seed_store: EmbeddedStore) -> None:
    q = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX okg: <https://w3id.org/orgkg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?role ?doc ?date WHERE {
      ?m org:member ?p ; org:organization ?o ; org:role/skos:prefLabel ?role ; okg:attestedBy/dcterms:title ?doc .
      OPTIONAL { ?m okg:attestedOn ?date }
      ?p skos:prefLabel "荆德刚"@zh . ?o skos:prefLabel "国家开放大学"@zh }"""
    rows = {(r["role"], r["doc"], r["date"]) for r in seed_store.select(q).values()}
    slides = "国家开放大学“十四五”事业发展规划与高质量发展（宣讲演示文稿）"
    assert rows == {
        ("校领导", "国家开放大学2020年工作要点", "2020-03-26"),
        ("校领导", "国家开放大学2022年工作要点", "2022-03-31"),
        ("党委书记", slides, None),
        ("校长", slides, None),
    }

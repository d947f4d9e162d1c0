"""Resolution rules on small documents written in the family's words: identities across documents."""

from __future__ import annotations

from pathlib import Path

from orgkg.pipeline import build_graphs
from orgkg.resolve import Resolution, Unit


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _resolve(tmp_path: Path, **docs: str) -> Resolution:
    for name, text in docs.items():
        _write(tmp_path, f"{name}.txt", text)
    return build_graphs([tmp_path]).resolution


PLAN_A = """某某开放大学2023年工作要点
一、加强建设
1．推进社区教育
分管领导：张三。
责任部门：社会教育部（社区教育研究中心）、宣传部。
2．落实章程
工作措施：落实《某某开放大学章程》。
分管领导：李四。
责任部门：党委办公室。
"""

PLAN_B = """某某开放大学2024年工作要点
一、深化改革
1.创新社区教育。修订《章程》。
（校领导：张三。社区教育研究中心牵头负责）
"""

OTHER_ORG = """另一开放大学2024年工作要点
一、加强宣传
1.做好宣传工作。修订《章程》。（责任部门：宣传部）
"""

CITY = """某市教育局等3部门
关于印发《某市开放大学改革实施方案》的通知
某市开放大学改革实施方案
一、主要任务
（一）明确定位
建设开放大学。（责任单位：市委编办、市教育局、某市开放大学、各区县有关部门）
"""


def _unit(res: Resolution, org: str, name: str) -> Unit:
    return next(u for u in res.units if u.organization.name == org and name in u.all_names)


def test_second_name_in_a_later_plan_is_the_same_unit(tmp_path: Path) -> None:
    res = _resolve(tmp_path, a=PLAN_A, b=PLAN_B)
    unit = _unit(res, "某某开放大学", "社区教育研究中心")
    assert unit.label == "社会教育部" and unit.aliases == {"社区教育研究中心"}
    assert len([u for u in res.units if "社会教育部" in u.all_names]) == 1


def test_same_person_across_plans_is_one_person(tmp_path: Path) -> None:
    res = _resolve(tmp_path, a=PLAN_A, b=PLAN_B)
    assert [p.name for p in res.persons.values()].count("张三") == 1


def test_units_are_scoped_to_their_organization(tmp_path: Path) -> None:
    res = _resolve(tmp_path, a=PLAN_A, c=OTHER_ORG)
    propaganda = [u for u in res.units if u.label == "宣传部"]
    assert sorted(u.organization.name for u in propaganda) == ["另一开放大学", "某某开放大学"]
    assert len({u.iri for u in propaganda}) == 2


def test_title_without_issuer_joins_the_prefixed_title_of_its_own_organization(tmp_path: Path) -> None:
    res = _resolve(tmp_path, a=PLAN_A, b=PLAN_B, c=OTHER_ORG)
    charters = {p.key: set(p.titles) for p in res.policies.values() if "章程" in p.key}
    # 某某开放大学 cites its charter with and without prefix: one policy; 另一开放大学's 《章程》 stays apart
    assert charters == {"某某开放大学章程": {"某某开放大学章程", "章程"}, "章程": {"章程"}}


def test_government_bodies_are_organizations_named_with_their_city(tmp_path: Path) -> None:
    res = _resolve(tmp_path, d=CITY)
    ctx = res.documents[0]
    agents = [res.agent(ctx.key, r.agent) for t in ctx.doc.tasks for r in t.responsibilities]
    names = [getattr(a, "name", None) or getattr(a, "label", None) for a in agents]
    assert names == ["某市委编办", "某市教育局", "某市开放大学", "各区县有关部门"]
    education = res.organizations["某市教育局"]
    assert education.government and "市教育局" in education.aliases
    assert not res.units, "a government plan names organizations, not units of the university"


# --- bodies across issuers (each government's 市发改委 is its own; one issuer's documents share theirs) ---------


def _gov_plan(issuer: str, year: int, *units: str, number: str = "") -> str:
    lines = [f"{issuer}关于{year}年重点工作责任分解的通知"]
    if number:
        lines.append(number)
    lines.append("一、稳定增长")
    for i, unit in enumerate(units, start=1):
        lines += [f"{i}．推进第{i}项工作。", f"牵头单位：{unit}。"]
    return "\n".join(lines) + "\n"


def _bodies(res: Resolution, file_stem: str) -> dict[str, str]:
    """Name as written → IRI of the agent, for one document."""
    ctx = next(c for c in res.documents if c.doc.source.name == f"{file_stem}.txt")
    out: dict[str, str] = {}
    for t in ctx.doc.tasks:
        for r in t.responsibilities:
            agent = res.agent(ctx.key, r.agent)
            assert agent.iri is not None
            out[r.agent.name] = agent.iri.value.removeprefix("https://w3id.org/orgkg/id/")
    return out


def test_the_same_level_name_in_two_cities_is_two_bodies(tmp_path: Path) -> None:
    res = _resolve(
        tmp_path, a=_gov_plan("滁州市人民政府", 2020, "市发改委"), b=_gov_plan("芜湖市人民政府", 2020, "市发改委")
    )
    assert _bodies(res, "a") == {"市发改委": "org/滁州市发改委"}
    assert _bodies(res, "b") == {"市发改委": "org/芜湖市发改委"}
    assert "市发改委" in res.organizations["滁州市发改委"].aliases  # analysts still find it by the name as written
    assert "市发改委" in res.organizations["芜湖市发改委"].aliases


def test_one_citys_documents_share_its_bodies(tmp_path: Path) -> None:
    res = _resolve(
        tmp_path, a=_gov_plan("滁州市人民政府", 2020, "市发改委"), b=_gov_plan("滁州市人民政府", 2021, "市发改委")
    )
    assert _bodies(res, "a") == _bodies(res, "b") == {"市发改委": "org/滁州市发改委"}
    assert len([o for o in res.organizations.values() if o.name == "滁州市发改委"]) == 1


def test_every_level_is_expanded_with_the_issuers_place(tmp_path: Path) -> None:
    district = _gov_plan("咸宁市咸安区人民政府", 2023, "区发改局", "市生态环境局咸安分局", "城管局", "县财政局")
    county = _gov_plan("海盐县人民政府办公室", 2022, "县财政局", "市场监管局")
    res = _resolve(tmp_path, d=district, c=county)
    assert _bodies(res, "d") == {
        "区发改局": "org/咸安区发改局",
        "市生态环境局咸安分局": "org/咸宁市生态环境局咸安分局",
        "城管局": "org/咸安区城管局",  # no level prefix: the issuer's own body
        "县财政局": "org/doc/咸宁市咸安区人民政府关于2023年重点工作责任分解的通知/县财政局",  # no 县 above 咸安区
    }
    assert _bodies(res, "c") == {"县财政局": "org/海盐县财政局", "市场监管局": "org/海盐县市场监管局"}
    assert res.documents[0].organization.name in {"咸宁市咸安区人民政府", "海盐县人民政府"}


def test_bodies_of_a_national_document_are_national(tmp_path: Path) -> None:
    res = _resolve(tmp_path, n=_gov_plan("国务院", 2018, "人力资源社会保障部", number="国发〔2018〕38号"))
    assert _bodies(res, "n") == {"人力资源社会保障部": "org/人力资源社会保障部"}
    assert res.documents[0].organization.name == "国务院"


def test_bodies_of_an_unnamed_place_stay_in_their_document(tmp_path: Path) -> None:
    a = _gov_plan("县人民政府办公室", 2021, "县发改局", number="嘉政办发〔2021〕5号")
    b = _gov_plan("县人民政府办公室", 2021, "县发改局", number="盐政办发〔2021〕9号")
    res = _resolve(tmp_path, a=a, b=b)
    assert _bodies(res, "a") == {"县发改局": "org/doc/嘉政办发-2021-5号/县发改局"}
    assert _bodies(res, "b") == {"县发改局": "org/doc/盐政办发-2021-9号/县发改局"}
    # the issuer itself (县人民政府, place unnamed) is kept to each document too
    assert {c.organization.iri.value.removeprefix("https://w3id.org/orgkg/id/") for c in res.documents} == {
        "org/doc/嘉政办发-2021-5号/县人民政府",
        "org/doc/盐政办发-2021-9号/县人民政府",
    }


def test_traditional_names_resolve_in_simplified_with_the_original_as_a_label(tmp_path: Path) -> None:
    text = (
        "武政辦〔2022〕23號\n武漢市人民政府辦公廳關(guān)于印發(fā)任務(wù)分工方案的通知\n一、主要指標分工\n"
        "1.單位地區生產(chǎn)總值能源消耗降低。(牽頭單位:市發(fā)改委;責任單位:市經(jīng)信局)\n"
    )
    res = build_graphs([_write(tmp_path, "wuhan.txt", text)]).resolution
    body = next(o for o in res.organizations.values() if o.name.endswith("发改委"))
    assert body.name == "武汉市发改委"
    assert {"市发改委", "市發改委"} <= body.aliases  # as written, in the document's own script, glosses left out

"""Programme definitions and mentions: cuts of the real documents (slide line breaks kept) plus one synthetic
snippet per rule in another layout (half-width punctuation, other counts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgkg.extract.programmes import (
    find_programme_definitions,
    find_programme_mentions,
    parts_by_enumeration,
    programme_key,
)
from orgkg.records import ProgrammeDefinition

DATA = Path(__file__).resolve().parent.parent / "data"
SLIDES = (DATA / "ouchn-14th-five-year-plan-slides.txt").read_text(encoding="utf-8")
JINAN = (DATA / "jinan-ou-reform-implementation-plan-2023.txt").read_text(encoding="utf-8")
WORK_PLAN_2020 = (DATA / "ouchn-2020-work-plan.txt").read_text(encoding="utf-8")
WORK_PLAN_2022 = (DATA / "ouchn-2022-work-plan.md").read_text(encoding="utf-8")

# ---- cuts of the slides (ouchn-14th-five-year-plan-slides.txt), verbatim

GUIDING_SNIPPET = """ 实施“1233工程”（打造一支队伍、提升两种能力、建好三个体系、

实施三大战略）。

 推进“四个转变”（由以量谋大向以质图强转变、由学历补偿向知

识更新转变、由文凭提升向技能提高转变、由重视线上向线上线下

融合转变）。"""

COLUMN_SNIPPET = """专栏4  高水平教师队伍建设工程

01 师德师风建设计划

开展师德师风建设先进单位、师德标兵和师德先进个人评选活动；

开展师德标兵和先进个人宣传活动；开展师德师风主题教育活动等。

02 国开名师培养计划

制定名师培养方案，选拔部分优秀教师到国内外著名高校访学、并

通过科研项目支持、承担主编主讲等方式培养一批国开名师。

03  加强高层次人才引进

引进一批知名专家学者、双师型教师、学科带头人等。

04 教师激励保障计划

完善职称评审制度，落实“破五唯”要求，注重围绕教职工政治表

现、师德师风、工作实绩、科研成果等进行综合评价，逐步建立科

学合理的评价体系。注重在职称评审中向教学一线倾斜。加强校内

人才流动，进一步激发教师队伍活力。"""

TASKS_SNIPPET = """战略选择

01 全面加强党的领导和党的建设

02
健全和完善全国开放教育一体
化体制机制

03 建设高水平教师队伍

04 提升人才培养质量

05 推进智能国开建设

06 强化学科专业建设

07 发展壮大社会教育

08 提质培优老年教育

09 深化产教融合校企合作

10 推动学分银行建设应用

11 提升国际化办学水平

十
一
项
重
大
任
务"""

PLANS_SNIPPET = """战略选择

01 干部队伍建设计划

十
四
个
计
划

02 基层开放大学发展援助计划

03 区域中心建设计划

04 师德师风建设计划

05 国开名师培养计划

06 教师激励保障计划

07 开放教育专业建设计划

08 职业本科教育（应用技术学院）
建设计划

09 优质学习资源建设应用计划

10 重点学科专业建设计划

11 职业教育国家学分银行运行计划

12 海外学习中心建设计划

13 国际交流研修计划

14 国际化人才培养计划



11项重大任务的内在逻辑结构"""

GOALS_SNIPPET = """到2025年底，基本建成中国特色世界一流开放大学，成

为我国终身教育的主要平台、在线教育的主要平台和灵活教育

的平台、对外合作的平台，在服务全民终身学习和建设技能型

社会中发挥不可替代的作用。"""

LOGIC_SNIPPET = """11项重大任务，10个专栏，9大工程，14个计划，从以下“四个方面”促进实

现“四个转变”，推动建成“四大平台”，实现开放大学高质量发展。"""

HEADING_SNIPPET = """贯彻新发展理念

——“十四五”时期事业发展行动指南"""


@pytest.mark.parametrize(
    "snippet",
    [
        GUIDING_SNIPPET,
        COLUMN_SNIPPET,
        TASKS_SNIPPET,
        PLANS_SNIPPET,
        GOALS_SNIPPET,
        LOGIC_SNIPPET,
        HEADING_SNIPPET,
    ],
)
def test_snippets_are_verbatim_cuts_of_the_slides(snippet: str) -> None:
    assert snippet in SLIDES


def _by_name(defs: tuple[ProgrammeDefinition, ...]) -> dict[str, ProgrammeDefinition]:
    return {d.name: d for d in defs}


def _assert_spans(text: str, defs: tuple[ProgrammeDefinition, ...]) -> None:
    for d in defs:
        assert 0 <= d.span.start < d.span.end <= len(text)


# ---- (a) quoted name with a bracketed part list


def test_quoted_names_with_part_lists_from_the_slides() -> None:
    defs = _by_name(find_programme_definitions(GUIDING_SNIPPET))
    assert set(defs) == {"1233工程", "四个转变"}
    d = defs["1233工程"]
    assert d.parts == ("打造一支队伍", "提升两种能力", "建好三个体系", "实施三大战略")
    assert d.category == "工程" and d.ordinal is None
    assert d.span.quote(GUIDING_SNIPPET) == "“1233工程”（打造一支队伍、提升两种能力、建好三个体系、\n\n实施三大战略）"
    t = defs["四个转变"]
    assert t.category == "转变"
    assert t.parts == (
        "由以量谋大向以质图强转变",
        "由学历补偿向知识更新转变",
        "由文凭提升向技能提高转变",
        "由重视线上向线上线下融合转变",
    )
    assert t.span.quote(GUIDING_SNIPPET).startswith("“四个转变”（") and t.span.quote(GUIDING_SNIPPET).endswith(
        "融合转变）"
    )


def test_quoted_names_half_width_quote_before_suffix_and_count_checks() -> None:
    text = (
        '实施"2345"计划(建设一个中心, 打造三支队伍)。'
        "推进“三个提升”（提升质量、提升效率和提升形象）。"
        "落实“两个确保”（确保安全）。"
        "坚持“三个面向”（面向学生、面向社会）。"
        "开展“双一流”（一流大学、一流学科）建设。"
    )
    defs = _by_name(find_programme_definitions(text))
    assert set(defs) == {"2345计划", "三个提升"}  # 两个确保: one part; 三个面向: 2 ≠ 3; 双一流: no count, no suffix
    assert defs["2345计划"].parts == ("建设一个中心", "打造三支队伍")
    assert defs["2345计划"].span.quote(text) == '"2345"计划(建设一个中心, 打造三支队伍)'
    assert defs["三个提升"].parts == ("提升质量", "提升效率", "提升形象")  # "A、B和C"
    assert defs["三个提升"].category == "提升"


# ---- (b) 专栏 blocks


def test_column_block_from_the_slides() -> None:
    (d,) = find_programme_definitions(COLUMN_SNIPPET)
    assert d.name == "高水平教师队伍建设工程"
    assert d.ordinal == 4 and d.category == "工程"
    assert d.parts == ("师德师风建设计划", "国开名师培养计划", "教师激励保障计划")  # 03 加强高层次人才引进 is a measure
    assert d.span.quote(COLUMN_SNIPPET).startswith("专栏4  高水平教师队伍建设工程")
    assert d.span.quote(COLUMN_SNIPPET).endswith("04 教师激励保障计划")


def test_column_block_other_layout() -> None:
    text = """专栏三：人才强校行动
1. 青年英才计划
每年遴选青年教师，给予经费支持，3年为一个周期。
2. 卓越教师（骨干）
培养计划
3. 推进人事制度改革
5. 数字校园工程
专栏四：主要指标
1. 教学名师工程
"""
    defs = find_programme_definitions(text)
    d = _by_name(defs)["人才强校行动"]
    assert d.ordinal == 3 and d.category == "行动"
    # 2 is broken over two lines; 3 is a measure; 5 is not the next number, so no item
    assert d.parts == ("青年英才计划", "卓越教师（骨干）培养计划")
    assert d.span.quote(text).endswith("培养计划")
    # a 专栏 whose name is no programme still gives its programme items, with the category 专栏
    e = _by_name(defs)["主要指标"]
    assert e.ordinal == 4 and e.category == "专栏" and e.parts == ("教学名师工程",)


# ---- (c) numbered collections with a vertical caption


def test_numbered_run_with_caption_after_it() -> None:
    (d,) = find_programme_definitions(TASKS_SNIPPET)
    assert d.name == "十一项重大任务" and d.category == "任务" and len(d.parts) == 11
    assert d.parts[1] == "健全和完善全国开放教育一体化体制机制"  # the number stands alone, the name runs on
    assert d.parts[-1] == "提升国际化办学水平"
    assert d.span.quote(TASKS_SNIPPET).startswith("01 全面加强党的领导")
    assert d.span.quote(TASKS_SNIPPET).endswith("任\n务")


def test_numbered_run_with_caption_in_the_middle_and_no_trailing_join() -> None:
    (d,) = find_programme_definitions(PLANS_SNIPPET)
    assert d.name == "十四个计划" and d.category == "计划" and len(d.parts) == 14
    assert d.parts[7] == "职业本科教育（应用技术学院）建设计划"
    assert d.parts[-1] == "国际化人才培养计划"  # the next slide's title is not joined to the last item
    assert d.span.quote(PLANS_SNIPPET).endswith("14 国际化人才培养计划")


def test_numbered_run_other_layout_caption_before_and_second_collection() -> None:
    text = """三
项
行
动
两
大
工
程

1、智慧校园工程
2
教师发展
支持工程
3、课程思政行动

其他事项
"""
    defs = _by_name(find_programme_definitions(text))
    assert set(defs) == {"三项行动", "两大工程"}
    assert defs["三项行动"].parts == ("智慧校园工程", "教师发展支持工程", "课程思政行动")
    assert defs["三项行动"].category == "行动"
    assert defs["两大工程"].parts == ("智慧校园工程", "教师发展支持工程")
    assert defs["两大工程"].span.quote(text).startswith("三\n项")


def test_numbered_run_whose_length_differs_from_the_caption_is_not_paired() -> None:
    text = "01 甲项目建设\n02 乙项目建设\n十\n个\n专\n栏\n"
    assert find_programme_definitions(text) == ()


# ---- (d) count-matched enumerations


def test_parts_by_enumeration_on_the_slides_snippet() -> None:
    hit = parts_by_enumeration("四大平台", GOALS_SNIPPET)
    assert hit is not None
    parts, span = hit
    assert parts == ("终身教育平台", "在线教育平台", "灵活教育平台", "对外合作平台")
    assert span.quote(GOALS_SNIPPET) == "终身教育的主要平台、在线教育的主要平台和灵活教育\n\n的平台、对外合作的平台"


def test_parts_by_enumeration_across_documents() -> None:
    # 四个平台 is named in the 2022 work plan and enumerated in the 济南 plan
    hit = parts_by_enumeration("“四个平台”", JINAN)
    assert hit is not None
    assert hit[0] == ("终身教育平台", "在线教育平台", "灵活教育平台", "对外合作平台")
    assert hit[1].quote(JINAN) == "终身教育、在线教育、灵活教育、对外合作的平台"
    assert parts_by_enumeration("四个平台", WORK_PLAN_2022) is None


def test_parts_by_enumeration_other_layout() -> None:
    text = "学校将建成区域教学的示范中心、科研和社会服务的中心, 形成特色."
    hit = parts_by_enumeration("3个中心", text)
    assert hit is not None
    assert hit[0] == ("区域教学中心", "科研中心", "社会服务中心")
    assert hit[1].quote(text) == "区域教学的示范中心、科研和社会服务的中心"
    assert parts_by_enumeration("两个中心", text) is None  # the count must match
    assert parts_by_enumeration("中心", text) is None  # no count, no collection


def test_quoted_counted_name_gets_its_enumeration() -> None:
    text = GOALS_SNIPPET + "\n\n" + LOGIC_SNIPPET
    defs = _by_name(find_programme_definitions(text))
    assert defs["四大平台"].parts == ("终身教育平台", "在线教育平台", "灵活教育平台", "对外合作平台")
    assert defs["四大平台"].category == "平台"
    assert "四个方面" not in defs and "四个转变" not in defs  # quoted, but nothing enumerates them here


# ---- (e) an enumeration closed by its own count (2022 work plan)


def test_enumeration_closed_by_count_from_the_2022_work_plan() -> None:
    snippet = (
        "实施终身教育数字资源供给模式创新计划、数字基座筑牢计划、智能评价体系构建计划、"
        "终身教育“智慧大脑”建设计划等四大计划。"
    )
    assert snippet in WORK_PLAN_2022
    (d,) = find_programme_definitions(snippet)
    assert d.name == "四大计划" and d.category == "计划"
    assert d.parts == (
        "终身教育数字资源供给模式创新计划",
        "数字基座筑牢计划",
        "智能评价体系构建计划",
        "终身教育智慧大脑建设计划",
    )
    assert d.span.quote(snippet).startswith("终身教育数字") and d.span.quote(snippet).endswith("四大计划")
    assert find_programme_definitions("实施甲计划、乙计划等三大计划。") == ()  # 2 ≠ 3


# ---- the whole deck


@pytest.fixture(scope="module")
def slide_definitions() -> tuple[ProgrammeDefinition, ...]:
    return find_programme_definitions(SLIDES)


def test_whole_slides(slide_definitions: tuple[ProgrammeDefinition, ...]) -> None:
    _assert_spans(SLIDES, slide_definitions)
    defs = _by_name(slide_definitions)
    assert len(defs["1233工程"].parts) == 4
    assert len(defs["四个转变"].parts) == 4
    assert len(defs["十一项重大任务"].parts) == 11
    assert len(defs["十四个计划"].parts) == 14
    assert len(defs["十个专栏"].parts) == 10
    assert len(defs["九大工程"].parts) == 9
    assert defs["四大平台"].parts == ("终身教育平台", "在线教育平台", "灵活教育平台", "对外合作平台")


def test_whole_slides_columns(slide_definitions: tuple[ProgrammeDefinition, ...]) -> None:
    columns = [d for d in slide_definitions if d.ordinal is not None]
    assert len(columns) == 9
    assert all(d.category == "工程" for d in columns)
    assert sorted(d.ordinal for d in columns if d.ordinal is not None) == list(range(2, 11))
    plans = [p for d in columns for p in d.parts]
    assert len(plans) == 14 == len(set(plans))
    owner = {p: d.name for d in columns for p in d.parts}
    assert owner["海外学习中心建设计划"] == "国际化能力提升工程"
    assert owner["干部队伍建设计划"] == "干部队伍能力提升工程"
    assert owner["师德师风建设计划"] == "高水平教师队伍建设工程"
    assert owner["职业本科教育（应用技术学院）建设计划"] == "高质量人才培养工程"
    # the 14 计划 of the 专栏 are the 14 of the caption slide, and the 9 工程 those of 九大工程
    assert set(plans) == set(_by_name(slide_definitions)["十四个计划"].parts)
    assert {d.name for d in columns} == set(_by_name(slide_definitions)["九大工程"].parts)
    for d in columns:
        assert d.span.quote(SLIDES).startswith(f"专栏{d.ordinal}")


def test_parts_by_enumeration_on_the_whole_slides() -> None:
    hit = parts_by_enumeration("四个平台", SLIDES)
    assert hit is not None
    assert hit[0] == ("终身教育平台", "在线教育平台", "灵活教育平台", "对外合作平台")


# ---- mentions


def test_mentions_from_the_slides_snippets() -> None:
    text = GUIDING_SNIPPET + "\n\n" + LOGIC_SNIPPET
    mentions = find_programme_mentions(text, known=["四个转变", "四个平台"])
    assert [m.name for m in mentions] == ["1233工程", "四个转变", "四个转变", "四大平台"]
    assert [m.span.quote(text) for m in mentions] == ["“1233工程”", "“四个转变”", "“四个转变”", "“四大平台”"]


def test_mentions_quote_closing_before_suffix_from_the_2020_work_plan() -> None:
    snippet = "系为主线，以实施“1233”工程为重点，守正创新，攻坚克难，全面"
    assert snippet in WORK_PLAN_2020
    (m,) = find_programme_mentions(snippet)
    assert m.name == "1233工程" and m.span.quote(snippet) == "“1233”工程"
    (k,) = find_programme_mentions(snippet, known=["1233工程"])  # the quoted and the known match are one
    assert k.span.quote(snippet) == "“1233”工程"


def test_mentions_keep_the_organization_and_skip_headings() -> None:
    snippet = "实施“国家开放大学海外学习中心建设计划”"
    assert snippet in WORK_PLAN_2022
    mentions = find_programme_mentions(snippet, known=["海外学习中心建设计划"])
    assert [m.name for m in mentions] == ["国家开放大学海外学习中心建设计划"]  # no overlapping duplicate
    # “十四五”时期事业发展行动指南 is a heading, not a 行动
    assert find_programme_mentions(HEADING_SNIPPET) == ()


def test_mentions_other_layout_range_and_count_forms() -> None:
    text = '推进"数字校园工程"建设，落实3项改革和三大改革任务。实施"强基"计划。另有"绿色校园工程"'
    end = text.index("另有")
    mentions = find_programme_mentions(text, 0, end, known=["三个改革"])
    assert [m.name for m in mentions] == ["数字校园工程", "3项改革", "三大改革", "强基计划"]
    assert [m.span.quote(text) for m in mentions][-1] == '"强基"计划'
    start = text.index("落实")
    assert [m.name for m in find_programme_mentions(text, start, end)] == ["强基计划"]
    for m in mentions:
        assert 0 <= m.span.start < m.span.end <= end


def test_mentions_of_known_names_across_line_breaks() -> None:
    text = "推动建成国家开放大学“四个平\n台”，实施职业教育国家学分银行\n\n运行计划"
    mentions = find_programme_mentions(text, known=["四大平台", "职业教育国家学分银行运行计划"])
    assert [m.name for m in mentions] == ["四个平台", "职业教育国家学分银行运行计划"]
    assert mentions[0].span.quote(text) == "“四个平\n台”"


def test_programme_key() -> None:
    assert programme_key("四大平台") == programme_key("“四个平台”") == programme_key("4项平台")
    assert programme_key("“1233”工程") == programme_key("1233工程")
    assert programme_key("11项重大任务") == programme_key("十一项重大任务")
    assert programme_key("四个平台") != programme_key("三个平台")
    assert programme_key("统一大市场") != programme_key("统一个市场")

"""Extraction per layout: short cuts of the real documents, and the family's other layouts.

Each case states the (role, kind, name) triples a reader of the snippet finds; the test fails on anything
missing or extra, and checks that every responsibility's span quotes the source text it came from.
"""

from __future__ import annotations

import pytest

from orgkg.extract.tables import extract_table_tasks
from orgkg.extract.tasks import extract_tasks
from orgkg.records import Task
from orgkg.segment import segment

# 国家开放大学2020年工作要点 (PDF text): 分管领导/责任部门 field lines, blank lines between lines
OUC_2020_FIELDS = (
    "十、加强内部管理与机制创新 \n"
    "\n"
    "35．改革人事制度 \n"
    "\n"
    "问题描述：用人制度不够灵活，人力资源潜力尚未得到充分释\n"
    "\n"
    "放。 \n"
    "\n"
    "目标任务：改革人事制度，强化激励机制，调动教职工干事创\n"
    "\n"
    "业积极性。 \n"
    "\n"
    "工作措施：改革人事管理、用人制度，消除教学部门和管理部\n"
    "\n"
    "门、部门与企业之间、学校与校外的干部交流的制度壁垒，调动每\n"
    "\n"
    "位员工的积极性和创造性。出台《国家开放大学绩效考核办法》，充\n"
    "\n"
    "分发挥绩效考核的激励作用。扎实做好“司长风采项目”和“处长奋进\n"
    " 纪实档案”两个专项，注重实施效果。研究制定内部机构设置和职能\n"
    "\n"
    "调整方案,对处级干部进行适当调整充实。 \n"
    "\n"
    "分管领导：曹国永。 \n"
    "\n"
    "责任部门：人事部（人才交流中心）、各部门。"
)

# the same plan: a 责任部门 list broken across lines inside a name (各校\n办企业)
OUC_2020_BROKEN = (
    "38．提升国有资产配置和使用效益 \n"
    "\n"
    "问题描述：国有资产管理理念和手段有待更新，国有资本投资\n"
    "\n"
    "效益有待提高，校办企业管理体制有待进一步优化。 \n"
    "\n"
    "目标任务：建立健全国有资产管理制度，激发企业内生动力，\n"
    "\n"
    "提升校办企业盈利能力。 \n"
    "\n"
    "工作措施：研究出台资产管理规章制度，优化资产管理体制。\n"
    "\n"
    "完成资产管理软件系统更新升级，加强国有资产动态监管。全面梳\n"
    "\n"
    "理学校无形资产，加强无形资产保护。加强经营性国有资产监督管\n"
    "\n"
    "理。制订“十四五”校办企业发展规划，鼓励和支持校办企业围绕学\n"
    "\n"
    "校事业发展全局服务教育教学改革。平稳推进校办企业统一集中监\n"
    "\n"
    "管改革。加强校办企业班子建设，进一步完善治理结构。加强校办\n"
    "\n"
    "企业经营业绩考核，制订校办企业负责人薪酬、履职待遇管理办法、\n"
    "\n"
    "完善企业负责人激励机制。有序推进电大在线资产重组。 \n"
    "\n"
    "分管领导：鞠传进。 \n"
    "\n"
    "责任部门：资产管理部（国资委办公室）、资产管理公司、各校\n"
    "\n"
    "办企业。 \n"
    "\n"
    "39．提升后勤管理与服务保障水平 \n"
    " 问题描述：后勤管理与服务信息化水平有待提升，对学校教学\n"
    "\n"
    "和管理工作提供服务的能力和水平有待加强。 \n"
    "\n"
    "目标任务：挖掘后勤保卫工作潜力，提升保障服务水平。 \n"
    "\n"
    "工作措施：总结防控新冠肺炎工作中后勤保卫工作的成绩与经\n"
    "\n"
    "验，探索新形势下做好后勤保卫工作的新机制和新模式。加强信息\n"
    "\n"
    "化建设，以信息化提升后勤保卫工作的能力和水平。完成学校自管\n"
    "\n"
    "房老旧小区装修、复兴门校区和魏公村校区办公用房以及部分基础\n"
    "\n"
    "设施的改造建设。做好各校区的消防人防、综治管理和物业服务。 \n"
    "\n"
    "分管领导：杨孝堂。 \n"
    "\n"
    "责任部门：后勤保卫部。"
)

# 国家开放大学2022年工作要点 (markdown): （校领导：X。Y牵头负责…） with two pairs and a scope
OUC_2022_TWO_PAIRS = (
    "## 二、切实提高教育教学质量\n"
    "\n"
    "6.深化思想政治教育改革。深化“三全育人”综合改革。全面贯彻党的教育方针，持续推动习近平新时代中国特色社会主义思想进教材、进课堂、进头脑。推进“互联网+”思政课程一体化建设，加快“四史”思政课程学习资源建设，建设学生\n"
    "\n"
    "喜欢、终生受益、体现在线教育特点的思政课程。制定印发《国家开放大学关于推进课程思政建设的若干意见》。开展课程思政示范课评选，通过示范引领推进课程思政建设。加强马克思主义学院建设，进一步明确学院职能和人员配置。筹建党务工作专业，推进办学体系马克思主义学院建设。\n"
    "\n"
    "（校领导：曹国永。马克思主义学院牵头负责）\n"
    "\n"
    "7.促进学历教育创优提质。调整招生结构，优化本专科学历教育专业，提升本科专业占比。稳定招生规模，总招生数保持在160万人左右。制定印发《教学改革方案》《重点专业建设管理办法》。深入推进“三教”改革和考核评价方式改革。优化线上线下相融合的教学模式，严格落实教学过程。依托“一网一平台”提高办学管理的智能化水平。完善教学管理制度流程，提升管理水平。与国内外高校、科研院所、行业部委合作，探索开展研究生教育。深化产教融合校企合作，高起点、高标准筹备应用型本科教育。加强对合作办学机构的审查，规范办学，提升质量。加强对行业学院的管理和指导，引导行业学院健康稳定发展。\n"
    "\n"
    "（校领导：李松。教务部牵头负责教学改革事项和研究生教育工作；校领导：鞠传进。应用型本科教育筹备工作组牵头负责应用型本科教育筹备工作）"
)

# the same plan: A/B joint leads, 校领导按分工, 各部门分工负责
OUC_2022_JOINT = (
    "## 十、做好组织实施与督查督办\n"
    "\n"
    "36.加强组织领导。学校党委定期集中听取各部门工作进展汇报并研究存在的问题及推进举措，加强要点任务的组织领导、统筹协调和人财物条件保障，确保各项目标任务落地实施、取得实效。学校党委完善督查督办机制，强化督查督办职能。各项任务进展情况和成效定期公开，并作为考核奖励等的重要依据。\n"
    "\n"
    "（校领导：荆德刚。党委办公室/校长办公室牵头负责）\n"
    "\n"
    "37.强化协同配合。完善学校跨部门工作协调机制。要点任务牵头部门要协调相关的协办部门、参与部门立足大局，协同配合，形成合力，做好任务的落实实施。各部门要深入实际、深入基层、深入群众，及时推动解决实际困难和问题，根据形势变化调整完善方法措施。\n"
    "\n"
    "（校领导：刘臣。党委办公室/校长办公室牵头负责）\n"
    "\n"
    "38.细化责任分工。各牵头部门统筹协调各相关部门制定贯彻落实工作要点实施方案，对照分工细化任务清单、层层压实责任，明确各项任务完成的时间表、路线图、责任人、成果形式和工作方式，确保各项任务有措施、有预算、可量化、能落实。各部门会商改革发展和党政办公室/校长办公室后，将实施方案报学校，经校长办公会集中研究、修订，党委会审议通过，汇总公布。\n"
    "\n"
    "（校领导按分工牵头推进，各部门分工负责）\n"
    "\n"
    "39.抓好督查督办。各部门要增强责任感和紧迫感，主动担当、积极作为，狠抓工作落实，做好主责主业的日常跟踪督办，并围绕本部门的业务职责主动联系、指导和服务地方开放大学，推动工作要点在各地各校得到有效实施。建立督查总台账，定期不定期开展对账督办和专项督查，切实推动各项工作落地见效。\n"
    "\n"
    "（校领导按分工牵头推进，党委办公室/校长办公室牵头负责）"
)

# 济南开放大学综合改革工作实施方案: （责任单位：…） naming external bodies
JINAN_UNITS = (
    "二、主要任务\n"
    "（一）明确性质定位\n"
    "\n"
    "济南开放大学由济南市人民政府主办、济南市教育局主管，在济南幼儿师范高等专科学校远程教育系加挂济南开放大学牌子，由济南幼儿师范高等专科学校校级领导担任校长。学校以促进终身学习为使命，以“互联网+终身教育”为特征，以现代信息技术为支撑，以体系办学为载体，开展学历和非学历教育。济南开放大学统筹全市开放大学体系建设，指导和管理全市开放大学办学业务，实施开放教育业务，结合我市实际开展社区教育、老年教育等各类社会教育和技能培训，服务全市全民终身学习。（责任单位：市委编办、市教育局、济南开放大学）\n"
    "\n"
    "（二）完善办学体系\n"
    "\n"
    "济南开放大学办学体系由市、区县开放大学组成，实行一体化办学。围绕乡村振兴，产业发展，积极打造全民终身学习品牌，努力建设以市开放大学为龙头，区县开放大学为骨干，覆盖全市的开放大学体系。区县开放大学建设，由区县教体局牵头，各区县有关部门会同济南开放大学，根据各地办学实际，利用或整合现有广播电视大学分校、部分职业教育和社区教育资源，设立区县开放大学，根据需要在乡镇、社区、社会机构等设立学习中心。各区县开放大学接受本级教育行政主管部门管理，业务上接受济南开放大学的指导和管理。区县开放大学和设立的学习中心可以充分发挥省会城市高校资源优势，主动与驻地高校联系，引进高校优良的教师资源和优秀的课程资源为我所用，进一步拓展优化办学体系。（责任单位：市教育局、济南开放大学、各区县有关部门）"
)

# 湖北开放大学2021年工作要点: **bold** tags, half-width brackets, 各单位、部门
HUBEI_BOLD = (
    "五、做好招生就业工作。开放教育年招生和其他成人教育招生规模稳中有升。高职教育录取分数线位次前移。毕业生年终就业率保持全省同类院校先进水平。谋划并启动校友会工作。**（责任部门：教务处、招就处、校友办、开放教育学院、各学院）**\n"
    "\n"
    "六、进一步加强队伍建设。推进职称制度改革。优化专业技术岗位设置、聘任等管理办法。启动教学名师、学科带头人、青年教师、管理骨干培养计划。加快实施干部选拔培养工作，培育忠诚、干净、担当的干部队伍。加强各类人员的管理与考核，落实师德第一标准，推进科学评价。**（责任部门：组织部、人事处，各单位、部门）**\n"
    "\n"
    "七、深化国际交流与合作。推进对外学术交流和骨干教师海外研修计划。组织实施好中外合作办学项目。推进海外产业学院、“鲁班工坊”建设。做好来华游学、文化体验生、来华讲学专家学者的接收工作。(责任部门：外事处，各单位、部门)"
)

# the same plan: a name broken across lines (社区教育\n\n学院)
HUBEI_BROKEN = (
    "二、强化开放大学基础建设。推动湖北开放大学综合改革方案出台、实施。推动市县电大更名，完善办学体系。开展自有专业调研论证，制订可行性计划并开展建设。推动实施开放教育教学质量评估工作，促进远程学历教育创优提质。推进社区教育规范化，培育社区教育品牌。推动实施湖北养老教育服务园区项目。加强终身教育研究。推动学分银行落地。建立健全开放教育费用收缴机制。（责任部门：党办校办、教务处、导学中心、社区教育\n"
    "\n"
    "学院、湖北终身教育研究院、开放教育学院、财务处、纪委监察专员办综合室)"
)


def _tasks(text: str) -> tuple[Task, ...]:
    _sections, tasks = extract_tasks(text, segment(text))
    return tasks


def _triples(task: Task) -> list[tuple[str, str, str]]:
    return [(r.role.value, r.agent.kind.value, r.agent.name) for r in task.responsibilities]


def _assert_spans_quote_source(text: str, tasks: tuple[Task, ...]) -> None:
    for t in tasks:
        assert t.span.quote(text).strip().startswith(t.label.strip())
        for r in t.responsibilities:
            quoted = r.span.quote(text)
            assert "".join(r.agent.name.split()) in "".join(quoted.split()).replace("（", "(").replace("）", ")") or (
                r.agent.name.startswith("各")  # 各单位、部门 → 各部门: the 各 is inherited
            ), (r.agent.name, quoted)


def test_2020_field_lines() -> None:
    tasks = _tasks(OUC_2020_FIELDS)
    assert [(t.ordinal, t.title) for t in tasks] == [(35, "改革人事制度")]
    assert tasks[0].section is not None and tasks[0].section.title == "加强内部管理与机制创新"
    assert _triples(tasks[0]) == [
        ("supervisor", "person", "曹国永"),
        ("responsible", "unit", "人事部"),
        ("responsible", "collective", "各部门"),
    ]
    assert tasks[0].responsibilities[1].agent.aliases == ("人才交流中心",)
    assert tasks[0].responsibilities[0].span.quote(OUC_2020_FIELDS) == "分管领导：曹国永。"
    _assert_spans_quote_source(OUC_2020_FIELDS, tasks)


def test_2020_names_broken_across_lines() -> None:
    tasks = _tasks(OUC_2020_BROKEN)
    assert [t.ordinal for t in tasks] == [38, 39]
    assert _triples(tasks[0]) == [
        ("supervisor", "person", "鞠传进"),
        ("responsible", "unit", "资产管理部"),
        ("responsible", "unit", "资产管理公司"),
        ("responsible", "collective", "各校办企业"),
    ]
    assert tasks[0].responsibilities[1].agent.aliases == ("国资委办公室",)
    assert _triples(tasks[1]) == [("supervisor", "person", "杨孝堂"), ("responsible", "unit", "后勤保卫部")]
    _assert_spans_quote_source(OUC_2020_BROKEN, tasks)


def test_2022_two_pairs_with_scope() -> None:
    tasks = _tasks(OUC_2022_TWO_PAIRS)
    task7 = next(t for t in tasks if t.ordinal == 7)
    assert task7.title == "促进学历教育创优提质"
    assert _triples(task7) == [
        ("supervisor", "person", "李松"),
        ("lead", "unit", "教务部"),
        ("supervisor", "person", "鞠传进"),
        ("lead", "unit", "应用型本科教育筹备工作组"),
    ]
    assert [r.scope for r in task7.responsibilities if r.role.value == "lead"] == [
        "教学改革事项和研究生教育工作",
        "应用型本科教育筹备工作",
    ]
    assert [t.ordinal for t in tasks] == [6, 7]
    _assert_spans_quote_source(OUC_2022_TWO_PAIRS, tasks)


def test_2022_joint_leads_and_leaders_by_division() -> None:
    tasks = {t.ordinal: t for t in _tasks(OUC_2022_JOINT)}
    assert sorted(tasks) == [36, 37, 38, 39]
    assert _triples(tasks[36]) == [
        ("supervisor", "person", "荆德刚"),
        ("lead", "unit", "党委办公室"),
        ("lead", "unit", "校长办公室"),
    ]
    assert _triples(tasks[38]) == [("supervisor", "collective", "校领导"), ("responsible", "collective", "各部门")]
    assert _triples(tasks[39]) == [
        ("supervisor", "collective", "校领导"),
        ("lead", "unit", "党委办公室"),
        ("lead", "unit", "校长办公室"),
    ]


def test_jinan_responsible_bodies() -> None:
    tasks = _tasks(JINAN_UNITS)
    assert [(t.label, t.title) for t in tasks] == [("（一）", "明确性质定位"), ("（二）", "完善办学体系")]
    assert _triples(tasks[0]) == [
        ("responsible", "unit", "市委编办"),
        ("responsible", "unit", "市教育局"),
        ("responsible", "unit", "济南开放大学"),
    ]
    assert _triples(tasks[1])[-1] == ("responsible", "collective", "各区县有关部门")
    _assert_spans_quote_source(JINAN_UNITS, tasks)


def test_hubei_bold_and_half_width_tags() -> None:
    tasks = _tasks(HUBEI_BOLD)
    assert [t.title for t in tasks] == ["做好招生就业工作", "进一步加强队伍建设", "深化国际交流与合作"]
    assert _triples(tasks[1]) == [
        ("responsible", "unit", "组织部"),
        ("responsible", "unit", "人事处"),
        ("responsible", "collective", "各单位"),
        ("responsible", "collective", "各部门"),
    ]
    assert _triples(tasks[2]) == [
        ("responsible", "unit", "外事处"),
        ("responsible", "collective", "各单位"),
        ("responsible", "collective", "各部门"),
    ]


def test_hubei_name_broken_across_lines() -> None:
    tasks = _tasks(HUBEI_BROKEN)
    names = [r.agent.name for r in tasks[0].responsibilities]
    assert "社区教育学院" in names and "社区教育" not in names and "学院" not in names
    assert len(names) == 8


# Layouts of the family that the seeds do not show (seeds README): synthetic, in the documents' own words.
FIELD_LINES_NO_STOP = """一、加强党的建设
1. 落实全面从严治党主体责任。
牵头单位：党委办公室
责任单位：组织部、纪委办公室
2. 推进干部队伍建设
牵头单位:组织部
配合单位:人事处,各院系
"""

SECTION_TAGS = """三、做好后勤保障
（一）加强食堂管理。严格食品安全。（责任科室：膳食科、采购科）
（二）推进节能改造。（责任科室：能源科）
"""

HALF_WIDTH_AND_SPACES = """1.推进智慧校园建设(分管领导:张 三;责任部门:信息 中心、教务处)
2.完善内部治理(分管领导:李四、王五;牵头单位:党政办公室/校长办公室)
"""

PAGE_NUMBERS = """1．加强制度建设
工作措施：修订章程，完善制度

- 3 -

体系。
分管领导：张三。
责任部门：党委办公室、校长办
公室。
2．推进改革
分管领导：李四。
责任部门：改革发展处。
"""

TABLE = """| 序号 | 重点任务 | 分管领导 | 牵头单位 | 责任单位 |
|---|---|---|---|---|
| 1 | 加强党的建设。落实主体责任。 | 张三 | 党委办公室 | 组织部、宣传部（新闻中心） |
| 二 | 推进数字化转型 | 李四、王五 | 信息中心 | 各部门 |
"""

TAB_TABLE = "序号\t工作任务\t分管校领导\t牵头部门\t配合部门\n1\t加强学科建设\t张三\t科研处\t各学院\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            FIELD_LINES_NO_STOP,
            {
                1: [
                    ("lead", "unit", "党委办公室"),
                    ("responsible", "unit", "组织部"),
                    ("responsible", "unit", "纪委办公室"),
                ],
                2: [
                    ("lead", "unit", "组织部"),
                    ("participant", "unit", "人事处"),
                    ("participant", "collective", "各院系"),
                ],
            },
        ),
        (
            SECTION_TAGS,
            {
                1: [("responsible", "unit", "膳食科"), ("responsible", "unit", "采购科")],
                2: [("responsible", "unit", "能源科")],
            },
        ),
        (
            HALF_WIDTH_AND_SPACES,
            {
                1: [
                    ("supervisor", "person", "张三"),
                    ("responsible", "unit", "信息中心"),
                    ("responsible", "unit", "教务处"),
                ],
                2: [
                    ("supervisor", "person", "李四"),
                    ("supervisor", "person", "王五"),
                    ("lead", "unit", "党政办公室"),
                    ("lead", "unit", "校长办公室"),
                ],
            },
        ),
        (
            PAGE_NUMBERS,
            {
                1: [
                    ("supervisor", "person", "张三"),
                    ("responsible", "unit", "党委办公室"),
                    ("responsible", "unit", "校长办公室"),
                ],
                2: [("supervisor", "person", "李四"), ("responsible", "unit", "改革发展处")],
            },
        ),
    ],
    ids=["field-lines-without-stops", "section-tags", "half-width-and-spaces", "page-numbers"],
)
def test_family_layouts(text: str, expected: dict[int, list[tuple[str, str, str]]]) -> None:
    tasks = _tasks(text)
    assert {t.ordinal: _triples(t) for t in tasks} == expected


def test_family_layout_tables() -> None:
    tasks = extract_table_tasks(TABLE)
    assert [(t.ordinal, t.title) for t in tasks] == [(1, "加强党的建设"), (2, "推进数字化转型")]
    assert _triples(tasks[0]) == [
        ("supervisor", "person", "张三"),
        ("lead", "unit", "党委办公室"),
        ("responsible", "unit", "组织部"),
        ("responsible", "unit", "宣传部"),
    ]
    assert tasks[0].responsibilities[0].span.quote(TABLE) == "张三"
    assert _triples(tasks[1])[-1] == ("responsible", "collective", "各部门")
    tab = extract_table_tasks(TAB_TABLE)
    assert [_triples(t) for t in tab] == [
        [("supervisor", "person", "张三"), ("lead", "unit", "科研处"), ("participant", "collective", "各学院")]
    ]


def test_numbered_phrase_inside_a_paragraph_is_not_a_heading() -> None:
    text = "1．加强建设\n工作措施：完成以下工作\n3.5万人次培训，\n5．其他\n分管领导：张三。\n责任部门：教务处。\n"
    tasks = _tasks(text)
    assert [t.ordinal for t in tasks] == [1]
    assert _triples(tasks[0])[0] == ("supervisor", "person", "张三")

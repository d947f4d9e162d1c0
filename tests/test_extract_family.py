"""The family's layouts of responsibility (../shared/corpus/README.md § Layouts), each on a short real cut.

Every case is a few lines copied from a real document of the family (the file is named in the case id) or, where
marked, a variant the family uses that the cut reproduces in the family's words; the expectation is what the
document says: (task number, role, name) for every named unit and leader, collectives as ``*name``.
"""

from __future__ import annotations

import pytest

from orgkg.extract.tasks import extract_tasks
from orgkg.records import MentionKind
from orgkg.segment import segment

CASES: dict[str, tuple[str, set[tuple[int, str, str]]]] = {
    "guofa38-tag-one-role-with-scope": (
        "一、营造优良投资环境\n"
        "（一）借鉴北京市服务业扩大开放综合试点经验，放宽人才中介机构限制。（负责部门：人力资源社会保障部、住房城乡建设部、"
        "商务部；适用范围：所有自贸试验区）\n"
        "（二）编制下达全国土地利用计划时，考虑自贸试验区的实际情况。（负责部门：自然资源部）\n",
        {
            (1, "responsible", "人力资源社会保障部"),
            (1, "responsible", "住房城乡建设部"),
            (1, "responsible", "商务部"),
            (2, "responsible", "自然资源部"),
        },
    ),
    "xianan-tag-leader-lead-units": (
        "  一、2023年全区经济社会发展主要预期目标\n\n"
        "  6.一般公共预算收入增长12%以上。(责任领导:杜新国;牵头单位:区财政局、区税务局)\n\n"
        "  7.城乡居民收入增长与经济增长基本同步。(责任领导:杜新国、丁玲;牵头单位:区发改局、区农业农村局)\n",
        {
            (6, "supervisor", "杜新国"),
            (6, "lead", "区财政局"),
            (6, "lead", "区税务局"),
            (7, "supervisor", "杜新国"),
            (7, "supervisor", "丁玲"),
            (7, "lead", "区发改局"),
            (7, "lead", "区农业农村局"),
        },
    ),
    "jiayu-square-brackets-alias-and-semicolon": (
        "一、2021年经济社会发展主要目标\n"
        "(一)地区生产总值增长11%。[牵头单位:县发改局(粮食局);责任单位:各镇人民政府,嘉鱼经济开发区]\n"
        "(二)地方公共预算收入增长32%。(牵头单位:县财政局;责任单位:县税务局,各镇人民政府,嘉鱼经济开发区)\n",
        {
            (1, "lead", "县发改局"),
            (1, "responsible", "*各镇人民政府"),
            (1, "responsible", "嘉鱼经济开发区"),
            (2, "lead", "县财政局"),
            (2, "responsible", "县税务局"),
            (2, "responsible", "*各镇人民政府"),
            (2, "responsible", "嘉鱼经济开发区"),
        },
    ),
    "fangxian-roles-separated-by-comma": (
        "一、更大力度降低制度性交易成本\n"
        "(二)推行政务服务承诺制。全面推行证明事项告知承诺制。(牵头单位:县行政审批局、县市场监管局、县发改局,"
        "责任单位:县直各有关单位,各乡镇人民政府)\n",
        {
            (2, "lead", "县行政审批局"),
            (2, "lead", "县市场监管局"),
            (2, "lead", "县发改局"),
            (2, "responsible", "*县直各有关单位"),
            (2, "responsible", "*各乡镇人民政府"),
        },
    ),
    "guobanfa128-role-verbs-several-tags": (
        "二、主要任务\n"
        "（一）强化顶层设计引领，发挥政府宏观指导作用。建立“无废城市”建设指标体系。（生态环境部牵头，国家发展改革委、"
        "国家统计局参与）优化固体废物管理体制机制。（市场监管总局、工业和信息化部负责）\n"
        "（二）推行农业绿色生产。（商务部指导，供销合作总社参与）\n",
        {
            (1, "lead", "生态环境部"),
            (1, "participant", "国家发展改革委"),
            (1, "participant", "国家统计局"),
            (1, "responsible", "市场监管总局"),
            (1, "responsible", "工业和信息化部"),
            (2, "participant", "商务部"),
            (2, "participant", "供销合作总社"),
        },
    ),
    "beijing-half-width-verbs-separately": (
        "一、加强政府重点工作信息公开\n"
        "(一)围绕抓好“三件大事”做好信息公开。制定发布城市设计导则。(市规划国土委负责落实)推进区域污染联防联控信息公开。"
        "(市发展改革委、市环保局分别负责落实)\n",
        {
            (1, "responsible", "市规划国土委"),
            (1, "responsible", "市发展改革委"),
            (1, "responsible", "市环保局"),
        },
    ),
    "yunfu-unit-list-with-first-listed-rule": (
        "一、落实政府职责\n"
        "(一)健全管理体制。建立完善市统筹,县级政府为主的学前教育管理体制。(市教育局,市委农办,各县<市、区>人民政府,"
        "排名第一位为牵头单位,下同)\n",
        {(1, "lead", "市教育局"), (1, "responsible", "市委农办"), (1, "responsible", "*各县<市、区>人民政府")},
    ),
    "haiyan-leader-headings-one-line-body-inline-rule": (
        "政府工作报告2022年重点工作责任分解 一、王丹县长牵头重点工作 1.全县生产总值增长7.5%左右。 "
        "责任单位:县发改局(首位单位为牵头单位,下同)、县财政局、县税务局 2.落实党政机关过紧日子的要求。 "
        "责任单位:县财政局 二、曹惠明常务副县长牵头重点工作 1.坚持县政府常务会议集体学法。 责任单位:县司法局\n",
        {
            (1, "supervisor", "王丹"),
            (1, "lead", "县发改局"),
            (1, "responsible", "县财政局"),
            (1, "responsible", "县税务局"),
            (2, "supervisor", "王丹"),
            (2, "lead", "县财政局"),
            (1, "supervisor", "曹惠明"),
            (1, "lead", "县司法局"),
        },
    ),
    "chuzhou-labelled-lines": (
        "    一、确保完成全年主要预期目标\n\n"
        "    1. 地区生产总值增长8%以上。\n\n"
        "    牵头负责领导:金力。\n\n"
        "    牵头责任单位:市发展改革委。\n\n"
        "    协同责任单位:市经信局、中新苏滁高新区管委会等,各县、市、区政府。\n",
        {
            (1, "supervisor", "金力"),
            (1, "lead", "市发展改革委"),
            (1, "participant", "市经信局"),
            (1, "participant", "中新苏滁高新区管委会"),
            (1, "participant", "*各县、市、区政府"),
        },
    ),
    "ningbo-key-values-run-together-contact-is-no-leader": (
        "现将实事项目1—6月份进展情况予以公示。 1.轨道交通1号线一期工程投入试运营。 牵头领导:林静国 "
        "责任单位:市轨道交通工程建设指挥部 项目责任人:尹文德 实际完成情况:已通车试运营。 "
        "2.新辟公交线路10条。 牵头领导:王仁洲 责任单位:市交通委 项目责任人:劳可军 配合单位:市公安局、市城管局,各区政府 "
        "鄞州 海曙 合计\n",
        {
            (1, "supervisor", "林静国"),
            (1, "responsible", "市轨道交通工程建设指挥部"),
            (2, "supervisor", "王仁洲"),
            (2, "responsible", "市交通委"),
            (2, "participant", "市公安局"),
            (2, "participant", "市城管局"),
            (2, "participant", "*各区政府"),
        },
    ),
    "zhaojiancai-sentence-final-clause": (
        "二、加快社会主义新农村建设\n"
        "(一)继续实施对种粮农民直接补贴,确保补贴总金额高于上年。由市财政局、农业局、劳动保障局,"
        "各县(市)、区人民政府负责落实。\n",
        {
            (1, "responsible", "市财政局"),
            (1, "responsible", "农业局"),
            (1, "responsible", "劳动保障局"),
            (1, "responsible", "*各县(市)、区人民政府"),
        },
    ),
    "putian-unbracketed-field-then-next-number": (
        "现提出以下意见。1.对来莆田创新创业的高层次团队，给予 100 万元用于科学研究。责任单位：市委组织部、市科技局。"
        "2.对实际投资 2 亿元以上的招商项目给予人才指标。责任单位：市发改委、市财政局。\n",
        {
            (1, "responsible", "市委组织部"),
            (1, "responsible", "市科技局"),
            (2, "responsible", "市发改委"),
            (2, "responsible", "市财政局"),
        },
    ),
    "guobanfa126-table-one-cell-per-line": (
        "序号\n改革举措\n主 要 内 容\n指导部门\n推广范围\n一、知识产权保护方面（共5项）\n"
        "1\n知识产权民事、刑事、行政案件“三合一”审判\n整合分散的审判资源，提高审判效率。\n"
        "最高人民法院、最高人民检察院、国家知识产权局\n全国\n"
        "2\n以降低侵权损失为核心的专利保险机制\n围绕专利应用和维权，开发专利保险。\n国家知识产权局、中国银保监会\n全国\n",
        {
            (1, "participant", "最高人民法院"),
            (1, "participant", "最高人民检察院"),
            (1, "participant", "国家知识产权局"),
            (2, "participant", "国家知识产权局"),
            (2, "participant", "中国银保监会"),
        },
    ),
    "chongchuan-pipe-cells-split-headers-missing-cell": (
        "序号 |\n主要任务 |\n全年目标任务 |\n分管 领导 |\n牵头 单位 |\n责任主体与协同单位 |\n说明 |\n"
        "24 |\n优化提升50条背街后巷交通组织。 |\n徐国江 |\n城管局 |\n市政局、相关街道 |\n已进场施工,完成30%。 |\n||\n"
        "25 |\n新增四分类“三定一督”达标小区210个。 |\n徐国江 |\n城管局 |\n市政局、环卫处、各街道 |\n否 |\n|\n",
        {
            (24, "supervisor", "徐国江"),
            (24, "lead", "城管局"),
            (24, "responsible", "市政局"),
            (24, "responsible", "*相关街道"),
            (25, "supervisor", "徐国江"),
            (25, "lead", "城管局"),
            (25, "responsible", "市政局"),
            (25, "responsible", "环卫处"),
            (25, "responsible", "*各街道"),
        },
    ),
    "hangzhou2021-table-under-leader-heading": (
        "序号\n\n重点工作任务(杭州市2项配合工作)\n\n责任单位\n\n(一)王宏副市长牵头重点工作\n\n1\n\n"
        "加强粮食和重要农产品保障,严格保护永久基本农田。\n\n市农业农村局、市商务局(市粮食和物资储备局)\n\n"
        "省牵头单位:省农业农村厅\n\n(二)胡伟副市长牵头重点工作\n\n2\n\n深入实施消费新政,提升传统消费。\n\n市商务局、市发改委\n",
        {
            (1, "supervisor", "王宏"),
            (1, "responsible", "市农业农村局"),
            (1, "responsible", "市商务局"),
            (1, "lead", "省农业农村厅"),
            (2, "supervisor", "胡伟"),
            (2, "responsible", "市商务局"),
            (2, "responsible", "市发改委"),
        },
    ),
    "guangzhou-key-value-pipe-rows": (
        "重点工作: | 135.统筹违法建设治理与城市更新,促进违法建设科学分类治理。 |\n"
        "牵头单位: | 市城市管理综合执法局 |\n"
        "年度阶段性工作目标: | 第一季度:印发工作方案。 |\n",
        {(135, "lead", "市城市管理综合执法局")},
    ),
    "weifang-cells-units-then-verb": (
        "一、以政务公开助力稳增长\n(一)加强预期引导\n围绕我市经济社会发展形势及时宣传解读。\n市发改委牵头落实\n"
        "围绕稳健中性的货币政策,加强金融政策信息公开。\n市金融办、人民银行潍坊市中心支行分别牵头落实\n",
        {(1, "lead", "市发改委"), (1, "lead", "市金融办"), (1, "lead", "人民银行潍坊市中心支行")},
    ),
    "yuncheng-one-tag-for-sub-items": (
        "(一)“一案三制”建设\n1.完善应急预案体系\n(1)加强应急预案管理。\n(2)推进应急预案“精编化”。\n"
        "(责任单位:市直各有关单位、各县(市、区)人民政府)\n2.健全应急管理体制\n(1)完善应急管理领导体制。\n"
        "(2)加强应急管理机构建设。\n(责任单位:市应急办)\n",
        {
            (1, "responsible", "*市直各有关单位"),
            (1, "responsible", "*各县(市、区)人民政府"),
            (2, "responsible", "市应急办"),
        },
    ),
    "guofa2020-collective-and-time-limit": (
        "一、落实2020年发展主要目标\n(一)总体要求和主要预期目标。\n1.坚决打好三大攻坚战。(国务院各部门分别负责,年内持续推进)\n",
        {(1, "responsible", "*国务院各部门")},
    ),
    "wuhan-traditional-with-pinyin-glosses": (
        "一、主要指標分工\n(一)約束性指標\n1.勞動(dòng)年齡人口平均受教育年限12.5年。(牽頭單位:市教育局;責任單位:市人社局)\n"
        "2.單位地區生產(chǎn)總值能源消耗降低。(牽頭單位:市發(fā)改委;責任單位:市經(jīng)信局、市生態(tài)環(huán)境局)\n",
        {
            (1, "lead", "市教育局"),
            (1, "responsible", "市人社局"),
            (2, "lead", "市发改委"),
            (2, "responsible", "市经信局"),
            (2, "responsible", "市生态环境局"),
        },
    ),
    # variants the family uses, written in its words: a preamble convention for the whole document and tags in
    # the family's other brackets
    "variant-preamble-first-listed-and-other-brackets": (
        "各责任单位要抓好落实（排在第一位的部门为牵头部门）。\n"
        "一、重点任务\n1.推进政务公开。〔市政府办公室、市大数据局负责〕\n2.优化营商环境。【市发改委牵头，市商务局参与】\n",
        {
            (1, "lead", "市政府办公室"),
            (1, "responsible", "市大数据局"),
            (2, "lead", "市发改委"),
            (2, "participant", "市商务局"),
        },
    ),
    "variant-leaders-with-posts-and-honorifics": (
        "一、重点工作\n1.推进城市更新。\n牵头市领导:副市长王宏、李明同志、赵刚(常务副市长)\n牵头单位:市住建局\n",
        {(1, "supervisor", "王宏"), (1, "supervisor", "李明"), (1, "supervisor", "赵刚"), (1, "lead", "市住建局")},
    ),
    "variant-numbering-skips": (
        "一、重点任务\n1.推进政务公开。(责任单位:市政府办公室)\n2.优化营商环境。(责任单位:市发改委)\n"
        "4.深化放管服改革。(责任单位:市政务服务局)\n",
        {(1, "responsible", "市政府办公室"), (2, "responsible", "市发改委"), (4, "responsible", "市政务服务局")},
    ),
    "variant-lead-note-and-sentence-assignment": (
        "一、重点任务\n1.推进城市更新。责任单位:市住建局(牵头)、市自然资源局\n"
        "2.优化营商环境,持续深化改革。市发改委牵头,市商务局、市市场监管局配合。\n",
        {
            (1, "lead", "市住建局"),
            (1, "responsible", "市自然资源局"),
            (2, "lead", "市发改委"),
            (2, "participant", "市商务局"),
            (2, "participant", "市市场监管局"),
        },
    ),
    "variant-circled-numbers": (
        "一、重点任务\n(一)推进数字政府建设\n①建设一体化政务服务平台。(牵头单位:市大数据局)\n"
        "②推进数据共享。(牵头单位:市政府办公室;配合单位:市直各部门)\n",
        {(1, "lead", "市大数据局"), (2, "lead", "市政府办公室"), (2, "participant", "*市直各部门")},
    ),
    "variant-preamble-rule-naming-the-responsible-unit": (
        "二、责任分解中,列第一位的责任单位为牵头单位或汇总单位。\n三、重点工作\n1.稳定经济增长。"
        "(市发改委、市统计局)\n2.扩大有效投资。(责任单位:市发改委、市财政局)\n",
        {
            (1, "lead", "市发改委"),
            (1, "responsible", "市统计局"),
            (2, "lead", "市发改委"),
            (2, "responsible", "市财政局"),
        },
    ),
    # 宝鸡 2022 放管服工作要点 (a Traditional mirror): two leads, then groups joined by 及 with a verb phrase
    "baoji-leads-then-groups-joined-by-ji": (
        "一、堅持系統集成,推動審批全鏈條最佳化\n1.全面實施行政許可事項清單管理。清單之外一律不得違法實施行政許可。"
        "(市政府辦公室、市行政審批制度改革工作領導小組辦公室牽頭,市級各有關部門及各縣市區政府按職責分工負責)\n",
        {
            (1, "lead", "市政府办公室"),
            (1, "lead", "市行政审批制度改革工作领导小组办公室"),
            (1, "responsible", "*市级各有关部门"),
            (1, "responsible", "*各县市区政府"),
        },
    ),
    # 嘉兴 2023 责任分解: a table flattened one cell per line, header words spaced out
    "jiaxing-flattened-table-spaced-header": (
        "2023年政府工作报告重点工作责任分解\n\n序号\n\n主 要 工 作 任 务\n\n责任单位\n\n"
        "1\n\n地区生产总值增长6%左右。\n\n市发展改革委\n\n2\n\n研发投入强度达到3.5%。\n\n市科技局、市发展改革委\n",
        {(1, "responsible", "市发展改革委"), (2, "responsible", "市科技局"), (2, "responsible", "市发展改革委")},
    ),
    "variant-unnumbered-paragraphs": (
        "加快推进城市更新,完成老旧小区改造20个。(牵头单位:市住建局;配合单位:市财政局)\n"
        "深化放管服改革,推行告知承诺制。\n牵头单位:市政务服务局\n配合单位:市司法局\n",
        {
            (1, "lead", "市住建局"),
            (1, "participant", "市财政局"),
            (2, "lead", "市政务服务局"),
            (2, "participant", "市司法局"),
        },
    ),
}


def statements(text: str) -> set[tuple[int, str, str]]:
    _, tasks = extract_tasks(text, segment(text))
    return {
        (t.ordinal, r.role.value, ("*" if r.agent.kind is MentionKind.COLLECTIVE else "") + r.agent.name)
        for t in tasks
        for r in t.responsibilities
    }


def test_every_layout_family_has_a_case() -> None:
    assert len(CASES) == 29


@pytest.mark.parametrize("case", sorted(CASES))
def test_layout(case: str) -> None:
    text, expected = CASES[case]
    assert statements(text) == expected


def test_spans_index_the_original_traditional_text() -> None:
    text = CASES["wuhan-traditional-with-pinyin-glosses"][0]
    _, tasks = extract_tasks(text, segment(text))
    r = next(r for t in tasks for r in t.responsibilities if r.agent.name == "市发改委")
    assert r.agent.span.quote(text) == "市發(fā)改委"

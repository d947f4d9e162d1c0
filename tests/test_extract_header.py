"""The header of every layout of the family, on short verbatim cuts of real documents (../shared/corpus).

Each case checks the fields one rule reads; a field a fallback had to infer is named in ``inferred``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from orgkg.extract.header import UNKNOWN_ORGANIZATION, extract_header, title_kind
from orgkg.records import DocumentHeader, DocumentKind, SourceText
from orgkg.segment import segment
from tests.conftest import DATA

HAS_OPENCC = importlib.util.find_spec("opencc") is not None


def header(text: str, name: str = "doc.txt") -> DocumentHeader:
    source = SourceText(path=name, name=name, sha256="0" * 64, text=text)
    return extract_header(source, segment(text))


# 衢州 (衢政办发〔2021〕3号): page metadata before the notice title, the issuer only in the metadata.
QUZHOU = """索引号: 11330800002618015K/2021-121563 成文日期: 2021-03-24
发布机构: 市政府办公室 公开方式: 主动公开
有效性: 有效 组配分类: 市府办文件
文件编号: 衢政办发〔2021〕3号 统一编号:

关于印发2021年政府工作报告重点工作责任分解的通知

发布日期:2021-03-26 14:35 浏览次数: 信息来源:市政府办公室 字体:[ ]
分享:

各县(市、区)人民政府,市政府各部门,直属各单位:
"""


def test_metadata_block_before_the_notice_title() -> None:
    h = header(QUZHOU)
    assert h.title == "关于印发2021年政府工作报告重点工作责任分解的通知"
    assert h.kind is DocumentKind.DIVISION
    assert (h.number, h.date, h.year) == ("衢政办发〔2021〕3号", "2021-03-24", 2021)
    assert h.issuers == ("市政府办公室",)  # 发布机构: (not the "…市府办文件" metadata line)
    assert h.organization == "市人民政府" and h.inferred == ()


# 海盐 (盐政办发〔2022〕16号): metadata as pipe rows, the title a pipe cell.
HAIYAN = """索引号: | 113304240025561412/2022-69894 | 成文日期: | 2022-04-18 |
文件编号: | 盐政办发〔2022〕16号 | 组配分类: | 政府工作报告 |
发布机构: | 县政府办公室 | 有效性: |
海盐县人民政府办公室关于印发政府工作报告2022年重点工作责任分解的通知 |
||
|
"""


def test_pipe_rows_of_metadata() -> None:
    h = header(HAIYAN)
    assert h.title == "海盐县人民政府办公室关于印发政府工作报告2022年重点工作责任分解的通知"
    assert (h.number, h.date, h.year, h.kind) == ("盐政办发〔2022〕16号", "2022-04-18", 2022, DocumentKind.DIVISION)
    assert h.issuers == ("海盐县人民政府办公室",)  # the notice title's prefix wins over 发布机构: 县政府办公室
    assert h.organization == "海盐县人民政府" and h.inferred == ()


# 云浮 (云府办〔2019〕10号): the 文号 first, a notice title over two lines, signature and date.
YUNFU = """云府办〔2019〕10号
云浮市人民政府办公室关于印发云浮市促进学前教育普惠健康发展行动方案和云浮
市推动义务教育优质均衡发展行动方案的通知
各县(市、区)人民政府,市政府各部门、各直属机构:
经市人民政府同意,现将《云浮市促进学前教育普惠健康发展行动方案》和《云浮市推动义务教育优质均衡发展行动方案》印发给你们,请认真组织实施。
云浮市人民政府办公室
2019年7月23日
云浮市促进学前教育普惠健康发展行动方案
"""


def test_number_first_and_a_notice_title_over_two_lines() -> None:
    h = header(YUNFU)
    assert h.title == (
        "云浮市人民政府办公室关于印发云浮市促进学前教育普惠健康发展行动方案和"
        "云浮市推动义务教育优质均衡发展行动方案的通知"
    )
    assert (h.number, h.date, h.year) == ("云府办〔2019〕10号", "2019-07-23", 2019)
    assert h.kind is DocumentKind.IMPLEMENTATION_PLAN
    assert h.issuers == ("云浮市人民政府办公室",) and h.organization == "云浮市人民政府"


# 北京 (2018): a source line, the notice body, the signature above the date, then the plan's title.
BEIJING = """来源: 北京市人民政府 更新时间:2018-09-10 点击:1165
各区人民政府,市政府各委、办、局,各市属机构:
《北京市2018年政务公开工作要点》已经市政府同意,现印发给你们,请结合实际认真贯彻落实。
北京市人民政府办公厅
2018年5月11日
北京市2018年政务公开工作要点
"""


def test_signature_and_date() -> None:
    h = header(BEIJING)
    assert h.title == "北京市2018年政务公开工作要点"  # the attachment the notice issues
    assert h.issuers == ("北京市人民政府办公厅",)  # the signature wins over 来源: 北京市人民政府
    assert (h.date, h.year, h.kind) == ("2018-05-11", 2018, DocumentKind.WORK_PLAN)
    assert h.organization == "北京市人民政府" and h.inferred == ()


# 运城 (2017): 【法宝引证码】 metadata lines, the notice title printed twice; 规划 is what is broken down.
YUNCHENG = """【法宝引证码】CLI.1.304262
【时效性】尚未施行
运城市人民政府办公厅关于印发运城市突发事件应急体系建设“十三五”规划责任分解的通知
运城市人民政府办公厅关于印发运城市突发事件应急体系建设“十三五”规划责任分解的通知
各县(市、区)人民政府,各开发区管委会,市直各有关单位:
运城市人民政府办公厅
2017年4月13日
"""


def test_bracketed_metadata_and_the_head_noun_of_the_title() -> None:
    h = header(YUNCHENG)
    assert h.title == "运城市人民政府办公厅关于印发运城市突发事件应急体系建设“十三五”规划责任分解的通知"
    assert h.kind is DocumentKind.DIVISION  # …规划责任分解: a 责任分解 of a 规划, not a 规划
    assert (h.year, h.issuers, h.organization) == (2017, ("运城市人民政府办公厅",), "运城市人民政府")


# 国办发〔2018〕126号: the issuer from the notice and, for a notice without prefix, from the 文号 table.
GUOBANFA = """国务院办公厅关于推广第二批
支持创新相关改革举措的通知
国办发〔2018〕126号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
"""


def test_national_notice_and_the_number_table() -> None:
    h = header(GUOBANFA)
    assert h.title == "国务院办公厅关于推广第二批支持创新相关改革举措的通知"
    assert (h.issuers, h.organization, h.year) == (("国务院办公厅",), "国务院", 2018)
    no_prefix = header(GUOBANFA.replace("国务院办公厅关于", "关于"))
    assert no_prefix.issuers == ("国务院办公厅",)  # 国办发 → 国务院办公厅 (lexicon number_issuers)
    assert no_prefix.organization == "国务院"


# 武汉 (武政办〔2022〕23号): Traditional script from a mirror that inserts pinyin; a 2035 horizon in the title.
WUHAN = (
    "武政辦〔2022〕23號《武漢市人民政府辦公廳關(guān)于印發(fā)武漢市國民經(jīng)濟和社會(huì )發(fā)展"
    "第十四個(gè)五年規劃和2035年遠景目標綱要任務(wù)分工方案的通知》\n"
    "瀏覽量: 時(shí)間:2024-01-10 20:49:00\n"
    "武政辦〔2022〕23號\n"
    "武漢市人民政府辦公廳\n"
    "2022年3月3日\n"
)


@pytest.mark.skipif(not HAS_OPENCC, reason="a Traditional header (關于, 瀏覽量:) is read in Simplified with opencc")
def test_traditional_title_with_pinyin_glosses() -> None:
    h = header(WUHAN)
    assert h.title == (
        "武漢市人民政府辦公廳關于印發武漢市國民經濟和社會發展第十四個五年規劃和2035年遠景目標綱要任務分工方案的通知"
    )  # glosses dropped, the script kept
    assert h.kind is DocumentKind.DIVISION
    assert h.year == 2022  # 2035年 is the horizon of the outline, years after the issue
    assert h.number is not None and h.number.endswith("〔2022〕23号") and h.date == "2022-03-03"
    assert h.issuers == ("武汉市人民政府办公厅",) and h.organization == "武汉市人民政府"  # names read in Simplified


@pytest.mark.skipif(not HAS_OPENCC, reason="kind words in Traditional script need the opencc package")
def test_traditional_kind_words_match_with_opencc() -> None:
    assert title_kind("武漢市國民經濟和社會發展第十四個五年規劃綱要") is DocumentKind.STRATEGIC_PLAN
    assert title_kind("政務公開工作要點") is DocumentKind.WORK_PLAN


# 湖北开放大学 (seed): the organization line above a title line that opens with the year.
def test_organization_line_joined_to_a_title_opening_with_its_year() -> None:
    h = header("\n\n湖北开放大学（湖北科技职业学院）\n\n2021年工作要点\n\n2021年学校工作的总体要求是：……\n")
    assert h.title == "湖北开放大学（湖北科技职业学院）2021年工作要点"
    assert (h.organization, h.organization_aliases, h.issuers) == (
        "湖北开放大学",
        ("湖北科技职业学院",),
        ("湖北开放大学",),
    )


# 房县 (2023): no notice title, a 文号 cited in the preamble is not the document's.
FANGXIAN = """各乡镇人民政府,县直各单位:
《以控制成本为核心优化营商环境的具体措施》已经县政府同意,现印发给你们,请认真贯彻落实。
2023年6月30日
以控制成本为核心优化营商环境的具体措施
为深入贯彻党的二十大精神和省第十二次党代会部署,认真落实《湖北省优化营商环境条例》《省政府办公厅关于印发以控制成本为核心优化营商环境若干措施的通知》(鄂政办发〔2022〕52号)要求,特制定如下具体措施。
一、更大力度降低制度性交易成本
"""


def test_a_number_cited_in_a_sentence_is_not_the_documents() -> None:
    h = header(FANGXIAN)
    assert h.title == "以控制成本为核心优化营商环境的具体措施"
    assert h.number is None and h.year == 2023  # from the date, not from 鄂政办发〔2022〕52号
    assert h.issuers == () and h.organization == UNKNOWN_ORGANIZATION
    assert h.inferred == ("issuer", "organization")


# --- fallbacks ------------------------------------------------------------------------------------------------

# 许昌 (许政〔2020〕20号): no title at all; the 文号 gives the year, the file name the title.
XUCHANG = """许政 [2020] 20号
各县(市、区)人民政府,市城乡一体化示范区、经济技术开发区、东城区管委会,市人民政府各部门:
现将《政府工作报告》提出的2020年重点工作任务予以分解并明确到各责任单位。
一、抓好常态化疫情防控,全面恢复生产生活秩序
"""


def test_title_from_the_file_name_when_the_header_prints_none() -> None:
    h = header(XUCHANG, "xuchang_2020_gov_report_tasks.txt")
    assert h.title == "xuchang_2020_gov_report_tasks" and h.title_span is None
    assert (h.number, h.year, h.kind) == ("许政〔2020〕20号", 2020, DocumentKind.PLAN)
    assert h.inferred == ("title", "kind", "issuer", "organization")


# 潍坊 (2017): a document-sharing page: file names and list metadata before the title; the year only in the text.
WEIFANG = """潍坊政务公开工作要点实施方案.docx
- 文档编号:5328372
- 上传时间:2022-12-15
- 格式:DOCX
潍坊政务公开工作要点实施方案.docx
潍坊政务公开工作要点实施方案
潍坊市2017年政务公开工作要点实施方案
目标
任务
一、以政务公开助力稳增长
"""


def test_file_names_and_listed_metadata_are_skipped_and_the_year_comes_from_the_text() -> None:
    h = header(WEIFANG)
    assert h.title == "潍坊政务公开工作要点实施方案"
    assert h.kind is DocumentKind.IMPLEMENTATION_PLAN  # …工作要点实施方案: a 实施方案 (of a 工作要点)
    assert h.year == 2017 and "year" in h.inferred


# 莆田: the whole text on one line; no year anywhere.
PUTIAN = (
    "关于支持“双招双引”的十条意见。为落实市委、市政府“突出开放招商 强化项目带动”的部署，完善“壶兰计划”人才政策，"
    "结合莆田实际，现提出以下意见。1.对来莆田创新创业的团队给予资助。责任单位：市委组织部、市科技局。"
)


def test_the_opening_sentence_of_a_one_line_document() -> None:
    h = header(PUTIAN)
    assert h.title == "关于支持“双招双引”的十条意见"
    assert h.kind is DocumentKind.IMPLEMENTATION_PLAN and h.year is None
    assert h.inferred == ("year", "issuer", "organization")


# 广州 (2023): one item as key–value pipe rows; nothing is a title.
GUANGZHOU = """
重点工作: | 135.统筹违法建设治理与城市更新,促进违法建设科学分类治理。 |
牵头单位: | 市城市管理综合执法局 |
"""


def test_field_rows_are_not_titles() -> None:
    h = header(GUANGZHOU, "guangzhou_item135.txt")
    assert h.title == "guangzhou_item135" and h.inferred[:2] == ("title", "kind")


# 杭州 (2015): a title naming its city only: the city's government is inferred as issuer.
def test_issuer_inferred_from_the_place_a_title_names() -> None:
    h = header("杭州市推进“互联网+”行动实施意见\n(征求意见稿V2.2)\n(2015年9月15日)\n为贯彻落实……\n")
    assert (h.title, h.kind, h.date) == (
        "杭州市推进“互联网+”行动实施意见",
        DocumentKind.IMPLEMENTATION_PLAN,
        "2015-09-15",
    )
    assert h.issuers == ("杭州市人民政府",) and h.organization == "杭州市人民政府"
    assert h.inferred == ("issuer", "organization")


def test_the_seeds_headers_are_stated_not_inferred() -> None:
    from orgkg.pipeline import extract_document

    seeds = sorted(p for p in DATA.iterdir() if p.suffix in {".txt", ".md"} and p.name != "README.md")
    assert len(seeds) == 5
    for path in seeds:
        assert extract_document(Path(path)).header.inferred == (), path.name

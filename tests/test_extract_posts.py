"""Post holdings: cuts of the real documents (slide line breaks kept) plus synthetic snippets in other layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgkg.extract.posts import find_post_holdings

DATA = Path(__file__).resolve().parent.parent / "data"
SLIDES = (DATA / "ouchn-14th-five-year-plan-slides.txt").read_text(encoding="utf-8")
WORK_PLAN_2020 = (DATA / "ouchn-2020-work-plan.txt").read_text(encoding="utf-8")
WORK_PLAN_2022 = (DATA / "ouchn-2022-work-plan.md").read_text(encoding="utf-8")

ORGS = ["国家开放大学", "湖北开放大学（湖北科技职业学院）", "济南开放大学"]

# ---- cuts of the slides, verbatim

SPEECH_SNIPPET = """——国家开放大学党委书记、校长荆德刚在国家开放
大学2021年重点工作推进会上的讲话

国家开放大学党委书记、校长荆德刚多次强调“推进"""

MINISTER_SNIPPET = """——教育部党组书记、部长怀进鹏在出席国家教育行政学
院2021年秋季开学典礼上的讲话"""

GENERAL_SECRETARY_SNIPPET = """贯彻习近平总书记在庆祝中国共产党成立"""

CC_SNIPPET = "抄 报：教育部孙尧副部长，职成司、人事司、机关党委"

TRAINING_SNIPPET = "加强对总部委派行业学院副院长的培训"


@pytest.mark.parametrize(
    ("snippet", "document"),
    [
        (SPEECH_SNIPPET, SLIDES),
        (MINISTER_SNIPPET, SLIDES),
        (GENERAL_SECRETARY_SNIPPET, SLIDES),
        (CC_SNIPPET, WORK_PLAN_2022),
    ],
)
def test_snippets_are_verbatim_cuts(snippet: str, document: str) -> None:
    assert snippet in document


def test_university_leader_from_the_slides() -> None:
    holdings = find_post_holdings(SPEECH_SNIPPET, ORGS)
    assert len(holdings) == 2
    for h in holdings:
        assert (h.organization, h.posts, h.person) == ("国家开放大学", ("党委书记", "校长"), "荆德刚")
        assert h.span.quote(SPEECH_SNIPPET) == "国家开放大学党委书记、校长荆德刚"


def test_minister_from_the_slides_without_being_told_the_ministry() -> None:
    (h,) = find_post_holdings(MINISTER_SNIPPET, [])
    assert (h.organization, h.posts, h.person) == ("教育部", ("党组书记", "部长"), "怀进鹏")
    assert h.span.quote(MINISTER_SNIPPET) == "教育部党组书记、部长怀进鹏"


def test_name_after_post_in_a_distribution_list() -> None:
    (h,) = find_post_holdings(CC_SNIPPET, ORGS)
    assert (h.organization, h.posts, h.person) == ("教育部", ("副部长",), "孙尧")
    assert h.span.quote(CC_SNIPPET) == "教育部孙尧副部长"


def test_no_holding_without_organization_or_person() -> None:
    assert find_post_holdings(GENERAL_SECRETARY_SNIPPET, ORGS) == ()
    # regression: 副院长的培训 was read as a person "的培训" of an organization "加强对总部委派行业学院"
    assert TRAINING_SNIPPET in WORK_PLAN_2020.replace("\n", "").replace(" ", "")
    assert find_post_holdings(TRAINING_SNIPPET, ORGS) == ()
    # 校长办公室 is a unit, not a person
    assert find_post_holdings("责任部门：国家开放大学校长办公室、宣传部", ORGS) == ()


def test_other_layout_name_broken_over_lines_and_two_character_name() -> None:
    text = "会议由济南开放大学党委副书记、\n校长王\n\n明同志主持，山东省教育厅厅长刘臣在会上讲话。"
    holdings = find_post_holdings(text, ORGS)
    assert [(h.organization, h.posts, h.person) for h in holdings] == [
        ("济南开放大学", ("党委副书记", "校长"), "王明"),
        ("山东省教育厅", ("厅长",), "刘臣"),
    ]
    assert holdings[0].span.quote(text) == "济南开放大学党委副书记、\n校长王\n\n明"
    assert holdings[1].span.quote(text) == "山东省教育厅厅长刘臣"


def test_organization_with_bracketed_alias_and_three_character_name() -> None:
    text = "湖北开放大学（湖北科技职业学院）党委书记兼校长张宏伟指出"
    (h,) = find_post_holdings(text, ORGS)
    assert (h.organization, h.posts, h.person) == ("湖北开放大学（湖北科技职业学院）", ("党委书记", "校长"), "张宏伟")


def test_whole_slides() -> None:
    holdings = find_post_holdings(SLIDES, ["国家开放大学"])
    for h in holdings:
        assert 0 <= h.span.start < h.span.end <= len(SLIDES)
    seen = {(h.person, h.organization, h.posts) for h in holdings}
    assert seen == {
        ("荆德刚", "国家开放大学", ("党委书记", "校长")),
        ("怀进鹏", "教育部", ("党组书记", "部长")),
    }
    assert sum(h.person == "怀进鹏" for h in holdings) == 3
    assert sum(h.person == "荆德刚" for h in holdings) == 2

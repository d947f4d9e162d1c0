"""Traditional script, pinyin glosses and control characters, on short cuts of a real mirrored page."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgkg.script import is_traditional, pinyin_glosses, simplified_chars, strip_controls
from orgkg.source import read_source
from tests.conftest import DATA, ROOT

# Cuts of 武政办〔2022〕23号 as a mirror site serves it: Traditional script, a pinyin gloss after some characters
# ("會(huì )" with a space before the bracket), half-width punctuation.
WUHAN_HEADER = (
    "武政辦〔2022〕23號《武漢市人民政府辦公廳關(guān)于印發(fā)武漢市國民經(jīng)濟和社會(huì )發(fā)展第十四個(gè)"
    "五年規劃和2035年遠景目標綱要任務(wù)分工方案的通知》\n"
)
WUHAN_TASK = "1.勞動(dòng)年齡人口平均受教育年限12.5年。(牽頭單位:市教育局;責任單位:市人社局)"
WUHAN_TASK_2 = (
    "2.單位地區生產(chǎn)總值能源消耗降低完成省下達目標。(牽頭單位:市發(fā)改委;責任單位:市經(jīng)信局、"
    "市生態(tài)環(huán)境局、市城建局、市交通運輸局)"
)
WUHAN_FILE = ROOT.parent / "shared" / "corpus" / "wuhan_2022_14th_fyp_division_traditional_noisy.txt"
SEEDS = sorted(p for p in DATA.iterdir() if p.suffix in {".txt", ".md"} and p.name != "README.md")


def _normalized(text: str) -> str:
    """The Simplified text without glosses, as the text view will read it."""
    dropped = {i for start, end in pinyin_glosses(text) for i in range(start, end)}
    return "".join(c for i, c in enumerate(simplified_chars(text)) if i not in dropped)


def test_glosses_of_a_task_line() -> None:
    glosses = pinyin_glosses(WUHAN_TASK)
    assert glosses == [(4, 10)]
    assert [WUHAN_TASK[s:e] for s, e in glosses] == ["(dòng)"]
    assert WUHAN_TASK[3] == "動"  # the gloss follows the character it reads


def test_glosses_of_the_header() -> None:
    assert [WUHAN_HEADER[s - 1 : e] for s, e in pinyin_glosses(WUHAN_HEADER)] == [
        "關(guān)",
        "發(fā)",
        "經(jīng)",
        "會(huì )",
        "發(fā)",
        "個(gè)",
        "務(wù)",
    ]


def test_simplified_characters_of_a_task_line() -> None:
    chars = simplified_chars(WUHAN_TASK)
    assert len(chars) == len(WUHAN_TASK)
    assert "".join(chars[2:4]) == "劳动" and "".join(chars[10:12]) == "年龄"
    assert _normalized(WUHAN_TASK) == "1.劳动年龄人口平均受教育年限12.5年。(牵头单位:市教育局;责任单位:市人社局)"
    assert _normalized(WUHAN_TASK_2) == (
        "2.单位地区生产总值能源消耗降低完成省下达目标。(牵头单位:市发改委;责任单位:市经信局、"
        "市生态环境局、市城建局、市交通运输局)"
    )


def test_spans_still_index_the_original() -> None:
    normalized = _normalized(WUHAN_TASK_2)
    found = normalized.index("市发改委")
    # Back to the source: the i-th kept character is at the i-th source offset outside the glosses.
    dropped = {i for start, end in pinyin_glosses(WUHAN_TASK_2) for i in range(start, end)}
    offsets = [i for i in range(len(WUHAN_TASK_2)) if i not in dropped]
    start, end = offsets[found], offsets[found + len("市发改委") - 1] + 1
    assert WUHAN_TASK_2[start:end] == "市發(fā)改委"


@pytest.mark.parametrize(
    "text",
    [
        "县发改局(粮食局)",
        "(一)约束性指标",
        "（一）加强党的建设",
        "2020年(2020)",
        "各县(市、区)人民政府",
        "各县（市、区）",
        "政府和社会资本合作(PPP)",
        "政府和社会资本合作(ppp)",
        "方案(a)和(b)",
        "责任单位(de)",
        "(fā)开头没有汉字",
    ],
)
def test_ordinary_brackets_are_not_glosses(text: str) -> None:
    assert pinyin_glosses(text) == []


def test_full_width_and_spaced_glosses() -> None:
    text = "關（guān）於會( huì )議發(fā )展"
    assert [text[s:e] for s, e in pinyin_glosses(text)] == ["（guān）", "( huì )", "(fā )"]


def test_a_traditional_cut_is_traditional() -> None:
    assert is_traditional(WUHAN_HEADER + WUHAN_TASK + "\n" + WUHAN_TASK_2)


@pytest.mark.skipif(not WUHAN_FILE.exists(), reason="the shared corpus is not beside this checkout")
def test_the_whole_wuhan_page_is_traditional() -> None:
    text = WUHAN_FILE.read_text(encoding="utf-8")
    assert is_traditional(text)
    assert len(pinyin_glosses(text)) == 52


def test_the_seeds_are_simplified() -> None:
    assert len(SEEDS) == 5
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        assert not is_traditional(text), seed.name
        assert simplified_chars(text) == list(text)
        assert pinyin_glosses(text) == []


def test_a_few_characters_that_convert_in_simplified_text_do_not_make_it_traditional() -> None:
    # 於/裡/後 are Traditional forms a Simplified document may quote (a name, a citation): too few to be a script.
    line = "关于印发《工作要点》的通知：工作於年底前完成，显著提高干部队伍素质，裡外结合。"
    assert not is_traditional(line)  # 2 changes: under the minimum count
    text = (DATA / "hubei-ou-2021-work-plan.txt").read_text(encoding="utf-8") + line + "後記" * 10
    assert not is_traditional(text)  # 12 changes of ~2,000 Han characters: under the share
    assert simplified_chars(text) == list(text)


def test_control_characters_never_reach_the_text(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes("\x1b[31m某某大学2024年工作要点\x1b[0m\n一、加强党建\x07。（责任部门：\x08党委办公室）\n".encode())
    text = read_source(path).text
    assert text == "某某大学2024年工作要点\n一、加强党建。（责任部门：党委办公室）\n"
    assert strip_controls("a\tb\nc\x0cd\x85e\x9bf\x7f") == "a\tb\nc\nd\ne"

"""PDF, DOCX and HTML made from the seed texts give the same tasks and responsibilities as the text itself."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from orgkg.formats import FormatError, html_text
from orgkg.pipeline import extract_document
from orgkg.records import ExtractedDocument
from orgkg.source import SourceError
from tests.conftest import DATA
from tests.makedocs import make_docx, make_html, make_pdf


def _facts(doc: ExtractedDocument) -> list[tuple[int, int, str, list[tuple[str, str, str]]]]:
    return [
        (
            t.sequence,
            t.ordinal,
            re.sub(r"\s", "", t.title),
            [(r.role.value, r.agent.kind.value, r.agent.name) for r in t.responsibilities],
        )
        for t in doc.tasks
    ]


SEEDS = ["ouchn-2022-work-plan.md", "ouchn-2020-work-plan.txt", "hubei-ou-2021-work-plan.txt"]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_formats_give_the_same_tasks(tmp_path: Path, seed: str, fmt: str) -> None:
    source = DATA / seed
    text = source.read_text(encoding="utf-8")
    made = tmp_path / f"{source.stem}.{fmt}"
    {"pdf": make_pdf, "docx": make_docx, "html": make_html}[fmt](text, made)  # type: ignore[operator]
    expected, got = extract_document(source), extract_document(made)
    assert got.source.media_type != "text/plain"
    assert _facts(got) == _facts(expected)
    assert len(got.tasks) == len(expected.tasks) > 0
    assert got.header.title == expected.header.title and got.header.year == expected.header.year
    for t in got.tasks:  # provenance: every span quotes the converted text
        for r in t.responsibilities:
            assert r.agent.name[-2:] in re.sub(r"\s", "", r.span.quote(got.source.text))


def test_a_docx_table_of_tasks(tmp_path: Path) -> None:
    table = [
        ["序号", "重点任务", "分管领导", "牵头单位", "责任单位"],
        ["1", "加强党的建设。落实主体责任。", "张三", "党委办公室", "组织部、宣传部（新闻中心）"],
        ["2", "推进数字化转型", "李四", "信息中心", "各部门"],
    ]
    path = tmp_path / "plan.docx"
    make_docx("某某开放大学2024年工作要点\n", path, table)
    doc = extract_document(path)
    assert [(t.ordinal, t.title) for t in doc.tasks] == [(1, "加强党的建设"), (2, "推进数字化转型")]
    assert [(r.role.value, r.agent.name) for r in doc.tasks[0].responsibilities] == [
        ("supervisor", "张三"),
        ("lead", "党委办公室"),
        ("responsible", "组织部"),
        ("responsible", "宣传部"),
    ]


def test_content_decides_not_the_extension(tmp_path: Path) -> None:
    text = (DATA / "hubei-ou-2021-work-plan.txt").read_text(encoding="utf-8")
    disguised = tmp_path / "plan.txt"
    make_pdf(text, tmp_path / "real.pdf")
    disguised.write_bytes((tmp_path / "real.pdf").read_bytes())
    doc = extract_document(disguised)
    assert doc.source.media_type == "application/pdf" and len(doc.tasks) == 12


def test_html_scripts_and_navigation_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    make_html((DATA / "hubei-ou-2021-work-plan.txt").read_text(encoding="utf-8"), path)
    doc = extract_document(path)
    assert "伪造" not in doc.source.text and "信息公开" not in doc.source.text and "版权所有" not in doc.source.text


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(50, 50, 400, 600, fill=1)  # an image-like page: no text at all
    c.showPage()
    c.save()
    with pytest.raises(SourceError, match="no text layer"):
        extract_document(path)


def test_zip_bomb_docx_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>" + " " * (50 * 1024 * 1024) + "</w:document>")
    path = tmp_path / "bomb.docx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(SourceError, match="zip bomb"):
        extract_document(path)


def test_a_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    path = tmp_path / "x.docx"
    path.write_bytes(buf.getvalue())
    with pytest.raises(SourceError, match=r"x\.docx: a ZIP archive that is not a Word"):
        extract_document(path)


# --- HTML as it comes from real sites -------------------------------------------------------------------------


def _html_doc(tmp_path: Path, page: str, encoding: str = "utf-8") -> ExtractedDocument:
    path = tmp_path / "page.html"
    path.write_bytes(page.encode(encoding))
    return extract_document(path)


def test_html_an_unclosed_li_in_a_menu_does_not_drop_the_page() -> None:
    # Regression: the html.parser converter kept the menu's unclosed <li> open and skipped the rest of the page.
    page = '<ul class="menu"><li>首页<li>通知</ul><p>一、推进改革。</p>'
    assert html_text(page) == "一、推进改革。\n"


TASK_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>某某开放大学2024年工作要点</title></head>
<body class="page-header-fixed">
<div class="top-nav"><ul><li><a href="/">首页</a><li><a href="/xxgk">信息公开</a>
<li>通知公告（责任部门：办公室）</ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 通知公告</div>
<table width="100%"><tr><td class="layout-left">
<div class="TRS_Editor">
<p align="center">某某开放大学2024年工作要点</p>
<p>为做好2024年工作，&nbsp;特制定本要点。</p>
<table border="1">
<thead><tr><th>序号<th>重点任务<th>分管领导<th>牵头单位<th>责任单位</thead>
<tbody>
<tr><td colspan="5">一、党的建设</td></tr>
<tr><td>1<td>加强党的建设。落实主体责任。<td rowspan="2">张三<td>党委办公室<br>(牵头)<td>组织部、宣传部
<tr><td>2<td>推进数字化<span style="display:none">隐藏</span>转型<td>信息中心<td>各部门
</tbody></table>
</div>
</td></tr></table>
<div id="footer">版权所有 © 某某开放大学</div>
</body></html>
"""


def test_html_a_page_with_a_menu_and_a_table_of_tasks(tmp_path: Path) -> None:
    doc = _html_doc(tmp_path, TASK_PAGE)
    assert "信息公开" not in doc.source.text and "版权所有" not in doc.source.text and "隐藏" not in doc.source.text
    assert "| 1 | 加强党的建设。落实主体责任。 | 张三 | 党委办公室 (牵头) | 组织部、宣传部 |" in doc.source.text
    assert "为做好2024年工作, 特制定本要点。" in doc.source.text.replace("，", ",")  # &nbsp; is a space
    assert [(t.ordinal, t.title) for t in doc.tasks] == [(1, "加强党的建设"), (2, "推进数字化转型")]
    assert [(r.role.value, r.agent.name) for r in doc.tasks[0].responsibilities] == [
        ("supervisor", "张三"),
        ("lead", "党委办公室"),
        ("responsible", "组织部"),
        ("responsible", "宣传部"),
    ]
    # The leader's cell is merged down over both tasks: he supervises the second as well.
    first = doc.tasks[1].responsibilities[0]
    assert (first.role.value, first.agent.name) == ("supervisor", "张三")


def test_html_a_gb2312_page_with_a_meta_charset(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "<title>通知</title></head><body><p>湖北开放大学2021年工作要点</p>"
        "<p>一、加强党的建设。（责任部门：党委办公室）</p></body></html>"
    )
    doc = _html_doc(tmp_path, page, encoding="gb2312")
    assert doc.source.media_type == "text/html"
    assert doc.source.text == "湖北开放大学2021年工作要点\n一、加强党的建设。（责任部门：党委办公室）\n"


@pytest.mark.parametrize(
    ("page", "text"),
    [
        ("<p>一、推进\n    改革。<br>（责任部门：教务处）</p>", "一、推进改革。\n（责任部门：教务处）\n"),
        ("<p>加强<script>x()</script>党建<nav>菜单</nav>完善制度</p>", "加强党建\n完善制度\n"),
        ("<pre>一、甲\n二、乙</pre><p hidden>隐藏</p><p>x&nbsp;&nbsp;y</p>", "一、甲\n二、乙\nx y\n"),
        (
            "<table><tr><td><p>一、加强党建。</p><p>二、推进改革。</p></td></tr></table>",
            "一、加强党建。\n二、推进改革。\n",
        ),
        ("<table><tr><td>序号<td>任务 | 名称</tr><tr><td>1<td>甲</table>", "| 序号 | 任务 ｜ 名称 |\n| 1 | 甲 |\n"),
        (
            "<table><tr><td rowspan=99999999 colspan=999999>a<td>b</tr><tr><td>c</tr></table>",
            "| a | | b |\n| a | c |\n",
        ),
        ("<p>a<!-- 注释 --><?php echo 1 ?>b</p>", "ab\n"),
    ],
    ids=[
        "cjk-line-break",
        "inline-script-block-nav",
        "pre-hidden-nbsp",
        "layout-table",
        "pipe-in-cell",
        "huge-spans",
        "comments",
    ],
)
def test_html_blocks_and_tables(page: str, text: str) -> None:
    assert html_text(page) == text


@pytest.mark.parametrize(
    "page", ["", "   ", "<html><head><title>x</title></head><body> </body></html>", "<nav>首页</nav>"]
)
def test_html_without_body_text(page: str) -> None:
    with pytest.raises(FormatError, match="no body text"):
        html_text(page)

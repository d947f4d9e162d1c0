"""PDF, DOCX and HTML made from the seed texts give the same tasks and responsibilities as the text itself."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

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

"""Make PDF, DOCX and HTML versions of a text, the way such documents really look, for format tests.

PDF: reportlab with its built-in Chinese CID font (STSong-Light), lines wrapped mid-sentence and page numbers
at the foot of every page, as office PDFs are. DOCX: one paragraph per line, tables as Word tables. HTML: a
government-site page with navigation, a script and a footer around the body.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

LINE_CHARS = 36
LINES_PER_PAGE = 40


def _plain_lines(text: str) -> list[str]:
    return [line.lstrip("#").strip() for line in text.splitlines() if line.strip() and line.strip() != "---"]


def make_pdf(text: str, path: Path) -> int:
    """Write ``text`` as a PDF; returns the number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    wrapped = [line[i : i + LINE_CHARS] for line in _plain_lines(text) for i in range(0, len(line), LINE_CHARS)]
    pages = 0
    for start in range(0, len(wrapped), LINES_PER_PAGE):
        pages += 1
        c.setFont("STSong-Light", 11)
        y = 800
        for line in wrapped[start : start + LINES_PER_PAGE]:
            c.drawString(60, y, line)
            y -= 18
        c.drawCentredString(297, 40, f"- {pages} -")
        c.showPage()
    c.save()
    return pages


def make_docx(text: str, path: Path, table: Sequence[Sequence[str]] = ()) -> None:
    """Write ``text`` as a Word document, with an optional table after the first paragraph."""
    import docx

    document = docx.Document()
    for i, line in enumerate(_plain_lines(text)):
        document.add_paragraph(line)
        if i == 0 and table:
            t = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for k, value in enumerate(row):
                    t.cell(r, k).text = value
    document.save(str(path))


def make_html(text: str, path: Path) -> None:
    """Write ``text`` as a government-site page: navigation, breadcrumbs, script and footer around the body."""
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in _plain_lines(text))
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>工作要点</title>
<script>document.write("<p>分管领导：伪造。</p>");</script><style>p {{ margin: 0 }}</style></head>
<body>
<div class="header"><a href="/">首页</a> | <a href="/xxgk">信息公开</a></div>
<nav><ul><li>机构设置</li><li>通知公告（责任部门：办公室）</li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 通知公告</div>
<div class="TRS_Editor">
{body}
</div>
<div id="footer">版权所有 © 国家开放大学 京ICP备</div>
</body></html>
"""
    path.write_text(page, encoding="utf-8")

"""Documents as they arrive — PDF (text layer), DOCX, HTML, plain text — turned into text, chosen by content.

The text produced is what spans index and quotes are cut from: for a PDF it is the text layer as pdfminer lays
it out, for DOCX the paragraphs and tables in body order, for HTML the document body without navigation.
Tables become pipe-table rows (``| 序号 | 任务 | … |``) so the task-table extractor reads them in every format.
Inputs are bounded: size, pages, and for DOCX the uncompressed size of the archive (zip bombs); nothing in a
file is executed (no scripts, no macros, no external entities).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

MAX_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 2000
MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_DOCX_RATIO = 100  # uncompressed / compressed; ordinary DOCX are below 20


class FormatError(Exception):
    """The content cannot be turned into text; the message says why (the caller adds the file name)."""


@dataclass(frozen=True)
class Converted:
    text: str
    media_type: str


PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
TEXT = "text/plain"
MARKDOWN = "text/markdown"


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
)


def bom_encoding(raw: bytes) -> str | None:
    """The encoding a byte-order mark at the start names (UTF-32, UTF-16, UTF-8), or None.

    A file saved as "Unicode" by Windows Notepad is UTF-16 with a BOM: full of NUL bytes, yet text.

    >>> bom_encoding("一、".encode("utf-16")), bom_encoding(b"plain")
    ('utf-16', None)
    """
    return next((encoding for bom, encoding in _BOMS if raw.startswith(bom)), None)


def sniff(raw: bytes, suffix: str = "") -> str:
    """The media type by content (magic numbers), the file suffix only breaking ties for text.

    >>> sniff(b"%PDF-1.7 ..."), sniff(b"<!DOCTYPE html><html>"), sniff("# 标题".encode(), ".md")
    ('application/pdf', 'text/html', 'text/markdown')
    """
    head = raw[:2048].lstrip()
    if raw.startswith(b"%PDF-"):
        return PDF
    if raw.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                if "word/document.xml" in z.namelist():
                    return DOCX
        except zipfile.BadZipFile:
            pass
        raise FormatError("a ZIP archive that is not a Word (.docx) document")
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered or b"<body" in lowered:
        return HTML
    return MARKDOWN if suffix.lower() in {".md", ".markdown"} else TEXT


def convert(raw: bytes, media_type: str) -> Converted:
    """Text of a PDF, DOCX or HTML document (plain text is decoded by the caller)."""
    if len(raw) > MAX_BYTES:
        raise FormatError(f"{len(raw)} bytes is over the limit of {MAX_BYTES}")
    if media_type == PDF:
        return Converted(_pdf_text(raw), PDF)
    if media_type == DOCX:
        return Converted(_docx_text(raw), DOCX)
    if media_type == HTML:
        return Converted(html_text(_decode_html(raw)), HTML)
    raise FormatError(f"no converter for {media_type}")


# --- PDF ------------------------------------------------------------------------------------------------------


def _pdf_text(raw: bytes) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pages = sum(1 for _ in PDFPage.get_pages(io.BytesIO(raw)))
        if pages > MAX_PDF_PAGES:
            raise FormatError(f"{pages} pages is over the limit of {MAX_PDF_PAGES}")
        text = extract_text(io.BytesIO(raw))
    except PDFSyntaxError as exc:
        raise FormatError(f"not a readable PDF ({exc})") from exc
    except (FormatError, MemoryError):
        raise
    except Exception as exc:  # pdfminer raises many kinds on malformed files (PSEOF, KeyError, TypeError …)
        raise FormatError(f"not a readable PDF ({type(exc).__name__}: {str(exc)[:200]})") from None
    text = text.replace("\x0c", "\n")
    if not text.strip():
        raise FormatError(
            "the PDF has no text layer (a scanned image?); orgkg reads text only and has no OCR here — "
            "give a PDF with text, or a DOCX/HTML/text version"
        )
    return text


# --- DOCX -----------------------------------------------------------------------------------------------------


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")


def _check_docx(raw: bytes) -> None:
    """Refuse a DOCX that is not one, or that would blow up when read, with a FormatError saying which.

    The sizes an archive declares are not trusted (a ZIP can claim 10 bytes for a part of gigabytes): every
    part is inflated, only counted, against the limits. An XML part with a DTD is refused: Word never writes
    one, and entities defined there are how a few kilobytes expand to gigabytes ("billion laughs").

    >>> _check_docx(b"PK\x03\x04 not really")
    Traceback (most recent call last):
    ...
    orgkg.formats.FormatError: not a readable Word document (a damaged ZIP archive: File is not a zip file)
    """
    limit = min(MAX_DOCX_UNCOMPRESSED, MAX_DOCX_RATIO * max(len(raw), 1))
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            names = set(z.namelist())
            missing = [n for n in _DOCX_PARTS if n not in names]
            if missing:
                raise FormatError(f"not a Word document: the archive has no {' and no '.join(missing)}")
            total = 0
            for info in z.infolist():
                with z.open(info) as part:
                    head = b""
                    while chunk := part.read(1 << 20):
                        if len(head) < 4096:
                            head += chunk[:4096]
                        total += len(chunk)
                        if total > limit:
                            raise FormatError(
                                f"the archive unpacks to more than {limit} bytes from {len(raw)}: refused (zip bomb?)"
                            )
                if info.filename.endswith((".xml", ".rels")) and _DTD.search(head):
                    raise FormatError(f"{info.filename} declares a DTD (entities): refused, Word never writes one")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise FormatError(f"not a readable Word document (a damaged ZIP archive: {exc})") from None


def _docx_text(raw: bytes) -> str:
    _check_docx(raw)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # python-docx and lxml raise many kinds on malformed parts
        raise FormatError(f"not a readable Word document ({type(exc).__name__}: {str(exc)[:200]})") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = [" ".join(c.text.split()) for c in row.cells]
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
    return "\n".join(lines) + "\n"


# --- HTML -----------------------------------------------------------------------------------------------------

# The page is parsed by libxml2's HTML parser through lxml (an HTML5 tokenizer since libxml2 2.14, with the
# implied end tags of HTML: an unclosed <li>, <p>, <td> or <tr> closes where a browser closes it). No network, no
# DTD, no entities beyond HTML's own; comments and processing instructions are dropped while parsing.
_SKIP = {
    "head",
    "title",
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "noscript",
    "form",
    "iframe",
    "frameset",
    "template",
    "svg",
    "math",
    "object",
    "select",
    "button",
    "textarea",
}
_CHROME = re.compile(r"nav|menu|footer|header|breadcrumb|sidebar|share|banner|toolbar|copyright", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_BLOCK = {
    "p",
    "div",
    "br",
    "hr",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "main",
    "blockquote",
    "address",
    "center",
    "figure",
    "figcaption",
    "caption",
    "table",
    "tr",
    "td",
    "th",
    "pre",
}
# Skipped elements that are blocks all the same: the text before and after them is on separate lines.
_SKIP_BLOCKS = {"head", "title", "nav", "header", "footer", "aside", "form", "iframe", "frameset", "textarea"}
# A line break in the source between two CJK characters is no space in a browser (CSS Text 3, segment breaks).
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_BREAK = re.compile(rf"(?<=[{_WIDE}])[ \t]*\n\s*(?=[{_WIDE}])")
# A cell merged down (rowspan) is repeated in every row it covers, as python-docx's row.cells does for DOCX: a
# leader merged down the rows of his tasks is the leader of each. A cell merged across (colspan) is written once
# and the columns it covers are left empty (python-docx repeats it): a section heading spanning the row must not
# read as a task whose every column is the heading. Repetition is bounded, so rowspan=65534 cannot blow up.
MAX_SPANNED_CELLS = 100_000
_PRE = {"pre", "listing", "plaintext"}


def _decode_html(raw: bytes) -> str:
    m = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", raw[:4096])
    encodings = [m.group(1).decode("ascii")] if m else []
    for encoding in [*encodings, "utf-8", "gb18030"]:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise FormatError("cannot decode the HTML (tried its charset, UTF-8 and GB18030)")


def html_text(page: str) -> str:
    """The body text of an HTML page, one block per line; data tables as pipe rows.

    >>> page = "<nav>首页 | 通知</nav><script>alert(1)</script><p>一、推进改革。</p><p>（责任部门：教务处）</p>"
    >>> html_text("<html>" + page)
    '一、推进改革。\\n（责任部门：教务处）\\n'
    >>> html_text('<ul class="menu"><li>首页<li>通知</ul><p>一、推进改革。<table><tr><td>1<td>任务<td>教务处</table>')
    '一、推进改革。\\n| 1 | 任务 | 教务处 |\\n'
    """
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(page.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise FormatError("the HTML page has no body text") from exc
    out = _BodyText()
    body = root.find("body")
    out.walk(body if body is not None else root)
    lines = [" ".join(line.split()) for line in "".join(out.parts).split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text:
        raise FormatError("the HTML page has no body text")
    return text + "\n"


def _skipped(el: Any) -> bool:
    """Whether an element is page furniture or hidden: its whole subtree is left out."""
    tag = el.tag
    if not isinstance(tag, str):  # comments and processing instructions that survived parsing
        return True
    if tag in _SKIP or el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(el.get("style") or ""):
        return True
    if tag in ("html", "body"):  # <body class="has-header"> is still the page
        return False
    marker = " ".join(el.get(k) or "" for k in ("class", "id", "role"))
    return bool(marker.strip() and _CHROME.search(marker))


def _is_data_table(table: Any) -> bool:
    """A table of data (read as pipe rows) rather than of layout: no table inside it, and a row of 2+ cells.

    Old government pages lay out the whole page in tables; read as rows, the body would become one cell.
    """
    if next(table.iterdescendants("table"), None) is not None:
        return False
    return any(len(_cells(row)) >= 2 for row in _rows(table))


def _rows(table: Any) -> list[Any]:
    return list(table.iterdescendants("tr"))


def _cells(row: Any) -> list[Any]:
    return [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]


def _span(cell: Any, name: str, cap: int) -> int:
    try:
        value = int((cell.get(name) or "1").strip())
    except ValueError:
        return 1
    return min(max(value, 1), cap)


class _BodyText:
    """Text of the page body, walked without recursion (a deeply nested page cannot exhaust the stack)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.budget = MAX_SPANNED_CELLS

    def walk(self, top: Any) -> None:
        from lxml import etree

        walker = etree.iterwalk(top, events=("start", "end"))
        pre = 0  # inside <pre>: source line breaks are kept
        left_out: Any = None  # the element whose subtree was just skipped (its "end" follows its "start")
        for event, el in walker:
            if event == "start":
                if el is not top and _skipped(el):
                    walker.skip_subtree()
                    left_out = el
                elif el.tag == "table" and el is not top and _is_data_table(el):
                    walker.skip_subtree()
                    left_out = el
                    self._table(el)
                else:
                    pre += el.tag in _PRE
                    if el.tag in _BLOCK:
                        self.parts.append("\n")
                    self._text(el.text, pre)
                continue
            if el is left_out:
                left_out = None
                if el.tag in _BLOCK or el.tag in _SKIP_BLOCKS:
                    self.parts.append("\n")
            else:
                if el.tag in _BLOCK:
                    self.parts.append("\n")
                pre -= el.tag in _PRE
            if el is not top:
                self._text(el.tail, pre)

    def _text(self, text: str | None, pre: int) -> None:
        if text:
            # Source line breaks are spaces in a browser, except inside <pre>.
            self.parts.append(text if pre else _CJK_BREAK.sub("", text).replace("\n", " "))

    def _table(self, table: Any) -> None:
        """Pipe rows on the table's grid: merged-down cells repeated, merged-across ones followed by empty cells."""
        rows = [_cells(tr) for tr in _rows(table)]
        width = max(len(cells) for cells in rows)  # no colspan reaches past the widest row's own cells
        below: dict[int, tuple[str, int]] = {}  # column -> (text of a merged-down cell, rows it still covers)
        self.parts.append("\n")
        for index, cells in enumerate(rows):
            line: list[str] = []
            queue = iter(cells)
            while True:
                col = len(line)
                if col in below:
                    text, left = below.pop(col)
                    line.append(text)
                    if left > 1:
                        below[col] = (text, left - 1)
                    continue
                cell = next(queue, None)
                if cell is None:
                    if any(c >= col for c in below):
                        line.append("")
                        continue
                    break
                text = _cell_text(cell)
                colspan = _span(cell, "colspan", max(1, width - col))
                rowspan = _span(cell, "rowspan", len(rows) - index)
                if rowspan - 1 > self.budget:
                    rowspan = 1
                self.budget -= rowspan - 1
                if rowspan > 1:
                    below[col] = (text, rowspan - 1)
                line.extend([text] + [""] * (colspan - 1))
            if any(line):
                self.parts.append("| " + " | ".join(line) + " |\n")
        self.parts.append("\n")


def _cell_text(cell: Any) -> str:
    """A cell's text on one line: its blocks and line breaks become spaces, scripts and hidden parts left out."""
    inner = _BodyText()
    inner.walk(cell)
    # A "|" inside a cell would split it in two; the full-width bar reads the same.
    return " ".join("".join(inner.parts).split()).replace("|", "｜")

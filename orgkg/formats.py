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
from html.parser import HTMLParser

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
    "template",
    "svg",
}
_CHROME = re.compile(r"nav|menu|footer|header|breadcrumb|sidebar|share|banner|toolbar|copyright", re.IGNORECASE)
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "tr", "table", "pre"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "area", "base", "col", "embed"}


def _decode_html(raw: bytes) -> str:
    m = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", raw[:4096])
    encodings = [m.group(1).decode("ascii")] if m else []
    for encoding in [*encodings, "utf-8", "gb18030"]:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise FormatError("cannot decode the HTML (tried its charset, UTF-8 and GB18030)")


class _BodyText(HTMLParser):
    """Text of the page body: scripts, styles and navigation chrome dropped, tables as pipe rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0
        self.stack: list[bool] = []  # per open element: does it start a skipped subtree?
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br" and not self.skip_depth:
                self._text("\n")
            return
        marker = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        skipped = tag in _SKIP or bool(marker and _CHROME.search(marker))
        self.stack.append(skipped)
        if skipped:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        if tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self.stack:
            return
        skipped = self.stack.pop()
        if skipped:
            self.skip_depth -= 1
            return
        if self.skip_depth:
            return
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.out.append("\n| " + " | ".join(self.row) + " |\n")
            self.row = None
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self._text(data)

    def _text(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif self.row is None:
            self.out.append(data)


def html_text(page: str) -> str:
    """The body text of an HTML page, one block per line.

    >>> page = "<nav>首页 | 通知</nav><script>alert(1)</script><p>一、推进改革。</p><p>（责任部门：教务处）</p>"
    >>> html_text("<html>" + page)
    '一、推进改革。\\n（责任部门：教务处）\\n'
    """
    parser = _BodyText()
    parser.feed(page)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.out).split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text:
        raise FormatError("the HTML page has no body text")
    return text + "\n"

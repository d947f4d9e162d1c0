"""Text normalization that never loses track of where a character came from.

Documents arrive with full-width and half-width punctuation mixed, PDF line breaks inside words and names,
and spaces between the characters of a name ("联 系 人"). Parsers work on a normalized *view* of the text;
each view character remembers its offset in the verbatim source, so every span found in the view maps back
to the exact source characters (the provenance quote is always the verbatim text).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from orgkg.records import Span

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》、。"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}\d])|(?<=[{_CJK}\d])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_KEY_DROP = re.compile(r"[\s\"'“”‘’「」『』*`]")
_YEAR_RANGE = re.compile(r"(\d{4})年?[-—–－~～至](\d{4})年?")


@dataclass(frozen=True)
class TextView:
    """A normalized view of a source text; ``offsets[i]`` is the source offset of view character ``i``."""

    text: str
    offsets: tuple[int, ...]
    source: str = field(default="", repr=False, compare=False)  # the verbatim text the offsets index

    def written(self, start: int, end: int) -> str:
        """The source characters under view characters ``[start, end)``, white space and glosses left out."""
        return "".join(self.source[self.offsets[i]] for i in range(start, end)) if self.source else ""

    def span(self, start: int, end: int) -> Span:
        """The source span covering view characters ``[start, end)``.

        >>> v = view("a b", 0, 3)
        >>> v.text, v.span(0, 2)
        ('ab', Span(start=0, end=3))
        """
        if start >= end:
            pos = self.offsets[start] if start < len(self.offsets) else (self.offsets[-1] + 1 if self.offsets else 0)
            return Span(pos, pos)
        return Span(self.offsets[start], self.offsets[end - 1] + 1)


def fold_char(ch: str) -> str:
    """Full-width forms to their ASCII equivalents (（→(, ：→:, ，→,, ．→.), other characters unchanged.

    >>> fold_char("（") + fold_char("：") + fold_char("、")
    '(:、'
    """
    if "\uff01" <= ch <= "\uff5e":
        return chr(ord(ch) - 0xFEE0)
    if ch == "\u3000":
        return " "
    return ch


_BRACKETS = str.maketrans({"【": "[", "】": "]", "〔": "[", "〕": "]"})


@functools.lru_cache(maxsize=8)
def document_chars(source: str) -> tuple[str, ...]:
    """One normalized character per source character ("" where it is left out of the view).

    Widths folded (（→(), the family's other brackets as square ones (【】〔〕 → []); in a Traditional-script
    document the Simplified form (the names are resolved in Simplified; spans keep indexing the original);
    pinyin glosses that mirror sites insert after characters (發(fā)改委) left out.

    >>> "".join(document_chars("【责任单位：市发改委】"))
    '[责任单位:市发改委]'
    """
    from orgkg import script  # Traditional script and mirror glosses

    base = script.simplified_chars(source)
    out = [fold_char(c).translate(_BRACKETS) for c in base]
    for start, end in [*script.pinyin_glosses(source), *spliced_page_headers(source)]:
        for i in range(start, end):
            out[i] = ""
    return tuple(out)


# A PDF's running header (许昌市人民政府文件许政〔2020〕21号) spliced into a sentence by text extraction: the issuer
# (a two-character place and its level), 文件, and the 文号, inside a line (a header on its own line is the
# document's own header and stays).
_SPLICED_HEADER = re.compile(
    r"(?<=[\u4e00-\u9fff，,。、])[\u4e00-\u9fff]{2}[省市县区州旗](?:人民政府|委员会)(?:办公室|办公厅)?文件"
    r"[ \t]*[\u4e00-\u9fff]{1,6}[ \t]*[〔\[［(（][ \t]*\d{4}[ \t]*[〕\]］)）][ \t]*\d{1,4}[ \t]*号(?=[^\n])"
)


def spliced_page_headers(text: str) -> list[tuple[int, int]]:
    """Source ranges of running headers spliced mid-sentence; the view leaves them out.

    >>> t = "对有明确时间节点的重许昌市人民政府文件许政〔2020〕21号大工作实行专项督查"
    >>> [t[s:e] for s, e in spliced_page_headers(t)]
    ['许昌市人民政府文件许政〔2020〕21号']
    """
    return [(m.start(), m.end()) for m in _SPLICED_HEADER.finditer(text)]


def view(source: str, start: int = 0, end: int | None = None, *, drop: str = "whitespace") -> TextView:
    """Normalized view of ``source[start:end]``: full-width folded; whitespace (and ``*`` emphasis) dropped.

    ``drop="whitespace"`` removes every white-space character, which is right for names and field values
    in Chinese text, where PDF extraction puts line breaks and spaces inside words; ``drop="none"`` keeps it.
    """
    stop = len(source) if end is None else end
    chars: list[str] = []
    offsets: list[int] = []
    normalized = document_chars(source)
    for i in range(start, stop):
        ch = normalized[i]
        if not ch:
            continue
        if drop == "whitespace" and (ch.isspace() or ch == "*"):
            continue
        chars.append(ch)
        offsets.append(i)
    return TextView("".join(chars), tuple(offsets), source)


def clean_inline(text: str) -> str:
    """Collapse line breaks and PDF spaces for display: none next to CJK, one elsewhere.

    >>> clean_inline("国家开放大学 2020 年\\n工作要点  Web 3.0")
    '国家开放大学2020年工作要点 Web 3.0'
    """
    text = text.replace("*", "")
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return _SPACES.sub(" ", text).strip()


@functools.lru_cache(maxsize=1 << 16)  # pure, and called for every mention against every name it may match
def name_key(name: str) -> str:
    """The matching key of a name: folded width, no spaces or quotes, lower case.

    Stored as ``okg:nameKey`` for every label and alias, and applied to query parameters, so that
    ``“四项整顿”领导小组办公室``, ``"四项整顿"领导小组办公室`` and ``四项整顿领导小组办公室`` all match.

    >>> name_key(" 曹 国永 ") == name_key("曹国永")
    True
    """
    folded = "".join(fold_char(c) for c in unicodedata.normalize("NFC", name))
    return _KEY_DROP.sub("", folded).lower()


def policy_key(title: str) -> str:
    """Identity key of a cited title.

    >>> a, b = "干部队伍建设规划（2019—2023年）", "干部队伍建设规划（2019—2023）"
    >>> policy_key(a) == policy_key(b)
    True
    >>> policy_key("国家开放大学“十四五”发展规划") == policy_key("国家开放大学“十四五”事业发展规划")
    True
    """
    key = name_key(title)
    key = _YEAR_RANGE.sub(r"\1-\2", key)
    return key.replace("事业发展规划", "发展规划")


_SENTENCE_END = "。！？；!?;"


def sentence_span(text: str, span: Span, limit: int = 150) -> Span:
    """The sentence around a span: out to the nearest 。！？； on each side, at most ``limit`` characters.

    A line break is a boundary only after a sentence end or closing bracket, or after a markdown heading
    (PDF text breaks lines inside sentences); leading and trailing white space is left out.

    >>> t = "前文。贯彻落实《国家开放大学综合改革方案》精神。后文"
    >>> sentence_span(t, Span(7, 21)).quote(t)
    '贯彻落实《国家开放大学综合改革方案》精神。'
    """
    start = span.start
    floor = max(0, span.start - limit)
    while start > floor and text[start - 1] not in _SENTENCE_END:
        if text[start - 1] == "\n" and _line_boundary(text, start - 1):
            break
        start -= 1
    end = span.end
    ceiling = min(len(text), span.end + limit)
    while end < ceiling and text[end - 1] not in _SENTENCE_END:
        if text[end] == "\n" and _line_boundary(text, end):
            break
        end += 1
    while start < span.start and text[start].isspace():
        start += 1
    while end > span.end and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _line_boundary(text: str, newline: int) -> bool:
    """Whether the line break at ``newline`` ends a sentence: after 。！？；）), or after a markdown heading."""
    before = text[:newline].rstrip()
    line_start = before.rfind("\n") + 1
    return bool(before) and (before[-1] in _SENTENCE_END + "）)" or before[line_start:].lstrip().startswith("#"))

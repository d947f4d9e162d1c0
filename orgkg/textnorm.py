"""Text normalization that never loses track of where a character came from.

Documents arrive with full-width and half-width punctuation mixed, PDF line breaks inside words and names,
and spaces between the characters of a name ("联 系 人"). Parsers work on a normalized *view* of the text;
each view character remembers its offset in the verbatim source, so every span found in the view maps back
to the exact source characters (the provenance quote is always the verbatim text).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from orgkg.records import Span

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》、。"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_KEY_DROP = re.compile(r"[\s\"'“”‘’「」『』*`]")
_YEAR_RANGE = re.compile(r"(\d{4})年?[-—–－~～至](\d{4})年?")


@dataclass(frozen=True)
class TextView:
    """A normalized view of a source text; ``offsets[i]`` is the source offset of view character ``i``."""

    text: str
    offsets: tuple[int, ...]

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


def view(source: str, start: int = 0, end: int | None = None, *, drop: str = "whitespace") -> TextView:
    """Normalized view of ``source[start:end]``: full-width folded; whitespace (and ``*`` emphasis) dropped.

    ``drop="whitespace"`` removes every white-space character, which is right for names and field values
    in Chinese text, where PDF extraction puts line breaks and spaces inside words; ``drop="none"`` keeps it.
    """
    stop = len(source) if end is None else end
    chars: list[str] = []
    offsets: list[int] = []
    for i in range(start, stop):
        ch = fold_char(source[i])
        if drop == "whitespace" and (ch.isspace() or ch == "*"):
            continue
        chars.append(ch)
        offsets.append(i)
    return TextView("".join(chars), tuple(offsets))


def clean_inline(text: str) -> str:
    """Collapse line breaks and PDF spaces for display: none next to CJK, one elsewhere.

    >>> clean_inline("国家开放大学 2020 年\\n工作要点  Web 3.0")
    '国家开放大学2020年工作要点 Web 3.0'
    """
    text = text.replace("*", "")
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return _SPACES.sub(" ", text).strip()


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

    >>> policy_key("国家开放大学干部队伍建设规划（2019—2023年）") == policy_key("国家开放大学干部队伍建设规划（2019—2023）")
    True
    >>> policy_key("国家开放大学“十四五”发展规划") == policy_key("国家开放大学“十四五”事业发展规划")
    True
    """
    key = name_key(title)
    key = _YEAR_RANGE.sub(r"\1-\2", key)
    return key.replace("事业发展规划", "发展规划")

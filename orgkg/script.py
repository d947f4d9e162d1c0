"""Script and mirror noise: Traditional characters, pinyin glosses, control characters.

Documents of the family arrive in Traditional script (Hong Kong / Taiwan mirrors, converted pages), and mirror
sites insert pinyin glosses after characters (``發(fā)改委``, ``會(huì )議``). Names are resolved in Simplified; the
source text is never rewritten, so every function here returns either positions in the verbatim text or one
entry per source character, and spans keep indexing the original. The conversion is OpenCC's ``t2s``
(https://github.com/BYVoid/OpenCC — its dictionaries, phrase-level where a character has several Simplified
forms); this module only decides when to apply it and keeps the character alignment.
"""

from __future__ import annotations

import functools
import re

# Han ideographs: CJK Unified (with Extension A), Compatibility, and the supplementary planes (Ext. B onwards).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_CHAR = re.compile(f"[{_HAN}]")

# A document is Traditional when T→S changes more than this share of its Han characters, and at least this many:
# OpenCC leaves Simplified text alone (the five seeds and 24 Simplified corpus documents: 0 changes in 50k Han
# characters), so the margin only absorbs stray Traditional forms quoted in a Simplified text (a name, 後/於).
# The Traditional Wuhan page changes 35 % of its Han characters.
TRADITIONAL_SHARE = 0.02
TRADITIONAL_MIN_CHANGED = 3

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# One Hanyu Pinyin syllable, lower case, with at least one tone mark (or ü): initial, vowels, final nasal/r.
# The tone mark is what tells a gloss from a bracketed Latin word ((PPP), (a)) or an ordinal ((一), (2020)).
_SYLLABLE = rf"(?=[a-z{_TONED}]*[{_TONED}])(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?[aeiou{_TONED}]{{1,4}}(?:ng|n|r)?"
_GLOSS = re.compile(rf"(?<=[{_HAN}])[(（][ \u00a0]*{_SYLLABLE}[ \u00a0]*[)）]")

# C0 and C1 controls and DEL, except the two that are text (\n, \t). A terminal escape sequence (ECMA-48 CSI:
# ESC [ or the C1 CSI, parameters, one final byte — colours pasted from a console) goes whole, or its tail
# ("[31m") would stay in a label. Vertical tab, form feed and NEL are line or page breaks: they become a line
# break so that the lines around them are not joined.
_CONTROLS = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BREAKS = {"\x0b", "\x0c", "\x85"}


@functools.lru_cache(maxsize=1)
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def _convert(text: str) -> str:
    return str(_t2s().convert(text))  # type: ignore[attr-defined]


def pinyin_glosses(text: str) -> list[tuple[int, int]]:
    """Source ranges ``[start, end)`` of the pinyin glosses mirror sites insert after Han characters.

    >>> text = "發(fā)改委、會(huì )議；县发改局(粮食局)、(一)、(2020)、(PPP)"
    >>> [text[s:e] for s, e in pinyin_glosses(text)]
    ['(fā)', '(huì )']
    """
    return [m.span() for m in _GLOSS.finditer(text)]


@functools.lru_cache(maxsize=8)  # one document is normalized many times (one view per segment and parser)
def _simplified(text: str) -> tuple[tuple[str, ...], int, int]:
    """Per source character its Simplified form, with the counts of Han characters and of changed ones."""
    glosses = pinyin_glosses(text)
    # Converted without the glosses, so that OpenCC sees whole words (發改委, not 發 + (fā) + 改委).
    keep: list[int] = []
    pos = 0
    for start, end in [*glosses, (len(text), len(text))]:
        keep.extend(range(pos, start))
        pos = end
    plain = "".join(text[i] for i in keep)
    converted = _convert(plain)
    if len(converted) != len(plain):  # a phrase changed length: no alignment, convert character by character
        converted = "".join(c if len(c := _convert(ch)) == 1 else ch for ch in plain)
    chars = list(text)
    han = changed = 0
    for i, new in zip(keep, converted, strict=True):
        if _HAN_CHAR.match(text[i]):
            han += 1
            changed += new != text[i]
        chars[i] = new
    return tuple(chars), han, changed


def is_traditional(text: str) -> bool:
    """Whether ``text`` is written in Traditional script (by the share of Han characters T→S changes).

    >>> is_traditional("關於印發工作要點的通知：加強黨的建設，推進數字化轉型。")
    True
    >>> is_traditional("关于印发工作要点的通知：加强党的建设，显著提高，乾坤。")
    False
    """
    _chars, han, changed = _simplified(text)
    return changed >= TRADITIONAL_MIN_CHANGED and changed > TRADITIONAL_SHARE * han


def simplified_chars(text: str) -> list[str]:
    """One entry per source character: its Simplified form in a Traditional document, else the character itself.

    Glosses are kept (the caller drops the ranges of ``pinyin_glosses``); ``len(result) == len(text)``.

    >>> "".join(simplified_chars("牽頭單位：市發(fā)改委"))
    '牵头单位：市发(fā)改委'
    >>> "".join(simplified_chars("牵头单位：乾坤"))
    '牵头单位：乾坤'
    """
    chars, _han, _changed = _simplified(text)
    return list(chars) if is_traditional(text) else list(text)


def strip_controls(text: str) -> str:
    """``text`` without C0/C1 control characters or escape sequences, except ``\\n`` and ``\\t``.

    VT, FF and NEL become ``\\n``. Line endings are normalized to ``\\n`` before this (a lone ``\\r`` is a control
    and would be removed).

    >>> strip_controls("\\x1b[31m牵头单位\\x1b[0m：教务处\\x07\\n\\t二、\\x0c三、")
    '牵头单位：教务处\\n\\t二、\\n三、'
    """
    return _CONTROLS.sub(lambda m: "\n" if m.group() in _BREAKS else "", text)

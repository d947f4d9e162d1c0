"""Pinyin of person names, for search: 曹国永 is found as "caoguoyong", "cao guo yong", "Cáo Guóyǒng" or "cgy"."""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata

from pypinyin import Style, lazy_pinyin, pinyin

_NOT_LETTER = re.compile(r"[^a-z]")


def fold(text: str) -> str:
    """Lower case ASCII letters only: tone marks dropped, ü as v, spaces and apostrophes gone.

    >>> fold("Lǚ Yùgāng"), fold("cao guo-yong")
    ('lvyugang', 'caoguoyong')
    """
    decomposed = unicodedata.normalize("NFKD", text.lower()).replace("u\u0308", "v").replace("u:", "v")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_LETTER.sub("", stripped)


def is_pinyin_query(text: str) -> bool:
    """Whether a search text could be pinyin (Latin letters, spaces, tone marks).

    >>> is_pinyin_query("Cao Guoyong"), is_pinyin_query("曹国永")
    (True, False)
    """
    folded = fold(text)
    return len(folded) >= 2 and all(ord(ch) < 0x2E80 for ch in text)


@functools.lru_cache(maxsize=4096)
def readings(name: str) -> tuple[str, ...]:
    """Every folded full reading of a name, polyphonic characters expanded (first reading first, at most 16).

    >>> readings("曹国永")
    ('caoguoyong',)
    """
    syllables = pinyin(name, style=Style.NORMAL, heteronym=True, v_to_u=False, errors="ignore")
    combos = itertools.islice(itertools.product(*[s[:4] for s in syllables]), 16)
    return tuple(dict.fromkeys(fold("".join(c)) for c in combos if c))


def display(name: str) -> str:
    """The name's usual pinyin, syllables separated by spaces.

    >>> display("曹国永")
    'cao guo yong'
    """
    return " ".join(lazy_pinyin(name, style=Style.NORMAL, errors="ignore"))


def initials(name: str) -> str:
    """The first letters of the syllables ("cgy").

    >>> initials("曹国永")
    'cgy'
    """
    return "".join(s[:1] for s in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


def matches(name: str, query: str) -> bool:
    """Whether a pinyin query names ``name``: a prefix of a reading, or its initials.

    >>> matches("曹国永", "Cao Guoyong"), matches("曹国永", "cgy"), matches("曹国永", "guoyong")
    (True, True, False)
    """
    q = fold(query)
    if len(q) < 2:
        return False
    return any(r.startswith(q) for r in readings(name)) or q == initials(name)
